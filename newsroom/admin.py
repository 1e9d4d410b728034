import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationAdmin

from core.admin_history import ReadableHistoryAdmin
from core.dates import date_time
from core.widgets import rich_text_overrides

from . import edit_conflicts, services
from .models import Language, MediaContact, NewsRelease, ReleaseCorrection
from .translation_review import ReleaseTranslationReview

# Embargo times are given by media relations in Ottawa time, whatever the
# server's time zone.
PUBLICATION_TIME_ZONE = zoneinfo.ZoneInfo("America/Toronto")

# Fields only a publisher may set: together they decide when the public sees a release.
PUBLICATION_FIELDS = ("status", "published_at", "last_updated")


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


class PublicationFilter(admin.SimpleListFilter):
    """Tells scheduled releases apart from those already public, by the public() rule itself."""

    title = _("status")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [
            ("draft", NewsRelease.Status.DRAFT.label),
            ("scheduled", _("Scheduled")),
            ("public", NewsRelease.Status.PUBLISHED.label),
            ("archived", NewsRelease.Status.ARCHIVED.label),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=NewsRelease.Status.DRAFT)
            case "scheduled":
                return queryset.awaiting_publication()
            case "public":
                return queryset.public().filter(status=NewsRelease.Status.PUBLISHED)
            case "archived":
                return queryset.filter(status=NewsRelease.Status.ARCHIVED)
        return queryset


