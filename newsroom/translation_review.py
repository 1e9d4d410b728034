"""Side-by-side translation of a news release, under the publishing rules of newsroom.services.

Saving goes through `services.save_release`, like the release's own form:
optimistic locking (with the edit-conflict report), a change note in both
languages for a public release, and the review flag. Only a publisher may
mark the translation reviewed; an editor's save leaves the flag to the usual
rule (editing one language flags the other) and the page says so.
"""

from django.utils.translation import gettext

from core.admin_translation import SideBySideForm, SideBySideTranslationAdmin

from . import edit_conflicts, services
from .forms import ReleaseEditFields
from .models import NewsRelease


class ReleaseTranslationForm(ReleaseEditFields, SideBySideForm):
    user = None  # set per request by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = NewsRelease.objects.filter(pk=self.instance.pk).first()
        self.initial["version"] = stored.version if stored else None
        if stored is None or not stored.was_public:
            # Only a change to what the public reads asks for a note.
            for name in ("change_note_en", "change_note_fr", "minor_change"):
                del self.fields[name]

    def _post_clean(self):
        super()._post_clean()
        stored = NewsRelease.objects.filter(pk=self.instance.pk).first()
        if stored is not None and self.cleaned_data.get("version") != stored.version:
            edit_conflicts.report_conflict(form=self, stored=stored)
            return
        problems = services.edit_problems(
            release=self.instance,
            stored=stored,
            by=self.user,
            change_note_en=self.cleaned_data.get("change_note_en", ""),
            change_note_fr=self.cleaned_data.get("change_note_fr", ""),
            minor=self.cleaned_data.get("minor_change", False),
            reviewed=self.reviewed,
        )
        for field, field_messages in problems.items():
            for message in field_messages:
                self.add_error(field if field in self.fields else None, message)


class ReleaseTranslationReview(SideBySideTranslationAdmin):
    """The side-by-side page of NewsReleaseAdmin."""

    side_by_side_form = ReleaseTranslationForm

    def get_side_by_side_form(self, request, obj):
        form = super().get_side_by_side_form(request, obj)
        return type(form.__name__, (form,), {"user": request.user})

    def can_mark_translation_reviewed(self, request, obj) -> bool:
        return services.can_publish(request.user)

    def side_by_side_note(self, request, obj) -> str:
        if services.can_publish(request.user):
            return ""
        return gettext(
            "Only a publisher marks the translation reviewed. Your save keeps both languages; if you "
            "change only one of them, the other is flagged for review, as in the release's form."
        )

    def save_side_by_side(self, request, form, *, reviewed: bool):
        release = form.instance
        try:
            services.save_release(
                release=release,
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
                change_note_en=form.cleaned_data.get("change_note_en", ""),
                change_note_fr=form.cleaned_data.get("change_note_fr", ""),
                minor=form.cleaned_data.get("minor_change", False),
                reviewed=reviewed,
            )
        except services.EditConflict:
            # Saved by someone else between the check and the save: the same report as the check.
            stored = NewsRelease.objects.get(pk=release.pk)
            edit_conflicts.report_conflict(form=form, stored=stored)
            return None
        except services.PublishingError as error:
            for message in error.messages:
                form.add_error(None, message)
            return None
        self.log_change(request, release, self.construct_change_message(request, form, []))
        return release
