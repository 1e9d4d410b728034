"""What staff do to news releases: save, publish, schedule, unpublish, archive, review.

The admin validates its forms and calls these functions; models' save() and
signals hold no business rule. Each function checks the rules itself (who may
do it, both official languages, the version being edited), so that no caller
can skip one.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import date_time

from .models import Language, NewsRelease, ReleaseCorrection

PUBLISH_PERMISSION = "newsroom.publish_newsrelease"

# Fields a release cannot go out without, in each official language.
REQUIRED_TO_PUBLISH = ("title", "slug", "summary", "body")
TRANSLATED_FIELDS = (*REQUIRED_TO_PUBLISH, "dateline")
# Fields whose change is a correction of what the public reads.
PUBLIC_TEXT_FIELDS = ("title", "summary", "body", "dateline")
LANGUAGE_CODES = tuple(Language.values)

PERMISSION_MESSAGE = _("Only publishers can publish, schedule, unpublish or archive a release.")
REVIEW_PERMISSION_MESSAGE = _("Only publishers can mark a language as reviewed.")
CHANGE_NOTE_MESSAGE = _(
    "This release is public: give a short change note in English and in French, or tick “Minor change”."
)


class PublishingError(ValidationError):
    """A rule refused the change; its messages say which, in the reader's language."""


class EditConflict(PublishingError):
    """Someone else saved the release after this version was opened."""


