import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationAdmin
from modeltranslation.translator import translator

from core.admin_history import ReadableHistoryAdmin
from core.dates import date_column
from core.widgets import rich_text_overrides

from . import admin_actions, desk, edit_conflicts, services
from .forms import ReleaseEditFields
from .models import WRITING_STATES, Language, MediaContact, NewsRelease, ReleaseCorrection

# Embargo times are given by media relations in Ottawa time, whatever the
# server's time zone.
from .publication_time import PUBLICATION_TIME_ZONE, local_minute, scheduled_for
from .translation_review import ReleaseTranslationReview

# The desk (newsroom/desk.py) is the first page staff see.
admin.site.index_template = "admin/newsroom/desk/index.html"

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
            ("in_review", NewsRelease.Status.IN_REVIEW.label),
            ("scheduled", _("Scheduled")),
            ("public", NewsRelease.Status.PUBLISHED.label),
            ("recent", _("Published in the last 7 days")),
            ("archived", NewsRelease.Status.ARCHIVED.label),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=NewsRelease.Status.DRAFT)
            case "in_review":
                return queryset.filter(status=NewsRelease.Status.IN_REVIEW)
            case "scheduled":
                return queryset.awaiting_publication()
            case "public":
                return queryset.public().filter(status=NewsRelease.Status.PUBLISHED)
            case "recent":
                since = timezone.now() - dt.timedelta(days=desk.RECENT_DAYS)
                return queryset.public().filter(published_at__gte=since)
            case "archived":
                return queryset.filter(status=NewsRelease.Status.ARCHIVED)
        return queryset


class TranslationReviewFilter(admin.SimpleListFilter):
    """Releases with one language flagged as possibly behind the other."""

    title = _("translation review")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [("needed", _("Needed")), ("done", _("Not needed"))]

    def queryset(self, request, queryset):
        match self.value():
            case "needed":
                return queryset.exclude(review_language="")
            case "done":
                return queryset.filter(review_language="")
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


