"""Coordinator actions that create personal links and queue their emails after the commit.

Each function writes in one transaction and queues the Celery tasks with ``queue_on_commit``
(tasks take ids; nothing is sent if the transaction rolls back). Event invitations are sent by
``promotions.events.services.event_invitations_send``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date

from django.db import transaction

from eig_portal.common.jobs import queue_on_commit
from promotions.alumni.services import alumni_profile_new_link
from promotions.models import Fellow

from . import services, tasks


@transaction.atomic
def followup_links_send(*, challenge) -> int:
    """Give the défi's team their follow-up links and queue the emails of the new ones."""
    created = services.followup_links_create(challenge=challenge)
    for link, _token in created:
        queue_on_commit(tasks.send_followup_link, link.pk)
    return len(created)


@transaction.atomic
def outcome_requests_send(*, challenge, milestone: str, due_on: date) -> int:
    """Ask the défi's mentors for its outcome at ``milestone`` and queue the emails."""
    created = services.outcome_requests_create(
        challenge=challenge, milestone=milestone, due_on=due_on
    )
    for request, _token in created:
        queue_on_commit(tasks.send_outcome_request, request.pk)
    return len(created)


@transaction.atomic
def alumni_links_send(*, fellows: Iterable[Fellow], year: int) -> int:
    """Send each former EIG (with an email) a fresh link to their alumni entry for ``year``."""
    count = 0
    for fellow in fellows:
        if not fellow.email:
            continue
        profile, _token = alumni_profile_new_link(fellow=fellow)
        queue_on_commit(tasks.send_alumni_link, profile.pk, year)
        count += 1
    return count


#: Outcome requests go only to promotions that ended within this many days (never to the
#: programme's old promotions when the portal starts sending them).
OUTCOME_WINDOW_DAYS = 400
SIX_MONTHS_DAYS = 182


@transaction.atomic
def outcome_requests_send_due(*, today: date) -> int:
    """Ask the mentors of every défi whose milestone has come (once per défi and milestone).

    End of the ten months: the promotion's ``end_date``; six months later: ``end_date`` + 182
    days. Only promotions ended within ``OUTCOME_WINDOW_DAYS``. Returns the requests created.
    """
    from challenges.models import Challenge

    from .models import OutcomeRequest

    recent = Challenge.objects.filter(
        promotion__end_date__lte=today,
        promotion__end_date__gte=today - dt.timedelta(days=OUTCOME_WINDOW_DAYS),
    ).select_related("promotion")
    total = 0
    for challenge in recent:
        end = challenge.promotion.end_date
        milestones = [(OutcomeRequest.Milestone.END, end)]
        if end + dt.timedelta(days=SIX_MONTHS_DAYS) <= today:
            milestones.append(
                (OutcomeRequest.Milestone.SIX_MONTHS, end + dt.timedelta(days=SIX_MONTHS_DAYS))
            )
        for milestone, due_on in milestones:
            total += outcome_requests_send(challenge=challenge, milestone=milestone, due_on=due_on)
    return total


@transaction.atomic
def alumni_links_send_due(*, today: date) -> int:
    """The yearly alumni email: former EIG (promotion ended) not sent a link in 360 days."""
    from django.db.models import Q

    stale = today - dt.timedelta(days=360)
    fellows = (
        Fellow.objects.filter(promotion__end_date__lt=today)
        .exclude(email="")
        .filter(Q(alumni_profile__isnull=True) | Q(alumni_profile__link_sent_at__date__lt=stale))
    )
    return alumni_links_send(fellows=fellows, year=today.year)
