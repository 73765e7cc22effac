"""Jury services (issue 3, item 6): assign jurors, declare conflicts, save and submit reviews.

Writes only; reads are in ``challenges.selectors`` (``jury_assignments_of``,
``reviews_visible_to``, ``proposal_ranking``). Every service is keyword-only, runs in one
transaction and raises ``ValidationError`` (rule broken) or ``PermissionDenied`` (wrong person).
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AgentProfile, ChallengeProposal, JuryAssignment, Review, ReviewScore

#: Group of the jury members; coordinators pick jurors among its users (and staff).
JURY_GROUP = "jury"

#: A proposal can be given to the jury, and scored, in these statuses only.
REVIEWABLE_STATUSES = (
    ChallengeProposal.Status.SUBMITTED,
    ChallengeProposal.Status.UNDER_REVIEW,
)

SCORE_MIN, SCORE_MAX = 1, 5


def jury_group() -> Group:
    """The ``jury`` group (created on first use)."""
    group, _created = Group.objects.get_or_create(name=JURY_GROUP)
    return group


def jury_assign(*, proposals: Iterable[ChallengeProposal], jurors: Iterable, by) -> int:
    """Assign every juror to every proposal (bulk); return the number of new assignments.

    Existing assignments (including those with a declared conflict) are left as they are, so
    running it twice changes nothing. A juror who is an agent of the proposal's administration
    is skipped (structural conflict of interest). Jurors join the ``jury`` group. Raises
    ``ValidationError`` if a proposal is not submitted or under review. Three queries plus one
    insert, whatever the sizes.
    """
    proposals = list(proposals)
    jurors = list(jurors)
    not_reviewable = [p for p in proposals if p.status not in REVIEWABLE_STATUSES]
    if not_reviewable:
        raise ValidationError(
            _("Seules les candidatures déposées ou en cours d'examen vont au jury : %(titles)s.")
            % {"titles": ", ".join(str(p) for p in not_reviewable)}
        )
    if not proposals or not jurors:
        return 0
    with transaction.atomic():
        existing = set(
            JuryAssignment.objects.filter(proposal__in=proposals, juror__in=jurors).values_list(
                "proposal_id", "juror_id"
            )
        )
        agent_of = dict(
            AgentProfile.objects.filter(user__in=jurors).values_list("user_id", "administration_id")
        )
        new = [
            JuryAssignment(proposal=p, juror=j, assigned_by=by)
            for p in proposals
            for j in jurors
            if (p.pk, j.pk) not in existing and agent_of.get(j.pk) != p.administration_id
        ]
        JuryAssignment.objects.bulk_create(new, ignore_conflicts=True)
        jury_group().user_set.add(*jurors)
    return len(new)


def jury_unassign(*, assignment: JuryAssignment) -> None:
    """Remove a juror from a proposal (coordinator), unless their review is already submitted."""
    with transaction.atomic():
        locked = JuryAssignment.objects.select_for_update().get(pk=assignment.pk)
        if Review.objects.filter(assignment=locked, submitted_at__isnull=False).exists():
            raise ValidationError(_("Cette évaluation est déjà soumise : l'affectation reste."))
        locked.delete()


def jury_declare_conflict(*, assignment: JuryAssignment, by) -> JuryAssignment:
    """The juror declares a conflict of interest: excluded from the proposal from now on.

    Only the juror themself may declare it. Any review they began (or submitted) is deleted so
    it never counts; the assignment stays, flagged, as the record of the declaration.
    Declaring twice is harmless.
    """
    if by.pk != assignment.juror_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = JuryAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.conflict_of_interest:
            return locked
        Review.objects.filter(assignment=locked).delete()
        locked.conflict_of_interest = True
        locked.conflict_declared_at = timezone.now()
        locked.save(update_fields=["conflict_of_interest", "conflict_declared_at"])
    return locked


def review_save(
    *,
    assignment: JuryAssignment,
    by,
    scores: Mapping[int, int | None],
    score_comments: Mapping[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save the juror's review of a proposal (draft), or submit it (``submit=True``).

    ``scores`` maps criterion id → score 1–5 (or None, allowed in a draft only);
    ``score_comments`` maps criterion id → comment. Submitting requires a score for every
    criterion of the call and freezes the review (``submitted_at`` is set; later saves are
    refused). Raises ``PermissionDenied`` if ``by`` is not the juror, ``ValidationError`` if the
    juror declared a conflict, the proposal is no longer under review, a criterion is unknown, a
    score is outside 1–5, or a score is missing at submission — the latter two as a dict
    ``{"score_<criterion id>": message}`` (the jury form's field names).
    """
    if by.pk != assignment.juror_id:
        raise PermissionDenied
    score_comments = score_comments or {}
    with transaction.atomic():
        locked = (
            JuryAssignment.objects.select_for_update()
            .select_related("proposal__call")
            .get(pk=assignment.pk)
        )
        if locked.conflict_of_interest:
            raise ValidationError(
                _("Vous avez déclaré un conflit d'intérêts : vous ne notez pas ce défi.")
            )
        if locked.proposal.status not in REVIEWABLE_STATUSES:
            raise ValidationError(_("Cette candidature n'est plus en cours d'examen."))
        review, _created = Review.objects.get_or_create(assignment=locked)
        if review.submitted_at is not None:
            raise ValidationError(
                _("Votre évaluation est déjà soumise ; elle n'est plus modifiable.")
            )
        criteria = {c.pk: c for c in locked.proposal.call.criteria.all()}
        errors = {}
        for criterion_id in set(scores) | set(score_comments):
            if criterion_id not in criteria:
                raise ValidationError(
                    _("Critère inconnu pour cet appel : %(id)s.") % {"id": criterion_id}
                )
        for criterion_id, criterion in criteria.items():
            value = scores.get(criterion_id)
            if value is None:
                if submit:
                    errors[criterion_id] = _("Notez « %(label)s » de 1 à 5.") % {
                        "label": criterion.label
                    }
            elif not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
                errors[criterion_id] = _("La note de « %(label)s » va de 1 à 5.") % {
                    "label": criterion.label
                }
        if submit and not criteria:
            raise ValidationError(_("Cet appel n'a pas encore de critères de notation."))
        if errors:
            raise ValidationError({f"score_{k}": m for k, m in errors.items()})
        ReviewScore.objects.filter(review=review).delete()
        ReviewScore.objects.bulk_create(
            [
                ReviewScore(
                    review=review,
                    criterion_id=criterion_id,
                    score=scores[criterion_id],
                    comment=(score_comments.get(criterion_id) or "").strip(),
                )
                for criterion_id in criteria
                if scores.get(criterion_id) is not None
            ]
        )
        review.comment = (comment or "").strip()
        if submit:
            review.submitted_at = timezone.now()
        review.save(update_fields=["comment", "submitted_at", "updated_at"])
    return review
