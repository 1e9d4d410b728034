"""E-mail alerts: subscribing, confirming, cancelling, and sending at the release's minute.

The rule of when an alert may go out lives here and only here:

- a release is alerted only once `NewsRelease.objects.public()` returns it,
  checked when the message is about to be made, never when it was queued;
- only to subscriptions confirmed before the release's minute, in their
  language, once per address (`Delivery`: unique recipient, release, kind);
- not later than ALERTS_LATE_HOURS after the minute: a worker that was down
  sends what it missed, late rather than never, but an old release restored
  or loaded from a backup alerts no one.

`queue_release_alerts` is called on every save of a release (a signal, so
that the desk, the admin, a history restore, loaddata and scripts all count)
and queues a task for the release's minute; `sweep` runs each minute in the
worker and sends whatever became public without its alerts.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from functools import partial
from itertools import groupby

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from core.mailing import MailBatch, MessageRefused
from newsroom.models import PUBLIC_STATUSES, NewsRelease

from . import emails
from .models import Delivery, DigestRun, Subscription, Sweep

logger = logging.getLogger(__name__)


class TakenOver(Exception):
    """Another worker took these deliveries over after this one's claim ran out."""


# Unconfirmed subscriptions are deleted after this long.
PENDING_HOURS = 48


def late_limit() -> dt.timedelta:
    return dt.timedelta(hours=settings.ALERTS_LATE_HOURS)


def claim_seconds() -> int:
    return int(getattr(settings, "ALERTS_CLAIM_SECONDS", 120))


def normalise_address(email: str) -> str:
    return email.strip().lower()


# --- Subscribing ----------------------------------------------------------


def request_subscription(
    *,
    email: str,
    language: str,
    follows: str,
    release_type: str = "",
    initiative=None,
    frequency: str,
) -> Subscription | None:
    """Record a wish to subscribe and e-mail the address a link to confirm it.

    An address already confirmed for this topic gets nothing, and the caller
    cannot tell: the form says the same whatever the address. Returns the
    pending subscription to confirm, or None. Raises the e-mail backend's
    error if the message cannot be sent (nothing is then kept).
    """
    topic = {"follows": follows, "release_type": release_type, "initiative": initiative}
    email = normalise_address(email)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email, **topic).first()
        if subscription is not None and subscription.is_confirmed:
            return None
        if subscription is None:
            subscription = Subscription(email=email, **topic)
        subscription.language = language
        subscription.frequency = frequency
        subscription.full_clean()
        subscription.save()
        emails.confirmation_message(subscription).send(fail_silently=False)
    return subscription


def confirm_subscription(*, subscription: Subscription) -> Subscription:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def cancel_subscription(*, subscription: Subscription) -> None:
    """Delete the subscription, its address and its deliveries: nothing of it is kept."""
    subscription.delete()


def cancel_all(*, email: str) -> int:
    """Delete every subscription of an address; returns how many there were."""
    subscriptions = Subscription.objects.filter(email=normalise_address(email))
    count = subscriptions.count()
    subscriptions.delete()
    return count


# --- Sending --------------------------------------------------------------


def queue_release_alerts(*, release: NewsRelease) -> None:
    """Queue the release's alerts for its minute, once the current transaction commits.

    Called on every save; queuing is cheap and sending is idempotent, so a
    release saved ten times before its minute is still sent once, at that
    minute, in whatever state it is then.
    """
    if release.pk is None or release.status not in PUBLIC_STATUSES or release.published_at is None:
        return
    now = timezone.now()
    if release.published_at < now - late_limit():
        return
    from .tasks import send_release_alerts

    run_after = release.published_at if release.published_at > now else None
    task = send_release_alerts.using(run_after=run_after) if run_after else send_release_alerts
    release_id = release.pk
    transaction.on_commit(lambda: task.enqueue(release_id=release_id))


def alertable(release_id: int, now: dt.datetime | None = None) -> NewsRelease | None:
    """The release if its alerts may go out now: public, and its minute not too long ago."""
    now = now or timezone.now()
    return NewsRelease.objects.public().filter(pk=release_id, published_at__gte=now - late_limit()).first()


def create_deliveries(*, release: NewsRelease) -> int:
    """Record one queued alert for each address that follows the release, once; returns how many are new."""
    subscriptions = (
        Subscription.objects.confirmed()
        .following(release)
        .filter(frequency=Subscription.Frequency.IMMEDIATE, confirmed_at__lte=release.published_at)
        .order_by("pk")
        .only("pk", "email")
    )
    seen: set[str] = set()
    rows = []
    for subscription in subscriptions.iterator(chunk_size=2000):
        recipient = subscription.recipient
        if recipient in seen:
            continue
        seen.add(recipient)
        rows.append(
            Delivery(
                subscription_id=subscription.pk,
                recipient=recipient,
                release=release,
                kind=Delivery.Kind.ALERT,
            )
        )
    before = Delivery.objects.filter(release=release, kind=Delivery.Kind.ALERT).count()
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Delivery.objects.filter(release=release, kind=Delivery.Kind.ALERT).count() - before


