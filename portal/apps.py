from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site-wide pages: they list every kind of content, so they stand above the content apps."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
