"""Alumni by current situation, per promotion: each alumni's latest situation by ``as_of``.

Counts (``int``) per situation key of ``AlumniSituation.Situation``; one query (the latest
situation is picked by a correlated subquery, so the query count does not grow with the data).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from .models import AlumniSituation

SITUATION_KEYS = [s.value for s in AlumniSituation.Situation]


def alumni_situations_by_promotion() -> dict[int, dict[str, int]]:
    """``{promotion_id: {situation: count}}`` from each alumni's latest situation (one query)."""
    latest = (
        AlumniSituation.objects.filter(profile=OuterRef("profile"))
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    rows = (
        AlumniSituation.objects.filter(pk=Subquery(latest))
        .order_by()
        .values("profile__fellow__promotion_id", "situation")
        .annotate(n=Count("pk"))
    )
    result: dict[int, dict[str, int]] = {}
    for r in rows:
        counts = result.setdefault(
            r["profile__fellow__promotion_id"], dict.fromkeys(SITUATION_KEYS, 0)
        )
        counts[r["situation"]] = r["n"]
    return result
