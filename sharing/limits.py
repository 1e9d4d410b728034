"""Abuse limits for "Send this page": per sender's address and per recipient (core.limits)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from core.limits import Limit, LimitReached, LimitsUnavailable, client_ip
from core.limits import counted as counted_against

__all__ = ["LimitReached", "LimitsUnavailable", "client_ip", "counted", "per_recipient", "per_sender_ip"]


def per_sender_ip() -> Limit:
    return Limit("sharing", "ip", getattr(settings, "SHARING_SENDS_PER_IP_PER_HOUR", 5), 60 * 60)


def per_recipient() -> Limit:
    return Limit(
        "sharing", "recipient", getattr(settings, "SHARING_SENDS_PER_RECIPIENT_PER_DAY", 3), 24 * 60 * 60
    )


@contextmanager
def counted(*, sender_ip: str, recipient: str) -> Iterator[None]:
    """Count one page sent from `sender_ip` to `recipient` (see core.limits.counted)."""
    with counted_against([(per_sender_ip(), sender_ip), (per_recipient(), recipient.strip().lower())]):
        yield
