"""Reads of the call for candidates: figures per promotion, the jury's lists, waiting lists."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Application, ApplicationChoice, CallForApplications, ChallengeOpening

Status = Application.Status


def candidates_by_promotion() -> dict[int, int]:
    """``{promotion_id: n}``: submitted applications per promotion, withdrawn ones included
    (drafts are not candidates). One query; survives the erasure of personal data."""
    rows = (
        Application.objects.filter(submitted_at__isnull=False)
        .values("call__promotion_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["call__promotion_id"]: row["n"] for row in rows}


def candidates_interviewed_by_promotion() -> dict[int, int]:
    """``{promotion_id: n}``: applications with a jury interview held, per promotion. One
    query; a promotion with submitted applications but no interview counts 0."""
    rows = (
        Application.objects.filter(submitted_at__isnull=False)
        .values("call__promotion_id")
        .annotate(n=Count("pk", filter=Q(interviewed=True)))
        .order_by()
    )
    return {row["call__promotion_id"]: row["n"] for row in rows}


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