def can_publish(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def to_the_minute(moment: dt.datetime) -> dt.datetime:
    """Publication happens on a whole minute: an embargo lifts at hh:mm:00."""
    return moment.replace(second=0, microsecond=0)


def missing_translations(values: Mapping[str, Any]) -> dict[str, str]:
    """Each required field left empty, by form field name (title_fr...), with a message naming it."""
    missing = {}
    for field in REQUIRED_TO_PUBLISH:
        verbose_name = capfirst(NewsRelease._meta.get_field(field).verbose_name)
        for code, language in Language.choices:
            name = f"{field}_{code}"
            # Rich text counts as empty when it has no words, only markup.
            if not strip_tags(str(values.get(name) or "")).replace("&nbsp;", "").strip():
                missing[name] = gettext(
                    "%(field)s (%(language)s) is empty: both official languages are required "
                    "to publish or schedule."
                ) % {"field": verbose_name, "language": language}
    return missing


def release_values(release: NewsRelease) -> dict[str, Any]:
    return {
        f"{field}_{code}": getattr(release, f"{field}_{code}")
        for field in TRANSLATED_FIELDS
        for code in LANGUAGE_CODES
    }


def conflict_message(stored: NewsRelease) -> str:
    last = stored.history.select_related("history_user").first()
    who = str(last.history_user) if last and last.history_user else gettext("someone else")
    when = date_time(stored.modified_at)
    return gettext(
        "This release was changed by %(who)s on %(when)s, after you opened it. Your changes were not "
        "saved, so as not to overwrite theirs: copy your changes, reload the page and make them again."
    ) % {"who": who, "when": when}


def _languages_changed(stored: NewsRelease, release: NewsRelease, fields=TRANSLATED_FIELDS) -> set[str]:
    """The languages in which any of `fields` differs between the stored row and this edit."""
    return {
        code
        for code in LANGUAGE_CODES
        for field in fields
        if (getattr(stored, f"{field}_{code}") or "") != (getattr(release, f"{field}_{code}") or "")
    }


def _is_correction(stored: NewsRelease | None, release: NewsRelease, *, minor: bool) -> bool:
    """A change to what the public read: it asks for a change note and moves "Last updated"."""
    return (
        stored is not None
        and stored.was_public
        and release.status != NewsRelease.Status.DRAFT
        and not minor
        and bool(_languages_changed(stored, release, PUBLIC_TEXT_FIELDS))
    )


def _state_changes(stored: NewsRelease | None, release: NewsRelease) -> bool:
    """Whether the save publishes, schedules, reschedules, unpublishes or archives."""
    if stored is None:
        return release.status != NewsRelease.Status.DRAFT
    if stored.status != release.status:
        return True
    if release.status == NewsRelease.Status.DRAFT or release.published_at is None:
        return False
    return stored.published_at is None or to_the_minute(stored.published_at) != to_the_minute(
        release.published_at
    )


def edit_problems(
    *,
    release: NewsRelease,
    stored: NewsRelease | None,
    by: AbstractBaseUser,
    change_note_en: str = "",
    change_note_fr: str = "",
    minor: bool = False,
    reviewed: bool = False,
) -> dict[str | None, list[str]]:
    """Every rule a save of `release` (over `stored`, the row as it is now) would break.

    Keys are field names, None for the whole release; the admin form shows
    them beside the fields and save_release() refuses with the same messages.
    """
    problems: dict[str | None, list[str]] = {}
    publisher = can_publish(by)
    if _state_changes(stored, release) and not publisher:
        problems.setdefault("status", []).append(str(PERMISSION_MESSAGE))
    if reviewed and not publisher:
        problems.setdefault(None, []).append(str(REVIEW_PERMISSION_MESSAGE))
    if release.status != NewsRelease.Status.DRAFT:
        for field, message in missing_translations(release_values(release)).items():
            problems.setdefault(field, []).append(message)
    if _is_correction(stored, release, minor=minor):
        for code, note in (("en", change_note_en), ("fr", change_note_fr)):
            if not note.strip():
                problems.setdefault(f"change_note_{code}", []).append(str(CHANGE_NOTE_MESSAGE))
    return problems


def language_to_review(*, stored: NewsRelease, release: NewsRelease, reviewed: bool) -> str:
    """The language that may have fallen behind the other after this save, or ""."""
    if reviewed:
        return ""
    changed = _languages_changed(stored, release)
    if len(changed) == 1:
        (edited,) = changed
        other = next(code for code in LANGUAGE_CODES if code != edited)
        # A language still being written is not "out of date"; an edit to the
        # language already flagged leaves the flag for a publisher to clear.
        if getattr(release, f"title_{other}") and stored.review_language != edited:
            return other
    return stored.review_language


def _locked_current(release: NewsRelease, version: int | None) -> NewsRelease | None:
    """The stored row, locked until the transaction ends; refused if it moved on since `version`."""
    if release.pk is None:
        return None
    stored = NewsRelease.objects.select_for_update().get(pk=release.pk)
    if stored.version != version:
        raise EditConflict(conflict_message(stored), code="conflict")
    return stored


def _store(
    release: NewsRelease,
    *,
    by: AbstractBaseUser,
    message: str = "",
    log: bool = True,
    locked: bool = False,
) -> NewsRelease:
    """Save a new version, refusing if the stored one moved on since `release.version` was read.

    `locked`: the caller already holds the row's lock and checked its version.
    """
    release._history_user = by
    if message:
        release._change_reason = message
    try:
        with transaction.atomic():
            if not locked:
                _locked_current(release, release.version)
            if release.pk is not None:
                release.version += 1
            release.save()
    except IntegrityError as error:
        raise PublishingError(
            _("Another release already uses this address (slug) in that year."), code="duplicate"
        ) from error
    if log and message:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[release], action_flag=CHANGE, change_message=message, single_object=True
        )
    return release


def _require_publisher(by: AbstractBaseUser) -> None:
    if not can_publish(by):
        raise PublishingError(PERMISSION_MESSAGE, code="permission")


def _require_both_languages(release: NewsRelease) -> None:
    missing = missing_translations(release_values(release))
    if missing:
        raise PublishingError(list(missing.values()), code="missing_translation")


def _set_publication_minute(release: NewsRelease, at: dt.datetime) -> None:
    release.published_at = to_the_minute(at)
    publication_day = timezone.localdate(release.published_at)
    if release.last_updated is None or release.last_updated < publication_day:
        release.last_updated = publication_day


