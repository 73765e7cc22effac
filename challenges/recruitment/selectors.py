"""Reads of the call for candidates: figures per promotion, the jury's lists, waiting lists."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Application, ApplicationChoice, CallForApplications, ChallengeOpening

Status = Application.Status


def candidate_counts_by_promotion() -> dict[str, dict[int, int]]:
    """Per promotion, in one query: ``{"candidates": {promotion_id: n}, …}`` where
    ``candidates`` counts submitted applications (withdrawn ones included; drafts are not
    candidates) and ``candidates_interviewed_by_jury`` those with a jury interview held.
    Both survive the erasure of personal data (only names, email, CV and texts are erased)."""
    rows = (
        Application.objects.filter(submitted_at__isnull=False)
        .values("call__promotion_id")
        .annotate(n=Count("pk"), interviewed=Count("pk", filter=Q(interviewed=True)))
        .order_by()
    )
    counts: dict[str, dict[int, int]] = {"candidates": {}, "candidates_interviewed_by_jury": {}}
    for row in rows:
        counts["candidates"][row["call__promotion_id"]] = row["n"]
        counts["candidates_interviewed_by_jury"][row["call__promotion_id"]] = row["interviewed"]
    return counts


def calls_public() -> QuerySet[CallForApplications]:
    """Published calls for applications, latest closing first, with their promotion."""
    return CallForApplications.objects.filter(is_published=True).select_related("promotion")


def openings_of(*, call: CallForApplications) -> QuerySet[ChallengeOpening]:
    """The call's défis open to candidates, with défi and administration (one query)."""
    return (
        ChallengeOpening.objects.filter(call=call, is_open=True)
        .select_related("challenge__administration")
        .order_by("challenge__title")
    )


def waiting_list_next(*, challenge, profile: str) -> Application | None:
    """The best-placed candidate on the waiting list who chose ``challenge`` as ``profile``:
    best preference rank for that défi first, then earliest submission."""
    choice = (
        ApplicationChoice.objects.filter(
            challenge=challenge,
            application__status=Status.WAITING_LIST,
            application__profile=profile,
        )
        .select_related("application")
        .order_by("rank", "application__submitted_at", "application_id")
        .first()
    )
    return choice.application if choice else None


def jury_memberships_of(*, user) -> QuerySet:
    """The user's recruitment juries, with the défi (one query)."""
    from .models import JuryMember

    return (
        JuryMember.objects.filter(user=user)
        .select_related("challenge")
        .order_by("challenge__title")
    )


def jury_candidates(*, member) -> QuerySet[ApplicationChoice]:
    """The choices of the member's défi by candidates who passed screening, without those the
    member declared a conflict with, each with ``my_review`` prefetched (two queries).

    Rows expose ``application`` (name, profile, status) and the candidate's ``rank`` and
    ``motivation`` for this défi; never other members' scores.
    """
    from django.db.models import Prefetch

    from .models import ApplicationReview, JuryConflict
    from .services import SCREENED_IN

    conflicted = JuryConflict.objects.filter(member=member).values("application_id")
    return (
        ApplicationChoice.objects.filter(
            challenge_id=member.challenge_id, application__status__in=SCREENED_IN
        )
        .exclude(application_id__in=conflicted)
        .select_related("application")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=ApplicationReview.objects.filter(member=member),
                to_attr="my_reviews",
            )
        )
        .order_by("application__last_name", "application__first_name", "application_id")
    )
