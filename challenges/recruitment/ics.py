"""The iCalendar (RFC 5545) invitation of a booked interview, made with ``icalendar``."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Interview


def interview_ics(*, interview: Interview) -> bytes:
    """The booked interview as an iCalendar invitation (UTC times, place or video link)."""
    slot = interview.slot
    calendar = Calendar()
    calendar.add("prodid", "-//EIG Portal//Recrutement//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"interview-{interview.token}@eig-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", _("Entretien EIG — %(challenge)s") % {"challenge": interview.challenge})
    event.add("location", slot.place or slot.video_url)
    if slot.video_url:
        event.add("url", slot.video_url)
    calendar.add_component(event)
    return calendar.to_ical()