def publish_release(
    *, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime | None = None
) -> NewsRelease:
    """Make the release public now, or at `at` (a minute to come schedules it)."""
    _require_publisher(by)
    _require_both_languages(release)
    now = timezone.now()
    if at is None:
        # Publishing again after an unpublish keeps the original date and address.
        at = release.published_at if release.published_at and release.published_at <= now else now
    release.status = NewsRelease.Status.PUBLISHED
    _set_publication_minute(release, at)
    return _store(release, by=by, message=_state_message(release))


def schedule_release(*, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime) -> NewsRelease:
    """Set the release to become public by itself at the minute `at`, and not a second before."""
    _require_publisher(by)
    if to_the_minute(at) <= timezone.now():
        raise PublishingError(
            _("Choose a publication time in the future to schedule a release."), code="past"
        )
    return publish_release(release=release, by=by, at=at)


def unpublish_release(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """Take a release back to draft: off the site, or pulled back before its embargo lifts."""
    _require_publisher(by)
    if release.status == NewsRelease.Status.DRAFT:
        raise PublishingError(_("This release is already a draft."), code="draft")
    was_scheduled = release.is_scheduled
    release.status = NewsRelease.Status.DRAFT
    return _store(release, by=by, message=_state_message(release, was_scheduled=was_scheduled))


def archive_release(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """Mark an old public release as archived: it stays readable, with an archive notice."""
    _require_publisher(by)
    if release.status != NewsRelease.Status.PUBLISHED or release.is_scheduled:
        raise PublishingError(_("Only a release already public can be archived."), code="not_public")
    release.status = NewsRelease.Status.ARCHIVED
    return _store(release, by=by, message=_state_message(release))


def mark_reviewed(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """A publisher confirms that both languages say the same thing."""
    if not can_publish(by):
        raise PublishingError(REVIEW_PERMISSION_MESSAGE, code="permission")
    release.review_language = ""
    return _store(release, by=by, message=gettext("Both languages reviewed"))


def save_release(
    *,
    release: NewsRelease,
    by: AbstractBaseUser,
    expected_version: int | None,
    change_note_en: str = "",
    change_note_fr: str = "",
    minor: bool = False,
    reviewed: bool = False,
) -> NewsRelease:
    """Save an edit made in a form: all the rules above, the change note, the review flag.

    `expected_version` is the version the editor started from; None for a new release.
    """
    with transaction.atomic():
        stored = _locked_current(release, expected_version)
        problems = edit_problems(
            release=release,
            stored=stored,
            by=by,
            change_note_en=change_note_en,
            change_note_fr=change_note_fr,
            minor=minor,
            reviewed=reviewed,
        )
        if problems:
            raise PublishingError(
                [message for messages in problems.values() for message in messages], code="invalid"
            )
        if release.status != NewsRelease.Status.DRAFT and _state_changes(stored, release):
            _set_publication_minute(release, release.published_at or timezone.now())
        correction = None
        if stored is not None:
            release.version = stored.version
            release.review_language = language_to_review(stored=stored, release=release, reviewed=reviewed)
            if _is_correction(stored, release, minor=minor):
                release.last_updated = timezone.localdate()
                correction = ReleaseCorrection(
                    release=release,
                    corrected_on=release.last_updated,
                    note_en=change_note_en.strip(),
                    note_fr=change_note_fr.strip(),
                    created_by=by,
                )
        state_message = ""
        if _state_changes(stored, release):
            state_message = _state_message(release, was_scheduled=bool(stored and stored.is_scheduled))
        _store(
            release,
            by=by,
            message=state_message or change_note_en.strip(),
            log=bool(state_message),
            locked=True,
        )
        if correction is not None:
            correction.save()
    return release


def _state_message(release: NewsRelease, *, was_scheduled: bool = False) -> str:
    """How the admin log names the state a release was just put in."""
    if release.status == NewsRelease.Status.DRAFT:
        return gettext("Schedule withdrawn") if was_scheduled else gettext("Unpublished")
    if release.status == NewsRelease.Status.ARCHIVED:
        return gettext("Archived")
    if release.is_scheduled:
        return gettext("Scheduled for %(when)s") % {"when": _local_minute(release.published_at)}
    return gettext("Published")


def _local_minute(moment: dt.datetime) -> str:
    return date_time(moment)
