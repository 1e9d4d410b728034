"""Every save of a release may owe its advance copy recipients a message: the rule is in services."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from newsroom.models import NewsRelease

from . import services


@receiver(post_save, sender=NewsRelease, dispatch_uid="advance.release_changed")
def release_changed(sender, instance: NewsRelease, raw=False, **kwargs):
    services.release_changed(release=instance)
