import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin, SingleLineCharField, SingleLineEmailField, your_email_field

# The sender's name is printed in a text sent to a stranger: no links in it.
LINK_LIKE = re.compile(r"://|www\.|@|<|>", re.IGNORECASE)


class SendPageForm(HoneypotMixin, forms.Form):
    field_order = ["sender_name", "sender_email", "recipient", "website"]

    sender_name = SingleLineCharField(
        label=_("Your name"),
        max_length=70,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your name.")},
    )
    sender_email = your_email_field()
    recipient = SingleLineEmailField(
        label=_("Recipient's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Enter the recipient's e-mail address."),
            "invalid": _("Enter the recipient's e-mail address in the form name@example.com."),
        },
    )

    def clean_sender_name(self) -> str:
        name = self.cleaned_data["sender_name"]
        if LINK_LIKE.search(name):
            raise ValidationError(
                _("Enter your name only, without a web address or an e-mail address."), code="link"
            )
        return name