class NewsReleaseAdminForm(ReleaseEditFields, forms.ModelForm):
    """The release form: the publishing rules are checked here, beside the fields they concern.

    A save changes what the release says. Its state changes through the
    desk's actions (newsroom/admin_actions.py), each confirmed first: the
    buttons under the form, or a publisher's change of Status or of the
    publication time, save the text and lead to that confirmation.
    """

    user = None  # set per request by NewsReleaseAdmin.get_form
    refusal = None  # what the service refused after this form validated, on a second pass

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
        self.stored = None
        # The action the save leads to, once the text is saved: (name, time) or None.
        self.desk_intent = None
        if self.instance.pk is not None:
            # The row stored now, not the instance: when an earlier version is
            # being restored, the instance is that old version.
            self.stored = NewsRelease.objects.filter(pk=self.instance.pk).first()
            self.initial["version"] = self.stored.version if self.stored else None
            if self.stored is not None:
                # A restore brings back what the release said, not its state or dates.
                for name in PUBLICATION_FIELDS:
                    if name in self.fields:
                        self.initial[name] = getattr(self.stored, name)
        if "published_at" in self.fields:
            # The admin's date and time boxes are introduced by text, not labels: name each.
            date_box, time_box = self.fields["published_at"].widget.widgets
            date_box.attrs["aria-label"] = _("Publication date")
            time_box.attrs["aria-label"] = _("Publication time")
            self.fields["published_at"].help_text = _(
                "Ottawa time (America/Toronto). A time to come schedules the release: it appears "
                "by itself at that minute. Changing it, or the status, asks you to confirm."
            )
            if self.stored is None or self.stored.status in WRITING_STATES:
                # A draft is not dated: a time kept from before it was unpublished is not shown as its own.
                self.initial["published_at"] = None

    @property
    def changed_data(self):
        # Status and time are a request for an action, not a change the save makes.
        return [name for name in super().changed_data if name not in ("status", "published_at")]

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
        self._read_intent(cleaned_data)
        last_updated = cleaned_data.get("last_updated")
        if last_updated is not None:
            moment = (self.desk_intent or (None, None))[1] or (self.stored and self.stored.published_at)
            latest = timezone.localdate(timezone=PUBLICATION_TIME_ZONE)
            if moment is not None:
                latest = max(latest, timezone.localdate(moment, PUBLICATION_TIME_ZONE))
            if last_updated > latest:
                self.add_error(
                    "last_updated",
                    gettext(
                        "“Last updated” cannot be later than today, or than the day the release goes out."
                    ),
                )
        # The save itself keeps the stored state; the intent is carried out once confirmed.
        if "status" in cleaned_data:
            cleaned_data["status"] = self.stored.status if self.stored else NewsRelease.Status.DRAFT
        if "published_at" in self.fields:
            cleaned_data["published_at"] = self.stored.published_at if self.stored else None
        return cleaned_data

    def _read_intent(self, cleaned_data) -> None:
        """Which action the save leads to: a button under the form, or a changed Status or time."""
        button = self.data.get("_desk")
        if button:
            offered = {action.name for action in admin_actions.actions_for(self.user, self.stored)}
            if button not in offered:
                self.add_error(None, gettext("This action is not available for this release."))
                return
            self.desk_intent = (button, None)
            return
        if "status" not in self.fields or "status" not in cleaned_data:
            return
        name, at, problems = admin_actions.intent_from_form(
            stored=self.stored, status=cleaned_data["status"], at=cleaned_data.get("published_at")
        )
        if problems.get("published_at") == "now":
            now = services.to_the_minute(timezone.now())
            self.add_error(
                "published_at",
                gettext(
                    "A published release needs its publication time. The current minute, %(now)s, is "
                    "filled in: save again to publish at once, or give a time to come to schedule it."
                )
                % {"now": local_minute(now)},
            )
            local = timezone.localtime(now, PUBLICATION_TIME_ZONE)
            data = self.data.copy()
            data["published_at_0"] = f"{local:%Y-%m-%d}"
            data["published_at_1"] = f"{local:%H:%M:%S}"
            self.data = data
            return
        for field, message in problems.items():
            self.add_error(field, message)
        if name is not None:
            self.desk_intent = (name, at)

    def _post_clean(self):
        super()._post_clean()
        stored = self.stored
        if self.instance.pk is not None:
            if stored is None:
                self.add_error(None, services.DELETED_MESSAGE)
                return
            if self.cleaned_data.get("version") != stored.version:
                # Their changes beside yours, and a form ready to save again.
                edit_conflicts.report_conflict(form=self, stored=stored)
                return
            # A save changes only what this user may change on this form: whatever
            # else an earlier version being restored holds stays as it is now.
            for name in _kept_fields(self):
                setattr(self.instance, name, getattr(stored, name))
        problems = services.edit_problems(
            release=self.instance,
            stored=stored,
            by=self.user,
            change_note_en=self.cleaned_data.get("change_note_en", ""),
            change_note_fr=self.cleaned_data.get("change_note_fr", ""),
            minor=self.cleaned_data.get("minor_change", False),
            reviewed=self.cleaned_data.get("mark_reviewed", False),
        )
        if self.desk_intent and admin_actions.ACTIONS_BY_NAME[self.desk_intent[0]].goes_out:
            # Going out needs both languages: say so beside each empty field now.
            for field, message in services.missing_translations(
                services.release_values(self.instance)
            ).items():
                problems.setdefault(field, []).append(message)
        if self.refusal is not None:
            problems.setdefault(None, []).extend(self.refusal.messages)
        for field, field_messages in problems.items():
            target = field if field in self.fields else None
            for message in dict.fromkeys(field_messages):
                self.add_error(target, message)


def _kept_fields(form: forms.ModelForm) -> list[str]:
    """The release's stored fields this form does not edit (attribute names)."""
    translated = set(translator.get_options_for_model(NewsRelease).all_fields)
    skip = {"id", "version", "modified_at", *translated, *form.fields}
    return [
        field.attname
        for field in NewsRelease._meta.concrete_fields
        if field.name not in skip and field.attname not in skip
    ] + [
        name
        for base in translator.get_options_for_model(NewsRelease).all_fields
        for name in (f"{base}_{code}" for code in Language.values)
        if name not in form.fields
    ]


