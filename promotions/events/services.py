"""Writes of the support programme: invitations, answers with a waiting list, attendance.

Every service is keyword-only, runs in one transaction and raises ``ValidationError`` (with a
``code``) when a rule is broken. Seats are counted under a row lock on the event, so two people
answering « oui » at once for the last seat cannot both get it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common import data_versions
from eig_portal.common.jobs import queue_on_commit
from eig_portal.common.tokens import set_new_token
from promotions.models import Fellow, Mentor

from . import tasks
from .models import CalendarFeed, Event, EventInvitation

Answer = EventInvitation.Answer


def _invitees(event: Event) -> list[Fellow | Mentor]:
    people: list[Fellow | Mentor] = []
    if event.invites_fellows:
        people += list(Fellow.objects.filter(promotion=event.promotion).exclude(email=""))
    if event.invites_mentors:
        people += list(Mentor.objects.filter(promotion=event.promotion).exclude(email=""))
    return people


@transaction.atomic
def event_invitations_create(*, event: Event) -> list[EventInvitation]:
    """Invite the event's audience (the promotion's EIG and/or mentors with an email address).

    Idempotent: a person already invited is skipped. Returns the invitations created now.
    """
    existing_fellows = set(event.invitations.values_list("fellow_id", flat=True))
    existing_mentors = set(event.invitations.values_list("mentor_id", flat=True))
    created = []
    for person in _invitees(event):
        is_fellow = isinstance(person, Fellow)
        if person.pk in (existing_fellows if is_fellow else existing_mentors):
            continue
        invitation = EventInvitation(
            event=event,
            fellow=person if is_fellow else None,
            mentor=None if is_fellow else person,
            email=person.email,
        )
        set_new_token(invitation)
        invitation.full_clean()
        created.append(invitation)
    EventInvitation.objects.bulk_create(created)
    return created


def _confirmed_count(event: Event) -> int:
    return event.invitations.filter(answer=Answer.YES, is_waitlisted=False).count()


def _promote_waitlisted(event: Event) -> EventInvitation | None:
    """Give a freed seat to the first person on the waiting list (order of answer)."""
    if event.capacity is not None and _confirmed_count(event) >= event.capacity:
        return None
    first = (
        event.invitations.filter(answer=Answer.YES, is_waitlisted=True)
        .order_by("answered_at", "pk")
        .first()
    )
    if first is not None:
        first.is_waitlisted = False
        first.save(update_fields=["is_waitlisted"])
        queue_on_commit(tasks.send_event_seat_freed, first.pk)
    return first


@transaction.atomic
def event_invitation_answer(*, invitation: EventInvitation, answer: str) -> EventInvitation:
    """Record a yes/no answer; a « yes » beyond capacity goes to the waiting list.

    Answering again is allowed until the event starts; a « no » from a confirmed person gives
    the seat to the first on the waiting list, who is told by email. Raises ``ValidationError`` (code ``started`` or
    ``invalid``).
    """
    if answer not in (Answer.YES, Answer.NO):
        raise ValidationError(_("Réponse invalide."), code="invalid")
    event = Event.objects.select_for_update().get(pk=invitation.event_id)
    invitation = EventInvitation.objects.select_for_update().get(pk=invitation.pk)
    if timezone.now() >= event.starts_at:
        raise ValidationError(_("L'événement a déjà commencé."), code="started")
    if invitation.answer == answer:
        return invitation
    was_confirmed = invitation.is_confirmed
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.is_waitlisted = answer == Answer.YES and (
        event.capacity is not None and _confirmed_count(event) >= event.capacity
    )
    invitation.full_clean()
    invitation.save()
    if was_confirmed and answer == Answer.NO:
        _promote_waitlisted(event)
    return invitation


@transaction.atomic
def event_invitations_send(*, event: Event) -> int:
    """Invite the event's audience and queue the emails (with ``.ics``) of unsent invitations."""
    event_invitations_create(event=event)
    unsent = list(event.invitations.filter(sent_at__isnull=True).values_list("pk", flat=True))
    event.invitations.filter(pk__in=unsent).update(sent_at=timezone.now())
    for pk in unsent:
        queue_on_commit(tasks.send_event_invitation, pk)
    return len(unsent)


@transaction.atomic
def event_attendance_record(*, event: Event, present_ids: Iterable[int]) -> int:
    """Roll call: the listed invitations attended, the other confirmed ones did not.

    ``present_ids`` are ``EventInvitation`` ids of this event (others raise ``ValidationError``).
    Returns the number of people marked present. Allowed once the event has started.
    """
    present = set(present_ids)
    if timezone.now() < event.starts_at:
        raise ValidationError(_("L'appel se fait une fois l'événement commencé."), code="early")
    known = set(event.invitations.filter(pk__in=present).values_list("pk", flat=True))
    if known != present:
        raise ValidationError(_("Invitation inconnue pour cet événement."), code="unknown")
    event.invitations.filter(pk__in=present).update(attended=True)
    event.invitations.exclude(pk__in=present).filter(answer=Answer.YES, is_waitlisted=False).update(
        attended=False
    )
    event.invitations.exclude(pk__in=present).exclude(
        answer=Answer.YES, is_waitlisted=False
    ).update(attended=None)
    data_versions.bump("programme")  # attendance is a figure; bulk updates send no signal
    return len(present)


@transaction.atomic
def calendar_feed_get_or_create(*, person: Fellow | Mentor) -> tuple[CalendarFeed, str | None]:
    """The person's calendar feed; the token is returned only when the feed is created now."""
    lookup = {"fellow": person} if isinstance(person, Fellow) else {"mentor": person}
    feed = CalendarFeed.objects.filter(**lookup).first()
    if feed is not None:
        return feed, None
    feed = CalendarFeed(**lookup)
    token = set_new_token(feed)
    feed.full_clean()
    feed.save()
    return feed, token
