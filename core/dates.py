"""Dates and times as each official language writes them, for pages, admin messages and e-mails.

English keeps the forms the site has always shown: "May 18, 2005" on pages,
"2026-05-18 09:00 EDT" in staff messages. French follows the Government of
Canada's usage (the Translation Bureau's writing guide): "le 18 mai 2005"
after a place name, "1er juin" for the first of a month, "9 h" and "9 h 30"
for times (with non-breaking spaces, so that a time never breaks across
lines) and the French zone abbreviations, "HNE" and "HAE".

`formats_for(language)` gives one language's formatter; the module-level
functions use the active language. The `dates` template library wraps them.
"""

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.utils import dateformat, timezone, translation

NBSP = "\N{NO-BREAK SPACE}"

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# The French abbreviations of Canada's time zones, for the English ones the
# time zone database gives ("heure normale/avancée de l'Est"...).
FRENCH_ZONE_ABBREVIATIONS = {
    "NST": "HNT",
    "NDT": "HAT",
    "AST": "HNA",
    "ADT": "HAA",
    "EST": "HNE",
    "EDT": "HAE",
    "CST": "HNC",
    "CDT": "HAC",
    "MST": "HNR",
    "MDT": "HAR",
    "PST": "HNP",
    "PDT": "HAP",
}


class DateFormats(Protocol):
    def long_date(self, day: dt.date) -> str:
        """A date written out in full: "May 18, 2005", "18 mai 2005"."""

    def dateline_date(self, day: dt.date) -> str:
        """The date as it follows a dateline's place name: "OTTAWA, May 18, 2005", "OTTAWA, le 18 mai 2005"."""

    def date_time(self, moment: dt.datetime) -> str:
        """A minute with its time zone, as staff messages and e-mails give it."""


def _local(moment: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """An aware date-time in the current time zone (Ottawa's, unless overridden); a date as it is."""
    if isinstance(moment, dt.datetime) and timezone.is_aware(moment):
        return timezone.localtime(moment)
    return moment


def _day(moment: dt.date | dt.datetime) -> dt.date:
    local = _local(moment)
    return local.date() if isinstance(local, dt.datetime) else local


class EnglishFormats:
    def _format(self, value: dt.date | dt.datetime, pattern: str) -> str:
        # Django's month names are translated: read them in English whatever
        # language is active.
        with translation.override("en"):
            return dateformat.format(value, pattern)

    def long_date(self, day: dt.date) -> str:
        return self._format(_day(day), "N j, Y")

    def dateline_date(self, day: dt.date) -> str:
        return self.long_date(day)

    def date_time(self, moment: dt.datetime) -> str:
        return self._format(_local(moment), "Y-m-d H:i T")


class FrenchFormats:
    def long_date(self, day: dt.date) -> str:
        day = _day(day)
        number = "1er" if day.day == 1 else str(day.day)
        return f"{number} {FRENCH_MONTHS[day.month - 1]} {day.year}"

    def dateline_date(self, day: dt.date) -> str:
        return f"le {self.long_date(day)}"

    def time(self, moment: dt.datetime | dt.time) -> str:
        """The time of day: 9 h, 9 h 30, 14 h 05, 0 h."""
        if moment.minute:
            return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
        return f"{moment.hour}{NBSP}h"

    def zone(self, moment: dt.datetime) -> str:
        abbreviation = moment.tzname() or ""
        return FRENCH_ZONE_ABBREVIATIONS.get(abbreviation, abbreviation)

    def date_time(self, moment: dt.datetime) -> str:
        local = _local(moment)
        text = f"{self.long_date(local)} à {self.time(local)}"
        zone = self.zone(local)
        return f"{text} ({zone})" if zone else text


ENGLISH = EnglishFormats()
FRENCH = FrenchFormats()


def formats_for(language: str | None = None) -> DateFormats:
    """The formatter of `language` (a code such as "fr" or "fr-ca"), else of the active language."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return FRENCH if code.split("-")[0] == "fr" else ENGLISH


def long_date(day: dt.date, language: str | None = None) -> str:
    return formats_for(language).long_date(day)


def dateline_date(day: dt.date, language: str | None = None) -> str:
    return formats_for(language).dateline_date(day)


def date_time(moment: dt.datetime, language: str | None = None) -> str:
    return formats_for(language).date_time(moment)


def date_column(model, field: str):
    """An admin list column showing a date (or a minute) as the active language writes it.

    Django's admin writes "1 juin 2026" and "1 juin 2026 09:00" in French;
    the column writes "1er juin 2026" and "1er juin 2026 à 9 h (HAE)", as
    the desk's messages and the public pages do. It sorts by the field.
    """

    def column(obj) -> str:
        value = getattr(obj, field)
        if value is None:
            return "–"
        if isinstance(value, dt.datetime):
            return date_time(value)
        return long_date(value)

    column.__name__ = field
    column.short_description = model._meta.get_field(field).verbose_name
    column.admin_order_field = field
    return column
