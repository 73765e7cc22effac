"""Recruitment juries: one per défi (its mentors, coordinators, outside members), conflicts of
interest, and each member's review of the candidates who chose the défi and passed screening.

Writes only; the jury's reads (candidates list, per-défi ranking) are in ``selectors``.
Raises ``PermissionDenied`` for the wrong person and ``ValidationError`` for a broken rule.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ApplicationChoice,
    ApplicationReview,
    ApplicationReviewScore,
    JuryConflict,
    JuryMember,
)
from .services import SCREENED_IN

SCORE_MIN, SCORE_MAX = 1, 5


@transaction.atomic
def jury_member_add(*, challenge, user, kind: str, by, mentor=None) -> JuryMember:
    """Put ``user`` on the défi's recruitment jury (idempotent; the kind is updated)."""
    member, _created = JuryMember.objects.update_or_create(
        challenge=challenge, user=user, defaults={"kind": kind, "mentor": mentor}
    )
    return member


def jury_invite_mentors(*, challenge, by) -> list[JuryMember]:
    """Invite each mentor of the défi who has an email to an account (the call for projects'
    juror invitation: password link by email) and seat them on the défi's jury.

    Raises ``PermissionDenied`` unless ``by`` may invite jurors (coordinators).
    """
    from challenges.calls.jury import juror_invite

    members = []
    for mentor in challenge.mentors.exclude(email=""):
        invitation = juror_invite(
            email=mentor.email, first_name=mentor.name, last_name="", invited_by=by
        )
        members.append(
            jury_member_add(
                challenge=challenge,
                user=invitation.user,
                kind=JuryMember.Kind.MENTOR,
                by=by,
                mentor=mentor,
            )
        )
    return members


def _ensure_reviewable(member: JuryMember, choice: ApplicationChoice, by) -> None:
    if by.pk != member.user_id:
        raise PermissionDenied
    if choice.challenge_id != member.challenge_id:
        raise PermissionDenied
    if choice.application.status not in SCREENED_IN:
        raise ValidationError(
            _("Cette candidature n'a pas passé la présélection."), code="not_screened"
        )


@transaction.atomic
def jury_declare_conflict(*, member: JuryMember, choice: ApplicationChoice, by) -> JuryConflict:
    """Declare a conflict of interest with a candidate: the member's review of them is
    deleted and they no longer see nor score them (idempotent)."""
    _ensure_reviewable(member, choice, by)
    conflict, _created = JuryConflict.objects.get_or_create(
        member=member,
        application_id=choice.application_id,
        defaults={"declared_at": timezone.now()},
    )
    ApplicationReview.objects.filter(
        member=member, choice__application_id=choice.application_id
    ).delete()
    return conflict


def _score_errors(criteria, scores: Mapping[int, int | None], submit: bool) -> dict[str, str]:
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError(_("Critère inconnu pour cet appel."), code="criterion")
    errors = {}
    for criterion_id, criterion in criteria.items():
        value = scores.get(criterion_id)
        if value is None:
            if submit:
                errors[f"score_{criterion_id}"] = _("Notez « %(label)s » de 1 à 5.") % {
                    "label": criterion.label
                }
        elif not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            errors[f"score_{criterion_id}"] = _("La note de « %(label)s » va de 1 à 5.") % {
                "label": criterion.label
            }
    return errors


@transaction.atomic
def jury_review_save(
    *,
    member: JuryMember,
    choice: ApplicationChoice,
    by,
    scores: Mapping[int, int | None],
    comment: str = "",
    submit: bool = False,
) -> ApplicationReview:
    """Save (draft) or submit the member's scores of a candidate for their défi.

    ``scores`` maps criterion id → 1–5 (None allowed in a draft). A submitted review is frozen.
    Raises ValidationError (dict ``{"score_<id>": message}``) for a missing or out-of-range
    score, or when the member declared a conflict with this candidate.
    """
    choice = ApplicationChoice.objects.select_related("application__call").get(pk=choice.pk)
    _ensure_reviewable(member, choice, by)
    if JuryConflict.objects.filter(member=member, application_id=choice.application_id).exists():
        raise ValidationError(
            _("Vous avez déclaré un conflit d'intérêts avec ce·tte candidat·e."), code="conflict"
        )
    review, _created = ApplicationReview.objects.select_for_update().get_or_create(
        member=member, choice=choice
    )
    if review.submitted_at is not None:
        raise ValidationError(_("Votre évaluation est déjà soumise."), code="submitted")
    criteria = {c.pk: c for c in choice.application.call.criteria.all()}
    errors = _score_errors(criteria, scores, submit)
    if errors:
        raise ValidationError(errors)
    ApplicationReviewScore.objects.filter(review=review).delete()
    ApplicationReviewScore.objects.bulk_create(
        ApplicationReviewScore(review=review, criterion_id=cid, score=scores[cid])
        for cid in criteria
        if scores.get(cid) is not None
    )
    review.comment = comment.strip()
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    return review
