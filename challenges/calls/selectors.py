"""Read-side queries of the call for projects: received proposals, jury ranking, assignments."""

from copy import copy

from django.db.models import (
    Avg,
    Count,
    FloatField,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast

from eig_portal.common import scoring

from .models import (
    CallForProjects,
    ChallengeProposal,
    JuryAssignment,
    ProposalStatusChange,
    Review,
    ReviewScore,
)
from .services import EDITABLE_FIELDS, snapshot_value

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


def annotate_ranking(queryset: QuerySet[ChallengeProposal]) -> QuerySet[ChallengeProposal]:
    """Add the jury's figures to each proposal of ``queryset`` (no extra query).

    Annotations (``eig_portal.common.scoring.annotate_stored_scores``, plus ``juror_count``):

    - ``weighted_score`` (float 1–5 or None): mean over submitted reviews of each review's
      weighted mean ``Σ(score × criterion.weight) / Σ(criterion.weight)``;
    - ``review_count`` (int): submitted reviews; ``juror_count`` (int): jurors assigned and not
      in conflict;
    - ``score_min`` / ``score_max`` / ``score_spread`` (= max − min) of the reviews' weighted
      scores, and ``score_stddev``: the *population* standard deviation (STDDEV_POP — the jury
      is the whole population of opinions, not a sample; it is 0 for a single review);
    - ``spread_flag`` (bool): ``score_spread >= SPREAD_FLAG_THRESHOLD`` (1.5 points).

    Reviews of jurors who declared a conflict and unsubmitted reviews never count. Each review's
    weighted mean is stored when it is saved (``Review.weighted_score``, kept by
    ``challenges.calls.review_scores``): the figures are ONE join of the proposals to their
    assignments and reviews, grouped by proposal (``scoring.annotate_stored_scores``).
    """
    ranked = scoring.annotate_stored_scores(
        queryset,
        score="jury_assignments__review__weighted_score",
        counted=Q(
            jury_assignments__conflict_of_interest=False,
            jury_assignments__review__submitted_at__isnull=False,
        ),
        spread_threshold=SPREAD_FLAG_THRESHOLD,
    )
    return ranked.annotate(
        juror_count=Count(
            "jury_assignments", filter=Q(jury_assignments__conflict_of_interest=False)
        )
    )


#: Ranking order (``eig_portal.common.scoring``): best weighted score first, unscored last.
RANKING_ORDER = scoring.RANKING_ORDER


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


def attachments_submitted(proposal):
    """The attachments of the proposal's last submitted version (ids recorded in its snapshot),
    not files added since; none before a first submission. One or two queries."""
    from .models import ProposalAttachment

    version = proposal.versions.order_by("-number").first()
    if version is None:
        return ProposalAttachment.objects.none()
    ids = [item.get("id") for item in version.snapshot.get("attachments", [])]
    return proposal.attachments.filter(pk__in=[i for i in ids if isinstance(i, int)])


def proposal_submitted_content(*, proposal: ChallengeProposal) -> ChallengeProposal:
    """The proposal as last submitted: an unsaved copy whose agent-filled fields come from the
    last ``ProposalVersion`` snapshot (the version that counts for the jury and the selection).

    Fields absent from the snapshot (older versions, or a proposal never submitted) keep the
    live value, so a proposal without unsubmitted changes reads the same either way. The copy
    must not be saved (its primary key is kept for the mentors' administration and the links).
    """
    version = proposal.versions.order_by("-number").first()
    snapshot = version.snapshot if version is not None else {}
    content = copy(proposal)
    for name in EDITABLE_FIELDS:
        setattr(content, name, snapshot_value(snapshot, name, getattr(proposal, name)))
    return content


def proposal_correction_request(*, proposal: ChallengeProposal) -> ProposalStatusChange | None:
    """The coordinator's pending correction request (the latest change to « correction
    demandée », with its message) while the proposal is in that status; None otherwise."""
    if proposal.status != ChallengeProposal.Status.CORRECTION_REQUESTED:
        return None
    return (
        proposal.status_changes.filter(to_status=ChallengeProposal.Status.CORRECTION_REQUESTED)
        .order_by("-at", "-pk")
        .first()
    )


def proposals_left_without_juror() -> QuerySet[ChallengeProposal]:
    """Proposals under consideration (submitted or under review) whose every juror declared a
    conflict of interest: at least one assignment, none left to score them. Flagged for the
    coordinators (admin home and proposals list) so that someone else is assigned."""
    return (
        ChallengeProposal.objects.filter(
            status__in=[ChallengeProposal.Status.SUBMITTED, ChallengeProposal.Status.UNDER_REVIEW],
            jury_assignments__conflict_of_interest=True,
        )
        .exclude(jury_assignments__conflict_of_interest=False)
        .distinct()
    )