@admin.register(NewsRelease)
class NewsReleaseAdmin(ReleaseTranslationReview, ReadableHistoryAdmin, TabbedTranslationAdmin):
    formfield_overrides = rich_text_overrides()
    form = NewsReleaseAdminForm
    action_form = admin_actions.PublicationActionForm
    actions = admin_actions.changelist_actions()
    list_display = [
        "title",
        "release_type",
        "publication_state",
        date_column(NewsRelease, "last_updated"),
        "review_flag",
    ]
    list_filter = [PublicationFilter, TranslationReviewFilter, "release_type", YearListFilter, "initiatives"]
    search_fields = ["title_en", "title_fr", "summary_en", "summary_fr"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["initiatives", "media_contacts"]
    prepopulated_fields = {"slug_en": ["title_en"], "slug_fr": ["title_fr"]}
    readonly_fields = [
        "current_state",
        "created",
        "modified",
        "preview_links",
        "review_flag",
        "review_comment",
    ]
    # Counters and flags the desk reads elsewhere; the history shows what readers see.
    history_hidden_fields = ["version", "review_language"]

    class Media:
        css = {"all": ["newsroom/desk.css"]}

    def get_fieldsets(self, request, obj=None):
        publication = ["current_state"]
        if obj is not None and obj.review_comment:
            publication.append("review_comment")
        if services.can_publish(request.user):
            publication += ["status", "published_at"]
        publication.append("last_updated")
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
        fieldsets.append((_("Record"), {"fields": ["created", "modified"], "classes": ["collapse"]}))
        # Replace each translated field with its English and French fields.
        return self._patch_fieldsets(fieldsets)

    def get_urls(self):
        return admin_actions.urls(self) + super().get_urls()

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
        refusal = getattr(request, "_release_refusal", None)
        return type(form.__name__, (form,), {"user": request.user, "refusal": refusal})

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
        if form.desk_intent is not None:
            name, at = form.desk_intent
            request._desk_next = admin_actions.confirmation_address(name, obj, at=at)

    def _after_save(self, request, obj, response):
        next_url = getattr(request, "_desk_next", None)
        if next_url:
            return HttpResponseRedirect(next_url)
        if obj.is_scheduled:
            self.message_user(
                request,
                gettext("%(title)s: %(state)s.")
                % {
                    "title": gettext("“%(release)s”") % {"release": obj},
                    "state": scheduled_for(obj.published_at),
                },
                messages.INFO,
            )
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._after_save(request, obj, super().response_change(request, obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        stored = context["adminform"].form.stored if "adminform" in context else obj
        context["desk_buttons"] = [
            (action.name, action.button) for action in admin_actions.actions_for(request.user, stored)
        ]
        context["desk_is_draft"] = stored is None or stored.status in WRITING_STATES
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Dates are entered and shown in Ottawa time on every page of this admin.
    # Responses are rendered inside the override: a template response would
    # otherwise render its dates later, in the server's time zone.
    def _in_ottawa_time(self, view, *args):
        with timezone.override(PUBLICATION_TIME_ZONE):
            response = view(*args)
            if hasattr(response, "render"):
                response.render()
            return response

    def _refusals_on_the_form(self, request, view, *args):
        """A rule the service enforces after the form validated (a save racing another, an
        address taken meanwhile, a release deleted) comes back as an error on the form, with
        nothing saved: the view runs again, and the form shows the refusal."""
        try:
            return self._in_ottawa_time(view, request, *args)
        except services.PublishingError as refusal:
            request._release_refusal = refusal
            request._desk_next = None
            return self._in_ottawa_time(view, request, *args)

    def changelist_view(self, request, extra_context=None):
        return self._in_ottawa_time(super().changelist_view, request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._refusals_on_the_form(
            request, super().changeform_view, object_id, form_url, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        return self._in_ottawa_time(super().history_view, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._refusals_on_the_form(
            request, super().history_form_view, object_id, version_id, extra_context
        )

    @admin.display(description=_("status"), ordering="published_at")
    def publication_state(self, release: NewsRelease) -> str:
        if release.is_scheduled:
            return format_html('<strong class="release-scheduled">{}</strong>', desk.describe_state(release))
        return desk.describe_state(release)

    @admin.display(description=_("state"))
    def current_state(self, release: NewsRelease | None) -> str:
        if release is None or release.pk is None:
            return gettext("New draft")
        # On a restore page the form holds an earlier version: the state is the one stored now.
        stored = NewsRelease.objects.filter(pk=release.pk).first()
        return desk.describe_state(stored or release)

    @admin.display(description=_("created"))
    def created(self, release: NewsRelease) -> str:
        return local_minute(release.created_at) if release and release.created_at else "-"

    @admin.display(description=_("modified"))
    def modified(self, release: NewsRelease) -> str:
        return local_minute(release.modified_at) if release and release.modified_at else "-"

    @admin.display(description=_("languages"))
    def review_flag(self, release: NewsRelease) -> str:
        return desk.languages_summary(release)

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
