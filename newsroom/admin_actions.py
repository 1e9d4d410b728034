"""Every change of a release's state, defined once: its service, who may do it, its words.

The release form's buttons, the list's actions and the desk's links all lead
to one confirmation page per action, which says in plain words what will
happen (in Ottawa time, with a countdown), which languages are complete,
and asks what the action needs: a time to schedule, a comment to send a
release back, a reason to publish while a language is flagged out of date.
Nothing changes state before it is confirmed there.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import desk, services
from .models import PUBLIC_STATUSES, WRITING_STATES, NewsRelease
from .publication_time import (
    EXAMPLE,
    PUBLICATION_TIME_ZONE,
    countdown,
    input_value,
    local_minute,
    parse_local_time,
    scheduled_for,
)

Status = NewsRelease.Status
WRITE, PUBLISH = "change", "publish"


@dataclass(frozen=True)
class DeskAction:
    name: str
    # Who: "change" (anyone who writes releases) or "publish" (publishers).
    permission: str
    # On the form's button and the desk's links; in the list's action menu.
    button: str
    menu: str
    # The confirmation page's heading and its button.
    question: str
    confirm: str
    # The service, called with the release, the user and the confirmed answers.
    perform: Callable[..., NewsRelease]
    # What would refuse it, without changing anything.
    problems: Callable[..., list[str]]
    # The states it is offered in, on the form and the desk.
    offered: Callable[[NewsRelease | None], bool]
    # What will happen to this release, in plain words.
    explain: Callable[[NewsRelease, dict], str]
    # Said once it is done: to one release, to several.
    done_one: Callable[[NewsRelease], str]
    done_many: Callable[[int], str]
    asks_time: bool = False
    asks_comment: bool = False
    # Publishing: a language flagged out of date needs "publish anyway" and a reason.
    goes_out: bool = False
    # Whether it changes the state (and so is confirmed first).
    confirmed: bool = True


def _title(release: NewsRelease) -> str:
    """The release's title in the reader's quotation marks."""
    return gettext("“%(release)s”") % {"release": release}


def _status(release: NewsRelease | None) -> str:
    return Status.DRAFT if release is None else release.status


def _offered_to_publish(release: NewsRelease | None) -> bool:
    return _status(release) in WRITING_STATES or (release is not None and release.is_scheduled)


def _explain_publish(release: NewsRelease, answers: dict) -> str:
    at = answers.get("at")
    sentence = gettext(
        "%(title)s becomes public at once, in English and in French: its page, the listings, "
        "the feeds, the search and the API."
    ) % {"title": _title(release)}
    if at is not None:
        sentence += " " + gettext("It is dated %(when)s.") % {"when": local_minute(at)}
    elif release.published_at and release.published_at <= timezone.now():
        sentence += " " + gettext("It keeps its first publication date, %(when)s, and its address.") % {
            "when": local_minute(release.published_at)
        }
    return sentence


def _explain_schedule(release: NewsRelease, answers: dict) -> str:
    at = answers.get("at")
    if at is None:
        sentence = gettext(
            "%(title)s becomes public by itself at the minute you give below, in English and in "
            "French. Nothing of it is visible before that minute."
        ) % {"title": _title(release)}
    else:
        sentence = gettext(
            "%(title)s becomes public by itself on %(when)s (%(countdown)s), in English and in French. "
            "Nothing of it is visible before that minute."
        ) % {"title": _title(release), "when": local_minute(at), "countdown": countdown(at)}
    if release.was_public:
        sentence += " " + gettext("It is public now: it leaves the site until that minute.")
    return sentence


def _explain_unpublish(release: NewsRelease, answers: dict) -> str:
    if release.is_scheduled:
        return gettext(
            "The schedule of %(title)s (%(when)s, %(countdown)s) is withdrawn: it does not go out, "
            "and goes back to the drafts."
        ) % {
            "title": _title(release),
            "when": local_minute(release.published_at),
            "countdown": countdown(release.published_at),
        }
    return gettext(
        "%(title)s leaves the site at once, in both languages: its address answers “not found” "
        "until it is published again. It goes back to the drafts."
    ) % {"title": _title(release)}


def _done_schedule(release: NewsRelease) -> str:
    return gettext("%(title)s: %(state)s.") % {
        "title": _title(release),
        "state": scheduled_for(release.published_at),
    }


def _done_publish(release: NewsRelease) -> str:
    if release.is_scheduled:
        return _done_schedule(release)
    return gettext("%(title)s is public since %(when)s.") % {
        "title": _title(release),
        "when": local_minute(release.published_at),
    }


def _done_unpublish(release: NewsRelease) -> str:
    if release.published_at is None:
        return gettext("The schedule of %(title)s was withdrawn: it is a draft again.") % {
            "title": _title(release)
        }
    return gettext("%(title)s was unpublished: it is a draft again.") % {"title": _title(release)}


ACTIONS: tuple[DeskAction, ...] = (
    DeskAction(
        name="submit_for_review",
        permission=WRITE,
        button=_("Submit for review"),
        menu=_("Submit selected drafts for review"),
        question=_("Submit for review?"),
        confirm=_("Yes, submit for review"),
        perform=lambda *, release, by, answers: services.submit_for_review(release=release, by=by),
        problems=lambda *, release, by, answers: services.submit_problems(release=release, by=by),
        offered=lambda release: _status(release) == Status.DRAFT,
        explain=lambda release, answers: (
            gettext(
                "%(title)s goes to the publishers’ review queue. It stays out of public view, and can "
                "still be edited while it waits."
            )
            % {"title": _title(release)}
        ),
        done_one=lambda release: (
            gettext("%(title)s was submitted for review: publishers see it in their queue.")
            % {"title": _title(release)}
        ),
        done_many=lambda n: (
            ngettext("%(count)d release submitted for review.", "%(count)d releases submitted for review.", n)
            % {"count": n}
        ),
    ),
    DeskAction(
        name="send_back",
        permission=PUBLISH,
        button=_("Send back…"),
        menu=_("Send selected releases back to their writer…"),
        question=_("Send back to the writer?"),
        confirm=_("Yes, send back"),
        perform=lambda *, release, by, answers: services.send_back(
            release=release, by=by, comment=answers["comment"]
        ),
        problems=lambda *, release, by, answers: services.send_back_problems(
            release=release, by=by, comment=answers.get("comment")
        ),
        offered=lambda release: _status(release) == Status.IN_REVIEW,
        explain=lambda release, answers: (
            gettext(
                "%(title)s goes back to the drafts, with your comment for its writer. It stays out of public view."
            )
            % {"title": _title(release)}
        ),
        done_one=lambda release: (
            gettext("%(title)s was sent back to its writer with your comment.") % {"title": _title(release)}
        ),
        done_many=lambda n: (
            ngettext("%(count)d release sent back.", "%(count)d releases sent back.", n) % {"count": n}
        ),
        asks_comment=True,
    ),
    DeskAction(
        name="publish_now",
        permission=PUBLISH,
        button=_("Publish now"),
        menu=_("Publish selected releases now"),
        question=_("Publish now?"),
        confirm=_("Yes, publish now"),
        perform=lambda *, release, by, answers: services.publish_release(
            release=release, by=by, at=answers.get("at"), anyway_reason=answers.get("anyway_reason", "")
        ),
        problems=lambda *, release, by, answers: services.publish_problems(
            release=release, by=by, at=answers.get("at")
        ),
        offered=_offered_to_publish,
        explain=_explain_publish,
        done_one=_done_publish,
        done_many=lambda n: (
            ngettext("%(count)d release published.", "%(count)d releases published.", n) % {"count": n}
        ),
        goes_out=True,
    ),
    DeskAction(
        name="schedule",
        permission=PUBLISH,
        button=_("Schedule…"),
        menu=_("Schedule selected releases…"),
        question=_("Schedule for a minute to come?"),
        confirm=_("Yes, schedule"),
        perform=lambda *, release, by, answers: services.schedule_release(
            release=release, by=by, at=answers["at"], anyway_reason=answers.get("anyway_reason", "")
        ),
        problems=lambda *, release, by, answers: services.schedule_problems(
            release=release, by=by, at=answers.get("at")
        ),
        offered=_offered_to_publish,
        explain=_explain_schedule,
        done_one=_done_schedule,
        done_many=lambda n: (
            ngettext("%(count)d release scheduled.", "%(count)d releases scheduled.", n) % {"count": n}
        ),
        asks_time=True,
        goes_out=True,
    ),
    DeskAction(
        name="unpublish",
        permission=PUBLISH,
        button=_("Unpublish"),
        menu=_("Unpublish selected releases (or withdraw their schedule)"),
        question=_("Unpublish?"),
        confirm=_("Yes, unpublish"),
        perform=lambda *, release, by, answers: services.unpublish_release(release=release, by=by),
        problems=lambda *, release, by, answers: services.unpublish_problems(release=release, by=by),
        offered=lambda release: _status(release) in PUBLIC_STATUSES,
        explain=_explain_unpublish,
        done_one=_done_unpublish,
        done_many=lambda n: (
            ngettext("%(count)d release unpublished.", "%(count)d releases unpublished.", n) % {"count": n}
        ),
    ),
    DeskAction(
        name="archive",
        permission=PUBLISH,
        button=_("Archive"),
        menu=_("Archive selected releases"),
        question=_("Archive?"),
        confirm=_("Yes, archive"),
        perform=lambda *, release, by, answers: services.archive_release(release=release, by=by),
        problems=lambda *, release, by, answers: services.archive_problems(release=release, by=by),
        offered=lambda release: (
            release is not None and release.status == Status.PUBLISHED and release.was_public
        ),
        explain=lambda release, answers: (
            gettext(
                "%(title)s stays readable at its address, marked as archived, and moves to the archive listings."
            )
            % {"title": _title(release)}
        ),
        done_one=lambda release: gettext("%(title)s was archived.") % {"title": _title(release)},
        done_many=lambda n: (
            ngettext("%(count)d release archived.", "%(count)d releases archived.", n) % {"count": n}
        ),
    ),
    DeskAction(
        name="mark_languages_reviewed",
        permission=PUBLISH,
        button=_("Mark both languages reviewed"),
        menu=_("Mark both languages reviewed"),
        question=_("Mark both languages reviewed?"),
        confirm=_("Yes, mark reviewed"),
        perform=lambda *, release, by, answers: services.mark_reviewed(release=release, by=by),
        problems=lambda *, release, by, answers: services.review_problems(release=release, by=by),
        offered=lambda release: False,
        explain=lambda release, answers: "",
        done_one=lambda release: (
            gettext("%(title)s: both languages marked reviewed.") % {"title": _title(release)}
        ),
        done_many=lambda n: (
            ngettext("%(count)d release marked reviewed.", "%(count)d releases marked reviewed.", n)
            % {"count": n}
        ),
        confirmed=False,
    ),
)
ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


def may(user: AbstractBaseUser, action: DeskAction) -> bool:
    return services.can_publish(user) if action.permission == PUBLISH else services.can_write(user)


def actions_for(user: AbstractBaseUser, release: NewsRelease | None) -> list[DeskAction]:
    """The state changes this user may start on this release (None: a new one), in the desk's order."""
    return [
        action for action in ACTIONS if action.confirmed and action.offered(release) and may(user, action)
    ]


