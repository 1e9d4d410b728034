"""The date helper in templates: `{% load dates %}`, then `{{ release.published_at|long_date }}`.

Each filter writes in the active language (core/dates.py); an empty value gives "".
"""

from django import template

from core import dates

register = template.Library()


@register.filter
def long_date(value) -> str:
    return dates.long_date(value) if value else ""


@register.filter
def dateline_date(value) -> str:
    return dates.dateline_date(value) if value else ""


@register.filter
def date_time(value) -> str:
    return dates.date_time(value) if value else ""
