from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin_history import ReadableHistoryAdmin
from core.admin_translation import SideBySideTranslationAdmin
from core.dates import date_column
from core.widgets import rich_text_overrides

from .models import Initiative, PartnerAgency


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(ReadableHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "abbreviation", "website"]
    search_fields = ["name_en", "name_fr", "abbreviation_en", "abbreviation_fr"]


@admin.register(Initiative)
class InitiativeAdmin(SideBySideTranslationAdmin, ReadableHistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = rich_text_overrides()
    list_display = ["name", "status", "year_established", "featured", date_column(Initiative, "last_updated")]
    list_filter = ["status", "featured"]
    search_fields = ["name_en", "name_fr", "summary_en", "summary_fr"]
    autocomplete_fields = ["partners"]
    prepopulated_fields = {"slug_en": ["name_en"], "slug_fr": ["name_fr"]}
