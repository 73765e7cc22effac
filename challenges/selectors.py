"""Read-side queries of défis."""

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from .models import (
    CallForProjects,
    Challenge,
    ChallengeProposal,
    JuryAssignment,
    Review,
    ReviewScore,
)


def challenge_list_public() -> QuerySet[Challenge]:
    """Published défis with their promotion and administration, newest promotion first."""
    return (
        Challenge.objects.filter(is_public=True)
        .select_related("promotion", "administration")
        .order_by("-promotion__rank", "title")
    )


def challenge_list_public_page() -> QuerySet[Challenge]:
    """Published défis for the public list: ``challenge_list_public`` plus their themes."""
    return challenge_list_public().prefetch_related("themes")


def challenge_list_recent(*, limit: int = 6) -> list[Challenge]:
    """The « Défis récents » of the home page: up to ``limit`` published défis that have at least
    one EIG, newest promotion first (``Promotion.rank``), then newest publication date, then title.

    The promotion currently recruiting has no EIG yet, so its défis (still to be met) are left
    out rather than shown as if they had already been taken up. Two queries (défis, themes).
    """
    has_fellows = Challenge.fellows.through.objects.filter(challenge_id=OuterRef("pk"))
    return list(
        challenge_list_public_page()
        .filter(Exists(has_fellows))
        .order_by(
            F("promotion__rank").desc(nulls_last=True),
            F("published_at").desc(nulls_last=True),
            "title",
        )[:limit]
    )


def challenge_detail_public() -> QuerySet[Challenge]:
    """Published défis for their public page, annotated with counts of EIG (``n_fellows``, and
    ``n_developers``, ``n_designers``, ``n_data_scientists``) and ``n_mentors``; themes,
    expertises and key figures prefetched. No personal data is read."""
    from promotions.models import Fellow

    def fellows(profile=None):
        condition = Q(fellows__profile=profile) if profile else None
        return Count("fellows", filter=condition, distinct=True)

    return (
        challenge_list_public()
        .annotate(
            n_fellows=fellows(),
            n_developers=fellows(Fellow.Profile.DEVELOPER),
            n_designers=fellows(Fellow.Profile.DESIGNER),
            n_data_scientists=fellows(Fellow.Profile.DATA_SCIENTIST),
            n_mentors=Count("mentors", distinct=True),
        )
        .prefetch_related("themes", "expertises", "key_figures")
    )


# ---------------------------------------------------------------------------------------------
# Call for projects — figures, jury and ranking (issue 3, items 6 and 10; owner: h4).
# ---------------------------------------------------------------------------------------------

#: Spread (max − min of the jurors' weighted scores, on the 1–5 scale) from which a proposal is
#: flagged: jurors disagree by a point and a half or more.
SPREAD_FLAG_THRESHOLD = 1.5

#: Statuses of proposals that were received (the ranking and the comparison show these only).
RECEIVED_STATUSES = (
    ChallengeProposal.Status.SUBMITTED,
    ChallengeProposal.Status.UNDER_REVIEW,
    ChallengeProposal.Status.CORRECTION_REQUESTED,
    ChallengeProposal.Status.SELECTED,
    ChallengeProposal.Status.NOT_SELECTED,
)


def proposals_submitted_by_promotion() -> dict[int, int]:
    """Défi proposals received per promotion, from the portal's records: ``{promotion_id: count}``.

    Feeds the « Défis proposés » row of « Le programme en chiffres » (``promotions.figures``).
    Counted: proposals of the promotion's *published* calls that were submitted at least once
    (``submitted_at`` set) and are not withdrawn — a proposal sent back for correction still
    counts, a draft never does. A promotion without a published call is absent (« — »); a
    published call that received nothing gives 0. One query.
    """
    rows = (
        CallForProjects.objects.filter(is_published=True)
        .values("promotion_id")
        .annotate(
            received=Count(
                "proposals",
                filter=Q(proposals__submitted_at__isnull=False)
                & ~Q(proposals__status=ChallengeProposal.Status.WITHDRAWN),
            )
        )
        .order_by()
    )
    return {row["promotion_id"]: row["received"] for row in rows}


class _OverReviews(Subquery):
    """``(SELECT <function>(ws) FROM (<per-review weighted scores>) per_review)``.

    The inner queryset yields one row per submitted review with its weighted score ``ws``; this
    aggregates those rows in SQL (an aggregate of an aggregate, which the ORM cannot express).
    """

    template = "(SELECT %(function)s(per_review.ws) FROM (%(subquery)s) per_review)"

    def __init__(self, queryset, *, function: str, output_field):
        super().__init__(queryset, output_field=output_field, function=function)


def _per_review_weighted_scores():
    """Weighted score of each submitted, non-conflicted review of the outer proposal (1–5)."""
    weighted = Cast(Sum(F("score") * F("criterion__weight")), FloatField())
    return (
        ReviewScore.objects.filter(
            review__assignment__proposal=OuterRef("pk"),
            review__submitted_at__isnull=False,
            review__assignment__conflict_of_interest=False,
        )
        .values("review_id")
        .annotate(ws=weighted / Cast(Sum("criterion__weight"), FloatField()))
        .values("ws")
    )


