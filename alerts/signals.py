"""Every save of a release queues its alerts, whoever saved it: the rule is in services."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from newsroom.models import NewsRelease

from . import services


@receiver(post_save, sender=NewsRelease, dispatch_uid="alerts.queue_release_alerts")
def queue_release_alerts(sender, instance: NewsRelease, **kwargs):
    services.queue_release_alerts(release=instance)
