from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import MediaContact, NewsRelease


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = NewsRelease.objects.dates("published_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_at__year=int(self.value()))
        return queryset


@admin.register(MediaContact)
class MediaContactAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["organisation", "name", "phone", "email"]
    search_fields = ["organisation_en", "organisation_fr", "name", "phone", "email"]


@admin.register(NewsRelease)
class NewsReleaseAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "release_type", "status", "published_at", "last_updated"]
    list_filter = ["release_type", "status", YearListFilter, "initiatives"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["initiatives", "media_contacts"]
    prepopulated_fields = {"slug_en": ["title_en"], "slug_fr": ["title_fr"]}
    readonly_fields = ["created_at", "modified_at"]
    fieldsets = [
        (None, {"fields": ["release_type", "title", "short_title", "slug", "dateline", "summary", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "last_updated"]}),
        (_("Related"), {"fields": ["initiatives", "media_contacts"]}),
        (_("Record"), {"fields": ["created_at", "modified_at"], "classes": ["collapse"]}),
    ]
