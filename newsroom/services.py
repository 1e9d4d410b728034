"""What staff do to news releases: save, submit for review, publish, schedule, unpublish, archive.

The admin validates its forms and calls these functions; models' save() and
signals hold no business rule. Each function checks the rules itself (who may
do it, both official languages, the version being edited), so that no caller
can skip one. Each change of state has its own function, and its own
`*_problems` function that says, without changing anything, why it would be
refused: the admin's confirmation pages show those before anyone confirms.
"""

import datetime as dt
import html
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import date_time
from core.richtext import RichTextField, sanitize_html

from .models import WRITING_STATES, Language, NewsRelease, ReleaseCorrection
from .publication_time import PUBLICATION_TIME_ZONE, local_minute

PUBLISH_PERMISSION = "newsroom.publish_newsrelease"
WRITE_PERMISSION = "newsroom.change_newsrelease"

# Fields a release cannot go out without, in each official language.
REQUIRED_TO_PUBLISH = ("title", "slug", "summary", "body")
TRANSLATED_FIELDS = (*REQUIRED_TO_PUBLISH, "dateline")
# Fields whose change is a correction of what the public reads.
PUBLIC_TEXT_FIELDS = ("title", "summary", "body", "dateline")
LANGUAGE_CODES = tuple(Language.values)

PERMISSION_MESSAGE = _("Only publishers can publish, schedule, unpublish or archive a release.")
REVIEW_PERMISSION_MESSAGE = _("Only publishers can mark a language as reviewed.")
WRITE_PERMISSION_MESSAGE = _("You may not change news releases.")
CHANGE_NOTE_MESSAGE = _(
    "This release is public: give a short change note in English and in French, or tick “Minor change”."
)
STATE_CHANGE_MESSAGE = _(
    "A save keeps the release in its state: publish, schedule, unpublish or archive it with the "
    "buttons under the form, which ask you to confirm."
)
DUPLICATE_ADDRESS_MESSAGE = _("Another release already uses this address (slug) in that year.")
DELETED_MESSAGE = _("This release has been deleted, so nothing can be saved over it.")
OUT_OF_DATE_MESSAGE = _(
    "%(language)s may be out of date: the other language was edited after it. Have it reviewed, "
    "or tick “Publish anyway” and give the reason."
)

# Characters that show nothing on a page (spaces of every width, zero-width
# and formatting characters): a field holding only these is empty.
INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp"}


class PublishingError(ValidationError):
    """A rule refused the change; its messages say which, in the reader's language."""


class EditConflict(PublishingError):
    """Someone else saved the release after this version was opened."""


