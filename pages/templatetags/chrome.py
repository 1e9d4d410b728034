"""The menus every page shows, rendered once per language and content version.

The header, top, left and footer menus change only when an editor changes
them (a save, which bumps the content version): their markup is kept as
rendered, rather than rendered again by each request.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.versioned import cached_under_version

from ..context_processors import site_menus

register = template.Library()


def _kept(name: str, template_name: str, menus) -> SafeString:
    return cached_under_version(
        f"{name}:{translation.get_language()}",
        lambda: mark_safe(render_to_string(template_name, {"menus": menus()})),
    )


@register.simple_tag
def menu_links(placement: str) -> SafeString:
    """The links of the menus at `placement` (header, top, footer), each an <li>."""
    return _kept(
        f"menu-links:{placement}", "includes/menu_links.html", lambda: site_menus().get(placement, [])
    )


@register.simple_tag
def left_menu() -> SafeString:
    """The section menu beside every page's content."""
    return _kept("left-menu", "includes/left_menu.html", site_menus)
