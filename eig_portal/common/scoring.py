"""Weighted scoring and ranking by a jury, generic over what is reviewed (a proposal of the call
for projects; an application of the call for candidates), computed by the database.

Each review's weighted score is ``Σ(score × weight) / Σ(weight)`` over its criteria (scores
1–5); an object's figures aggregate its reviews' weighted scores:

- ``weighted_score`` (float or None): their mean; ``review_count`` (int): how many;
- ``score_min`` / ``score_max`` / ``score_spread`` (= max − min) and ``score_stddev``: the
  *population* standard deviation (STDDEV_POP — the jury is the whole population of opinions,
  not a sample; 0 for a single review);
- ``spread_flag`` (bool): ``score_spread >= spread_threshold``: jurors disagree.

All are correlated subqueries: the row query stays one query whatever the number of reviews.
"""

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    StdDev,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

#: Ranking order: best weighted score first, unscored last, then most reviewed, then oldest.
RANKING_ORDER = (F("weighted_score").desc(nulls_last=True), "-review_count", "pk")


class OverReviews(Subquery):
    """``(SELECT <function>(ws) FROM (<per-review weighted scores>) per_review)``.

    The inner queryset yields one row per review with its weighted score ``ws``; this aggregates
    those rows in SQL (an aggregate of an aggregate, which the ORM cannot express).
    """

    template = "(SELECT %(function)s(per_review.ws) FROM (%(subquery)s) per_review)"

    def __init__(self, queryset, *, function: str, output_field):
        super().__init__(queryset, output_field=output_field, function=function)


def per_review_weighted_scores(
    scores: QuerySet, *, review: str = "review_id", weight: str = "criterion__weight"
) -> QuerySet:
    """One row per review of ``scores`` (score rows already restricted to the counted reviews of
    the outer object, through ``OuterRef("pk")``) with its weighted score ``ws`` (float 1–5)."""
    weighted = Cast(Sum(F("score") * F(weight)), FloatField())
    return (
        scores.values(review).annotate(ws=weighted / Cast(Sum(weight), FloatField())).values("ws")
    )


def annotate_scores(
    queryset: QuerySet, *, per_review: QuerySet, spread_threshold: float
) -> QuerySet:
    """``queryset`` with the figures listed in the module docstring (no extra query)."""
    return (
        queryset.annotate(
            weighted_score=OverReviews(per_review, function="AVG", output_field=FloatField()),
            review_count=Coalesce(
                OverReviews(per_review, function="COUNT", output_field=IntegerField()), 0
            ),
            score_min=OverReviews(per_review, function="MIN", output_field=FloatField()),
            score_max=OverReviews(per_review, function="MAX", output_field=FloatField()),
            score_stddev=OverReviews(per_review, function="STDDEV_POP", output_field=FloatField()),
        )
        .annotate(score_spread=F("score_max") - F("score_min"))
        .annotate(
            spread_flag=Case(
                When(score_spread__gte=spread_threshold, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def annotate_stored_scores(
    queryset: QuerySet, *, score: str, counted: Q, spread_threshold: float
) -> QuerySet:
    """``queryset`` with the figures of the module docstring, from weighted scores STORED on
    the reviews (computed once when each review is saved) — one join grouped by object.

    ``score``: the lookup from the object to a review's stored weighted score (e.g.
    ``"jury_assignments__review__weighted_score"``); ``counted``: the condition, on the same
    relation, of the reviews that count. ``queryset`` must not itself join a multi-valued
    relation (its rows would be counted twice). Same figures as :func:`annotate_scores`.
    """
    counted = counted & Q(**{f"{score}__isnull": False})
    return (
        queryset.annotate(
            weighted_score=Avg(score, filter=counted),
            review_count=Count(score, filter=counted),
            score_min=Min(score, filter=counted),
            score_max=Max(score, filter=counted),
            score_stddev=StdDev(score, filter=counted, sample=False),
        )
        .annotate(score_spread=F("score_max") - F("score_min"))
        .annotate(
            spread_flag=Case(
                When(score_spread__gte=spread_threshold, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
