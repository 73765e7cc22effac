"""Per-object access of the call for candidates: a candidate reaches only their application, a
jury member only their défi's screened candidates, coordinators everything (404 otherwise)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Application, ApplicationChoice, JuryMember
from .services import SCREENED_IN


def is_coordinator(user) -> bool:
    """Active staff in the ``coordinators`` group, or a superuser."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name="coordinators").exists())
    )


def may_apply(user) -> bool:
    """True unless the account has another role: staff, administration agent or juror."""
    from challenges.calls.services import agent_profile_for

    if user.is_staff or agent_profile_for(user) is not None:
        return False
    return not (user.recruitment_juries.exists() or user.jury_assignments.exists())


def application_for_candidate_or_404(user, pk: int) -> Application:
    """The user's own application ``pk`` with its call (404 for anyone else's)."""
    return get_object_or_404(
        Application.objects.select_related("call__promotion"), pk=pk, candidate=user
    )


def membership_or_404(user, challenge_id: int) -> JuryMember:
    """The user's seat on the défi's recruitment jury (404 when not a member)."""
    return get_object_or_404(
        JuryMember.objects.select_related("challenge"), user=user, challenge_id=challenge_id
    )


def choice_for_member_or_404(member: JuryMember, choice_pk: int) -> ApplicationChoice:
    """A screened candidate's choice of the member's défi (404 otherwise, or in conflict)."""
    choice = get_object_or_404(
        ApplicationChoice.objects.select_related("application__call", "challenge"),
        pk=choice_pk,
        challenge_id=member.challenge_id,
        application__status__in=SCREENED_IN,
    )
    if member.conflicts.filter(application_id=choice.application_id).exists():
        raise Http404
    return choice
