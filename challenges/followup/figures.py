"""Follow-up figures per promotion: outcomes of the défis and expertise requests.

- Outcomes: from each défi's latest outcome by ``as_of`` (ties: the latest recorded), counts of
  défis with an outcome, by production status, maintained, with a source-code URL
  (``open_source``), with at least one dataset (``open_data``) and at least one reuse
  (``reused``). Shares are these counts over ``challenges`` (0–1, two decimals half up).
- Expertise: EIG of the promotion who made at least one request, over the promotion's EIG
  (0–1, two decimals half up); requests by topic.
Each function issues one query whatever the data size.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery

from promotions.models import Fellow

from .models import ExpertiseRequest, Outcome

Status = Outcome.ProductionStatus
OUTCOME_KEYS = [
    "challenges",
    "in_production",
    "planned",
    "not_planned",
    "stopped",
    "maintained",
    "open_source",
    "open_data",
    "reused",
]
TOPIC_KEYS = [t.value for t in ExpertiseRequest.Topic]


def latest_outcomes():
    """Each défi's latest outcome (by ``as_of``, then id): a queryset of ``Outcome``."""
    latest = (
        Outcome.objects.filter(challenge=OuterRef("challenge"))
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    return Outcome.objects.filter(pk=Subquery(latest))


def outcome_counts_by_promotion() -> dict[int, dict[str, int]]:
    """``{promotion_id: {key: count}}`` for ``OUTCOME_KEYS`` from the latest outcomes."""
    rows = (
        latest_outcomes()
        .filter(challenge__promotion__isnull=False)
        .order_by()
        .values("challenge__promotion_id")
        .annotate(
            challenges=Count("pk"),
            in_production=Count("pk", filter=Q(production_status=Status.IN_PRODUCTION)),
            planned=Count("pk", filter=Q(production_status=Status.PLANNED)),
            not_planned=Count("pk", filter=Q(production_status=Status.NOT_PLANNED)),
            stopped=Count("pk", filter=Q(production_status=Status.STOPPED)),
            maintained=Count("pk", filter=Q(is_maintained=True)),
            open_source=Count("pk", filter=~Q(source_code_url="")),
            open_data=Count("pk", filter=~Q(datasets=[])),
            reused=Count("pk", filter=~Q(reused_by=[])),
        )
    )
    return {r.pop("challenge__promotion_id"): r for r in rows}


def expertise_by_promotion() -> dict[int, dict[str, object]]:
    """``{promotion_id: {"fellows", "fellows_with_request", "by_topic": {topic: n}}}``.

    ``fellows`` counts the promotion's EIG; ``fellows_with_request`` those who made at least one
    request (any status); ``by_topic`` counts the requests made by the promotion's EIG per topic.
    One query (distinct counts over the EIG and their requests).
    """
    fellows = (
        Fellow.objects.order_by()
        .values("promotion_id")
        .annotate(
            fellows=Count("pk", distinct=True),
            with_request=Count("pk", distinct=True, filter=Q(expertise_requests__isnull=False)),
            **{
                f"topic_{t}": Count(
                    "expertise_requests", distinct=True, filter=Q(expertise_requests__topic=t)
                )
                for t in TOPIC_KEYS
            },
        )
    )
    return {
        r["promotion_id"]: {
            "fellows": r["fellows"],
            "fellows_with_request": r["with_request"],
            "by_topic": {t: r[f"topic_{t}"] for t in TOPIC_KEYS},
        }
        for r in fellows
    }
