from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin, your_email_field
from initiatives.models import Initiative
from newsroom.models import Language, ReleaseType

from .models import Subscription


def topic_choices() -> list:
    """What one can follow, as one list: everything, a type of release, or an initiative."""
    return [
        ("all", _("All releases")),
        (
            _("A type of release"),
            [(f"type:{value}", ReleaseType(value).plural) for value in ReleaseType.values],
        ),
        (
            _("An initiative"),
            [(f"initiative:{initiative.slug}", initiative.name) for initiative in Initiative.objects.all()],
        ),
    ]


class SubscribeForm(HoneypotMixin, forms.Form):
    """E-mail address, language, topic and pace: only choices, no free text but the address."""

    field_order = ["email", "topic", "language", "frequency", "website"]

    email = your_email_field()
    topic = forms.ChoiceField(
        label=_("What to follow"),
        error_messages={
            "required": _("Choose what to follow."),
            "invalid_choice": _("Choose what to follow from the list."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the alerts"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language of the alerts."),
            "invalid_choice": _("Choose English or French."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscription.Frequency.choices,
        widget=forms.RadioSelect,
        initial=Subscription.Frequency.IMMEDIATE,
        error_messages={
            "required": _("Choose how often to receive alerts."),
            "invalid_choice": _("Choose how often to receive alerts from the list."),
        },
    )

    def __init__(self, *args, digest_hour: int = 17, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices()
        self.fields["frequency"].choices = [
            (Subscription.Frequency.IMMEDIATE, Subscription.Frequency.IMMEDIATE.label),
            (
                Subscription.Frequency.DAILY,
                _("In a daily digest at %(hour)s:00, Ottawa time") % {"hour": digest_hour},
            ),
        ]

    def clean_topic(self) -> dict:
        value = self.cleaned_data["topic"]
        kind, _sep, rest = value.partition(":")
        if kind == "all":
            return {"follows": Subscription.Follows.ALL, "release_type": "", "initiative": None}
        if kind == "type":
            return {"follows": Subscription.Follows.TYPE, "release_type": rest, "initiative": None}
        initiative = Initiative.objects.filter(slug=rest).first()
        if initiative is None:
            raise ValidationError(_("Choose what to follow from the list."), code="invalid_choice")
        return {"follows": Subscription.Follows.INITIATIVE, "release_type": "", "initiative": initiative}
