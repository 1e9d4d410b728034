from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from core.admin_history import ReadableHistoryAdmin
from core.admin_translation import SideBySideTranslationAdmin
from core.dates import date_column
from core.widgets import rich_text_overrides

from .models import Department, Menu, MenuLink, StandardPage


@admin.register(Department)
class DepartmentAdmin(TabbedTranslationAdmin):
    list_display = ["name", "abbreviation"]


class MenuLinkInline(TranslationTabularInline):
    model = MenuLink
    extra = 1


@admin.register(Menu)
class MenuAdmin(ReadableHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "key", "placement", "position"]
    list_filter = ["placement"]
    inlines = [MenuLinkInline]


@admin.register(StandardPage)
class StandardPageAdmin(SideBySideTranslationAdmin, ReadableHistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = rich_text_overrides()
    list_display = ["title", "slug", date_column(StandardPage, "last_updated")]
    search_fields = ["title_en", "title_fr", "body_en", "body_fr"]
    prepopulated_fields = {"slug_en": ["title_en"], "slug_fr": ["title_fr"]}
