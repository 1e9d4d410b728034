"""Staff accounts in each role, and the release admin form filled as a browser would send it."""

import zoneinfo

from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from core.roles import ADMINISTRATOR, EDITOR, PUBLISHER
from newsroom.models import NewsRelease

OTTAWA = zoneinfo.ZoneInfo("America/Toronto")
PASSWORD = "a-long-test-password"
ROLES = (EDITOR, PUBLISHER, ADMINISTRATOR)


def make_staff(role: str | None, username: str | None = None) -> User:
    """A staff account whose only rights come from its role's group."""
    user = User.objects.create_user(username or (role or "nobody").lower(), password=PASSWORD, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def login(client, role: str | None, username: str | None = None):
    user = make_staff(role, username)
    client.force_login(user)
    return user


def add_url() -> str:
    return reverse("admin:newsroom_newsrelease_add")


def change_url(release: NewsRelease) -> str:
    return reverse("admin:newsroom_newsrelease_change", args=[release.pk])


def changelist_url() -> str:
    return reverse("admin:newsroom_newsrelease_changelist")


NEW_RELEASE = {
    "release_type": "news_release",
    "title_en": "Ministers meet on border security",
    "title_fr": "Les ministres se réunissent sur la sécurité frontalière",
    "slug_en": "ministers-meet",
    "slug_fr": "ministres-reunion",
    "summary_en": "Ministers met today.",
    "summary_fr": "Les ministres se sont réunis aujourd'hui.",
    "body_en": "<p>Ministers met today in Ottawa.</p>",
    "body_fr": "<p>Les ministres se sont réunis aujourd'hui à Ottawa.</p>",
    "dateline_en": "OTTAWA",
    "dateline_fr": "OTTAWA",
}


def release_form_data(release: NewsRelease | None = None, *, publisher: bool, **overrides) -> dict:
    """Everything the admin form sends on "Save" for this release, as the given role sees it.

    Publication fields (status, date, last updated) are only sent by a
    publisher's form: an editor's form shows them read-only. Times are Ottawa time.
    """
    if release is None:
        data = dict(NEW_RELEASE, status="draft", published_at=None, last_updated=None)
    else:
        release.refresh_from_db()
        data = {field: getattr(release, field) or "" for field in NEW_RELEASE if field != "release_type"}
        data.update(
            release_type=release.release_type,
            status=release.status,
            published_at=release.published_at,
            last_updated=release.last_updated,
            version=release.version,
            initiatives=[str(pk) for pk in release.initiatives.values_list("pk", flat=True)],
            media_contacts=[str(pk) for pk in release.media_contacts.values_list("pk", flat=True)],
        )
    data.update(overrides)
    published_at = data.pop("published_at", None)
    if publisher:
        local = timezone.localtime(published_at, OTTAWA) if published_at else None
        data["published_at_0"] = f"{local:%Y-%m-%d}" if local else ""
        data["published_at_1"] = f"{local:%H:%M:%S}" if local else ""
        last_updated = data.get("last_updated")
        data["last_updated"] = f"{last_updated:%Y-%m-%d}" if last_updated else ""
    else:
        for field in ("status", "last_updated"):
            data.pop(field, None)
    data["_save"] = "Save"
    return {key: value for key, value in data.items() if value is not None}


def errors_of(response) -> str:
    """The text of the admin form's error messages, for assertions."""
    context = response.context
    assert context is not None and "adminform" in context, f"no form in the response ({response.status_code})"
    form = context["adminform"].form
    return " ".join(str(message) for messages in form.errors.values() for message in messages)
