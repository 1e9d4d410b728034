"""Pieces of the public forms that send e-mail: one-line fields and a trap for robots."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Anything a header or a fixed text could be bent with: line breaks, tabs, NUL...
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")


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


def your_email_field() -> SingleLineEmailField:
    """The reader's own e-mail address, as every public form asks for it."""
    return SingleLineEmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter your e-mail address in the form name@example.com."),
        },
    )


class HoneypotMixin(forms.Form):
    """A field hidden from people by CSS and from assistive technology; robots fill it in."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this field empty."), code="honeypot")
        return ""
