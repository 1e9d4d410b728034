from django.utils.functional import SimpleLazyObject

from core.versioned import cached_under_version

from .models import Department, Menu


def _menus_by_placement() -> dict[str, list[Menu]]:
    menus: dict[str, list[Menu]] = {}
    for menu in Menu.objects.prefetch_related("links"):
        menus.setdefault(menu.placement, []).append(menu)
    return menus


def _chrome() -> dict:
    # Every page shows it and it changes rarely: read once per content version.
    # Both languages' labels are columns of the same rows, so one copy serves both.
    return cached_under_version(
        "site-chrome", lambda: {"department": Department.current() or "", "menus": _menus_by_placement()}
    )


def site_chrome(request) -> dict:
    """The department's name and menus, read only when a template uses them."""
    chrome = SimpleLazyObject(_chrome)
    return {
        "department": SimpleLazyObject(lambda: chrome["department"]),
        "menus": SimpleLazyObject(lambda: chrome["menus"]),
    }


def current_department():
    """The department, from the copy every page already reads (no query of its own)."""
    return _chrome()["department"] or None


def site_menus() -> dict[str, list[Menu]]:
    """The menus by placement, from the copy every page already reads."""
    return _chrome()["menus"]
