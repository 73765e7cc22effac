"""Calendar files (``.ics``, RFC 5545) built with icalendar: one writer for every invitation
(support-programme events, interviews of the call for candidates).

Times are written in UTC (``DTSTART:20270912T070000Z``); calendar applications show them in
the reader's zone (Europe/Paris for the programme). Each entry's ``UID`` must be stable so that
importing the same invitation twice updates the entry instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as IcsEvent


@dataclass(frozen=True)
class CalendarEntry:
    """One event of a calendar: ``uid`` (stable), ``summary``, aware ``starts_at`` /
    ``ends_at`` and ``stamp`` (when it was made), ``place`` (a place or a video link),
    optional ``url`` and ``description``."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    place: str = ""
    url: str = ""
    description: str = ""


def uid_for(kind: str, key: object) -> str:
    """A stable UID ``"<kind>-<key>@<host of SITE_URL>"`` (``eig`` when no host is set)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "eig"
    return f"{kind}-{key}@{host}"


def ics_bytes(
    entries: Iterable[CalendarEntry], *, prodid: str, name: str = "", method: str = ""
) -> bytes:
    """A calendar (``text/calendar``, UTF-8) holding ``entries``; ``method`` (e.g.
    ``REQUEST`` for an emailed invitation) and ``name`` (``X-WR-CALNAME``) when given."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for item in entries:
        entry = IcsEvent()
        entry.add("uid", item.uid)
        entry.add("summary", item.summary)
        entry.add("dtstart", item.starts_at.astimezone(UTC))
        entry.add("dtend", item.ends_at.astimezone(UTC))
        entry.add("dtstamp", item.stamp.astimezone(UTC))
        entry.add("location", item.place)
        if item.url:
            entry.add("url", item.url)
        if item.description:
            entry.add("description", item.description)
        calendar.add_component(entry)
    return calendar.to_ical()
