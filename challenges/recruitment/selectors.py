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


def candidate_data(*, application: Application) -> dict:
    """Everything the candidate gave and what happened to it, JSON-able (never the jury's
    scores nor comments): identity, profile, links, choices with motivations, versions,
    status changes with their messages, interviews."""
    from .services import CANDIDATE_FIELDS

    data = {name: getattr(application, name) for name in CANDIDATE_FIELDS}
    data["available_from"] = (
        application.available_from.isoformat() if application.available_from else None
    )
    data.update(
        call=application.call.title,
        status=application.status,
        submitted_at=application.submitted_at.isoformat() if application.submitted_at else None,
        cv_name=application.cv_name,
        notice_acknowledged_at=(
            application.notice_acknowledged_at.isoformat()
            if application.notice_acknowledged_at
            else None
        ),
        choices=[
            {"rank": c.rank, "challenge": c.challenge.title, "motivation": c.motivation}
            for c in application.choices.select_related("challenge").order_by("rank")
        ],
        versions=[
            {"number": v.number, "submitted_at": v.submitted_at.isoformat(), "content": v.snapshot}
            for v in application.versions.order_by("number")
        ],
        status_changes=[
            {
                "at": s.at.isoformat(),
                "from": s.from_status,
                "to": s.to_status,
                "message": s.message,
            }
            for s in application.status_changes.order_by("at", "pk")
        ],
    )
    return data


def interview_board(*, challenge) -> dict:
    """A défi's interview board (three queries): ``slots`` (with their interview and
    candidate), ``interviews`` (invitations, booked or not) and ``invitable`` (screened
    candidates who chose the défi and are not invited yet)."""
    from .models import Interview, InterviewSlot

    interviews = list(
        Interview.objects.filter(challenge=challenge)
        .select_related("application", "slot")
        .order_by("slot__starts_at", "application__last_name")
    )
    invited = {i.application_id for i in interviews}
    invitable = [
        c.application
        for c in ApplicationChoice.objects.filter(
            challenge=challenge, application__status__in=(Status.PRESELECTED, Status.INTERVIEW)
        )
        .select_related("application")
        .order_by("application__last_name", "application_id")
        if c.application_id not in invited
    ]
    slots = list(
        InterviewSlot.objects.filter(challenge=challenge)
        .select_related("interview__application")
        .order_by("starts_at")
    )
    return {"slots": slots, "interviews": interviews, "invitable": invitable}


def matching_board(*, call: CallForApplications) -> dict:
    """The matching page (four queries): ``teams`` = per open défi ``{"opening", "members":
    [placement with ``score``], "places"}`` and ``unplaced`` = pool candidates without a
    placement, each with their choices."""
    from .models import Placement
    from .services import MATCHING_POOL as POOL

    scores = choice_scores(call=call)
    placed = list(
        Placement.objects.filter(application__call=call)
        .select_related("application", "challenge")
        .order_by("challenge__title", "preference_rank")
    )
    by_challenge: dict[int, list] = {}
    for placement in placed:
        placement.score = scores.get((placement.application_id, placement.challenge_id))
        by_challenge.setdefault(placement.challenge_id, []).append(placement)
    teams = [
        {"opening": o, "members": by_challenge.get(o.challenge_id, [])}
        for o in openings_of(call=call)
    ]
    placed_ids = {p.application_id for p in placed}
    unplaced = [
        a
        for a in Application.objects.filter(call=call, status__in=POOL)
        .prefetch_related("choices__challenge")
        .order_by("last_name", "pk")
        if a.pk not in placed_ids
    ]
    return {"teams": teams, "unplaced": unplaced}


#: A spread (max − min of the members' weighted scores) from which the ranking flags the
#: candidate as dividing the jury, in points on the 1–5 scale (as for the call for projects).
SPREAD_FLAG_THRESHOLD = 1.5


def annotate_choice_ranking(queryset: QuerySet[ApplicationChoice]) -> QuerySet:
    """Add the jury's figures to each choice with the portal's one scoring engine
    (``eig_portal.common.scoring``): ``weighted_score`` (mean of the submitted reviews'
    Σ(score × weight) / Σ(weight), 1–5, None when unscored), ``review_count``, ``score_min`` /
    ``score_max`` / ``score_spread``, ``score_stddev`` and ``spread_flag`` (spread ≥ 1.5).
    Reviews of members who declared a conflict are deleted at declaration: they never count.
    No extra query (correlated subqueries)."""
    from django.db.models import OuterRef

    from eig_portal.common.scoring import annotate_scores, per_review_weighted_scores

    from .models import ApplicationReviewScore

    scores = ApplicationReviewScore.objects.filter(
        review__choice=OuterRef("pk"), review__submitted_at__isnull=False
    )
    return annotate_scores(
        queryset,
        per_review=per_review_weighted_scores(scores),
        spread_threshold=SPREAD_FLAG_THRESHOLD,
    )


def choice_ranking(*, challenge) -> QuerySet[ApplicationChoice]:
    """The défi's screened candidates, best weighted score first (unscored last, then most
    reviewed), with the figures of ``annotate_choice_ranking``. One query."""
    from django.db.models import F

    from .services import SCREENED_IN

    return annotate_choice_ranking(
        ApplicationChoice.objects.filter(
            challenge=challenge, application__status__in=SCREENED_IN
        ).select_related("application")
    ).order_by(F("weighted_score").desc(nulls_last=True), "-review_count", "application_id")


def choice_scores(*, call: CallForApplications) -> dict[tuple[int, int], float]:
    """``{(application_id, challenge_id): weighted score 1–5}`` of the call's scored choices,
    for the matching: the mean of the submitted reviews' weighted scores, each computed by the
    portal's scoring engine (``eig_portal.common.scoring.per_review_weighted_scores``) — the
    ranking's ``weighted_score``. One grouped query (one row per review, no correlated
    subquery: 18,000 reviews at 2,000 applications); the mean per choice is taken here."""
    from eig_portal.common.scoring import per_review_weighted_scores

    from .models import ApplicationReviewScore

    scores = ApplicationReviewScore.objects.filter(
        review__choice__application__call=call, review__submitted_at__isnull=False
    )
    rows = per_review_weighted_scores(scores).values_list(
        "review__choice__application_id", "review__choice__challenge_id", "ws"
    )
    sums: dict[tuple[int, int], list[float]] = {}
    for application_id, challenge_id, ws in rows.order_by():
        total = sums.setdefault((application_id, challenge_id), [0.0, 0])
        total[0] += ws
        total[1] += 1
    return {key: total / count for key, (total, count) in sums.items()}
