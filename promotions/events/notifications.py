"""Emails of the support programme, through the one email helper (``send_once``: three-part
template, recorded once per key, so a retried task never sends twice), each with the event's
``.ics``:

- ``event_invitation``: the invitation;
- ``event_reminder``: the day before, to the people whose seat is confirmed;
- ``event_seat_freed``: to the person who moves up from the waiting list.

Links are rebuilt from the invitation's token seed; callers pass ids.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from eig_portal.common.emails import send_once
from eig_portal.common.tokens import token_for_seed

from .ics import ics_bytes
from .models import EventInvitation

KINDS = ("event_invitation", "event_reminder", "event_seat_freed")


def event_email(*, invitation_id: int, kind: str = "event_invitation") -> bool:
    """Send email ``kind`` (one of ``KINDS``) of the invitation; True if sent now.

    Raises ``ValueError`` for an unknown kind, ``EventInvitation.DoesNotExist`` for an unknown id.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown event email: {kind}")
    invitation = EventInvitation.objects.select_related("event__promotion", "fellow", "mentor").get(
        pk=invitation_id
    )
    event = invitation.event
    link = settings.SITE_URL.rstrip("/") + reverse(
        "events:answer", args=[token_for_seed(invitation.token_seed)]
    )
    return send_once(
        key=f"{kind}:{invitation.pk}",
        name=kind,
        recipients=[invitation.email],
        context={"event": event, "person": invitation.person, "link": link},
        attachments=[("evenement.ics", ics_bytes([event]), "text/calendar")],
    )
