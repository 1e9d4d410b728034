import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Anything a header or a fixed text could be bent with: line breaks, tabs, NUL...
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")
# The sender's name is printed in a text sent to a stranger: no links in it.
LINK_LIKE = re.compile(r"://|www\.|@|<|>", re.IGNORECASE)


class SingleLineMixin:
    """Refuses line breaks and other control characters before any stripping, so none slips through."""

    def to_python(self, value):
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise ValidationError(
                _("Enter this on one line, without line breaks or special characters."),
                code="control_characters",
            )
        return super().to_python(value)


class SingleLineCharField(SingleLineMixin, forms.CharField):
    pass


class SingleLineEmailField(SingleLineMixin, forms.EmailField):
    pass


class SendPageForm(forms.Form):
    sender_name = SingleLineCharField(
        label=_("Your name"),
        max_length=70,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    sender_email = SingleLineEmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter your e-mail address in the form name@example.com."),
        },
    )
    recipient = SingleLineEmailField(
        label=_("Recipient's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter the recipient's e-mail address."),
            "invalid": _("Enter the recipient's e-mail address in the form name@example.com."),
        },
    )
    # Hidden from people by CSS and from assistive technology; robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_sender_name(self) -> str:
        name = self.cleaned_data["sender_name"]
        if LINK_LIKE.search(name):
            raise ValidationError(
                _("Enter your name only, without a web address or an e-mail address."), code="link"
            )
        return name

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this field empty."), code="honeypot")
        return ""
