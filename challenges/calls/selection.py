"""Selection services: decisions on proposals, and the défi they create.

``proposal_select`` turns a proposal into a ``Challenge`` of the call's promotion, with its
administration and mentors, exactly once: the proposal row is locked (``select_for_update``) and
``ChallengeProposal.challenge`` is one-to-one, and the défi's ``source_key`` (« proposal:<id> »)
is unique — a second click finds the défi already there and returns it. Status changes go
through ``services.proposal_change_status`` (history kept); decision emails are queued through
``notifications.proposal_decided`` after commit.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from challenges.models import Challenge
from promotions.models import Mentor

from . import notifications
from .models import ChallengeProposal
from .selectors import proposal_submitted_content
from .services import proposal_change_status

Status = ChallengeProposal.Status

#: A decision (selected / not selected) can be taken on proposals in these statuses.
DECIDABLE_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)


def _locked(proposal: ChallengeProposal) -> ChallengeProposal:
    # No join on ``challenge``: after waiting for the lock, PostgreSQL re-reads the locked row but
    # not the joined ones, so a défi created by the transaction we waited for would look absent.
    return (
        ChallengeProposal.objects.select_for_update(of=("self",))
        .select_related("call__promotion", "administration")
        .get(pk=proposal.pk)
    )


def _unique_slug(title: str, fallback: str) -> str:
    base = slugify(title, allow_unicode=True)[:200].strip("-") or fallback
    taken = set(Challenge.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _description(proposal: ChallengeProposal) -> str:
    """The défi's markdown description, from the proposal's narrative sections."""
    parts = [
        (_("Contexte et problème"), proposal.context),
        (_("Objectifs et impact attendu"), proposal.objectives),
        (_("Usagers et bénéficiaires"), proposal.beneficiaries),
        (_("Données disponibles"), proposal.available_data),
    ]
    return "\n\n".join(f"## {title}\n\n{text.strip()}" for title, text in parts if text.strip())


def _mentor(proposal: ChallengeProposal, *, role: str, prefix: str) -> Mentor | None:
    name = getattr(proposal, f"{prefix}_name").strip()
    if not name:
        return None
    email = getattr(proposal, f"{prefix}_email").strip()
    promotion = proposal.call.promotion
    existing = (
        Mentor.objects.filter(email__iexact=email, promotion=promotion, role=role).first()
        if email
        else None
    )
    if existing is not None:
        return existing
    return Mentor.objects.create(
        name=name,
        email=email,
        role=role,
        job_title=getattr(proposal, f"{prefix}_position").strip(),
        administration=proposal.administration,
        promotion=promotion,
    )


def proposal_select(*, proposal: ChallengeProposal, by, message: str = "") -> Challenge:
    """Select a proposal: create its défi (once), record the decision, queue the email.

    The défi is built from the last submitted version (``ProposalVersion`` snapshot), not from
    changes the agents saved since without submitting them again.
    The défi is public, in the call's promotion, with the proposal's administration, town,
    title, summary and narrative sections (markdown), and its operational mentor and sponsor as
    ``Mentor`` records (an existing mentor of the promotion with the same email is reused).
    Selecting an already selected proposal returns its défi and changes nothing. Raises
    ``ValidationError`` (code ``bad_transition``) if the proposal is not submitted or under
    review.
    """
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.challenge_id is not None:
            return Challenge.objects.get(pk=locked.challenge_id)
        if locked.status not in DECIDABLE_STATUSES:
            raise ValidationError(
                _("Seule une candidature déposée ou en cours d'examen peut être retenue."),
                code="bad_transition",
            )
        # The défi is built from what was submitted, never from a later unsubmitted draft.
        content = proposal_submitted_content(proposal=locked)
        challenge = Challenge.objects.create(
            title=content.title or str(content),
            slug=_unique_slug(content.title, fallback=f"defi-{locked.pk}"),
            summary=content.summary,
            description=_description(content),
            promotion=locked.call.promotion,
            administration=locked.administration,
            town=content.town,
            is_public=True,
            published_at=timezone.now(),
            source_key=f"proposal:{locked.pk}",
        )
        mentors = [
            m
            for m in (
                _mentor(content, role=Mentor.Role.OPERATIONAL, prefix="mentor"),
                _mentor(content, role=Mentor.Role.SPONSOR, prefix="sponsor"),
            )
            if m is not None
        ]
        challenge.mentors.set(mentors)
        ChallengeProposal.objects.filter(pk=locked.pk).update(challenge=challenge)
        proposal_change_status(
            proposal=locked, to_status=Status.SELECTED, by=by, message=message.strip()
        )
        notifications.proposal_decided(locked.pk)
    proposal.challenge, proposal.status = challenge, Status.SELECTED
    return challenge


def proposal_not_select(*, proposal: ChallengeProposal, by, message: str) -> ChallengeProposal:
    """Decide « non retenue » with a message for the administration (required).

    Repeating the decision changes nothing. Raises ``ValidationError`` (``{"message": …}``,
    code ``message_required``) without a message, (code ``bad_transition``) if the proposal is
    not submitted or under review.
    """
    message = (message or "").strip()
    if not message:
        raise ValidationError(
            {
                "message": _(
                    "Expliquez à l'administration pourquoi sa candidature n'est pas retenue."
                )
            },
            code="message_required",
        )
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.status == Status.NOT_SELECTED:
            return locked
        if locked.status not in DECIDABLE_STATUSES:
            raise ValidationError(
                _("Seule une candidature déposée ou en cours d'examen peut être non retenue."),
                code="bad_transition",
            )
        proposal_change_status(
            proposal=locked, to_status=Status.NOT_SELECTED, by=by, message=message
        )
        notifications.proposal_decided(locked.pk)
    proposal.status = Status.NOT_SELECTED
    return locked


def proposal_mark_under_review(*, proposal: ChallengeProposal, by) -> bool:
    """Move a submitted proposal to « en cours d'examen »; False if it already is."""
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.status == Status.UNDER_REVIEW:
            return False
        proposal_change_status(proposal=locked, to_status=Status.UNDER_REVIEW, by=by)
    proposal.status = Status.UNDER_REVIEW
    return True


