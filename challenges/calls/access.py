"""Per-object access to proposals: who may read, edit and download what (404 otherwise).

An agent sees the proposals of its administration: all of them once a coordinator confirmed
its membership (``AgentProfile.is_confirmed``), only those it created before that. Staff
(coordinators) read every proposal but edit none through the agent pages.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import CallForProjects, ChallengeProposal, ProposalAttachment
from .services import agent_profile_for


def proposals_of_agent(user) -> QuerySet[ChallengeProposal]:
    """Proposals the user may open as an agent: its administration's once confirmed, its own
    before (whether they may still be changed is ``services.proposal_is_editable``)."""
    profile = agent_profile_for(user)
    if profile is None:
        return ChallengeProposal.objects.none()
    qs = ChallengeProposal.objects.filter(administration_id=profile.administration_id)
    if not profile.is_confirmed:
        qs = qs.filter(created_by=user)
    return qs


def proposals_readable_by(user) -> QuerySet[ChallengeProposal]:
    """Proposals the user may read: its administration's as an agent; all of them as staff."""
    if getattr(user, "is_authenticated", False) and user.is_staff:
        return ChallengeProposal.objects.all()
    return proposals_of_agent(user)


def proposal_for_agent_or_404(user, pk: int) -> ChallengeProposal:
    """The proposal ``pk`` if the user is one of its administration's agents, else Http404."""
    try:
        return (
            proposals_of_agent(user).select_related("call__promotion", "administration").get(pk=pk)
        )
    except ChallengeProposal.DoesNotExist:
        raise Http404 from None


def proposal_for_reader_or_404(user, pk: int) -> ChallengeProposal:
    """The proposal ``pk`` if the user may read it (agent of its administration or staff)."""
    try:
        return (
            proposals_readable_by(user)
            .select_related("call__promotion", "administration")
            .get(pk=pk)
        )
    except ChallengeProposal.DoesNotExist:
        raise Http404 from None


def attachment_for_reader_or_404(user, proposal_pk: int, pk: int) -> ProposalAttachment:
    """The attachment if the user may read its proposal, else Http404."""
    proposal = proposal_for_reader_or_404(user, proposal_pk)
    try:
        return proposal.attachments.get(pk=pk)
    except ProposalAttachment.DoesNotExist:
        raise Http404 from None


def calls_public() -> QuerySet[CallForProjects]:
    """Published calls, the open ones first (closing soonest), with their promotion."""
    return CallForProjects.objects.filter(is_published=True).select_related("promotion")


def calls_open(now=None) -> QuerySet[CallForProjects]:
    """Published calls open at ``now`` (default: now), closing soonest first."""
    now = now or timezone.now()
    return calls_public().filter(opens_at__lte=now, closes_at__gte=now).order_by("closes_at")


def calls_upcoming_or_closed(now=None) -> tuple[QuerySet, QuerySet]:
    """Published calls not yet open and already closed (most recent first)."""
    now = now or timezone.now()
    base = calls_public()
    return (
        base.filter(opens_at__gt=now).order_by("opens_at"),
        base.filter(closes_at__lt=now).order_by("-closes_at")[:10],
    )
