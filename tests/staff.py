"""Staff accounts in each role, and the release admin form filled as a browser would send it."""

import zoneinfo

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory
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


def desk_url(action: str, *releases: NewsRelease, **query) -> str:
    """The confirmation page of a state change, for these releases."""
    from django.utils.http import urlencode

    params = [("release", release.pk) for release in releases] + list(query.items())
    return reverse("admin:newsroom_newsrelease_desk", args=[action]) + "?" + urlencode(params)


def confirmation_form(page) -> tuple[str, dict]:
    """The confirmation page's form as a browser would send it: its address and its fields."""
    from bs4 import BeautifulSoup

    assert page.status_code == 200, f"no confirmation page ({page.status_code})"
    desk_address = reverse("admin:newsroom_newsrelease_desk", args=["x"]).rsplit("x/", 1)[0]
    form = BeautifulSoup(page.content, "html.parser").find(
        "form", action=lambda action: bool(action) and action.startswith(desk_address)
    )
    assert form is not None, "no confirmation form on the page"
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        value = field.get_text() if field.name == "textarea" else field.get("value", "")
        if field.get("type") == "submit":
            continue
        data.setdefault(name, []).append(value)
    return form["action"], data


def confirm(client, response, **answers):
    """Follow a save (or open a page) to its confirmation, and confirm it with these answers."""
    page = client.get(response.url) if response.status_code == 302 else response
    action, data = confirmation_form(page)
    for name, value in answers.items():
        data[name] = [value]
    return client.post(action, data)


def errors_of_confirmation(response) -> str:
    """The text of a confirmation page's error messages, for assertions."""
    form = response.context["form"]
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def admin_paths(superuser: User) -> list[str]:
    """Every page of the admin a superuser can open: each model's list, add form, first record, its history and translation."""
    request = RequestFactory().get("/")
    request.user = superuser
    paths = ["", "password_change/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"{opts.app_label}/{opts.model_name}/"
        paths.append(base)
        if model_admin.has_add_permission(request):
            paths.append(f"{base}add/")
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is None:
            continue
        paths.append(f"{base}{first.pk}/change/")
        if hasattr(model, "history") and hasattr(model_admin, "history_form_view"):
            paths.append(f"{base}{first.pk}/history/")
            version = model.history.filter(pk=first.pk).first()
            if version is not None:
                paths.append(f"{base}{first.pk}/history/{version.history_id}/")
        if hasattr(model_admin, "side_by_side_view"):
            paths.append(f"{base}{first.pk}/translation/")
    return paths
