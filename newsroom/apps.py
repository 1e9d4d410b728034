from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from core import registry
        from initiatives.models import Initiative

        from .feeds import feed_links
        from .models import MediaContact, NewsRelease, ReleaseCorrection

        registry.register_content_app(self.label)
        registry.register_change_keys(NewsRelease, release_keys)
        registry.register_change_keys(ReleaseCorrection, correction_keys)
        registry.register_change_keys(MediaContact, contact_keys)
        # A release's page names its initiatives.
        registry.register_change_keys(Initiative, initiative_release_keys)
        registry.register_publication_clock(NewsRelease.objects.next_publication_minute)
        registry.register_feed_provider(feed_links)


# What a change touches, besides the listings (`core.edge`).
def release_keys(release) -> set[str]:
    return {release.surrogate_key}


def correction_keys(correction) -> set[str]:
    return {f"release-{correction.release_id}"}


def contact_keys(contact) -> set[str]:
    return {contact.surrogate_key, *(f"release-{pk}" for pk in contact.releases.values_list("pk", flat=True))}


def initiative_release_keys(initiative) -> set[str]:
    return {f"release-{pk}" for pk in initiative.releases.values_list("pk", flat=True)}
