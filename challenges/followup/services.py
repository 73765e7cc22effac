"""Writes of each défi's follow-up: personal links, progress updates, expertise requests and
outcomes.

Every service is keyword-only, runs in one transaction, calls ``full_clean()`` and raises
``ValidationError`` (with a ``code``) when a rule is broken.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common.tokens import set_new_token
from promotions.models import Fellow, Mentor, Promotion

from .models import (
    ExpertiseRequest,
    FollowUpLink,
    Outcome,
    OutcomeRequest,
    ProgressCadence,
    ProgressUpdate,
)

#: The fields of an outcome a mentor, a coordinator or an import fills in.
OUTCOME_FIELDS = (
    "production_status",
    "is_maintained",
    "maintenance",
    "maintenance_detail",
    "users",
    "source_code_url",
    "datasets",
    "reused_by",
    "partnerships",
)


@transaction.atomic
def followup_links_create(*, challenge) -> list[tuple[FollowUpLink, str]]:
    """Give each EIG and mentor of the défi (with an email) a personal follow-up link.

    Idempotent: people who already have one are skipped. Returns ``(link, token)`` pairs created.
    """
    have = set(challenge.followup_links.values_list("fellow_id", "mentor_id"))
    created = []
    people = [*challenge.fellows.exclude(email=""), *challenge.mentors.exclude(email="")]
    for person in people:
        is_fellow = isinstance(person, Fellow)
        key = (person.pk, None) if is_fellow else (None, person.pk)
        if key in have:
            continue
        link = FollowUpLink(
            challenge=challenge,
            fellow=person if is_fellow else None,
            mentor=None if is_fellow else person,
            email=person.email,
        )
        token = set_new_token(link)
        link.full_clean()
        link.save()
        created.append((link, token))
    return created


@transaction.atomic
def progress_cadence_set(*, promotion: Promotion, every_days: int) -> ProgressCadence:
    """Set how often the promotion's défis post an update (1 to 92 days)."""
    cadence, _created = ProgressCadence.objects.get_or_create(promotion=promotion)
    cadence.every_days = every_days
    cadence.full_clean()
    cadence.save()
    return cadence


@transaction.atomic
def progress_update_post(
    *,
    link: FollowUpLink,
    progress: str,
    next_steps: str = "",
    blockers: str = "",
    help_wanted: str = "",
    is_blocked: bool = False,
) -> ProgressUpdate:
    """Post a progress update of the link's défi, dated now."""
    update = ProgressUpdate(
        challenge_id=link.challenge_id,
        author=link,
        posted_at=timezone.now(),
        progress=progress.strip(),
        next_steps=next_steps.strip(),
        blockers=blockers.strip(),
        help_wanted=help_wanted.strip(),
        is_blocked=is_blocked,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def followup_link_set_digest(*, link: FollowUpLink, subscribed: bool) -> FollowUpLink:
    """Subscribe or unsubscribe the link's person from the weekly digest."""
    link.weekly_digest = subscribed
    link.save(update_fields=["weekly_digest"])
    return link


@transaction.atomic
def expertise_request_create(
    *, challenge, person: Fellow | Mentor, topic: str, description: str
) -> ExpertiseRequest:
    """A request for help from an EIG or mentor of the défi (status « new »)."""
    is_fellow = isinstance(person, Fellow)
    request = ExpertiseRequest(
        challenge=challenge,
        fellow=person if is_fellow else None,
        mentor=None if is_fellow else person,
        topic=topic,
        description=description.strip(),
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def expertise_request_assign(*, request: ExpertiseRequest, expert) -> ExpertiseRequest:
    """Name the expert who handles the request; a closed request cannot be reassigned."""
    request = ExpertiseRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == ExpertiseRequest.Status.CLOSED:
        raise ValidationError(_("La demande est close."), code="closed")
    request.expert = expert
    request.status = ExpertiseRequest.Status.ASSIGNED
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def expertise_request_close(*, request: ExpertiseRequest, resolution: str) -> ExpertiseRequest:
    """Close an assigned request with what was done about it."""
    request = ExpertiseRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExpertiseRequest.Status.ASSIGNED:
        raise ValidationError(
            _("Seule une demande attribuée à un expert peut être close."), code="not_assigned"
        )
    request.status = ExpertiseRequest.Status.CLOSED
    request.resolution = resolution.strip()
    request.closed_at = timezone.now()
    request.full_clean()
    request.save()
    return request


def _clean_outcome_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"unknown outcome fields: {sorted(unknown)}")
    cleaned = dict(values)
    if cleaned.get("is_maintained") is not True:
        cleaned["maintenance"] = ""
    for key in ("datasets", "reused_by"):
        cleaned[key] = [v.strip() for v in cleaned.get(key) or [] if v and v.strip()]
    return cleaned


@transaction.atomic
def outcome_record(
    *, challenge, as_of: date, source: str = Outcome.Source.COORDINATOR, **values: Any
) -> tuple[Outcome, bool]:
    """Record the défi's outcome at ``as_of``; the same date updates it (history kept).

    ``values`` are ``OUTCOME_FIELDS``; ``datasets`` / ``reused_by`` lists of strings.
    Returns ``(outcome, created)``. Raises ``ValidationError`` on invalid values.
    """
    cleaned = _clean_outcome_values(values)
    outcome = Outcome.objects.filter(challenge=challenge, as_of=as_of).first()
    created = outcome is None
    if created:
        outcome = Outcome(challenge=challenge, as_of=as_of)
    for key, value in cleaned.items():
        setattr(outcome, key, value)
    outcome.source = source
    outcome.full_clean()
    outcome.save()
    return outcome, created


@transaction.atomic
def outcome_requests_create(
    *, challenge, milestone: str, due_on: date
) -> list[tuple[OutcomeRequest, str]]:
    """Ask each mentor of the défi (with an email) for its outcome at ``milestone``.

    Idempotent on (défi, mentor, milestone). Returns ``(request, token)`` pairs created now.
    """
    created = []
    have = set(
        OutcomeRequest.objects.filter(challenge=challenge, milestone=milestone).values_list(
            "mentor_id", flat=True
        )
    )
    for mentor in challenge.mentors.exclude(email="").exclude(pk__in=have):
        request = OutcomeRequest(
            challenge=challenge, mentor=mentor, milestone=milestone, due_on=due_on
        )
        token = set_new_token(request)
        request.full_clean()
        request.save()
        created.append((request, token))
    return created


@transaction.atomic
def outcome_file(*, request: OutcomeRequest, **values: Any) -> Outcome:
    """A mentor files the défi's outcome from their link, dated the request's ``due_on``.

    Filing again from the same link updates the same dated outcome (history kept).
    """
    outcome, _created = outcome_record(
        challenge=request.challenge, as_of=request.due_on, source=Outcome.Source.MENTOR, **values
    )
    request.outcome = outcome
    request.save(update_fields=["outcome"])
    return outcome
