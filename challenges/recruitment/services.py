"""Writes of the call for candidates: drafts, submission, the status pipeline, withdrawal.

Pipeline (every change is recorded in ``ApplicationStatusChange``: who, when, from, to, message)::

    draft → submitted → not_preselected | preselected → interview →
        selected | waiting_list | not_selected;   withdrawn from any submitted status.

Every service is keyword-only, runs in one transaction and raises ``ValidationError`` (with a
``code``) when a rule is broken. Time is read from ``django.utils.timezone.now()``. The deadline
is the call's ``closes_at`` to the second, inclusive.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eig_portal.common.access import user_is_coordinator

from .models import (
    Application,
    ApplicationChoice,
    ApplicationStatusChange,
    ApplicationVersion,
    CallForApplications,
    CandidateAccount,
    ChallengeOpening,
)

Status = Application.Status

MAX_CHOICES = 3
MAX_MOTIVATION_CHARS = 3000

#: The candidate's own fields, saved by drafts and kept in every submitted version.
CANDIDATE_FIELDS: list[str] = [
    "first_name",
    "last_name",
    "email",
    "profile",
    "portfolio_url",
    "forge_url",
    "profile_url",
    "available_from",
    "heard_from",
]
REQUIRED_AT_SUBMISSION: list[str] = ["first_name", "last_name", "email", "profile", "cv"]

#: Allowed moves of the pipeline (coordinators' decisions); the candidate only submits/withdraws.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.NOT_PRESELECTED, Status.PRESELECTED, Status.WITHDRAWN},
    Status.NOT_PRESELECTED: {Status.PRESELECTED, Status.WITHDRAWN},
    Status.PRESELECTED: {
        Status.INTERVIEW,
        Status.NOT_PRESELECTED,
        Status.NOT_SELECTED,
        Status.WITHDRAWN,
    },
    Status.INTERVIEW: {
        Status.SELECTED,
        Status.WAITING_LIST,
        Status.NOT_SELECTED,
        Status.WITHDRAWN,
    },
    Status.WAITING_LIST: {Status.SELECTED, Status.NOT_SELECTED, Status.WITHDRAWN},
    Status.NOT_SELECTED: {Status.WAITING_LIST, Status.SELECTED, Status.WITHDRAWN},
    Status.SELECTED: {Status.WITHDRAWN},
    Status.WITHDRAWN: set(),
}
#: Statuses in which the candidate may still edit and resubmit (until the deadline).
CANDIDATE_EDITABLE = (Status.DRAFT, Status.SUBMITTED)
#: Statuses whose applications passed screening: the jury sees them.
SCREENED_IN = (Status.PRESELECTED, Status.INTERVIEW, Status.WAITING_LIST, Status.SELECTED)
#: Statuses of the candidates the stable matching places (interviewed, not decided yet).
MATCHING_POOL = (Status.INTERVIEW, Status.WAITING_LIST)


def call_is_open(*, call: CallForApplications, at=None) -> bool:
    """True if the call is published and ``at`` (default: now) is within its opening window."""
    return call.is_published and call.is_open_at(at or timezone.now())


def _ensure_call_open(call: CallForApplications, now) -> None:
    if not call_is_open(call=call, at=now):
        raise ValidationError(
            _("L'appel à candidatures est clos : la date limite est dépassée."),
            code="call_closed",
        )


def _record_change(application, *, by, from_status, to_status, message="", at=None):
    return ApplicationStatusChange.objects.create(
        application=application,
        by=by if getattr(by, "pk", None) else None,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=to_status,
        message=message,
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).get(pk=application.pk)


@transaction.atomic
def candidate_account_create(*, user) -> CandidateAccount:
    """Mark ``user`` as a candidate (idempotent); refused for staff accounts."""
    if user.is_staff:
        raise ValidationError(
            _("Un compte de coordination ne peut pas candidater."), code="staff_candidate"
        )
    account, _created = CandidateAccount.objects.get_or_create(user=user)
    return account


def application_create(
    *, call: CallForApplications, user, creation_token: uuid.UUID | str | None = None
) -> Application:
    """Create the user's draft application to ``call``, or return the one they already have.

    A candidate has one application per call; a repeated POST (same ``creation_token``, or the
    same user) returns it. Raises ValidationError (``call_closed``) after the deadline.
    """
    existing = Application.objects.filter(call=call, candidate=user).first()
    if existing is not None:
        return existing
    now = timezone.now()
    _ensure_call_open(call, now)
    token = uuid.UUID(str(creation_token)) if creation_token else uuid.uuid4()
    application = Application(
        call=call,
        candidate=user,
        creation_token=token,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
    )
    application.full_clean(exclude=["creation_token"], validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
            _record_change(application, by=user, from_status="", to_status=Status.DRAFT, at=now)
    except IntegrityError:
        existing = Application.objects.filter(call=call, candidate=user).first()
        if existing is None:
            raise
        return existing
    return application


def application_is_editable(*, application: Application, at=None) -> bool:
    """True while the candidate may change and (re)submit: draft or submitted, call open."""
    return application.status in CANDIDATE_EDITABLE and call_is_open(call=application.call, at=at)


def _ensure_editable(application: Application, now) -> None:
    if application.status not in CANDIDATE_EDITABLE:
        raise ValidationError(
            _("Cette candidature ne peut plus être modifiée (statut : %(status)s).")
            % {"status": application.get_status_display()},
            code="not_editable",
        )
    _ensure_call_open(application.call, now)


@transaction.atomic
def application_save_draft(*, application: Application, user, data: dict[str, Any]) -> Application:
    """Save the candidate's fields given in ``data`` (keys of ``CANDIDATE_FIELDS``).

    Editing a submitted application changes the working copy only: the last submitted version
    (``ApplicationVersion``) stays authoritative until the candidate submits again.
    """
    application = _locked(application)
    _ensure_editable(application, timezone.now())
    for name, value in data.items():
        if name not in CANDIDATE_FIELDS:
            raise ValidationError(_("Champ inconnu : %(name)s") % {"name": name}, code="field")
        setattr(application, name, value)
    application.full_clean(validate_constraints=False)
    application.save()
    return application


def _validate_choices(call: CallForApplications, choices: list[tuple[int, str]]) -> None:
    if len(choices) > MAX_CHOICES:
        raise ValidationError(_("Choisissez au plus trois défis."), code="too_many_choices")
    ids = [challenge_id for challenge_id, _motivation in choices]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("Chaque défi ne peut être choisi qu'une fois."), code="duplicate")
    open_ids = set(
        ChallengeOpening.objects.filter(call=call, is_open=True, challenge_id__in=ids).values_list(
            "challenge_id", flat=True
        )
    )
    if open_ids != set(ids):
        raise ValidationError(
            _("Un des défis choisis n'est pas ouvert aux candidatures de cet appel."),
            code="not_open",
        )
    for _challenge_id, motivation in choices:
        if len(motivation) > MAX_MOTIVATION_CHARS:
            raise ValidationError(
                _("La motivation est limitée à 3 000 caractères."), code="motivation_too_long"
            )


@transaction.atomic
def application_set_choices(
    *, application: Application, user, choices: list[tuple[int, str]]
) -> list[ApplicationChoice]:
    """Replace the ranked choices by ``choices``: ``[(challenge_id, motivation), …]`` in
    preference order (rank 1 first, at most 3, each défi once, open in the call)."""
    application = _locked(application)
    _ensure_editable(application, timezone.now())
    _validate_choices(application.call, choices)
    # Reviews hang on choices, but only screened applications (no longer editable) are reviewed.
    application.choices.all().delete()
    return ApplicationChoice.objects.bulk_create(
        ApplicationChoice(
            application=application, challenge_id=challenge_id, rank=rank, motivation=motivation
        )
        for rank, (challenge_id, motivation) in enumerate(choices, start=1)
    )


def application_missing_fields(*, application: Application) -> dict[str, list[str]]:
    """Errors preventing submission, as ``{field: [message, …]}`` (empty when complete)."""
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_AT_SUBMISSION:
        if not getattr(application, name):
            errors.setdefault(name, []).append(_("Ce champ est obligatoire pour déposer."))
    if application.available_from is None:
        errors.setdefault("available_from", []).append(_("Indiquez votre date de disponibilité."))
    if application.notice_acknowledged_at is None:
        errors.setdefault("notice_acknowledged_at", []).append(
            _("Prenez connaissance de la notice sur les données personnelles.")
        )
    choices = list(application.choices.all())
    if not choices:
        errors.setdefault("choices", []).append(_("Choisissez au moins un défi."))
    elif any(not c.motivation.strip() for c in choices):
        errors.setdefault("choices", []).append(_("Écrivez une motivation pour chaque défi."))
    return errors


def application_snapshot(*, application: Application) -> dict[str, Any]:
    """The candidate's fields, CV name and ranked choices as JSON-able values."""
    data: dict[str, Any] = {name: getattr(application, name) for name in CANDIDATE_FIELDS}
    if data["available_from"] is not None:
        data["available_from"] = data["available_from"].isoformat()
    data["cv_name"] = application.cv_name
    data["choices"] = [
        {"rank": c.rank, "challenge": c.challenge_id, "motivation": c.motivation}
        for c in application.choices.order_by("rank")
    ]
    return data


