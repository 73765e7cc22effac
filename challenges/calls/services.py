"""Writes of the call for projects: proposals, their statuses, attachments and agent accounts.

Every service is keyword-only, runs in one transaction and raises ``ValidationError`` (with a
``code``) when a rule is broken. Time is read from ``django.utils.timezone.now()`` (frozen in
tests). The deadline is the call's ``closes_at`` to the second (aware datetime; Europe/Paris in
the interface), inclusive.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common.pdf import pdf_check, pdf_file_name
from promotions.models import Administration

from . import notifications
from .models import (
    AgentProfile,
    CallForProjects,
    ChallengeProposal,
    ProposalAttachment,
    ProposalStatusChange,
    ProposalVersion,
)

Status = ChallengeProposal.Status

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10

#: The fields an agent fills in, in the order of the form's sections.
SECTION_FIELDS: dict[str, list[str]] = {
    "defi": ["title", "summary", "context", "objectives", "beneficiaries", "town"],
    "environnement": [
        "available_data",
        "systems",
        "commits_equipment",
        "commits_internet_access",
        "commits_servers",
        "commits_remote_work",
        "commits_offsite_work",
        "environment_notes",
    ],
    "equipe": [
        "mentor_name",
        "mentor_position",
        "mentor_email",
        "mentor_time_commitment",
        "sponsor_name",
        "sponsor_position",
        "sponsor_email",
        "sponsor_time_commitment",
    ],
    "profils": [
        "developers_wanted",
        "designers_wanted",
        "data_scientists_wanted",
        "profiles_notes",
    ],
    "financement": ["cofunding_share", "funding_notes"],
}
EDITABLE_FIELDS: list[str] = [f for fields in SECTION_FIELDS.values() for f in fields]

#: Fields that must be filled in before submission (booleans and counts are checked apart).
REQUIRED_AT_SUBMISSION: list[str] = [
    "title",
    "summary",
    "context",
    "objectives",
    "beneficiaries",
    "available_data",
    "systems",
    "mentor_name",
    "mentor_position",
    "mentor_email",
    "mentor_time_commitment",
    "sponsor_name",
    "sponsor_position",
    "sponsor_email",
    "sponsor_time_commitment",
    "cofunding_share",
]

#: Statuses in which the administration's agents may edit (and submit) the proposal.
AGENT_EDITABLE = {Status.DRAFT, Status.SUBMITTED, Status.CORRECTION_REQUESTED}

#: Allowed transitions: from → set of to. The empty string is « created ».
TRANSITIONS: dict[str, set[str]] = {
    "": {Status.DRAFT},
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {
        Status.UNDER_REVIEW,
        Status.CORRECTION_REQUESTED,
        Status.WITHDRAWN,
        Status.SELECTED,
        Status.NOT_SELECTED,
    },
    Status.UNDER_REVIEW: {
        Status.CORRECTION_REQUESTED,
        Status.SELECTED,
        Status.NOT_SELECTED,
        Status.WITHDRAWN,
    },
    Status.CORRECTION_REQUESTED: {Status.SUBMITTED, Status.WITHDRAWN, Status.UNDER_REVIEW},
    Status.SELECTED: set(),
    Status.NOT_SELECTED: set(),
    Status.WITHDRAWN: set(),
}


class StaleProposalError(ValidationError):
    """The proposal was saved by someone else since the form was loaded (optimistic lock)."""


class IncompleteProposalError(ValidationError):
    """Fields required at submission are missing: ``error_dict`` is ``{field: [messages]}``.

    ``code`` is a class attribute because a ValidationError built from a dict keeps no code.
    """

    code = "incomplete"


# --- rules -------------------------------------------------------------------------------------


def call_is_open(*, call: CallForProjects, at=None) -> bool:
    """True if the call is published and ``at`` (default: now) is within its opening window."""
    at = at or timezone.now()
    return call.is_published and call.is_open_at(at)


def proposal_is_editable(*, proposal: ChallengeProposal, at=None) -> bool:
    """True if the agents may change and (re)submit the proposal at ``at`` (default: now).

    Drafts and submitted proposals are editable while the call is open; a proposal whose
    correction was requested by a coordinator stays editable after the deadline.
    """
    if proposal.status == Status.CORRECTION_REQUESTED:
        return True
    return proposal.status in AGENT_EDITABLE and call_is_open(call=proposal.call, at=at)


def _ensure_editable(proposal: ChallengeProposal, now) -> None:
    if proposal.status not in AGENT_EDITABLE:
        raise ValidationError(
            _("Cette candidature ne peut plus être modifiée (statut : %(status)s).")
            % {"status": proposal.get_status_display()},
            code="not_editable",
        )
    if not proposal_is_editable(proposal=proposal, at=now):
        raise ValidationError(
            _("L'appel à projets est clos : la date limite est dépassée."), code="call_closed"
        )


def agent_profile_for(user) -> AgentProfile | None:
    """The user's agent profile (administration link), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.agent_profile
    except AgentProfile.DoesNotExist:
        return None


