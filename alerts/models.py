"""E-mail alerts: who follows what, and every message sent about a release."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from newsroom.models import Language, NewsRelease, ReleaseType


def new_key() -> str:
    return secrets.token_urlsafe(24)


def recipient_digest(email: str) -> str:
    """The address as the delivery records know it: a keyed hash, never the address itself."""
    return salted_hmac("alerts.recipient", email.strip().lower()).hexdigest()


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def following(self, release: NewsRelease):
        """Subscriptions whose topic covers `release`: all releases, its type, or one of its initiatives."""
        return self.filter(
            models.Q(follows=Subscription.Follows.ALL)
            | models.Q(follows=Subscription.Follows.TYPE, release_type=release.release_type)
            | models.Q(
                follows=Subscription.Follows.INITIATIVE,
                initiative__in=release.initiatives.values("pk"),
            )
        )


class Subscription(models.Model):
    """One address following one topic, in one language, at one pace.

    Nothing is sent until the address confirms (confirmed_at). Cancelling
    deletes the row, and with it every delivery made through it.
    """

    class Follows(models.TextChoices):
        ALL = "all", _("All releases")
        TYPE = "type", _("One type of release")
        INITIATIVE = "initiative", _("One initiative")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as a release is published")
        DAILY = "daily", _("In a daily digest")

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    follows = models.CharField(_("follows"), max_length=10, choices=Follows, default=Follows.ALL)
    release_type = models.CharField(_("type"), max_length=20, choices=ReleaseType, blank=True)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency, default=Frequency.IMMEDIATE
    )
    # The secret that the signed links carry: deleting the row kills every link.
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(follows="all", release_type="", initiative__isnull=True)
                    | models.Q(follows="type", release_type__in=ReleaseType.values, initiative__isnull=True)
                    | models.Q(follows="initiative", release_type="", initiative__isnull=False)
                ),
                name="subscription_topic_is_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values), name="subscription_valid_language"
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=["immediate", "daily"]), name="subscription_valid_frequency"
            ),
            models.UniqueConstraint(
                fields=["email", "follows", "release_type"],
                condition=models.Q(initiative__isnull=True),
                name="subscription_unique_topic_per_address",
            ),
            models.UniqueConstraint(
                fields=["email", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="subscription_unique_initiative_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.topic_label}"

    def get_absolute_url(self) -> str:
        """The subscriber's own page: what they follow, and how to change or cancel it."""
        from .links import manage_path

        return manage_path(self)

    @property
    def topic_label(self) -> str:
        if self.follows == self.Follows.TYPE:
            return str(ReleaseType(self.release_type).plural)
        if self.follows == self.Follows.INITIATIVE and self.initiative is not None:
            return self.initiative.name
        return str(_("All releases"))

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def recipient(self) -> str:
        return recipient_digest(self.email)


class Delivery(models.Model):
    """One message about one release to one address: recorded once, whatever runs twice."""

    class Kind(models.TextChoices):
        ALERT = "alert", _("Alert")
        DIGEST = "digest", _("Daily digest")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # A keyed hash of the address (recipient_digest): one message per address,
    # however many of its subscriptions cover the release.
    recipient = models.CharField(_("recipient"), max_length=64)
    release = models.ForeignKey(
        NewsRelease, verbose_name=_("news release"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ALERT)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    # A worker that took the message to send it holds it until then; after
    # that, it was not sent (see core.mailing) and another worker may take it.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["release", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "release", "kind"], name="delivery_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="delivery_valid_status",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["alert", "digest"]), name="delivery_valid_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="delivery_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["release", "kind", "status"], name="delivery_progress")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.release_id}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return self.release.get_absolute_url()


class ReleaseAlerts(NewsRelease):
    """A news release seen from the alerts: who it went out to (the admin's view)."""

    class Meta:
        proxy = True
        ordering = ["-published_at", "-pk"]
        verbose_name = _("release alert")
        verbose_name_plural = _("release alerts")


class Sweep(models.Model):
    """One minute's sweep: the row is its claim, so that one worker alone runs it."""

    minute = models.DateTimeField(_("minute"), unique=True)

    class Meta:
        ordering = ["-minute"]
        verbose_name = _("sweep")
        verbose_name_plural = _("sweeps")

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:subscribe")


class DigestRun(models.Model):
    """One day's digest, claimed by the worker that sends it."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:subscribe")
