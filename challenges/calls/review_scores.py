"""The weighted score of each jury review, stored on the review (``Review.weighted_score``).

A review's weighted score is ``Σ(score × criterion.weight) / Σ(criterion.weight)`` over the
criteria it scored (1–5, a float; ``None`` without any score). It is computed once — when the
juror saves the review, and again for a whole call when its criteria's weights change — so the
ranking aggregates one stored number per review instead of recomputing it from the scores for
every figure of every proposal (``challenges.selectors.annotate_ranking``).
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, FloatField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from .models import CallForProjects, Review, ReviewScore


def weighted_score(pairs: Iterable[tuple[int, Decimal]]) -> float | None:
    """``Σ(score × weight) / Σ(weight)`` of ``(score, weight)`` pairs, ``None`` if empty.

    Scores are 1–5, weights positive Decimals; the result is a float on the 1–5 scale, the same
    value (same float division) as :func:`reviews_rescore` computes in the database.
    """
    pairs = list(pairs)
    total_weight = sum((Decimal(w) for _s, w in pairs), Decimal(0))
    if not pairs or not total_weight:
        return None
    return float(sum(Decimal(s) * Decimal(w) for s, w in pairs)) / float(total_weight)


def reviews_rescore(*, reviews: QuerySet[Review]) -> int:
    """Recompute ``weighted_score`` of ``reviews`` from their scores; one UPDATE.

    Returns the number of reviews updated. Used after the weights of a call's criteria change
    (:func:`call_reviews_rescore`) and by data loads that write scores in bulk.
    """
    per_review = (
        ReviewScore.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(
            ws=Cast(Sum(F("score") * F("criterion__weight")), FloatField())
            / Cast(Sum("criterion__weight"), FloatField())
        )
        .values("ws")
    )
    return reviews.update(weighted_score=Subquery(per_review, output_field=FloatField()))


def call_reviews_rescore(*, call: CallForProjects) -> int:
    """:func:`reviews_rescore` for every review of ``call`` (its criteria may have changed)."""
    return reviews_rescore(reviews=Review.objects.filter(assignment__proposal__call=call))
