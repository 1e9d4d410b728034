from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvanceConfig(AppConfig):
    """Embargoed advance copies. Not a content app: no public page shows them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "advance"
    verbose_name = _("Advance copies")

    def ready(self):
        from . import signals  # noqa: F401
