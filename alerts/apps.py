from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """E-mail alerts. Not a content app: a subscription makes no kept page stale."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self):
        from core import registry

        from . import signals  # noqa: F401
        from .views import subscribe_url_for

        registry.register_subscription_page(subscribe_url_for)
