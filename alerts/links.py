"""The signed links that stand in for an account: confirm, manage, unsubscribe.

Each link carries the subscription's random key, signed with the site's
secret; the confirmation link also carries the time it was made and expires
after CONFIRMATION_HOURS. Deleting a subscription deletes its key, so every
link made for it then leads nowhere.
"""

import datetime as dt

from django.core import signing
from django.urls import reverse
from django.utils import translation

from core.addresses import absolute_url

CONFIRMATION_HOURS = 48
CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"


def confirm_token(subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.key)


def manage_token(subscription) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(subscription.key)


def key_from_confirm_token(token: str) -> str | None:
    """The key in a confirmation token, or None if it is forged, damaged or older than 48 hours."""
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            token, max_age=dt.timedelta(hours=CONFIRMATION_HOURS)
        )
    except signing.BadSignature:
        return None


def key_from_manage_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _in_language(subscription, name: str, token: str) -> str:
    with translation.override(subscription.language):
        return reverse(name, kwargs={"token": token})


def confirm_path(subscription) -> str:
    return _in_language(subscription, "alerts:confirm", confirm_token(subscription))


def manage_path(subscription) -> str:
    return _in_language(subscription, "alerts:manage", manage_token(subscription))


def unsubscribe_path(subscription) -> str:
    return _in_language(subscription, "alerts:unsubscribe", manage_token(subscription))


def confirm_url(subscription) -> str:
    return absolute_url(confirm_path(subscription))


def manage_url(subscription) -> str:
    return absolute_url(manage_path(subscription))


def unsubscribe_url(subscription) -> str:
    return absolute_url(unsubscribe_path(subscription))