@admin.register(MediaContact)
class MediaContactAdmin(ReadableHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["organisation", "name", "phone", "email"]
    search_fields = ["organisation_en", "organisation_fr", "name", "phone", "email"]


@admin.register(ReleaseCorrection)
class ReleaseCorrectionAdmin(TranslationAdmin):
    """To fix the wording of a change note; notes are added from the release's form."""

    list_display = ["release", "corrected_on", "note"]
    list_select_related = ["release"]
    readonly_fields = ["release", "corrected_on", "created_by"]
    fields = ["release", "corrected_on", "note", "created_by"]

    def has_add_permission(self, request):
        return False


class NewsReleaseAdminForm(forms.ModelForm):
    """The release form: the publishing rules are checked here, beside the fields they concern."""

    user = None  # set per request by NewsReleaseAdmin.get_form

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_note_en = forms.CharField(
        label=_("Change note (English)"),
        max_length=300,
        required=False,
        help_text=_("Shown to the public in the release's change history."),
    )
    change_note_fr = forms.CharField(
        label=_("Change note (French)"),
        max_length=300,
        required=False,
        help_text=_("Shown to the public in the release's change history."),
    )
    minor_change = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_("A typo fix: the “Last updated” date and the change history stay as they were."),
    )
    mark_reviewed = forms.BooleanField(
        label=_("Both languages reviewed"),
        required=False,
        help_text=_("Tick once the other language has been checked against the one edited."),
    )

    class Meta:
        model = NewsRelease
        # The admin narrows this to its fieldsets (and to what the user may edit).
        fields = [
            "release_type",
            *(f"{name}_{code}" for name in services.TRANSLATED_FIELDS for code in Language.values),
            "status",
            "published_at",
            "last_updated",
            "initiatives",
            "media_contacts",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The version stored now, not the instance's: when an earlier
            # version is being restored, the instance is that old version.
            self.initial["version"] = (
                NewsRelease.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            )
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = _(
                "Ottawa time (America/Toronto). A time to come schedules the release: it appears "
                "by itself at that minute."
            )

    def clean(self):
        cleaned_data = super().clean()
        publisher = services.can_publish(self.user)
        # Publication fields are read-only for editors, so the form never
        # sends them; one that arrives was added by hand.
        if not publisher and any(
            name in self.data for name in (*PUBLICATION_FIELDS, "published_at_0", "published_at_1")
        ):
            self.add_error(None, services.PERMISSION_MESSAGE)
        if self.instance.pk is None:
            cleaned_data["version"] = self.instance.version
        published_at = cleaned_data.get("published_at")
        if published_at is not None:
            cleaned_data["published_at"] = services.to_the_minute(published_at)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        stored = None
        if self.instance.pk is not None:
            stored = NewsRelease.objects.filter(pk=self.instance.pk).first()
            if stored is not None and self.cleaned_data.get("version") != stored.version:
                # Their changes beside yours, and a form ready to save again.
                edit_conflicts.report_conflict(form=self, stored=stored)
                return
        problems = services.edit_problems(
            release=self.instance,
            stored=stored,
            by=self.user,
            change_note_en=self.cleaned_data.get("change_note_en", ""),
            change_note_fr=self.cleaned_data.get("change_note_fr", ""),
            minor=self.cleaned_data.get("minor_change", False),
            reviewed=self.cleaned_data.get("mark_reviewed", False),
        )
        for field, field_messages in problems.items():
            target = field if field in self.fields else None
            for message in field_messages:
                self.add_error(target, message)


class PublicationActionForm(helpers.ActionForm):
    publish_at = forms.DateTimeField(
        label=_("Publication time (Ottawa), for “Schedule”:"),
        required=False,
        widget=forms.DateTimeInput(attrs={"placeholder": "2026-05-18 09:00"}),
    )


@admin.register(NewsRelease)
class NewsReleaseAdmin(ReleaseTranslationReview, ReadableHistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = rich_text_overrides()
    form = NewsReleaseAdminForm
    action_form = PublicationActionForm
    actions = ["publish_now", "schedule", "unpublish", "archive", "mark_languages_reviewed"]
    list_display = ["title", "release_type", "publication_state", "last_updated", "review_flag"]
    list_filter = [PublicationFilter, "release_type", YearListFilter, "review_language", "initiatives"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["initiatives", "media_contacts"]
    prepopulated_fields = {"slug_en": ["title_en"], "slug_fr": ["title_fr"]}
    readonly_fields = ["created_at", "modified_at", "preview_links", "review_flag"]
    # Counters and flags the desk reads elsewhere; the history shows what readers see.
    history_hidden_fields = ["version", "review_language"]

    def get_fieldsets(self, request, obj=None):
        publication = ["status", "published_at", "last_updated"]
        if obj is not None:
            publication.append("preview_links")
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "release_type",
                        "title",
                        "short_title",
                        "slug",
                        "dateline",
                        "summary",
                        "body",
                        "version",
                    ]
                },
            ),
            (_("Publication"), {"fields": publication}),
            (_("Related"), {"fields": ["initiatives", "media_contacts"]}),
        ]
        if obj is not None:
            review = ["review_flag"]
            if services.can_publish(request.user):
                review.append("mark_reviewed")
            fieldsets += [
                (_("Both official languages"), {"fields": review}),
                (
                    _("Correction of a public release"),
                    {
                        "fields": ["change_note_en", "change_note_fr", "minor_change"],
                        "description": _(
                            "When you change a public release, say what changed in a short note in "
                            "both languages; the note and today's date are shown on the release."
                        ),
                    },
                ),
            ]
        fieldsets.append((_("Record"), {"fields": ["created_at", "modified_at"], "classes": ["collapse"]}))
        # Replace each translated field with its English and French fields.
        return self._patch_fieldsets(fieldsets)

    def view_on_site(self, release: NewsRelease) -> str:
        # A release the public cannot see yet has no public page: show its preview.
        if release.is_public:
            return release.get_absolute_url()
        return reverse("newsroom:preview", kwargs={"pk": release.pk})

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += PUBLICATION_FIELDS
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        services.save_release(
            release=obj,
            by=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
            change_note_en=form.cleaned_data.get("change_note_en", ""),
            change_note_fr=form.cleaned_data.get("change_note_fr", ""),
            minor=form.cleaned_data.get("minor_change", False),
            reviewed=form.cleaned_data.get("mark_reviewed", False),
        )

    # Dates are entered and shown in Ottawa time on every page of this admin.
    # Responses are rendered inside the override: a template response would
    # otherwise render its dates later, in the server's time zone.
    def _in_ottawa_time(self, view, *args):
        with timezone.override(PUBLICATION_TIME_ZONE):
            response = view(*args)
            if hasattr(response, "render"):
                response.render()
            return response

    def changelist_view(self, request, extra_context=None):
        return self._in_ottawa_time(super().changelist_view, request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._in_ottawa_time(super().changeform_view, request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._in_ottawa_time(super().history_view, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._in_ottawa_time(super().history_form_view, request, object_id, version_id, extra_context)

    @admin.display(description=_("status"), ordering="published_at")
    def publication_state(self, release: NewsRelease) -> str:
        if release.is_scheduled:
            return format_html(
                '<strong class="release-scheduled">{}</strong><br>{} ({})',
                _("Scheduled"),
                date_time(release.published_at),
                _("in %(time)s") % {"time": timeuntil(release.published_at)},
            )
        if release.published_at is None:
            return release.get_status_display()
        return format_html(
            "{}<br>{}",
            release.get_status_display(),
            date_time(release.published_at),
        )

    @admin.display(description=_("languages"))
    def review_flag(self, release: NewsRelease) -> str:
        if not release.review_language:
            return _("Both reviewed")
        flagged = release.get_review_language_display()
        return _("%(language)s may be out of date: the other language was edited after it.") % {
            "language": flagged
        }

    @admin.display(description=_("preview"))
    def preview_links(self, release: NewsRelease) -> str:
        links = []
        for code, label in Language.choices:
            with translation.override(code):
                links.append((reverse("newsroom:preview", kwargs={"pk": release.pk}), label))
        return format_html(
            "{}: {}",
            _("See it as the public will"),
            format_html_join(" | ", '<a href="{}" target="_blank" rel="noopener">{}</a>', links),
        )

    def has_publish_permission(self, request) -> bool:
        return services.can_publish(request.user)

    def _apply(self, request, queryset, service, done_message, **kwargs) -> None:
        done = 0
        for release in queryset:
            try:
                service(release=release, by=request.user, **kwargs)
            except services.PublishingError as error:
                self.message_user(
                    request,
                    _("“%(release)s” was not changed: %(reasons)s")
                    % {"release": release, "reasons": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Publish selected releases now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publish_release,
            lambda n: ngettext("%d release published.", "%d releases published.", n) % n,
        )

    @admin.action(description=_("Schedule selected releases (give the time below)"), permissions=["publish"])
    def schedule(self, request, queryset):
        with timezone.override(PUBLICATION_TIME_ZONE):
            try:
                at = forms.DateTimeField(required=True).clean(request.POST.get("publish_at", ""))
            except ValidationError:
                self.message_user(
                    request,
                    _("Give the publication time, for example 2026-05-18 09:00 (Ottawa time)."),
                    messages.ERROR,
                )
                return
            self._apply(
                request,
                queryset,
                services.schedule_release,
                lambda n: ngettext("%d release scheduled.", "%d releases scheduled.", n) % n,
                at=at,
            )

    @admin.action(
        description=_("Unpublish selected releases (or withdraw their schedule)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.unpublish_release,
            lambda n: ngettext("%d release unpublished.", "%d releases unpublished.", n) % n,
        )

    @admin.action(description=_("Archive selected releases"), permissions=["publish"])
    def archive(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.archive_release,
            lambda n: ngettext("%d release archived.", "%d releases archived.", n) % n,
        )

    @admin.action(description=_("Mark both languages reviewed"), permissions=["publish"])
    def mark_languages_reviewed(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.mark_reviewed,
            lambda n: ngettext("%d release marked reviewed.", "%d releases marked reviewed.", n) % n,
        )
