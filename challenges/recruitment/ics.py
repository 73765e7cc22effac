"""The calendar invitation of a booked interview, through the common ``.ics`` writer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common.ics import CalendarEntry, ics_bytes, uid_for

from .models import Interview

PRODID = "-//Portail EIG//Recrutement//FR"


def interview_ics(*, interview: Interview) -> bytes:
    """The booked interview as an iCalendar invitation (``METHOD:REQUEST``, UTC times, place or
    video link; UID stable per interview)."""
    slot = interview.slot
    entry = CalendarEntry(
        uid=uid_for("interview", interview.token),
        summary=_("Entretien EIG — %(challenge)s") % {"challenge": interview.challenge},
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        stamp=timezone.now(),
        place=slot.place or slot.video_url,
        url=slot.video_url,
    )
    return ics_bytes([entry], prodid=PRODID, method="REQUEST")