def _pending(now: dt.datetime):
    """Deliveries to send: queued, or taken by a worker whose claim ran out (it died before sending)."""
    return Delivery.objects.filter(
        Q(status=Delivery.Status.QUEUED) | Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
    )


def _claim(pending, size: int) -> list[Delivery]:
    """Take about `size` deliveries for this worker, every pending one of a recipient together.

    On PostgreSQL, rows another worker is taking are skipped (SKIP LOCKED), so
    workers share a large release without waiting for each other.
    """
    now = timezone.now()
    with transaction.atomic():
        first = list(
            pending.select_for_update(skip_locked=True)
            .order_by("recipient", "pk")
            .values_list("pk", "recipient")[:size]
        )
        if not first:
            return []
        ids = {pk for pk, _recipient in first}
        # A digest has a row per release: the recipient's other rows go in the same message.
        ids.update(
            pending.filter(recipient__in={recipient for _pk, recipient in first})
            .exclude(pk__in=ids)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING,
            claimed_until=now + dt.timedelta(seconds=claim_seconds()),
            attempts=F("attempts") + 1,
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscription", "release")
        .order_by("recipient", "release__published_at", "pk")
    )


def _mark_sent(ids: list[int], claimed_until: dt.datetime) -> None:
    """Record the message as sent; it commits before the message is delivered (core.mailing).

    One statement, committed on its own (one round trip to the database for
    each message), and only while this worker's claim holds: rows another
    worker took over after the claim ran out are left to that worker, which
    took all of a recipient's rows together.
    """
    updated = Delivery.objects.filter(
        pk__in=ids, status=Delivery.Status.SENDING, claimed_until=claimed_until
    ).update(status=Delivery.Status.SENT, sent_at=timezone.now(), claimed_until=None)
    if not updated:
        raise TakenOver


def _mark(ids: Iterable[int], status: str) -> None:
    Delivery.objects.filter(pk__in=list(ids), status=Delivery.Status.SENDING).update(
        status=status, claimed_until=None
    )


def _send_claimed(batch: list[Delivery], *, make_message) -> int:
    """Send each recipient's message over one connection; returns how many went out."""
    sent = 0
    groups = [list(rows) for _recipient, rows in groupby(batch, key=lambda row: row.recipient)]
    done: set[int] = set()
    try:
        with MailBatch() as mailer:
            for rows in groups:
                ids = [row.pk for row in rows]
                subscription = rows[0].subscription
                message = make_message(subscription, [row.release for row in rows])
                if message is None:
                    # Nothing left to tell (every release in it was withdrawn since).
                    Delivery.objects.filter(pk__in=ids).delete()
                    continue
                try:
                    mailer.send(message, record=partial(_mark_sent, ids, rows[0].claimed_until))
                    sent += 1
                except MessageRefused:
                    # The server refused this address; the others still go.
                    Delivery.objects.filter(pk__in=ids).update(
                        status=Delivery.Status.FAILED, claimed_until=None
                    )
                    logger.warning("alerts: the mail server refused a message")
                except TakenOver:
                    pass
                done.update(ids)
    except (smtplib.SMTPException, OSError):
        # The server went away: what was not sent goes back in the queue for the next sweep.
        _mark((row.pk for row in batch if row.pk not in done), Delivery.Status.QUEUED)
        raise
    return sent


def deliver_release_alerts(*, release_id: int) -> int:
    """Send a public release's alerts to every follower not yet sent one; returns how many were sent."""
    release = alertable(release_id)
    if release is None:
        return 0
    create_deliveries(release=release)
    name = emails.site_name()
    texts = {}

    def make_message(subscription, releases):
        language = subscription.language
        if language not in texts:
            texts[language] = emails.release_text(release, language)
        return emails.alert_message(subscription, release, text=texts[language], name=name)

    pending = _pending(timezone.now()).filter(release_id=release.pk, kind=Delivery.Kind.ALERT)
    sent = 0
    while batch := _claim(pending, settings.ALERTS_BATCH_SIZE):
        # Checked again before each batch: unpublished in the middle of a send, the rest waits.
        if alertable(release_id) is None:
            _mark((row.pk for row in batch), Delivery.Status.QUEUED)
            break
        sent += _send_claimed(batch, make_message=make_message)
        pending = _pending(timezone.now()).filter(release_id=release.pk, kind=Delivery.Kind.ALERT)
    return sent


# --- Daily digest ---------------------------------------------------------


def digest_day_due(now: dt.datetime) -> dt.date | None:
    """Today (Ottawa time) once its digest hour has come, else None."""
    local = timezone.localtime(now)
    return local.date() if local.hour >= settings.ALERTS_DIGEST_HOUR else None


