"""The staff roles, as Django groups with their permissions.

Kept as plain data so that the data migration and `manage.py setup_roles`
apply the very same definition.
"""

from collections.abc import Iterable

EDITOR = "Editor"
PUBLISHER = "Publisher"
ADMINISTRATOR = "Administrator"


def _crud(app_label: str, model: str, actions: Iterable[str] = ("add", "change", "view")) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


# Editors write: releases, change notes, initiatives, partners, contacts and pages.
_EDITING = [
    *_crud("newsroom", "newsrelease"),
    *_crud("newsroom", "releasecorrection"),
    *_crud("newsroom", "mediacontact"),
    *_crud("initiatives", "initiative"),
    *_crud("initiatives", "partneragency"),
    *_crud("pages", "standardpage"),
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: _EDITING,
    # Media relations: everything an editor does, and the release's way out.
    PUBLISHER: [*_EDITING, "newsroom.publish_newsrelease"],
    # Runs the site: staff accounts, their roles, the menus and the department's name.
    ADMINISTRATOR: [
        *_crud("auth", "user", ("add", "change", "delete", "view")),
        *_crud("auth", "group", ("view",)),
        *_crud("pages", "menu", ("add", "change", "delete", "view")),
        *_crud("pages", "menulink", ("add", "change", "delete", "view")),
        *_crud("pages", "department", ("change", "view")),
    ],
}


def setup_roles(*, group_model, permission_model) -> dict[str, int]:
    """Create or update each role's group so it has exactly its permissions.

    Takes the models as arguments so a migration can pass its historical ones.
    Returns how many permissions each group has.
    """
    counts = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts
