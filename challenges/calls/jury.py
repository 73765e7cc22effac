"""Jury services: assign jurors, declare conflicts, save and submit reviews.

Writes only; reads are in ``challenges.calls.selectors`` (``jury_assignments_of``,
``reviews_visible_to``, ``proposal_ranking``). Every service is keyword-only, runs in one
transaction and raises ``ValidationError`` (rule broken) or ``PermissionDenied`` (wrong person).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .models import (
    REVIEWABLE_STATUSES,
    AgentProfile,
    ChallengeProposal,
    JuryAssignment,
    Review,
    ReviewScore,
)
from .review_scores import weighted_score

#: Group of the jury members; coordinators pick jurors among its users (and staff).
JURY_GROUP = "jury"


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
    ``ValidationError`` if a proposal is not submitted or under review. Each juror with new
    assignments gets one email listing them (queued on commit). Four queries plus one insert,
    whatever the sizes.
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
        _notify_new_assignments(new)
    return len(new)


def _notify_new_assignments(new: list[JuryAssignment]) -> None:
    """Queue one email per juror listing their new assignments. One query: the ids,
    which ``bulk_create(ignore_conflicts=True)`` does not return."""

    if not new:
        return
    pairs = {(a.proposal_id, a.juror_id) for a in new}
    by_juror: dict[int, list[int]] = {}
    rows = JuryAssignment.objects.filter(
        proposal_id__in={p for p, _j in pairs}, juror_id__in={j for _p, j in pairs}
    ).values_list("pk", "proposal_id", "juror_id")
    for pk, proposal_id, juror_id in rows:
        if (proposal_id, juror_id) in pairs:
            by_juror.setdefault(juror_id, []).append(pk)
    for juror_id, assignment_ids in sorted(by_juror.items()):
        notifications.jurors_assigned(juror_id, sorted(assignment_ids))


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
        locked = _assignment_open_for_review(assignment)
        review, _created = Review.objects.get_or_create(assignment=locked)
        if review.submitted_at is not None:
            raise ValidationError(
                _("Votre évaluation est déjà soumise ; elle n'est plus modifiable.")
            )
        criteria = {c.pk: c for c in locked.proposal.call.criteria.all()}
        _check_scores(criteria, scores, score_comments, submit=submit)
        _replace_scores(review, criteria, scores, score_comments)
        review.comment = (comment or "").strip()
        review.weighted_score = weighted_score(
            (scores[pk], criterion.weight)
            for pk, criterion in criteria.items()
            if scores.get(pk) is not None
        )
        if submit:
            review.submitted_at = timezone.now()
        review.save(update_fields=["comment", "submitted_at", "weighted_score", "updated_at"])
    return review


def review_save_for_confirmation(
    *,
    assignment: JuryAssignment,
    by,
    scores: Mapping[int, int | None],
    score_comments: Mapping[int, str] | None = None,
    comment: str = "",
) -> Review:
    """First step of submitting: save the review as a draft (nothing typed is lost), then check
    it is complete enough to submit; the juror then confirms (``review_submit_saved``).

    Arguments as ``review_save``. Raises what it raises, and ``ValidationError`` (``{"score_<id>":
    message}``) when a score is missing — the draft being saved all the same.
    """
    review = review_save(
        assignment=assignment, by=by, scores=scores, score_comments=score_comments, comment=comment
    )
    criteria = {c.pk: c for c in assignment.proposal.call.criteria.all()}
    _check_scores(criteria, scores, score_comments or {}, submit=True)
    return review


def review_submit_saved(*, assignment: JuryAssignment, by) -> Review:
    """Submit the juror's saved draft as it is, once they confirmed (irreversible).

    Raises ``ValidationError`` when there is no draft, and what ``review_save`` raises.
    """
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    if review is None:
        raise ValidationError(_("Aucune évaluation enregistrée à soumettre."))
    saved = list(review.scores.all())
    return review_save(
        assignment=assignment,
        by=by,
        scores={s.criterion_id: s.score for s in saved},
        score_comments={s.criterion_id: s.comment for s in saved},
        comment=review.comment,
        submit=True,
    )


def _assignment_open_for_review(assignment: JuryAssignment) -> JuryAssignment:
    """The assignment, locked, if its juror may still score it; else ``ValidationError``."""
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
    return locked


def _score_error(criterion, value, comment: str, *, submit: bool):
    """The message for one criterion's score, or None when the score is acceptable."""
    if value is None and comment.strip():
        # A comment is stored with its score: refuse rather than silently drop it.
        return _("Notez « %(label)s » pour enregistrer votre commentaire sur ce critère.") % {
            "label": criterion.label
        }
    if value is None:
        return _("Notez « %(label)s » de 1 à 5.") % {"label": criterion.label} if submit else None
    if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        return _("La note de « %(label)s » va de 1 à 5.") % {"label": criterion.label}
    return None


def _check_scores(criteria: dict, scores, score_comments, *, submit: bool) -> None:
    """``ValidationError`` for an unknown criterion, a call without criteria at submission, or
    scores refused by ``_score_error`` (as ``{"score_<criterion id>": message}``)."""
    for criterion_id in set(scores) | set(score_comments):
        if criterion_id not in criteria:
            raise ValidationError(
                _("Critère inconnu pour cet appel : %(id)s.") % {"id": criterion_id}
            )
    errors = {}
    for criterion_id, criterion in criteria.items():
        comment = score_comments.get(criterion_id) or ""
        error = _score_error(criterion, scores.get(criterion_id), comment, submit=submit)
        if error:
            errors[f"score_{criterion_id}"] = error
    if submit and not criteria:
        raise ValidationError(_("Cet appel n'a pas encore de critères de notation."))
    if errors:
        raise ValidationError(errors)


def _replace_scores(review: Review, criteria: dict, scores, score_comments) -> None:
    """The review's scores (with their comments) replaced by the given ones."""
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


# --- jury members invited by the coordinators ----------------------------------------------
# Coordinators may not add users in Django's user admin (auth.add_user / change_user would let
# them make anyone superuser); this is their one narrow way to create an account: a jury member.

#: Permission that lets a staff member invite jurors (the ``coordinators`` group has it).
INVITE_PERMISSION = "challenges.add_juryassignment"


@dataclass(frozen=True)
class JurorInvitation:
    """Result of ``juror_invite``: the pending invitation (``RoleInvitation``) and the existing
    account using the address, if any (it gets the role only once the link is opened)."""

    invitation: object
    existing_user: object | None


def juror_grant(user, context: dict | None = None) -> None:
    """Give ``user`` the jury role (the ``jury`` group); called when an invitation is accepted
    (``context`` unused)."""
    jury_group().user_set.add(user)


def juror_may_be_invited_by(user) -> bool:
    """True for active staff holding ``INVITE_PERMISSION`` (coordinators, superusers)."""
    from eig_portal.common.access import user_is_coordinator

    return user_is_coordinator(user, INVITE_PERMISSION)


def juror_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    invited_by,
    role: str = JURY_GROUP,
    context: dict | None = None,
) -> JurorInvitation:
    """Invite ``email`` to the jury: a single-use link valid ``INVITATION_VALID_DAYS`` days.

    Nothing is granted now: the person who opens the link (so who controls the mailbox)
    chooses their password there and only then joins the ``jury`` group
    (``eig_portal.common.invitations``), so an account someone else created with that address
    gets no access. The email is queued on commit; inviting the same address again sends a
    fresh link and voids the previous one. Raises ``PermissionDenied`` unless ``invited_by``
    may invite (``juror_may_be_invited_by``), ``ValidationError`` (dict keyed by form field)
    for an invalid email or a deactivated account.
    """
    from django.contrib.auth import get_user_model
    from django.core.validators import validate_email

    from eig_portal.common.invitations import role_invitation_create

    from . import notifications

    if not juror_may_be_invited_by(invited_by):
        raise PermissionDenied
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Saisissez une adresse électronique valide.")}) from None
    existing = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
    if existing is not None and not existing.is_active:
        raise ValidationError(
            {"email": _("Ce compte est désactivé : un administrateur doit le réactiver.")}
        )
    with transaction.atomic():
        invitation, token = role_invitation_create(
            email=email,
            role=role,
            context=context,
            invited_by=invited_by,
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
        )
        notifications.juror_invited(invitation.pk, token)
    return JurorInvitation(invitation=invitation, existing_user=existing)