def digest_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The releases a day's digest tells of: those that became public in the 24 hours before its hour."""
    end = timezone.make_aware(dt.datetime.combine(day, dt.time(settings.ALERTS_DIGEST_HOUR)))
    return end - dt.timedelta(days=1), end


def create_digest_deliveries(*, day: dt.date) -> int:
    start, end = digest_window(day)
    releases = list(NewsRelease.objects.public().filter(published_at__gt=start, published_at__lte=end))
    rows = []
    for release in releases:
        subscriptions = (
            Subscription.objects.confirmed()
            .following(release)
            .filter(frequency=Subscription.Frequency.DAILY, confirmed_at__lte=release.published_at)
            .order_by("pk")
            .only("pk", "email")
        )
        seen: set[str] = set()
        for subscription in subscriptions.iterator(chunk_size=2000):
            if subscription.recipient not in seen:
                seen.add(subscription.recipient)
                rows.append(
                    Delivery(
                        subscription_id=subscription.pk,
                        recipient=subscription.recipient,
                        release=release,
                        kind=Delivery.Kind.DIGEST,
                    )
                )
    created = Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(created)


def deliver_digest(*, day: dt.date) -> int:
    """Send the day's digest: one message per address, with every release it follows."""
    start, end = digest_window(day)
    create_digest_deliveries(day=day)
    name = emails.site_name()

    def make_message(subscription, releases):
        # Checked again: a release unpublished since the digest was prepared is left out.
        public_ids = set(
            NewsRelease.objects.public().filter(pk__in=[r.pk for r in releases]).values_list("pk", flat=True)
        )
        still_public = [release for release in releases if release.pk in public_ids]
        if not still_public:
            return None
        return emails.digest_message(subscription, still_public, day=day, name=name)

    def pending():
        return _pending(timezone.now()).filter(
            kind=Delivery.Kind.DIGEST, release__published_at__gt=start, release__published_at__lte=end
        )

    sent = 0
    while batch := _claim(pending(), settings.ALERTS_BATCH_SIZE):
        sent += _send_claimed(batch, make_message=make_message)
    return sent


# --- Each minute ----------------------------------------------------------


def this_minute(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


def claim_sweep(minute: dt.datetime) -> bool:
    """Claim one minute's sweep for this worker; False if another worker already has it."""
    try:
        with transaction.atomic():
            Sweep.objects.create(minute=minute)
    except IntegrityError:
        return False
    return True


def releases_missing_alerts(now: dt.datetime) -> list[int]:
    """Public releases of the last ALERTS_LATE_HOURS whose alerts did not all go out."""
    recent = NewsRelease.objects.public().filter(published_at__gte=now - late_limit())
    ids = []
    for release in recent.only("pk", "release_type", "published_at"):
        expected = (
            Subscription.objects.confirmed()
            .following(release)
            .filter(frequency=Subscription.Frequency.IMMEDIATE, confirmed_at__lte=release.published_at)
            .values("email")
            .distinct()
            .count()
        )
        made = Delivery.objects.filter(release=release, kind=Delivery.Kind.ALERT)
        if (
            made.count() < expected
            or _pending(now).filter(release=release, kind=Delivery.Kind.ALERT).exists()
        ):
            ids.append(release.pk)
    return ids


def sweep(*, now: dt.datetime | None = None) -> dict:
    """The minute's round: alerts that did not go out, the day's digest, old records.

    Returns what it did, for the task's result and the logs.
    """
    now = now or timezone.now()
    done = {"releases": 0, "digest": None}
    for release_id in releases_missing_alerts(now):
        deliver_release_alerts(release_id=release_id)
        done["releases"] += 1
    day = digest_day_due(now)
    if day is not None and not DigestRun.objects.filter(day=day).exists():
        try:
            with transaction.atomic():
                DigestRun.objects.create(day=day)
        except IntegrityError:
            pass
        else:
            from .tasks import send_daily_digest

            send_daily_digest.enqueue(day=day.isoformat())
            done["digest"] = day.isoformat()
    if day is not None:
        # A digest cut short (its worker died) is finished by a later round the same day.
        start, end = digest_window(day)
        if (
            _pending(now)
            .filter(
                kind=Delivery.Kind.DIGEST, release__published_at__gt=start, release__published_at__lte=end
            )
            .exists()
        ):
            deliver_digest(day=day)
    Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - dt.timedelta(hours=PENDING_HOURS)
    ).delete()
    Sweep.objects.filter(minute__lt=now - dt.timedelta(days=1)).delete()
    DigestRun.objects.filter(day__lt=(now - dt.timedelta(days=7)).date()).delete()
    return done


def delivery_counts(release_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each release's alerts by state, for the admin: {release_id: {"queued": n, "sent": n, ...}}."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Delivery.objects.filter(release_id__in=list(release_ids), kind=Delivery.Kind.ALERT)
        .values("release_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["release_id"], {})[row["status"]] = row["n"]
    return counts
