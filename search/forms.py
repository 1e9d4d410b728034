from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from newsroom.archive import public_years
from newsroom.models import NewsRelease

from .engine import MAX_QUERY_LENGTH, terms_of


class SearchForm(forms.Form):
    """What to look for, and in which releases. Every field may be left empty."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Your search is too long: use at most %(limit_value)d characters."),
        },
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    initiative = forms.ModelChoiceField(
        label=_("Initiative"),
        required=False,
        queryset=Initiative.objects.public(),
        to_field_name="slug",
        empty_label=_("All initiatives"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types")), *NewsRelease.ReleaseType.choices]
        years = public_years()
        self.fields["year"].choices = [("", _("All years"))] + [(day.year, day.year) for day in years]

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if query and not terms_of(query):
            raise forms.ValidationError(_("Enter at least one word or number to search for."))
        return query

    @property
    def has_bad_filter(self) -> bool:
        """A filter value no form offers: a bad address rather than a search to refine."""
        return bool(self.errors.keys() - {"q"})
