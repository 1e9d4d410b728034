from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self):
        from core import registry

        from .models import Initiative, PartnerAgency

        registry.register_content_app(self.label)
        registry.register_change_keys(Initiative, lambda initiative: {initiative.surrogate_key})
        # An initiative's page names its partners.
        registry.register_change_keys(
            PartnerAgency,
            lambda partner: {f"initiative-{pk}" for pk in partner.initiatives.values_list("pk", flat=True)},
        )