def can_publish(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def can_write(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm(WRITE_PERMISSION)


def to_the_minute(moment: dt.datetime) -> dt.datetime:
    """Publication happens on a whole minute: an embargo lifts at hh:mm:00."""
    return moment.replace(second=0, microsecond=0)


def _is_rich_text(field: str) -> bool:
    return isinstance(NewsRelease._meta.get_field(field), RichTextField)


def stored_text(field: str, value: Any) -> str:
    """What a field will hold once saved: rich text sanitised as its field will store it."""
    text = str(value or "")
    if _is_rich_text(field):
        text = sanitize_html(text)
    return text


def is_blank(text: str, *, markup: bool = False) -> bool:
    """Whether `text` shows no word: only whitespace, non-breaking or zero-width characters (or tags)."""
    if markup:
        text = html.unescape(strip_tags(text))
    return all(
        character.isspace() or unicodedata.category(character) in INVISIBLE_CATEGORIES for character in text
    )


def missing_translations(values: Mapping[str, Any]) -> dict[str, str]:
    """Each required field empty once stored, by form field name (title_fr...), with a message naming it."""
    missing = {}
    for field in REQUIRED_TO_PUBLISH:
        verbose_name = capfirst(NewsRelease._meta.get_field(field).verbose_name)
        for code, language in Language.choices:
            name = f"{field}_{code}"
            if is_blank(stored_text(field, values.get(name)), markup=_is_rich_text(field)):
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
        and release.status not in WRITING_STATES
        and not minor
        and bool(_languages_changed(stored, release, PUBLIC_TEXT_FIELDS))
    )


def _state_changes(stored: NewsRelease | None, release: NewsRelease) -> bool:
    """Whether the release's state or publication minute differs from the stored one."""
    if stored is None:
        return release.status != NewsRelease.Status.DRAFT
    if stored.status != release.status:
        return True
    if release.status in WRITING_STATES or release.published_at is None:
        return False
    return stored.published_at is None or to_the_minute(stored.published_at) != to_the_minute(
        release.published_at
    )


def publication_year(moment: dt.datetime) -> int:
    return timezone.localtime(moment, PUBLICATION_TIME_ZONE).year


def address_problems(release: NewsRelease, *, at: dt.datetime | None = None) -> dict[str, str]:
    """Slugs another release already uses in the year the release is (or would be) published in."""
    moment = at or release.published_at
    if moment is None:
        return {}
    others = NewsRelease.objects.exclude(pk=release.pk) if release.pk else NewsRelease.objects.all()
    others = others.annotate(year=ExtractYear("published_at", tzinfo=PUBLICATION_TIME_ZONE)).filter(
        year=publication_year(moment)
    )
    problems = {}
    for code in LANGUAGE_CODES:
        slug = getattr(release, f"slug_{code}")
        if slug and others.filter(**{f"slug_{code}": slug}).exists():
            problems[f"slug_{code}"] = str(DUPLICATE_ADDRESS_MESSAGE)
    return problems


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
    A save changes what the release says, never its state: that is for the
    functions below, each confirmed in the admin.
    """
    problems: dict[str | None, list[str]] = {}
    publisher = can_publish(by)
    if _state_changes(stored, release):
        problems.setdefault("status", []).append(
            str(STATE_CHANGE_MESSAGE if publisher else PERMISSION_MESSAGE)
        )
    if reviewed and not publisher:
        problems.setdefault(None, []).append(str(REVIEW_PERMISSION_MESSAGE))
    if release.status not in WRITING_STATES:
        for field, message in missing_translations(release_values(release)).items():
            problems.setdefault(field, []).append(message)
    for field, message in address_problems(release).items():
        problems.setdefault(field, []).append(message)
    if _is_correction(stored, release, minor=minor):
        for code, note in (("en", change_note_en), ("fr", change_note_fr)):
            if is_blank(note):
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


def out_of_date_language(release: NewsRelease) -> str:
    """The name of the language flagged as possibly behind the other, or ""."""
    return str(release.get_review_language_display()) if release.review_language else ""


# What each change of state checks, without changing anything.


def submit_problems(*, release: NewsRelease, by: AbstractBaseUser) -> list[str]:
    problems = []
    if not can_write(by):
        problems.append(str(WRITE_PERMISSION_MESSAGE))
    if release.status == NewsRelease.Status.IN_REVIEW:
        problems.append(gettext("This release is already awaiting review."))
    elif release.status != NewsRelease.Status.DRAFT:
        problems.append(gettext("Only a draft can be submitted for review."))
    return problems


def send_back_problems(
    *, release: NewsRelease, by: AbstractBaseUser, comment: str | None = None
) -> list[str]:
    """`comment` None: not asked yet (a confirmation page about to ask for it)."""
    problems = []
    if not can_publish(by):
        problems.append(gettext("Only publishers can send a release back to its writer."))
    if release.status != NewsRelease.Status.IN_REVIEW:
        problems.append(gettext("Only a release awaiting review can be sent back."))
    if comment is not None and is_blank(comment):
        problems.append(gettext("Say what needs to change: the writer reads your comment."))
    return problems


def publish_problems(
    *, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime | None = None
) -> list[str]:
    problems = []
    if not can_publish(by):
        problems.append(str(PERMISSION_MESSAGE))
    problems += missing_translations(release_values(release)).values()
    problems += address_problems(release, at=at or _publication_moment(release)).values()
    return problems


def schedule_problems(*, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime | None) -> list[str]:
    """`at` None: the time is not given yet (a confirmation page about to ask for it)."""
    problems = publish_problems(release=release, by=by, at=at)
    if at is not None and to_the_minute(at) <= timezone.now():
        problems.append(gettext("Choose a publication time in the future to schedule a release."))
    return problems


def unpublish_problems(*, release: NewsRelease, by: AbstractBaseUser) -> list[str]:
    problems = []
    if not can_publish(by):
        problems.append(str(PERMISSION_MESSAGE))
    if release.status in WRITING_STATES:
        problems.append(gettext("This release is not published or scheduled."))
    return problems


def archive_problems(*, release: NewsRelease, by: AbstractBaseUser) -> list[str]:
    problems = []
    if not can_publish(by):
        problems.append(str(PERMISSION_MESSAGE))
    if release.status != NewsRelease.Status.PUBLISHED or release.is_scheduled:
        problems.append(gettext("Only a release already public can be archived."))
    return problems


def review_problems(*, release: NewsRelease, by: AbstractBaseUser) -> list[str]:
    return [] if can_publish(by) else [str(REVIEW_PERMISSION_MESSAGE)]


def _refuse(problems: list[str], code: str) -> None:
    if problems:
        raise PublishingError(problems, code=code)


def _locked_current(release: NewsRelease, version: int | None) -> NewsRelease | None:
    """The stored row, locked until the transaction ends; refused if it moved on since `version`."""
    if release.pk is None:
        return None
    stored = NewsRelease.objects.select_for_update().filter(pk=release.pk).first()
    if stored is None:
        raise PublishingError(DELETED_MESSAGE, code="deleted")
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
    existing = release.pk is not None
    try:
        with transaction.atomic():
            if not locked:
                _locked_current(release, release.version)
            if existing:
                release.version += 1
            release.save()
    except IntegrityError as error:
        if existing:
            release.version -= 1
        else:
            release.pk = None
        # Two saves racing for one address: the loser hears it in words.
        if address_problems(release):
            raise PublishingError(DUPLICATE_ADDRESS_MESSAGE, code="duplicate") from error
        raise
    if log and message:
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[release], action_flag=CHANGE, change_message=message, single_object=True
        )
    return release


def _publication_moment(release: NewsRelease) -> dt.datetime:
    """When "publish now" dates a release: now, or its first date if it was public before."""
    now = timezone.now()
    # Publishing again after an unpublish keeps the original date and address.
    return release.published_at if release.published_at and release.published_at <= now else now


def _set_publication_minute(release: NewsRelease, at: dt.datetime) -> None:
    """Date the release at its minute; "Last updated" follows the publication actually made.

    A "Last updated" date still to come can only be the day of an earlier
    schedule, which this one replaces; a date already past (a correction)
    stays when it is later than the publication day.
    """
    release.published_at = to_the_minute(at)
    publication_day = timezone.localdate(release.published_at, PUBLICATION_TIME_ZONE)
    today = timezone.localdate(timezone=PUBLICATION_TIME_ZONE)
    earlier = release.last_updated if release.last_updated and release.last_updated <= today else None
    release.last_updated = max(publication_day, earlier) if earlier else publication_day


def _go_out(
    release: NewsRelease, *, by: AbstractBaseUser, at: dt.datetime, anyway_reason: str
) -> NewsRelease:
    flagged = out_of_date_language(release)
    if flagged and is_blank(anyway_reason):
        raise PublishingError(OUT_OF_DATE_MESSAGE % {"language": flagged}, code="out_of_date")
    release.status = NewsRelease.Status.PUBLISHED
    release.review_comment = ""
    _set_publication_minute(release, at)
    message = _state_message(release)
    if flagged:
        message = gettext("%(state)s, although %(language)s may be out of date: %(reason)s") % {
            "state": message,
            "language": flagged,
            "reason": " ".join(anyway_reason.split()),
        }
    return _store(release, by=by, message=message)


def publish_release(
    *, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime | None = None, anyway_reason: str = ""
) -> NewsRelease:
    """Make the release public now (or dated `at`, a minute already past).

    A language flagged as out of date needs `anyway_reason`, which is recorded.
    """
    if at is not None and to_the_minute(at) > timezone.now():
        return schedule_release(release=release, by=by, at=at, anyway_reason=anyway_reason)
    _refuse(publish_problems(release=release, by=by, at=at), "refused")
    return _go_out(release, by=by, at=at or _publication_moment(release), anyway_reason=anyway_reason)


def schedule_release(
    *, release: NewsRelease, by: AbstractBaseUser, at: dt.datetime, anyway_reason: str = ""
) -> NewsRelease:
    """Set the release to become public by itself at the minute `at`, and not a second before."""
    _refuse(schedule_problems(release=release, by=by, at=at), "refused")
    return _go_out(release, by=by, at=at, anyway_reason=anyway_reason)


def unpublish_release(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """Take a release back to draft: off the site, or pulled back before its embargo lifts.

    A withdrawn schedule leaves no time behind: the release never went out. A
    release that was public keeps its date, so that publishing it again
    keeps its address.
    """
    _refuse(unpublish_problems(release=release, by=by), "refused")
    was_scheduled = release.is_scheduled
    release.status = NewsRelease.Status.DRAFT
    if was_scheduled:
        release.published_at = None
        release.last_updated = None
    return _store(release, by=by, message=_state_message(release, was_scheduled=was_scheduled))


def archive_release(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """Mark an old public release as archived: it stays readable, with an archive notice."""
    _refuse(archive_problems(release=release, by=by), "refused")
    release.status = NewsRelease.Status.ARCHIVED
    return _store(release, by=by, message=_state_message(release))


def submit_for_review(*, release: NewsRelease, by: AbstractBaseUser) -> NewsRelease:
    """A writer hands a draft to the publishers' review queue."""
    _refuse(submit_problems(release=release, by=by), "refused")
    release.status = NewsRelease.Status.IN_REVIEW
    release.review_comment = ""
    return _store(release, by=by, message=_state_message(release))


def send_back(*, release: NewsRelease, by: AbstractBaseUser, comment: str) -> NewsRelease:
    """A publisher returns a release awaiting review to its writer, saying what to change."""
    _refuse(send_back_problems(release=release, by=by, comment=comment), "refused")
    release.status = NewsRelease.Status.DRAFT
    release.review_comment = comment.strip()
    message = gettext("Sent back for changes: %(comment)s") % {"comment": release.review_comment}
    return _store(release, by=by, message=message)


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
        _refuse([message for messages in problems.values() for message in messages], "invalid")
        correction = None
        if stored is not None:
            release.version = stored.version
            release.review_language = language_to_review(stored=stored, release=release, reviewed=reviewed)
            if _is_correction(stored, release, minor=minor):
                release.last_updated = timezone.localdate(timezone=PUBLICATION_TIME_ZONE)
                correction = ReleaseCorrection(
                    release=release,
                    corrected_on=release.last_updated,
                    note_en=change_note_en.strip(),
                    note_fr=change_note_fr.strip(),
                    created_by=by,
                )
        message = gettext("Both languages reviewed") if reviewed and stored and stored.review_language else ""
        _store(release, by=by, message=change_note_en.strip() or message, log=False, locked=True)
        if correction is not None:
            correction.save()
    return release


def _state_message(release: NewsRelease, *, was_scheduled: bool = False) -> str:
    """How the admin log and the history name the state a release was just put in."""
    if release.status == NewsRelease.Status.DRAFT:
        return gettext("Schedule withdrawn") if was_scheduled else gettext("Unpublished")
    if release.status == NewsRelease.Status.IN_REVIEW:
        return gettext("Submitted for review")
    if release.status == NewsRelease.Status.ARCHIVED:
        return gettext("Archived")
    if release.is_scheduled:
        return gettext("Scheduled for %(when)s") % {"when": local_minute(release.published_at)}
    return gettext("Published")
