"""What every kept version records besides its fields: which version it restored, if any.

Each model's history (django-simple-history) is registered with
`bases=[RestorableHistory]`, so that a version saved by restoring an earlier
one says so, and the admin's history names it as a restore.
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record


class RestorableHistory(models.Model):
    history_restored_from = models.PositiveBigIntegerField(
        _("restored from version"),
        null=True,
        blank=True,
        help_text=_("The earlier version this one brought back, when it was saved by a restore."),
    )

    class Meta:
        abstract = True


def mark_as_restore(instance: models.Model, *, version_id: int) -> None:
    """Record that the next save of `instance` restores the kept version `version_id`."""
    instance._history_restored_from = version_id


@receiver(pre_create_historical_record)
def _record_restore(sender, instance, history_instance, **kwargs) -> None:
    # Bookkeeping like the version's author, which simple-history takes from
    # the instance the same way (`_history_user`).
    if isinstance(history_instance, RestorableHistory):
        history_instance.history_restored_from = getattr(instance, "_history_restored_from", None)
