"""Reads of the support programme: invitations by token, calendars, seats and roll calls."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from eig_portal.common.tokens import hash_token
from promotions.models import Fellow, Mentor, Promotion

from .models import CalendarFeed, Event, EventInvitation

Answer = EventInvitation.Answer


def event_invitation_by_token(token: str) -> EventInvitation | None:
    """The invitation of a personal link, with its event and promotion; ``None`` if unknown."""
    return (
        EventInvitation.objects.select_related("event__promotion", "fellow", "mentor")
        .filter(token_hash=hash_token(token))
        .first()
    )


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The calendar feed of a personal link; ``None`` if unknown."""
    return (
        CalendarFeed.objects.select_related("fellow", "mentor")
        .filter(token_hash=hash_token(token))
        .first()
    )


def events_with_seats() -> QuerySet[Event]:
    """Events annotated with ``confirmed``, ``waitlisted`` and ``declined`` counts (one query)."""
    return Event.objects.select_related("promotion").annotate(
        confirmed=Count(
            "invitations",
            filter=Q(invitations__answer=Answer.YES, invitations__is_waitlisted=False),
        ),
        waitlisted=Count("invitations", filter=Q(invitations__is_waitlisted=True)),
        declined=Count("invitations", filter=Q(invitations__answer=Answer.NO)),
    )


def promotion_calendar(promotion: Promotion) -> QuerySet[Event]:
    """The promotion's events in time order, with their seat counts."""
    return events_with_seats().filter(promotion=promotion).order_by("starts_at")


def person_events(person: Fellow | Mentor) -> QuerySet[Event]:
    """The events a person is invited to and did not decline, in time order."""
    field = "fellow" if isinstance(person, Fellow) else "mentor"
    invitations = EventInvitation.objects.filter(**{field: person}).exclude(answer=Answer.NO)
    return (
        Event.objects.filter(pk__in=invitations.values("event_id"))
        .select_related("promotion")
        .order_by("starts_at")
    )


def roll_call(event: Event) -> QuerySet[EventInvitation]:
    """Who is expected at the event (confirmed first, then the rest), people loaded."""
    return (
        event.invitations.select_related("fellow", "mentor")
        .exclude(answer=Answer.NO)
        .order_by("is_waitlisted", "answer", "email")
    )


def invitations_due_for_reminder(now: datetime) -> QuerySet[EventInvitation]:
    """Confirmed invitations to events starting within the next 24 hours, not yet reminded."""
    return EventInvitation.objects.filter(
        answer=Answer.YES,
        is_waitlisted=False,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(hours=24),
    )


def upcoming_events(promotion_ids: list[int], start: datetime, days: int) -> QuerySet[Event]:
    """Events of the promotions starting in ``[start, start + days)``."""
    return Event.objects.filter(
        promotion_id__in=promotion_ids,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=days),
    ).order_by("starts_at")
