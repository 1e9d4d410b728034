"""Embargoed advance copies: who gets a release before its minute, what they were sent, when they opened it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.models import Language, NewsRelease


def new_key() -> str:
    return secrets.token_urlsafe(24)


class AdvanceRecipient(models.Model):
    """A journalist who gets one release before its minute, through a personal link."""

    release = models.ForeignKey(
        NewsRelease,
        verbose_name=_("news release"),
        on_delete=models.CASCADE,
        related_name="advance_recipients",
    )
    name = models.CharField(_("name"), max_length=120)
    outlet = models.CharField(_("outlet"), max_length=120)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=2, choices=Language, default=Language.ENGLISH)
    # The secret in the personal link; a revoked link keeps it but answers 404.
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_key, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["release", "name", "pk"]
        verbose_name = _("advance copy recipient")
        verbose_name_plural = _("advance copy recipients")
        constraints = [
            models.UniqueConstraint(fields=["release", "email"], name="advance_recipient_once_per_release"),
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values), name="advance_recipient_valid_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.outlet})"

    def get_absolute_url(self) -> str:
        from .links import copy_path

        return copy_path(self)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AdvanceMessage(models.Model):
    """One message to a recipient about one embargo minute: recorded once, whatever runs twice."""

    class Kind(models.TextChoices):
        COPY = "copy", _("Advance copy")
        NEW_TIME = "new_time", _("New embargo time")
        WITHDRAWAL = "withdrawal", _("Withdrawal notice")

    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        AdvanceRecipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    # The embargo minute the message speaks of.
    embargo = models.DateTimeField(_("embargo"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["recipient", "created_at", "pk"]
        verbose_name = _("advance copy message")
        verbose_name_plural = _("advance copy messages")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "embargo"], name="advance_message_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["copy", "new_time", "withdrawal"]),
                name="advance_message_valid_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["sending", "sent", "failed"]),
                name="advance_message_valid_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.recipient}"

    def get_absolute_url(self) -> str:
        return self.recipient.get_absolute_url()


class AdvanceOpening(models.Model):
    """Each time a recipient's link was opened before the minute: who, when."""

    recipient = models.ForeignKey(
        AdvanceRecipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="openings"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    language = models.CharField(_("language"), max_length=2, choices=Language)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.opened_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return self.recipient.get_absolute_url()


class EmbargoedRelease(NewsRelease):
    """A news release seen from its advance copies (the admin's view): never saved through here."""

    class Meta:
        proxy = True
        ordering = ["published_at", "pk"]
        verbose_name = _("advance copies of a release")
        verbose_name_plural = _("advance copies")
