from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from core import registry

        from .feeds import feed_links
        from .models import NewsRelease

        registry.register_content_app(self.label)
        registry.register_publication_clock(NewsRelease.objects.next_publication_minute)
        registry.register_feed_provider(feed_links)