@transaction.atomic
def application_acknowledge_notice(*, application: Application, user) -> Application:
    """Record that the candidate read the personal-data notice (purpose, retention period)."""
    application = _locked(application)
    _ensure_editable(application, timezone.now())
    if application.notice_acknowledged_at is None:
        application.notice_acknowledged_at = timezone.now()
        application.save(update_fields=["notice_acknowledged_at", "updated_at"])
    return application


@transaction.atomic
def application_submit(
    *, application: Application, user, expected_version: int | None = None
) -> ApplicationVersion:
    """Submit (or resubmit) the application: a new ``ApplicationVersion`` is kept each time.

    ``expected_version`` is the version shown on the form: a repeated POST of the same form
    (same ``expected_version``) returns the version already created instead of a second one.
    Raises ValidationError ``call_closed`` after the deadline, ``incomplete`` with the
    missing fields.
    """
    application = _locked(application)
    if expected_version is not None and application.version > expected_version:
        latest = application.versions.order_by("-number").first()
        if latest is not None:
            return latest
    now = timezone.now()
    _ensure_editable(application, now)
    missing = application_missing_fields(application=application)
    if missing:
        raise ValidationError(missing)
    number = application.versions.count() + 1
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=user if getattr(user, "pk", None) else None,
        snapshot=application_snapshot(application=application),
    )
    from_status = application.status
    application.status = Status.SUBMITTED
    application.submitted_at = application.submitted_at or now
    application.version = number + 1
    application.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    if from_status != Status.SUBMITTED:
        _record_change(application, by=user, from_status=from_status, to_status=Status.SUBMITTED)
    return version