@dataclass
class BulkResult:
    """Outcome of a bulk action: proposals changed, ``{proposal: error message}``, and proposals
    already in the wanted state (selected again: nothing created, nothing sent)."""

    done: list[ChallengeProposal] = field(default_factory=list)
    failed: dict[ChallengeProposal, str] = field(default_factory=dict)
    unchanged: list[ChallengeProposal] = field(default_factory=list)


def proposals_bulk(
    *, proposals: Iterable[ChallengeProposal], action: str, by, message: str = ""
) -> BulkResult:
    """Apply ``action`` (``select``, ``not_select``, ``under_review``) to each proposal.

    Each proposal is decided in its own transaction, so one refusal does not undo the others;
    refusals are collected in ``failed`` with their message. ``not_select`` needs ``message``
    (checked once, before anything is changed).
    """
    if action == "not_select" and not (message or "").strip():
        raise ValidationError(
            {
                "message": _(
                    "Expliquez à l'administration pourquoi sa candidature n'est pas retenue."
                )
            },
            code="message_required",
        )
    services = {
        "select": lambda p: proposal_select(proposal=p, by=by, message=message),
        "not_select": lambda p: proposal_not_select(proposal=p, by=by, message=message),
        "under_review": lambda p: proposal_mark_under_review(proposal=p, by=by),
    }
    if action not in services:
        raise ValueError(f"unknown action {action!r}")
    result = BulkResult()
    for proposal in proposals:
        already = (
            action == "select"
            and ChallengeProposal.objects.filter(pk=proposal.pk, challenge__isnull=False).exists()
        )
        try:
            services[action](proposal)
        except ValidationError as error:
            result.failed[proposal] = " ".join(error.messages)
        else:
            (result.unchanged if already else result.done).append(proposal)
    return result
