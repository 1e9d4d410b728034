"""Embargoed advance copies: add recipients, revoke links, and tell recipients what changed.

What a recipient is sent follows the release as it is when the message is
made, never as it was when the work was queued:

- scheduled, and the recipient was told nothing yet: the advance copy;
- scheduled for another minute than the one last told: the new embargo time;
- back to draft before its minute, after a copy went out: a withdrawal notice;
- public, deleted, or the link revoked: nothing.

Each message is recorded once per (recipient, kind, embargo minute)
(`AdvanceMessage`), so running the work twice sends nothing twice.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.mailing import MailBatch, MessageRefused
from newsroom.models import NewsRelease
from newsroom.services import can_publish

from . import emails
from .models import AdvanceMessage, AdvanceOpening, AdvanceRecipient

logger = logging.getLogger(__name__)

# After the minute a personal link leads to the public page for this long, then to nothing.
LINK_DAYS_AFTER_PUBLICATION = 7
# A message being sent by a worker that died is taken over after this long.
CLAIM_SECONDS = 120

PERMISSION_MESSAGE = _("Only publishers can send or revoke advance copies.")


class AdvanceCopyError(ValidationError):
    """A rule refused the change; its message says which, in the reader's language."""


def _require_publisher(by: AbstractBaseUser) -> None:
    if not can_publish(by):
        raise AdvanceCopyError(PERMISSION_MESSAGE, code="permission")


def add_recipient(
    *, release: NewsRelease, name: str, outlet: str, email: str, language: str, by: AbstractBaseUser
) -> AdvanceRecipient:
    """Add a recipient to a scheduled release and queue their advance copy."""
    _require_publisher(by)
    stored = NewsRelease.objects.get(pk=release.pk)
    if not stored.is_scheduled:
        raise AdvanceCopyError(
            _("Advance copies are sent only for a release scheduled for a minute still to come."),
            code="not_scheduled",
        )
    recipient = AdvanceRecipient(
        release=stored, name=name, outlet=outlet, email=email.strip(), language=language, added_by=by
    )
    recipient.full_clean()
    recipient.save()
    queue_sync(release_id=stored.pk)
    return recipient


def revoke(*, recipients: Iterable[AdvanceRecipient], by: AbstractBaseUser) -> int:
    """Revoke the links of `recipients`: from now on they answer 404. Returns how many were revoked."""
    _require_publisher(by)
    ids = [recipient.pk for recipient in recipients]
    return AdvanceRecipient.objects.filter(pk__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_all(*, release: NewsRelease, by: AbstractBaseUser) -> int:
    return revoke(recipients=AdvanceRecipient.objects.filter(release=release), by=by)


def queue_sync(*, release_id: int) -> None:
    """Queue the work that tells the release's recipients what changed, after the transaction commits."""
    from .tasks import sync_advance_copies

    transaction.on_commit(lambda: sync_advance_copies.enqueue(release_id=release_id))


def release_changed(*, release: NewsRelease) -> None:
    """Called on every save of a release: its recipients may need a new time or a withdrawal."""
    if release.pk is not None and AdvanceRecipient.objects.filter(release_id=release.pk).exists():
        queue_sync(release_id=release.pk)


def copy_for(key: str | None) -> AdvanceRecipient | None:
    """The recipient whose link carries `key`, if the link still leads somewhere."""
    if not key:
        return None
    recipient = (
        AdvanceRecipient.objects.select_related("release").filter(key=key, revoked_at__isnull=True).first()
    )
    if recipient is None:
        return None
    release = recipient.release
    if release.is_scheduled:
        return recipient
    if release.is_public and release.published_at >= timezone.now() - dt.timedelta(
        days=LINK_DAYS_AFTER_PUBLICATION
    ):
        return recipient
    return None


def record_opening(*, recipient: AdvanceRecipient, language: str) -> AdvanceOpening:
    return AdvanceOpening.objects.create(recipient=recipient, language=language)


def _owed(recipient: AdvanceRecipient, release: NewsRelease) -> tuple[str, dt.datetime] | None:
    """What this recipient must be told now about the release, if anything: (kind, embargo minute)."""
    last = recipient.messages.filter(status=AdvanceMessage.Status.SENT).order_by("-created_at", "-pk").first()
    if release.is_scheduled:
        if last is None or last.kind == AdvanceMessage.Kind.WITHDRAWAL:
            return AdvanceMessage.Kind.COPY, release.published_at
        if last.embargo != release.published_at:
            return AdvanceMessage.Kind.NEW_TIME, release.published_at
        return None
    if release.is_draft and last is not None and last.kind != AdvanceMessage.Kind.WITHDRAWAL:
        return AdvanceMessage.Kind.WITHDRAWAL, last.embargo
    return None


def _claim(recipient: AdvanceRecipient, kind: str, embargo: dt.datetime) -> AdvanceMessage | None:
    """This worker's claim on one message; None if it was sent, or another worker is sending it."""
    try:
        with transaction.atomic():
            return AdvanceMessage.objects.create(recipient=recipient, kind=kind, embargo=embargo)
    except IntegrityError:
        stale = timezone.now() - dt.timedelta(seconds=CLAIM_SECONDS)
        taken = AdvanceMessage.objects.filter(
            recipient=recipient,
            kind=kind,
            embargo=embargo,
            status=AdvanceMessage.Status.SENDING,
            created_at__lt=stale,
        ).update(created_at=timezone.now())
        if not taken:
            return None
        return AdvanceMessage.objects.get(recipient=recipient, kind=kind, embargo=embargo)


def _mark_sent(message: AdvanceMessage) -> None:
    AdvanceMessage.objects.filter(pk=message.pk).update(
        status=AdvanceMessage.Status.SENT, sent_at=timezone.now()
    )


def sync_release(*, release_id: int) -> int:
    """Send each recipient of the release what they are owed now; returns how many messages went out."""
    sent = 0
    release = NewsRelease.objects.filter(pk=release_id).first()
    if release is None or release.is_public:
        return 0
    recipients = list(
        AdvanceRecipient.objects.filter(release_id=release_id, revoked_at__isnull=True).order_by("pk")
    )
    if not recipients:
        return 0
    with MailBatch() as mailer:
        for recipient in recipients:
            # Checked again before each message: the release and the link as they are now.
            release = NewsRelease.objects.filter(pk=release_id).first()
            recipient.refresh_from_db(fields=["revoked_at"])
            if release is None or release.is_public or recipient.is_revoked:
                continue
            recipient.release = release
            owed = _owed(recipient, release)
            if owed is None:
                continue
            kind, embargo = owed
            claimed = _claim(recipient, kind, embargo)
            if claimed is None:
                continue
            message = emails.message_for(recipient, release, kind=kind, embargo=embargo)
            try:
                mailer.send(message, record=lambda claimed=claimed: _mark_sent(claimed))
                sent += 1
            except MessageRefused:
                AdvanceMessage.objects.filter(pk=claimed.pk).update(status=AdvanceMessage.Status.FAILED)
                logger.warning("advance copies: the mail server refused a message")
            except (smtplib.SMTPException, OSError):
                # Left as being sent: taken over by the next run once its claim is stale.
                raise
    return sent
