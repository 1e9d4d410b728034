from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from core import registry

        from .models import StandardPage

        registry.register_content_app(self.label)
        # Menus and the department are the chrome: declared by nothing, they touch every page.
        registry.register_change_keys(StandardPage, lambda page: {page.surrogate_key})
