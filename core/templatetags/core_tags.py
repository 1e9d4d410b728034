import re
from html import unescape
from urllib.parse import urljoin

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.addresses import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (page links keep filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def page_window(page_range, current: int, width: int = 2) -> list[int | None]:
    """Page numbers to show: first, last, and a window around the current one; None is a gap."""
    pages = list(page_range)
    if not pages:
        return []
    last = pages[-1]
    keep = {1, last, *range(current - width, current + width + 1)}
    shown: list[int | None] = []
    for number in pages:
        if number in keep:
            shown.append(number)
        elif shown and shown[-1] is not None:
            shown.append(None)
    return shown


LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


@register.simple_tag(takes_context=True)
def with_endnotes(context, html: str):
    """For print: number each link of sanitised body HTML and list the full addresses.

    Returns (body with [n] after each link, list of absolute URLs), so a
    paper copy keeps where each link led.
    """
    page_url = absolute_url(context["request"].path)
    urls: list[str] = []

    def number(match: re.Match) -> str:
        url = urljoin(page_url, unescape(match.group(1)))
        urls.append(url)
        return format_html('{}<sup class="endnote-ref">[{}]</sup>', mark_safe(match.group(0)), len(urls))

    return mark_safe(LINK.sub(number, html or "")), urls