def annotate_ranking(queryset: QuerySet[ChallengeProposal]) -> QuerySet[ChallengeProposal]:
    """Add the jury's figures to each proposal of ``queryset`` (no extra query).

    Annotations:

    - ``weighted_score`` (float 1–5 or None): mean over submitted reviews of each review's
      weighted mean ``Σ(score × criterion.weight) / Σ(criterion.weight)``;
    - ``review_count`` (int): submitted reviews; ``juror_count`` (int): jurors assigned and not
      in conflict;
    - ``score_min`` / ``score_max`` / ``score_spread`` (= max − min) of the reviews' weighted
      scores, and ``score_stddev``: the *population* standard deviation (STDDEV_POP — the jury
      is the whole population of opinions, not a sample; it is 0 for a single review);
    - ``spread_flag`` (bool): ``score_spread >= SPREAD_FLAG_THRESHOLD`` (1.5 points).

    Reviews of jurors who declared a conflict and unsubmitted reviews never count. Computed by
    the database with correlated subqueries, so the row query stays one query.
    """
    per_review = _per_review_weighted_scores()
    assigned = (
        JuryAssignment.objects.filter(proposal=OuterRef("pk"), conflict_of_interest=False)
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.annotate(
            weighted_score=_OverReviews(per_review, function="AVG", output_field=FloatField()),
            review_count=Coalesce(
                _OverReviews(per_review, function="COUNT", output_field=IntegerField()), 0
            ),
            score_min=_OverReviews(per_review, function="MIN", output_field=FloatField()),
            score_max=_OverReviews(per_review, function="MAX", output_field=FloatField()),
            score_stddev=_OverReviews(per_review, function="STDDEV_POP", output_field=FloatField()),
            juror_count=Coalesce(Subquery(assigned, output_field=IntegerField()), 0),
        )
        .annotate(score_spread=F("score_max") - F("score_min"))
        .annotate(
            spread_flag=Case(
                When(score_spread__gte=SPREAD_FLAG_THRESHOLD, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


#: Ranking order: best weighted score first, unscored last, then most reviewed.
RANKING_ORDER = (F("weighted_score").desc(nulls_last=True), "-review_count", "pk")


def proposal_ranking(*, call: CallForProjects) -> QuerySet[ChallengeProposal]:
    """Received proposals of ``call``, best weighted score first, with the jury's figures.

    Rows are ``ChallengeProposal`` (administration and défi selected) annotated as described in
    ``annotate_ranking``. ONE query whatever the number of proposals and reviews; drafts and
    withdrawn proposals are left out.
    """
    return annotate_ranking(
        ChallengeProposal.objects.filter(call=call, status__in=RECEIVED_STATUSES).select_related(
            "administration", "challenge"
        )
    ).order_by(*RANKING_ORDER)


def proposal_comparison(*, call: CallForProjects, proposal_ids: list[int]) -> dict:
    """Side-by-side comparison of proposals of ``call`` (usually two): three queries.

    Returns ``{"proposals": [ranked proposal, …] (in the order of ``proposal_ids``),
    "criteria": [Criterion, …], "rows": [{"criterion": Criterion, "means": [float | None, …]}]}``
    where ``means`` holds, per proposal, the mean score (1–5) of the criterion over submitted
    reviews. Unknown ids (or proposals of another call) are ignored.
    """
    ranked = {p.pk: p for p in proposal_ranking(call=call).filter(pk__in=proposal_ids)}
    proposals = [ranked[pk] for pk in proposal_ids if pk in ranked]
    criteria = list(call.criteria.all())
    means = {
        (row["review__assignment__proposal_id"], row["criterion_id"]): row["mean"]
        for row in ReviewScore.objects.filter(
            review__assignment__proposal_id__in=[p.pk for p in proposals],
            review__submitted_at__isnull=False,
            review__assignment__conflict_of_interest=False,
        )
        .values("review__assignment__proposal_id", "criterion_id")
        .annotate(mean=Avg(Cast("score", FloatField())))
        .order_by()
    }
    rows = [
        {"criterion": c, "means": [means.get((p.pk, c.pk)) for p in proposals]} for c in criteria
    ]
    return {"proposals": proposals, "criteria": criteria, "rows": rows}


def jury_assignments_of(*, juror) -> QuerySet[JuryAssignment]:
    """The juror's assignments without a declared conflict, with proposal, call and review."""
    return (
        JuryAssignment.objects.filter(juror=juror, conflict_of_interest=False)
        .select_related("proposal__call", "proposal__administration", "review")
        .order_by("proposal__call__closes_at", "proposal__title", "pk")
    )


def reviews_visible_to(*, assignment: JuryAssignment) -> list[Review] | None:
    """Other jurors' submitted reviews of the same proposal, with their scores — or ``None``.

    ``None`` while the juror's own review is not submitted: a juror must not be influenced by
    the others. Two queries (reviews with jurors, then scores with criteria).
    """
    if not _has_review(assignment) or assignment.review.submitted_at is None:
        return None
    return list(
        Review.objects.filter(
            assignment__proposal_id=assignment.proposal_id,
            assignment__conflict_of_interest=False,
            submitted_at__isnull=False,
        )
        .exclude(assignment=assignment)
        .select_related("assignment__juror")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("criterion"))
        )
        .order_by("submitted_at")
    )


def _has_review(assignment: JuryAssignment) -> bool:
    try:
        assignment.review  # noqa: B018 — reverse one-to-one raises when missing
    except Review.DoesNotExist:
        return False
    return True
