"""The publishing desk: what staff see first in the admin, and how a release's state is told.

Sections, in the order a media-relations team works through them: what goes
out next, what waits for a publisher, what needs its translation checked,
what is being written, what went out lately. Each has its count and a link to
the full list.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Language, NewsRelease
from .publication_time import countdown, local_minute, scheduled_for

SECTION_SIZE = 10
RECENT_DAYS = 7


@dataclass(frozen=True)
class LanguageState:
    code: str
    name: str
    state: str  # "complete", "missing" or "out_of_date"
    text: str

    @property
    def label(self) -> str:
        return capfirst(gettext("%(language)s: %(state)s") % {"language": self.name, "state": self.text})


def language_states(release: NewsRelease) -> list[LanguageState]:
    """Each official language: complete, missing some fields (named), or flagged as out of date."""
    missing = services.missing_translations(services.release_values(release))
    states = []
    for code, name in Language.choices:
        empty = [
            str(capfirst(NewsRelease._meta.get_field(field).verbose_name))
            for field in services.REQUIRED_TO_PUBLISH
            if f"{field}_{code}" in missing
        ]
        if empty:
            text = gettext("incomplete (%(fields)s)") % {"fields": ", ".join(empty)}
            states.append(LanguageState(code, str(name), "missing", text))
        elif release.review_language == code:
            states.append(
                LanguageState(code, str(name), "out_of_date", gettext("may be out of date (to review)"))
            )
        else:
            states.append(LanguageState(code, str(name), "complete", gettext("complete")))
    return states


def languages_summary(release: NewsRelease) -> str:
    """One line for the release list: never "complete" while a language is empty."""
    states = language_states(release)
    if all(state.state == "complete" for state in states):
        return gettext("Both languages complete")
    return "; ".join(state.label for state in states if state.state != "complete")


def describe_state(release: NewsRelease, now: dt.datetime | None = None) -> str:
    """The state in words, with its time in Ottawa time: never "Published" for a scheduled release."""
    now = now or timezone.now()
    status = NewsRelease.Status
    if release.status == status.DRAFT:
        if release.review_comment:
            return gettext("Draft, sent back by a publisher")
        return gettext("Draft") if release.published_at is None else gettext("Draft (unpublished)")
    if release.status == status.IN_REVIEW:
        return gettext("Awaiting review by a publisher")
    if release.published_at is not None and release.published_at > now:
        return scheduled_for(release.published_at, now)
    if release.status == status.ARCHIVED:
        return gettext("Archived, public since %(when)s") % {"when": local_minute(release.published_at)}
    return gettext("Public since %(when)s") % {"when": local_minute(release.published_at)}


def change_url(release: NewsRelease) -> str:
    return reverse("admin:newsroom_newsrelease_change", args=[release.pk])


def changelist_url(**filters: str) -> str:
    url = reverse("admin:newsroom_newsrelease_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def confirm_url(action: str, release: NewsRelease) -> str:
    return (
        reverse("admin:newsroom_newsrelease_desk", args=[action]) + "?" + urlencode({"release": release.pk})
    )


@dataclass
class DeskItem:
    release: NewsRelease
    url: str
    when: str = ""
    moment: dt.datetime | None = None
    countdown: str = ""
    note: str = ""
    languages: list[LanguageState] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DeskSection:
    key: str
    title: str
    count: int
    link: str
    link_label: str
    empty: str
    items: list[DeskItem]
    when_heading: str = ""


def _submissions(releases: list[NewsRelease]) -> dict[int, tuple[str, dt.datetime]]:
    """Who submitted each release awaiting review, and when: read from the history, in one query."""
    versions = (
        NewsRelease.history.filter(id__in=[release.pk for release in releases])
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "status", "history_date", "history_user__username")
    )
    found, done = {}, set()
    for pk, status, when, who in versions:
        if pk in done:
            continue
        # Walking back from the newest version: the last one still awaiting review is the submission.
        if status != NewsRelease.Status.IN_REVIEW:
            done.add(pk)
            continue
        found[pk] = (who or gettext("someone"), when)
    return found


def _actions(user: AbstractBaseUser, release: NewsRelease) -> list[tuple[str, str]]:
    from .admin_actions import actions_for

    return [(str(action.button), confirm_url(action.name, release)) for action in actions_for(user, release)]


def sections(user: AbstractBaseUser, now: dt.datetime | None = None) -> list[DeskSection]:
    now = now or timezone.now()
    releases = NewsRelease.objects.all()
    coming_up = releases.awaiting_publication(now).order_by("published_at", "pk")
    awaiting = releases.filter(status=NewsRelease.Status.IN_REVIEW).order_by("modified_at", "pk")
    translation = releases.exclude(review_language="").order_by("-modified_at", "-pk")
    drafts = releases.filter(status=NewsRelease.Status.DRAFT).order_by("-modified_at", "-pk")
    recent = releases.public().filter(published_at__gte=now - dt.timedelta(days=RECENT_DAYS))
    recent = recent.order_by("-published_at", "-pk")

    def items(queryset, describe) -> list[DeskItem]:
        rows = list(queryset[:SECTION_SIZE])
        return [describe(release) for release in rows]

    def upcoming(release: NewsRelease) -> DeskItem:
        return DeskItem(
            release=release,
            url=change_url(release),
            when=local_minute(release.published_at),
            moment=release.published_at,
            countdown=countdown(release.published_at, now),
            languages=language_states(release),
            actions=_actions(user, release),
        )

    awaiting_rows = list(awaiting[:SECTION_SIZE])
    submitted = _submissions(awaiting_rows)

    def queued(release: NewsRelease) -> DeskItem:
        who, when = submitted.get(release.pk, ("", release.modified_at))
        note = gettext("Submitted by %(who)s") % {"who": who} if who else ""
        return DeskItem(
            release=release,
            url=change_url(release),
            when=local_minute(when),
            note=note,
            languages=language_states(release),
            actions=_actions(user, release),
        )

    def edited(release: NewsRelease) -> DeskItem:
        note = ""
        if release.review_comment:
            note = gettext("Sent back: %(comment)s") % {"comment": release.review_comment}
        return DeskItem(
            release=release,
            url=change_url(release),
            when=local_minute(release.modified_at),
            note=note or describe_state(release, now),
            languages=language_states(release),
            actions=_actions(user, release),
        )

    def published(release: NewsRelease) -> DeskItem:
        return DeskItem(
            release=release,
            url=change_url(release),
            when=local_minute(release.published_at),
            languages=language_states(release),
        )

    return [
        DeskSection(
            key="coming-up",
            title=gettext("Coming up"),
            count=coming_up.count(),
            link=changelist_url(publication="scheduled"),
            link_label=gettext("Every scheduled release"),
            empty=gettext("Nothing is scheduled."),
            items=items(coming_up, upcoming),
            when_heading=gettext("Goes out (Ottawa time)"),
        ),
        DeskSection(
            key="awaiting-review",
            title=gettext("Awaiting review"),
            count=awaiting.count(),
            link=changelist_url(publication="in_review"),
            link_label=gettext("Every release awaiting review"),
            empty=gettext("No release is waiting for a publisher."),
            items=[queued(release) for release in awaiting_rows],
            when_heading=gettext("Submitted (Ottawa time)"),
        ),
        DeskSection(
            key="translation-review",
            title=gettext("Needs translation review"),
            count=translation.count(),
            link=changelist_url(translation="needed"),
            link_label=gettext("Every release with a language to review"),
            empty=gettext("No language is flagged as out of date."),
            items=items(translation, edited),
            when_heading=gettext("Last saved (Ottawa time)"),
        ),
        DeskSection(
            key="drafts",
            title=gettext("Drafts"),
            count=drafts.count(),
            link=changelist_url(publication="draft"),
            link_label=gettext("Every draft"),
            empty=gettext("No draft."),
            items=items(drafts, edited),
            when_heading=gettext("Last saved (Ottawa time)"),
        ),
        DeskSection(
            key="recently-published",
            title=gettext("Recently published"),
            count=recent.count(),
            link=changelist_url(publication="recent"),
            link_label=gettext("Every release published in the last 7 days"),
            empty=gettext("Nothing was published in the last 7 days."),
            items=items(recent, published),
            when_heading=gettext("Public since (Ottawa time)"),
        ),
    ]


# The words the desk's script needs to keep countdowns running, in the page's language.
def countdown_words() -> dict[str, str]:
    return {
        "now": gettext("now"),
        "soon": gettext("in less than a minute"),
        "in": gettext("in %(time)s"),
        "day": ngettext("%(days)d day", "%(days)d days", 1),
        "days": ngettext("%(days)d day", "%(days)d days", 2),
        "hours": gettext("%(hours)d h"),
        "minutes": gettext("%(minutes)d min"),
    }


DESK_TITLE = _("Publishing desk")