def proposal_missing_fields(*, proposal: ChallengeProposal) -> dict[str, list[str]]:
    """Errors that prevent submission, as ``{field: [message, …]}`` (empty dict when complete)."""
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_AT_SUBMISSION:
        value = getattr(proposal, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.setdefault(name, []).append(_("Ce champ est obligatoire pour déposer."))
    if proposal.profiles_wanted_total < 1:
        errors.setdefault("developers_wanted", []).append(
            _("Indiquez au moins un profil recherché (développeur·se, designer ou data scientist).")
        )
    return errors


def proposal_snapshot(*, proposal: ChallengeProposal) -> dict[str, Any]:
    """The agent-filled fields as JSON-able values (decimals as strings), plus attachments."""
    data: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        value = getattr(proposal, name)
        data[name] = str(value) if value is not None and name == "cofunding_share" else value
    data["attachments"] = [
        {"id": a.pk, "name": a.original_name, "size": a.size}
        for a in proposal.attachments.order_by("uploaded_at", "pk")
    ]
    return data


def snapshot_value(snapshot: dict[str, Any], name: str, default: Any = None) -> Any:
    """The value of field ``name`` in a ``proposal_snapshot`` (``default`` when absent), with
    the co-funding share back to a Decimal (the snapshot keeps it as a string)."""
    if name not in snapshot:
        return default
    value = snapshot[name]
    if name == "cofunding_share" and value not in (None, ""):
        return Decimal(value)
    return value


# --- accounts ----------------------------------------------------------------------------------


@transaction.atomic
def agent_profile_create(
    *,
    user,
    administration: Administration | None = None,
    requested_administration_name: str = "",
    position: str = "",
) -> AgentProfile:
    """Tie ``user`` to an administration chosen in the list, or to a new unconfirmed one.

    A requested administration whose name already exists (case-insensitive) is reused.
    Raises ValidationError if neither or both are given.
    """
    requested = requested_administration_name.strip()
    if bool(administration) == bool(requested):
        raise ValidationError(
            _("Choisissez votre administration dans la liste ou demandez-en une nouvelle."),
            code="administration_required",
        )
    if administration is None:
        administration = Administration.objects.filter(name__iexact=requested).first()
        if administration is None:
            administration = Administration(name=requested[:255], is_confirmed=False)
            administration.full_clean()
            administration.save()
    profile = AgentProfile(
        user=user,
        administration=administration,
        requested_administration_name=requested,
        position=position,
    )
    profile.full_clean()
    profile.save()
    return profile


# --- proposals ---------------------------------------------------------------------------------


def _record_change(proposal, *, by, from_status, to_status, message="", at=None):
    return ProposalStatusChange.objects.create(
        proposal=proposal,
        by=by if getattr(by, "pk", None) else None,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=to_status,
        message=message,
    )


def proposal_create(
    *,
    call: CallForProjects,
    user,
    creation_token: uuid.UUID | str | None = None,
    data: dict[str, Any] | None = None,
) -> ChallengeProposal:
    """Create a draft proposal of the user's administration for ``call``.

    ``creation_token`` is the creation form's one-time token: a repeated POST with the same token
    returns the proposal already created (never a second one). Raises ValidationError if the user
    is not an agent or the call is not open.
    """
    profile = agent_profile_for(user)
    if profile is None:
        raise ValidationError(
            _("Votre compte n'est rattaché à aucune administration."), code="not_an_agent"
        )
    token = uuid.UUID(str(creation_token)) if creation_token else uuid.uuid4()
    existing = ChallengeProposal.objects.filter(creation_token=token).first()
    if existing is not None:
        if existing.administration_id != profile.administration_id:
            raise ValidationError(_("Jeton de création invalide."), code="bad_token")
        return existing
    now = timezone.now()
    if not call_is_open(call=call, at=now):
        raise ValidationError(
            _("L'appel à projets est clos : la date limite est dépassée."), code="call_closed"
        )
    proposal = ChallengeProposal(
        call=call,
        administration=profile.administration,
        created_by=user,
        updated_by=user,
        creation_token=token,
    )
    for name, value in (data or {}).items():
        if name in EDITABLE_FIELDS:
            setattr(proposal, name, value)
    proposal.full_clean(exclude=["creation_token"])
    try:
        with transaction.atomic():
            proposal.save()
            _record_change(proposal, by=user, from_status="", to_status=Status.DRAFT, at=now)
    except IntegrityError:
        # A concurrent request with the same token won the race: return its proposal.
        existing = ChallengeProposal.objects.filter(creation_token=token).first()
        if existing is None:
            raise
        return existing
    return proposal


def proposal_save_draft(
    *,
    proposal: ChallengeProposal,
    user,
    data: dict[str, Any],
    expected_version: int,
) -> ChallengeProposal:
    """Save the given fields (a subset of EDITABLE_FIELDS) if nobody saved since ``expected_version``.

    The write is ``UPDATE … WHERE id = … AND version = expected_version``; if no row matches,
    ``StaleProposalError`` (code ``stale``) is raised and nothing is written. Editing a submitted
    proposal marks it ``has_unsubmitted_changes`` (the last submitted version stays authoritative
    until the agent submits again). Returns the refreshed proposal.
    """
    now = timezone.now()
    current = ChallengeProposal.objects.select_related("call").get(pk=proposal.pk)
    _ensure_editable(current, now)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    candidate = ChallengeProposal.objects.get(pk=proposal.pk)
    for name, value in data.items():
        setattr(candidate, name, value)
    candidate.full_clean()
    values = {name: getattr(candidate, name) for name in data}
    values.update(
        version=F("version") + 1,
        updated_by=user,
        updated_at=now,
        has_unsubmitted_changes=current.status != Status.DRAFT,
    )
    with transaction.atomic():
        updated = ChallengeProposal.objects.filter(pk=proposal.pk, version=expected_version).update(
            **values
        )
    if not updated:
        raise StaleProposalError(
            _(
                "Une version plus récente de cette candidature a été enregistrée par une autre "
                "personne ou dans un autre onglet. Votre saisie n'a pas été enregistrée : elle "
                "est conservée ci-dessous pour que vous puissiez la reporter."
            ),
            code="stale",
        )
    return ChallengeProposal.objects.select_related("call", "administration").get(pk=proposal.pk)


def proposal_submit(
    *, proposal_id: int, user, expected_version: int | None = None
) -> ChallengeProposal:
    """Submit (or resubmit) a proposal: checks the deadline and completeness, keeps a version.

    Concurrency-safe: the row is locked (``select_for_update``); a repeated submission of a
    proposal that has not changed since its last submission returns it unchanged (one version).
    Raises ValidationError with code ``call_closed``, ``not_editable``, ``incomplete`` (with a
    ``{field: [messages]}`` dict) or ``stale`` (``expected_version`` given and outdated).
    """
    with transaction.atomic():
        proposal = (
            ChallengeProposal.objects.select_for_update().select_related("call").get(pk=proposal_id)
        )
        now = timezone.now()
        if proposal.status == Status.SUBMITTED and not proposal.has_unsubmitted_changes:
            return proposal  # double click / repeated POST: already submitted as is
        _ensure_editable(proposal, now)
        if expected_version is not None and proposal.version != expected_version:
            raise StaleProposalError(
                _("Une version plus récente de cette candidature a été enregistrée entre-temps."),
                code="stale",
            )
        errors = proposal_missing_fields(proposal=proposal)
        if errors:
            raise IncompleteProposalError(errors)
        from_status = proposal.status
        proposal.status = Status.SUBMITTED
        proposal.submitted_at = now
        proposal.has_unsubmitted_changes = False
        proposal.version += 1
        proposal.updated_by = user
        proposal.save(
            update_fields=[
                "status",
                "submitted_at",
                "has_unsubmitted_changes",
                "version",
                "updated_by",
                "updated_at",
            ]
        )
        number = proposal.versions.count() + 1
        version = ProposalVersion.objects.create(
            proposal=proposal,
            number=number,
            submitted_at=now,
            submitted_by=user,
            snapshot=proposal_snapshot(proposal=proposal),
        )
        message = "" if number == 1 else _("Version %(n)s déposée.") % {"n": number}
        _record_change(
            proposal,
            by=user,
            from_status=from_status,
            to_status=Status.SUBMITTED,
            at=now,
            message=message,
        )
        notifications.proposal_submitted(proposal.pk, version.pk)
    return proposal


def proposal_save_and_submit(
    *, proposal: ChallengeProposal, user, data: dict[str, Any], expected_version: int
) -> bool:
    """Save the whole form (``data``: a subset of EDITABLE_FIELDS) then submit the proposal.

    Idempotent: when the proposal is already submitted with exactly these values and nothing
    was changed since (a repeated POST of the same form, a double click), nothing is written and
    True is returned (« déjà déposée »); otherwise False once saved and submitted. Raises what
    ``proposal_save_draft`` and ``proposal_submit`` raise (``stale``, ``incomplete``, …).
    """
    current = ChallengeProposal.objects.get(pk=proposal.pk)
    unchanged = all(getattr(current, name) == value for name, value in data.items())
    if current.status == Status.SUBMITTED and not current.has_unsubmitted_changes and unchanged:
        return True
    proposal_save_draft(proposal=proposal, user=user, data=data, expected_version=expected_version)
    proposal_submit(proposal_id=proposal.pk, user=user)
    return False


def proposal_change_status(
    *, proposal: ChallengeProposal, to_status: str, by, message: str = ""
) -> ProposalStatusChange:
    """Move a proposal to ``to_status`` if TRANSITIONS allows it and record who, when and why.

    Used by coordinators (under review, selected, not selected) and by the agent services.
    Raises ValidationError(code ``bad_transition``). Does not send emails (callers decide).
    """
    with transaction.atomic():
        locked = ChallengeProposal.objects.select_for_update().get(pk=proposal.pk)
        from_status = locked.status
        if to_status not in TRANSITIONS.get(from_status, set()):
            raise ValidationError(
                _("Passage impossible de « %(from)s » à « %(to)s ».")
                % {"from": locked.get_status_display(), "to": Status(to_status).label},
                code="bad_transition",
            )
        now = timezone.now()
        locked.status = to_status
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at"])
        change = _record_change(
            locked, by=by, from_status=from_status, to_status=to_status, message=message, at=now
        )
    proposal.status, proposal.version = locked.status, locked.version
    return change


def proposal_withdraw(*, proposal_id: int, user, message: str = "") -> ChallengeProposal:
    """The agents withdraw their proposal (any time before a decision)."""
    proposal = ChallengeProposal.objects.get(pk=proposal_id)
    with transaction.atomic():
        proposal_change_status(
            proposal=proposal, to_status=Status.WITHDRAWN, by=user, message=message
        )
        notifications.proposal_withdrawn(proposal.pk)
    return proposal


def proposal_request_correction(
    *, proposal: ChallengeProposal, by, message: str
) -> ProposalStatusChange:
    """A coordinator asks the agents for a change; the proposal becomes editable again.

    ``message`` (what to change) is required. Emails via ``notifications.correction_requested``.
    """
    if not message.strip():
        raise ValidationError(
            {"message": _("Expliquez la correction attendue.")}, code="message_required"
        )
    with transaction.atomic():
        change = proposal_change_status(
            proposal=proposal, to_status=Status.CORRECTION_REQUESTED, by=by, message=message
        )
        notifications.correction_requested(change.pk)
    return change


# --- attachments -------------------------------------------------------------------------------


def attachment_validate(uploaded_file) -> None:
    """Raise ValidationError unless the file is a readable PDF of at most 10 MB without active
    content (``eig_portal.common.pdf.pdf_check``: ``%PDF-`` at byte 0, parsed by pypdf, no
    JavaScript, launch action or embedded file)."""
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Le fichier « %(name)s » dépasse 10 Mo.") % {"name": uploaded_file.name},
            code="too_large",
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(0)
    pdf_check(data, name=uploaded_file.name)


def attachment_add(*, proposal: ChallengeProposal, user, uploaded_file) -> ProposalAttachment:
    """Store a PDF attachment of the proposal (storage API) after checking content and size."""
    _ensure_editable(
        ChallengeProposal.objects.select_related("call").get(pk=proposal.pk), timezone.now()
    )
    attachment_validate(uploaded_file)
    if proposal.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("%(n)s pièces jointes au plus.") % {"n": MAX_ATTACHMENTS}, code="too_many"
        )
    original = pdf_file_name(uploaded_file.name)
    with transaction.atomic():
        attachment = ProposalAttachment(
            proposal=proposal, original_name=original, size=uploaded_file.size, uploaded_by=user
        )
        attachment.file.save(original, uploaded_file, save=False)
        attachment.save()
        ChallengeProposal.objects.filter(pk=proposal.pk).update(
            has_unsubmitted_changes=proposal.status != Status.DRAFT
        )
    return attachment


def attachment_delete(*, attachment: ProposalAttachment, user) -> None:
    """Remove an attachment (the file too) while the proposal is editable."""
    proposal = ChallengeProposal.objects.select_related("call").get(pk=attachment.proposal_id)
    _ensure_editable(proposal, timezone.now())
    if proposal.submitted_at and attachment.uploaded_at <= proposal.submitted_at:
        raise ValidationError(
            _("Cette pièce jointe fait partie d'une version déposée : elle est conservée."),
            code="attachment_submitted",
        )
    with transaction.atomic():
        attachment.delete()
        ChallengeProposal.objects.filter(pk=proposal.pk).update(
            has_unsubmitted_changes=proposal.status != Status.DRAFT
        )
    attachment.file.delete(save=False)
