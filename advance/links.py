"""The personal link of an advance copy: the recipient's key, signed with the site's secret."""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from core.addresses import absolute_url

SALT = "advance.copy"


def copy_token(recipient) -> str:
    return signing.Signer(salt=SALT).sign(recipient.key)


def key_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def copy_path(recipient, language: str | None = None) -> str:
    with translation.override(language or recipient.language):
        return reverse("advance:copy", kwargs={"token": copy_token(recipient)})


def copy_url(recipient, language: str | None = None) -> str:
    return absolute_url(copy_path(recipient, language))