# The list's action bar: a time for "Schedule…", read (and refused in words) on the confirmation page.


class PublicationActionForm(helpers.ActionForm):
    publish_at = forms.CharField(
        label=_("Publication time (Ottawa), for “Schedule”:"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": EXAMPLE}),
    )


def changelist_actions() -> list[Callable]:
    """One admin action per entry of the table, each leading to its confirmation page."""

    def make(action: DeskAction) -> Callable:
        def run(model_admin, request, queryset):
            releases = list(queryset)
            if not action.confirmed:
                return perform(model_admin, request, action, releases, answers={})
            typed = request.POST.get("publish_at", "") if action.asks_time else ""
            return confirmation_page(model_admin, request, action, releases, typed_time=typed, back="list")

        run.__name__ = action.name
        return admin.action(description=action.menu, permissions=[action.permission])(run)

    return [make(action) for action in ACTIONS]


# The confirmation page.

BACK_CHOICES = ("list", "form", "desk")


class ConfirmationForm(forms.Form):
    """What the action needs beyond the releases: a time, a comment, a reason to publish anyway."""

    # Where "No, go back" and the confirmed action lead: the list, the release's form or the desk.
    back = forms.ChoiceField(
        choices=[(choice, choice) for choice in BACK_CHOICES], widget=forms.HiddenInput, required=False
    )
    # Required, with its own words: parse_local_time says what is missing.
    at = forms.CharField(
        label=_("Publication time (Ottawa time)"),
        max_length=40,
        required=False,
        help_text=_("Date and time on the 24-hour clock, for example 2026-05-18 09:00."),
    )
    comment = forms.CharField(
        label=_("Comment for the writer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What needs to change before it can go out. Kept in the release’s history."),
    )
    publish_anyway = forms.BooleanField(label=_("Publish anyway"), required=False)
    anyway_reason = forms.CharField(
        label=_("Reason for publishing anyway"),
        max_length=300,
        required=False,
        help_text=_("Kept in the release’s history and in the admin log."),
    )

    def __init__(self, *args, action: DeskAction, releases: list[NewsRelease], dated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.releases = releases
        self.flagged = [release for release in releases if release.review_language] if action.goes_out else []
        if not action.asks_time:
            if dated:
                # "Publish now" from the form with a time already past: the release is dated at it.
                self.fields["at"].widget = forms.HiddenInput()
            else:
                del self.fields["at"]
        if not action.asks_comment:
            del self.fields["comment"]
        if not self.flagged:
            del self.fields["publish_anyway"], self.fields["anyway_reason"]

    def clean_at(self):
        return read_time(self.action, self.cleaned_data["at"])

    def clean(self):
        cleaned = super().clean()
        if self.flagged:
            if not cleaned.get("publish_anyway"):
                names = ", ".join(
                    sorted({services.out_of_date_language(release) for release in self.flagged})
                )
                self.add_error(
                    "publish_anyway",
                    gettext(
                        "%(language)s may be out of date. Have it reviewed first, or tick “Publish anyway” "
                        "and give the reason."
                    )
                    % {"language": names},
                )
            elif services.is_blank(cleaned.get("anyway_reason", "")):
                self.add_error("anyway_reason", gettext("Give the reason for publishing anyway."))
        return cleaned

    def answers(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "at": data.get("at"),
            "comment": data.get("comment", ""),
            "anyway_reason": data.get("anyway_reason", "") if data.get("publish_anyway") else "",
        }


def read_time(action: DeskAction, text: str) -> dt.datetime:
    """The minute typed for `action`, refused in words that name what was typed."""
    moment = services.to_the_minute(parse_local_time(text))
    if action.asks_time and moment <= timezone.now():
        raise ValidationError(
            _("%(typed)s has already passed in Ottawa time: choose a minute to come."),
            code="past",
            params={"typed": input_value(moment)},
        )
    if not action.asks_time and moment > timezone.now():
        raise ValidationError(_("A time to come schedules the release: use “Schedule…”."), code="future")
    return moment


def _releases_from(request) -> tuple[list[NewsRelease], dict[int, str]]:
    """The releases a confirmation is about, and the version of each that the person saw.

    A link names them one by one (?release=12); the confirmation's form sends
    them in one field, "12:3,15:7", so that a long selection stays one field.
    """
    if request.method == "POST":
        pairs = [item.partition(":") for item in request.POST.get("releases", "").split(",")]
        seen = {int(pk): version for pk, _colon, version in pairs if pk.isdigit() and len(pk) < 19}
    else:
        seen = {int(pk): "" for pk in request.GET.getlist("release") if pk.isdigit() and len(pk) < 19}
    releases = list(NewsRelease.objects.filter(pk__in=list(seen)).order_by("-published_at", "-pk"))
    return releases, seen


def _back_url(back: str, releases: list[NewsRelease]) -> str:
    if back == "form" and len(releases) == 1:
        return desk.change_url(releases[0])
    if back == "desk":
        return reverse("admin:index")
    return reverse("admin:newsroom_newsrelease_changelist")


def confirmation_page(
    model_admin,
    request,
    action: DeskAction,
    releases: list[NewsRelease],
    *,
    form: ConfirmationForm | None = None,
    typed_time: str = "",
    at: dt.datetime | None = None,
    back: str = "list",
    stale: list[NewsRelease] = (),
):
    """The page that says what will happen, and asks what the action needs."""
    answers = {"at": at}
    if form is None:
        initial = {"back": back}
        if at is not None:
            initial["at"] = input_value(at)
        elif typed_time:
            initial["at"] = typed_time
        form = ConfirmationForm(initial=initial, action=action, releases=releases, dated=at is not None)
        if action.asks_time and typed_time:
            # A time typed in the list's action bar is read at once: a bad one is named, and kept.
            try:
                answers["at"] = read_time(action, typed_time)
            except ValidationError as error:
                form.cleaned_data = {}
                form.add_error("at", error)
    else:
        answers = form.answers()
    for name, bound in ((name, form[name]) for name in form.fields):
        if bound.errors and not bound.is_hidden:
            # Read with the field: its error, then its help.
            described = [f"{bound.auto_id}_error"] + (
                [f"{bound.auto_id}_helptext"] if bound.help_text else []
            )
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(described)
    rows = []
    for release in releases:
        rows.append(
            {
                "release": release,
                "url": desk.change_url(release),
                "state": desk.describe_state(release),
                "languages": desk.language_states(release),
                "explain": action.explain(release, answers),
                "problems": action.problems(release=release, by=request.user, answers=answers),
            }
        )
    ready = [row for row in rows if not row["problems"]]
    opts = NewsRelease._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": action.question,
        "action": action,
        "rows": rows,
        "ready": ready,
        "form": form,
        "opts": opts,
        "stale": stale,
        "single": releases[0] if len(releases) == 1 else None,
        "releases_seen": ",".join(f"{release.pk}:{release.version}" for release in releases),
        "back_url": _back_url(form["back"].value() or back, releases),
        "post_url": reverse("admin:newsroom_newsrelease_desk", args=[action.name]),
        "flagged": form.flagged,
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    with timezone.override(PUBLICATION_TIME_ZONE):
        response = TemplateResponse(request, "admin/newsroom/desk/confirm.html", context)
        response.render()
    return response


def perform(model_admin, request, action: DeskAction, releases: list[NewsRelease], *, answers: dict):
    """Call the action's service on each release; say what was done and what was refused, and why."""
    done = []
    for release in releases:
        try:
            action.perform(release=release, by=request.user, answers=answers)
        except services.PublishingError as error:
            model_admin.message_user(
                request,
                gettext("%(title)s was not changed: %(reasons)s")
                % {"title": _title(release), "reasons": " ".join(error.messages)},
                messages.ERROR,
            )
        else:
            done.append(release)
    if len(done) == 1:
        model_admin.message_user(request, action.done_one(done[0]), messages.SUCCESS)
    elif done:
        model_admin.message_user(request, action.done_many(len(done)), messages.SUCCESS)
    return None


def desk_view(model_admin, request, name: str):
    """GET: the confirmation page for the releases named in the address. POST: confirm it."""
    action = ACTIONS_BY_NAME.get(name)
    if action is None or not action.confirmed:
        raise Http404("no such action")
    if not model_admin.has_change_permission(request) or not may(request.user, action):
        raise PermissionDenied
    releases, seen = _releases_from(request)
    source = request.POST if request.method == "POST" else request.GET
    back = source.get("back") if source.get("back") in BACK_CHOICES else "list"
    if not releases:
        model_admin.message_user(request, gettext("No release was selected."), messages.WARNING)
        return HttpResponseRedirect(_back_url("list", []))
    if request.method != "POST" or "confirm" not in request.POST:
        at = _parse_iso(source.get("at", ""))
        return confirmation_page(model_admin, request, action, releases, at=at, back=back)
    form = ConfirmationForm(request.POST, action=action, releases=releases, dated="at" in request.POST)
    stale = [release for release in releases if str(release.version) != seen.get(release.pk)]
    if stale or not form.is_valid():
        return confirmation_page(model_admin, request, action, releases, form=form, back=back, stale=stale)
    perform(model_admin, request, action, releases, answers=form.answers())
    return HttpResponseRedirect(_back_url(form.cleaned_data["back"] or back, releases))


def _parse_iso(value: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(value[:40])
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def urls(model_admin) -> list:
    info = model_admin.opts.app_label, model_admin.opts.model_name
    return [
        path(
            "desk/<str:name>/",
            model_admin.admin_site.admin_view(lambda request, name: desk_view(model_admin, request, name)),
            name="{}_{}_desk".format(*info),
        )
    ]


def confirmation_address(action: str, release: NewsRelease, *, at: dt.datetime | None = None) -> str:
    """Where the release form leads once its changes are saved: the action's confirmation."""
    query = {"release": release.pk, "back": "form"}
    if at is not None:
        query["at"] = at.astimezone(dt.UTC).isoformat()
    return reverse("admin:newsroom_newsrelease_desk", args=[action]) + "?" + urlencode(query)


# The release form: its Status and Publication time, read as one of the actions above.


def intent_from_form(
    *, stored: NewsRelease | None, status: str, at: dt.datetime | None
) -> tuple[str | None, dt.datetime | None, dict[str, str]]:
    """The action a publisher asked for by changing Status or the time on the form, or field errors.

    Returns (action name or None, the time it is for, {field: message}).
    """
    current = stored.status if stored else Status.DRAFT
    now = timezone.now()
    if status == Status.PUBLISHED:
        if at is None:
            return None, None, {"published_at": "now"}
        if (
            current == Status.PUBLISHED
            and stored.published_at
            and services.to_the_minute(stored.published_at) == services.to_the_minute(at)
        ):
            return None, None, {}
        return ("schedule" if at > now else "publish_now"), at, {}
    if status == current:
        return None, None, {}
    if status == Status.DRAFT:
        return ("send_back" if current == Status.IN_REVIEW else "unpublish"), None, {}
    if status == Status.IN_REVIEW:
        if current == Status.DRAFT:
            return "submit_for_review", None, {}
        return (
            None,
            None,
            {"status": gettext("A published release cannot go back to review: unpublish it first.")},
        )
    if status == Status.ARCHIVED:
        if stored is not None and stored.status == Status.PUBLISHED and stored.is_public:
            return "archive", None, {}
        return None, None, {"status": gettext("Only a release already public can be archived.")}
    return None, None, {}
