"""Fields every form that saves a release adds to the model's own."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReleaseEditFields(forms.Form):
    """The version the editor started from, and what a correction of a public release needs."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note_en = forms.CharField(
        label=_("Change note (English)"),
        max_length=300,
        required=False,
        help_text=_("Shown to the public in the release's change history."),
    )
    change_note_fr = forms.CharField(
        label=_("Change note (French)"),
        max_length=300,
        required=False,
        help_text=_("Shown to the public in the release's change history."),
    )
    minor_change = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_("A typo fix: the “Last updated” date and the change history stay as they were."),
    )
