"""Proposed teams (« équipe proposée »): run the stable matching on a call, adjust, confirm.

The pool is the call's interviewed candidates (status ``interview`` or ``waiting_list``); a
seat is one défi and one profile, its capacity the opening's places of that profile minus the
candidates already selected there. A défi ranks the candidates who chose it by jury score
(best first; unscored last), then earliest submission, then id — a strict order.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .decisions import decision_select
from .matching import MatchingInput, deferred_acceptance
from .models import Application, ApplicationChoice, CallForApplications, ChallengeOpening, Placement
from .services import MATCHING_POOL as POOL

Status = Application.Status
Scores = Mapping[tuple[int, int], float | None]  # (application_id, challenge_id) → 1–5 or None


def seat_capacities(*, call: CallForApplications) -> dict[tuple[int, str], int]:
    """``{(challenge_id, profile): places left}`` for the call's openings (one query)."""
    capacities = {}
    selected = Q(challenge__selected_applications__status=Status.SELECTED)
    rows = ChallengeOpening.objects.filter(call=call).annotate(
        **{
            f"taken_{p}": Count(
                "challenge__selected_applications",
                filter=selected & Q(challenge__selected_applications__profile=p),
            )
            for p in ("developer", "designer", "data_scientist")
        }
    )
    for opening in rows:
        for profile in ("developer", "designer", "data_scientist"):
            left = opening.places(profile) - getattr(opening, f"taken_{profile}")
            capacities[(opening.challenge_id, profile)] = max(left, 0)
    return capacities


def matching_input(*, call: CallForApplications, scores: Scores) -> MatchingInput:
    """The stable matching's input for the call's pool (two queries plus ``scores``)."""
    choices = (
        ApplicationChoice.objects.filter(application__call=call, application__status__in=POOL)
        .values_list(
            "application_id",
            "challenge_id",
            "rank",
            "application__profile",
            "application__submitted_at",
        )
        .order_by("application_id", "rank")
    )
    preferences: dict[int, list] = {}
    by_seat: dict[tuple[int, str], list] = {}
    for application_id, challenge_id, _rank, profile, submitted_at in choices:
        seat = (challenge_id, profile)
        preferences.setdefault(application_id, []).append(seat)
        score = scores.get((application_id, challenge_id))
        key = (score is None, -(score or 0), submitted_at, application_id)
        by_seat.setdefault(seat, []).append((key, application_id))
    priorities = {
        seat: {app_id: i for i, (_key, app_id) in enumerate(sorted(entries))}
        for seat, entries in by_seat.items()
    }
    return MatchingInput(preferences, priorities, seat_capacities(call=call))


@transaction.atomic
def matching_propose(*, call: CallForApplications, scores: Scores) -> list[Placement]:
    """Replace the call's unconfirmed placements by the stable matching's proposal.

    ``scores``: the jury's weighted score (1–5) per (application, défi), see
    ``selectors.choice_scores``. Returns the new placements.
    """
    data = matching_input(call=call, scores=scores)
    result = deferred_acceptance(data)
    Placement.objects.filter(application__call=call, is_confirmed=False).delete()
    confirmed = set(
        Placement.objects.filter(application__call=call).values_list("application_id", flat=True)
    )
    placements = []
    for application_id, (challenge_id, _profile) in result.items():
        if application_id in confirmed:
            continue
        rank = data.preferences[application_id].index((challenge_id, _profile)) + 1
        placements.append(
            Placement(
                application_id=application_id, challenge_id=challenge_id, preference_rank=rank
            )
        )
    return Placement.objects.bulk_create(placements)


@transaction.atomic
def placement_set(*, application: Application, challenge, by) -> Placement:
    """A coordinator places the candidate on one of the défis they chose (replacing their
    unconfirmed placement). Raises ValidationError when the défi was not chosen, the candidate
    is not in the pool or the profile's places on the défi are all taken."""
    opening = ChallengeOpening.objects.select_for_update().get(challenge=challenge)
    choice = application.choices.filter(challenge=challenge).first()
    if choice is None or application.status not in POOL:
        raise ValidationError(
            _("Ce·tte candidat·e n'a pas choisi ce défi ou n'a pas passé d'entretien."),
            code="not_eligible",
        )
    existing = Placement.objects.filter(application=application).first()
    if existing is not None and existing.is_confirmed:
        raise ValidationError(_("Ce placement est déjà confirmé."), code="confirmed")
    held = (
        Placement.objects.filter(
            challenge=challenge, application__profile=application.profile, is_confirmed=False
        )
        .exclude(application=application)
        .count()
    )
    if held >= seat_capacities(call=opening.call)[(challenge.pk, application.profile)]:
        raise ValidationError(
            _("Toutes les places de ce profil sont pourvues sur ce défi."), code="full"
        )
    placement, _created = Placement.objects.update_or_create(
        application=application,
        defaults={"challenge": challenge, "preference_rank": choice.rank},
    )
    return placement


@transaction.atomic
def placement_remove(*, application: Application, by) -> None:
    """Remove the candidate's unconfirmed placement (nothing happens if there is none)."""
    Placement.objects.filter(application=application, is_confirmed=False).delete()


@transaction.atomic
def team_confirm(*, challenge, by) -> list:
    """Confirm the défi's proposed team: each placed candidate is selected and becomes a
    ``Fellow`` (exactly once, see ``decisions.decision_select``); all or nothing. Returns the
    Fellows."""
    fellows = []
    for placement in Placement.objects.filter(challenge=challenge).select_related("application"):
        fellows.append(
            decision_select(application=placement.application, challenge=challenge, by=by)
        )
    return fellows
