from django.utils.functional import SimpleLazyObject

from .models import Department, Menu


def _menus_by_placement() -> dict[str, list[Menu]]:
    menus: dict[str, list[Menu]] = {}
    for menu in Menu.objects.prefetch_related("links"):
        menus.setdefault(menu.placement, []).append(menu)
    return menus


def site_chrome(request) -> dict:
    """The department's name and menus, read only when a template uses them."""
    return {
        "department": SimpleLazyObject(Department.current),
        "menus": SimpleLazyObject(_menus_by_placement),
    }
