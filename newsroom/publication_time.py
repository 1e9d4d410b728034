"""Publication times as media relations speak of them: Ottawa time, to the minute, with a countdown.

Embargoes are set and read in Ottawa time whatever the server's time zone,
and a time typed by a person is read the same way everywhere (the release
form, the schedule confirmation, the list's action bar).
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.dates import date_time

PUBLICATION_TIME_ZONE = zoneinfo.ZoneInfo("America/Toronto")

# How a person may type a time; the first is the one shown back to them.
INPUT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")
EXAMPLE = "2026-05-18 09:00"
UNREADABLE_MESSAGE = _(
    "“%(typed)s” is not a time we can read. Write the date and the time on the 24-hour clock, "
    "for example %(example)s (Ottawa time)."
)
MISSING_MESSAGE = _("Give the publication time, for example %(example)s (Ottawa time).")
GAP_MESSAGE = _(
    "%(typed)s does not exist in Ottawa time: the clocks jump forward an hour that night. "
    "Choose another time."
)
OVERLAP_MESSAGE = _(
    "%(typed)s happens twice in Ottawa time: the clocks go back an hour that night. "
    "Choose a time outside that hour."
)

NBSP = "\u00a0"


def local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, PUBLICATION_TIME_ZONE)


def local_minute(moment: dt.datetime) -> str:
    """The minute in Ottawa time with its zone, as the reader's language writes it.

    "2026-12-04 09:30 EST" in English, "4 décembre 2026 à 9 h 30 (HNE)" in French.
    """
    with timezone.override(PUBLICATION_TIME_ZONE):
        return date_time(moment)


def input_value(moment: dt.datetime | None) -> str:
    """The minute as a person types it, in Ottawa time."""
    return local(moment).strftime(INPUT_FORMATS[0]) if moment else ""


def countdown(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long until `moment`, as a desk reads it: "in 3 h 20 min", "in 2 days 4 h"."""
    seconds = (moment - (now or timezone.now())).total_seconds()
    if seconds <= 0:
        return gettext("now")
    minutes = int(seconds // 60)
    if minutes == 0:
        return gettext("in less than a minute")
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
    if hours:
        parts.append(gettext("%(hours)d h") % {"hours": hours})
    # Minutes count while the minute is near; days away, hours are enough.
    if minutes and not days:
        parts.append(gettext("%(minutes)d min") % {"minutes": minutes})
    return gettext("in %(time)s") % {"time": " ".join(part.replace(" ", NBSP) for part in parts)}


def scheduled_for(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """Scheduled for 2026-12-04 09:30 EST (in 7 h)."""
    return gettext("Scheduled for %(when)s (%(countdown)s)") % {
        "when": local_minute(moment),
        "countdown": countdown(moment, now),
    }


def parse_local_time(text: str) -> dt.datetime:
    """The moment a person meant by `text`, read in Ottawa time; refused in plain words.

    A time the clocks skip (spring forward) or pass twice (fall back) is
    refused rather than guessed.
    """
    typed = " ".join((text or "").split())
    if not typed:
        raise ValidationError(MISSING_MESSAGE, code="required", params={"example": EXAMPLE})
    naive = None
    for pattern in INPUT_FORMATS:
        try:
            naive = dt.datetime.strptime(typed, pattern)
            break
        except ValueError:
            continue
    if naive is None:
        parsed = parse_datetime(typed)
        if parsed is None or parsed.tzinfo is not None:
            raise ValidationError(
                UNREADABLE_MESSAGE, code="invalid", params={"typed": typed, "example": EXAMPLE}
            )
        naive = parsed
    shown = naive.strftime(INPUT_FORMATS[0])
    earlier = naive.replace(fold=0, tzinfo=PUBLICATION_TIME_ZONE)
    later = naive.replace(fold=1, tzinfo=PUBLICATION_TIME_ZONE)
    if earlier.utcoffset() != later.utcoffset():
        # Both readings exist only when the hour is repeated; in a gap neither
        # survives the round trip through UTC.
        round_trip = earlier.astimezone(dt.UTC).astimezone(PUBLICATION_TIME_ZONE).replace(tzinfo=None)
        if round_trip != naive:
            raise ValidationError(GAP_MESSAGE, code="nonexistent", params={"typed": shown})
        raise ValidationError(OVERLAP_MESSAGE, code="ambiguous", params={"typed": shown})
    return earlier
