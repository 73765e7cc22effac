"""Deadlines in Europe/Paris: whether a window (a call, later a call for candidates) is open,
and how its deadline is worded on the pages (« jusqu'au … heure de Paris », « clos depuis … »).

Times are stored aware (UTC in the database); every wording is in Paris time, whatever the
server's or the visitor's time zone, because the rules of the calls set Paris deadlines.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PARIS = ZoneInfo("Europe/Paris")
#: The countdown is shown when the deadline is this close (days).
COUNTDOWN_DAYS = 7


def window_is_open(*, opens_at: datetime, closes_at: datetime, at: datetime | None = None) -> bool:
    """True if ``at`` (aware; default now) is within [opens_at, closes_at], both included: a
    proposal sent at the closing minute is on time."""
    at = at or timezone.now()
    return opens_at <= at <= closes_at


def has_passed(value: datetime | None, now: datetime | None = None) -> bool:
    """True once the aware datetime ``value`` is in the past (strictly: the closing minute itself
    is still open, as in ``window_is_open``)."""
    return bool(value) and value < (now or timezone.now())


def _date_and_time(local: datetime) -> dict[str, str]:
    return {
        "date": formats.date_format(local, "j F Y"),
        "time": _("%(h)s h %(m)s") % {"h": local.hour, "m": f"{local.minute:02d}"},
    }


def paris_datetime(value: datetime | None) -> str:
    """« 7 mars 2027 à 23 h 59 » in Paris time, « — » when empty."""
    if not value:
        return "—"
    return _("%(date)s à %(time)s") % _date_and_time(value.astimezone(PARIS))


def deadline_wording(value: datetime | None, now: datetime | None = None) -> str:
    """« jusqu'au 7 mars 2027 à 23 h 59, heure de Paris » before the deadline, then « clos
    depuis le 7 mars 2027 à 23 h 59, heure de Paris »; "" when there is no deadline."""
    if not value:
        return ""
    parts = _date_and_time(value.astimezone(PARIS))
    if has_passed(value, now):
        return _("clos depuis le %(date)s à %(time)s, heure de Paris") % parts
    return _("jusqu'au %(date)s à %(time)s, heure de Paris") % parts


def countdown(value: datetime | None, now: datetime | None = None) -> str:
    """« Plus que 3 jours » / « Plus que 5 heures » / « Plus que 2 minutes » in the last
    ``COUNTDOWN_DAYS`` days before ``value``, else ""."""
    if not value:
        return ""
    remaining = value - (now or timezone.now())
    seconds = int(remaining.total_seconds())
    if seconds < 0 or remaining.days >= COUNTDOWN_DAYS:
        return ""
    if seconds >= 86400:
        days = seconds // 86400
        return ngettext("Plus que %(n)s jour", "Plus que %(n)s jours", days) % {"n": days}
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("Plus que %(n)s heure", "Plus que %(n)s heures", hours) % {"n": hours}
    minutes = max(seconds // 60, 1)
    return ngettext("Plus que %(n)s minute", "Plus que %(n)s minutes", minutes) % {"n": minutes}
