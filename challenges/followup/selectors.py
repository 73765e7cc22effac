"""Reads of each défi's follow-up: the coordinators' board, the weekly digest, the public
« Réalisations » and the personal links.

Every function issues a fixed number of queries whatever the data size (latest rows are picked
by correlated subqueries, not by loops).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from eig_portal.common.tokens import hash_token
from promotions.events.models import Event
from promotions.events.selectors import upcoming_events
from promotions.models import Promotion

from ..models import Challenge
from .models import FollowUpLink, Outcome, OutcomeRequest, ProgressCadence, ProgressUpdate

#: Days between two updates when the coordinators set no cadence for the promotion.
DEFAULT_CADENCE_DAYS = 14


def followup_link_by_token(token: str) -> FollowUpLink | None:
    """The follow-up link of a personal token, with its défi; ``None`` if unknown."""
    return (
        FollowUpLink.objects.select_related("challenge__promotion", "fellow", "mentor")
        .filter(token_hash=hash_token(token))
        .first()
    )


def outcome_request_by_token(token: str) -> OutcomeRequest | None:
    """The outcome request of a mentor's personal token; ``None`` if unknown."""
    return (
        OutcomeRequest.objects.select_related("challenge__promotion", "mentor", "outcome")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _latest_update(field: str):
    return Subquery(
        ProgressUpdate.objects.filter(challenge=OuterRef("pk"))
        .order_by("-posted_at", "-pk")
        .values(field)[:1]
    )


def _late_condition(promotions: list[Promotion], now: datetime) -> Q:
    """Défis whose latest update is older than their promotion's cadence (or who never posted)."""
    cadences = dict(
        ProgressCadence.objects.filter(promotion__in=promotions).values_list(
            "promotion_id", "every_days"
        )
    )
    condition = Q(last_posted_at__isnull=True)
    for promotion in promotions:
        days = cadences.get(promotion.pk, DEFAULT_CADENCE_DAYS)
        condition |= Q(promotion=promotion, last_posted_at__lt=now - timedelta(days=days))
    return condition


def followup_board(
    *, promotions: list[Promotion], now: datetime, only: str = ""
) -> QuerySet[Challenge]:
    """The défis of ``promotions`` with their latest update and ``is_late`` / ``last_blocked``.

    ``only``: ``"late"``, ``"blocked"`` or ``""`` (all). Two queries (cadences, then the défis).
    """
    late = _late_condition(promotions, now)
    board = (
        Challenge.objects.filter(promotion__in=promotions)
        .select_related("promotion", "administration")
        .annotate(
            last_posted_at=_latest_update("posted_at"),
            last_progress=_latest_update("progress"),
            last_blockers=_latest_update("blockers"),
            last_help_wanted=_latest_update("help_wanted"),
            last_blocked=_latest_update("is_blocked"),
        )
        .annotate(
            is_late=Case(
                When(late, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("promotion__rank", "title")
    )
    if only == "late":
        board = board.filter(is_late=True)
    elif only == "blocked":
        board = board.filter(last_blocked=True)
    return board


@dataclass(frozen=True)
class WeeklyDigest:
    """The week's updates and the coming fortnight's events of a promotion, and its readers."""

    promotion: Promotion
    week_start: datetime
    week_end: datetime
    updates: list[ProgressUpdate]
    events: list[Event]
    recipients: list[str]


def weekly_digest(*, promotion: Promotion, week_end: datetime) -> WeeklyDigest:
    """The digest of the 7 days before ``week_end`` (three queries).

    ``recipients``: the addresses of the promotion's follow-up links still subscribed, sorted,
    without duplicates.
    """
    week_start = week_end - timedelta(days=7)
    updates = list(
        ProgressUpdate.objects.filter(
            challenge__promotion=promotion, posted_at__gte=week_start, posted_at__lt=week_end
        )
        .select_related("challenge")
        .order_by("challenge__title", "-posted_at")
    )
    events = list(upcoming_events([promotion.pk], week_end, days=14))
    recipients = sorted(
        set(
            FollowUpLink.objects.filter(
                challenge__promotion=promotion, weekly_digest=True
            ).values_list("email", flat=True)
        )
    )
    return WeeklyDigest(promotion, week_start, week_end, updates, events, recipients)


def latest_outcome(challenge: Challenge) -> Outcome | None:
    """The défi's latest outcome by ``as_of`` (then most recently recorded); one query."""
    return challenge.outcomes.order_by("-as_of", "-pk").first()


def _latest_outcome_field(field: str):
    return Subquery(
        Outcome.objects.filter(challenge=OuterRef("pk")).order_by("-as_of", "-pk").values(field)[:1]
    )


def realisations(*, promotion: str = "", status: str = "", theme: str = "") -> QuerySet[Challenge]:
    """Published défis with an outcome, annotated with their latest outcome's fields.

    Filters: promotion slug, production status, theme slug (empty = no filter). Annotations:
    ``outcome_as_of``, ``outcome_status``, ``outcome_maintained``, ``outcome_users``,
    ``outcome_code``. Themes are prefetched (one more query).
    """
    queryset = (
        Challenge.objects.filter(is_public=True)
        .filter(Exists(Outcome.objects.filter(challenge=OuterRef("pk"))))
        .select_related("promotion", "administration")
        .annotate(
            outcome_as_of=_latest_outcome_field("as_of"),
            outcome_status=_latest_outcome_field("production_status"),
            outcome_maintained=_latest_outcome_field("is_maintained"),
            outcome_users=_latest_outcome_field("users"),
            outcome_code=_latest_outcome_field("source_code_url"),
        )
        .prefetch_related("themes")
        .order_by("-promotion__rank", "title")
    )
    if promotion:
        queryset = queryset.filter(promotion__slug=promotion)
    if status:
        queryset = queryset.filter(outcome_status=status)
    if theme:
        queryset = queryset.filter(themes__slug=theme)
    return queryset
