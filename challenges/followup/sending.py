"""Coordinator actions that create personal links and queue their emails after the commit.

Each function writes in one transaction and queues the Celery tasks with
``transaction.on_commit`` (tasks take ids; nothing is sent if the transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from promotions.alumni.services import alumni_profile_new_link
from promotions.events.models import Event
from promotions.events.services import event_invitations_create
from promotions.models import Fellow

from . import services, tasks


def _queue(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


@transaction.atomic
def event_invitations_send(*, event: Event) -> int:
    """Invite the event's audience and queue the emails (with ``.ics``) of unsent invitations."""
    event_invitations_create(event=event)
    unsent = list(event.invitations.filter(sent_at__isnull=True).values_list("pk", flat=True))
    event.invitations.filter(pk__in=unsent).update(sent_at=timezone.now())
    for pk in unsent:
        _queue(tasks.send_event_invitation, pk)
    return len(unsent)


@transaction.atomic
def followup_links_send(*, challenge) -> int:
    """Give the défi's team their follow-up links and queue the emails of the new ones."""
    created = services.followup_links_create(challenge=challenge)
    for link, _token in created:
        _queue(tasks.send_followup_link, link.pk)
    return len(created)


@transaction.atomic
def outcome_requests_send(*, challenge, milestone: str, due_on: date) -> int:
    """Ask the défi's mentors for its outcome at ``milestone`` and queue the emails."""
    created = services.outcome_requests_create(
        challenge=challenge, milestone=milestone, due_on=due_on
    )
    for request, _token in created:
        _queue(tasks.send_outcome_request, request.pk)
    return len(created)


@transaction.atomic
def alumni_links_send(*, fellows: Iterable[Fellow], year: int) -> int:
    """Send each former EIG (with an email) a fresh link to their alumni entry for ``year``."""
    count = 0
    for fellow in fellows:
        if not fellow.email:
            continue
        profile, _token = alumni_profile_new_link(fellow=fellow)
        _queue(tasks.send_alumni_link, profile.pk, year)
        count += 1
    return count
