"""Calendar files (``.ics``, RFC 5545) of the support programme's events, built with icalendar.

Times are written in UTC (``DTSTART:20270912T070000Z``); calendar applications show them in
the reader's zone (Europe/Paris for the programme). ``UID`` is stable per event so that
importing the same invitation twice updates the entry instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as IcsEvent

from .models import Event

PRODID = "-//Portail EIG//Programme d'accompagnement//FR"


def _uid(event: Event) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "eig"
    return f"event-{event.pk}@{host}"


def ics_bytes(events: Iterable[Event], *, name: str = "") -> bytes:
    """A calendar (``text/calendar``, UTF-8) holding ``events``."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        entry = IcsEvent()
        entry.add("uid", _uid(event))
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("dtstamp", event.created_at.astimezone(UTC))
        entry.add("location", event.place or event.video_url)
        if event.video_url:
            entry.add("url", event.video_url)
        if event.description:
            entry.add("description", event.description)
        calendar.add_component(entry)
    return calendar.to_ical()
