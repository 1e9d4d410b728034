from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sharing"
    verbose_name = _("Send this page")

    def ready(self):
        from core import registry

        from .views import send_url_for

        registry.register_page_sender(send_url_for)