@transaction.atomic
def application_change_status(
    *, application: Application, to_status: str, by, message: str = ""
) -> Application:
    """Move the application along the pipeline (``TRANSITIONS``), recording the change.

    Raises ValidationError ``bad_transition`` when the move is not allowed. ``message`` is
    shown to the candidate with the new status.
    """
    application = _locked(application)
    if to_status not in TRANSITIONS.get(application.status, set()):
        raise ValidationError(
            _("Passage impossible de « %(from)s » à « %(to)s ».")
            % {"from": application.get_status_display(), "to": Status(to_status).label},
            code="bad_transition",
        )
    from_status = application.status
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    _record_change(
        application, by=by, from_status=from_status, to_status=to_status, message=message
    )
    return application


def application_withdraw(*, application: Application, user, message: str = "") -> Application:
    """The candidate withdraws a submitted application (kept, counted among candidates)."""
    if application.candidate_id != getattr(user, "pk", None) and not user_is_coordinator(
        user, "challenges.change_application"
    ):
        raise ValidationError(_("Cette candidature n'est pas la vôtre."), code="not_owner")
    return application_change_status(
        application=application, to_status=Status.WITHDRAWN, by=user, message=message
    )


@transaction.atomic
def application_delete_draft(*, application: Application, user) -> None:
    """Delete the candidate's own draft (never submitted) with its choices and CV."""
    application = _locked(application)
    if application.candidate_id != user.pk or application.status != Status.DRAFT:
        raise ValidationError(
            _("Seul un brouillon peut être supprimé, par son auteur."), code="not_a_draft"
        )
    cv = application.cv
    application.delete()
    if cv:
        transaction.on_commit(lambda: cv.storage.delete(cv.name))


@transaction.atomic
def applications_bulk_change_status(
    *, applications, to_status: str, by, message: str = ""
) -> tuple[int, list[str]]:
    """Apply ``application_change_status`` to each application; returns (done, errors).

    Each error names the application; an application that cannot move is left unchanged and
    the others still move (the admin's bulk actions use this).
    """
    done, errors = 0, []
    for application in applications:
        try:
            with transaction.atomic():
                application_change_status(
                    application=application, to_status=to_status, by=by, message=message
                )
            done += 1
        except ValidationError as exc:
            errors.append(f"{application}: {' '.join(exc.messages)}")
    return done, errors


def application_attach_cv(*, application: Application, user, uploaded_file) -> Application:
    """Store the candidate's CV (a PDF by content, at most 10 MB) through the storage API,
    replacing the previous one. Uses the call for projects' PDF check (one rule for both)."""
    from challenges.calls.services import attachment_validate
    from eig_portal.common.pdf import pdf_file_name

    attachment_validate(uploaded_file)
    with transaction.atomic():
        application = _locked(application)
        _ensure_editable(application, timezone.now())
        old = application.cv.name if application.cv else ""
        application.cv_name = pdf_file_name(uploaded_file.name or "cv.pdf")
        application.cv.save(application.cv_name, uploaded_file, save=False)
        application.save(update_fields=["cv", "cv_name", "updated_at"])
        if old:
            storage = application.cv.storage
            transaction.on_commit(lambda: storage.delete(old))
    return application
