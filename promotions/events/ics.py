"""Calendar files of the support programme's events, through the common ``.ics`` writer."""

from __future__ import annotations

from collections.abc import Iterable

from eig_portal.common.ics import CalendarEntry, uid_for
from eig_portal.common.ics import ics_bytes as calendar_bytes

from .models import Event

PRODID = "-//Portail EIG//Programme d'accompagnement//FR"


def ics_bytes(events: Iterable[Event], *, name: str = "") -> bytes:
    """A calendar (``text/calendar``, UTF-8) holding ``events`` (UID stable per event)."""
    entries = (
        CalendarEntry(
            uid=uid_for("event", event.pk),
            summary=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            stamp=event.created_at,
            place=event.place or event.video_url,
            url=event.video_url,
            description=event.description,
        )
        for event in events
    )
    return calendar_bytes(entries, prodid=PRODID, name=name)
