"""Celery tasks of the call for projects: emails and deadline reminders.

Each task takes ids, loads fresh rows, and is idempotent through ``emails.send_once`` (one
``NotificationLog`` key per email). They are queued by ``challenges.calls.notifications`` with
``transaction.on_commit``; without a broker they run eagerly. Delivery errors (SMTP, network)
are retried with the one policy of ``eig_portal.common.jobs.EMAIL_TASK``.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from eig_portal.common.deadlines import paris_datetime
from eig_portal.common.emails import send_once
from eig_portal.common.jobs import EMAIL_TASK, PERIODIC_TASK
from eig_portal.common.models import NotificationLog

from .models import (
    REVIEWABLE_STATUSES,
    AgentProfile,
    ChallengeProposal,
    JuryAssignment,
    ProposalStatusChange,
    ProposalVersion,
)

#: Reminders to the authors of unsubmitted drafts, in days before the closing time.
REMINDER_DAYS = (3, 1)


def administration_recipients(proposal: ChallengeProposal) -> list[str]:
    """Emails of the proposal's author and of its administration's confirmed, active agents."""
    emails = list(
        AgentProfile.objects.filter(
            administration_id=proposal.administration_id,
            is_confirmed=True,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    if proposal.created_by_id and proposal.created_by.is_active:
        emails.append(proposal.created_by.email)
    return emails


def _proposal(proposal_id: int) -> ChallengeProposal | None:
    return (
        ChallengeProposal.objects.select_related(
            "call__promotion", "administration", "created_by", "challenge"
        )
        .filter(pk=proposal_id)
        .first()
    )


@shared_task(**EMAIL_TASK)
def send_submission_acknowledgement(proposal_id: int, version_id: int | None = None) -> bool:
    """Acknowledge a submission to the agent who submitted it, with a summary of the version."""
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.submitted_at is None:
        return False
    version = _version(proposal, version_id)
    number = version.number if version else proposal.version
    submitter = (version.submitted_by if version else None) or proposal.created_by
    if submitter is None:
        return False
    return send_once(
        key=f"ack:proposal:{proposal.pk}:v{number}",
        name="proposal_submitted",
        recipients=[submitter.email],
        context={
            "proposal": proposal,
            "version_number": number,
            "submitted_at": version.submitted_at if version else proposal.submitted_at,
            "resubmission": number > 1,
        },
    )


@shared_task(**EMAIL_TASK)
def send_coordinators_notice(proposal_id: int, version_id: int | None = None) -> bool:
    """Tell the coordinators (``settings.COORDINATORS_EMAIL``) a proposal was submitted."""
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.submitted_at is None:
        return False
    version = _version(proposal, version_id)
    number = version.number if version else proposal.version
    return send_once(
        key=f"coordinators:proposal:{proposal.pk}:v{number}",
        name="proposal_submitted_coordinators",
        recipients=[settings.COORDINATORS_EMAIL],
        context={
            "proposal": proposal,
            "version_number": number,
            "submitted_at": version.submitted_at if version else proposal.submitted_at,
        },
    )


@shared_task(**EMAIL_TASK)
def send_correction_requested(status_change_id: int) -> bool:
    """Send the coordinator's correction request (its message) to the administration's agents."""
    change = (
        ProposalStatusChange.objects.select_related(
            "proposal__call", "proposal__administration", "proposal__created_by"
        )
        .filter(pk=status_change_id, to_status=ChallengeProposal.Status.CORRECTION_REQUESTED)
        .first()
    )
    if change is None:
        return False
    proposal = change.proposal
    closes_at = proposal.call.closes_at
    # By when: the call's deadline while it is ahead; after it, as soon as possible.
    deadline = paris_datetime(closes_at) if closes_at > timezone.now() else ""
    return send_once(
        key=f"correction:status_change:{change.pk}",
        name="proposal_correction_requested",
        recipients=administration_recipients(proposal),
        context={"proposal": proposal, "change": change, "deadline": deadline},
    )


@shared_task(**EMAIL_TASK)
def send_decision(proposal_id: int) -> bool:
    """Send the jury's decision (selected / not selected, with its message) to the agents."""
    proposal = _proposal(proposal_id)
    decided = (ChallengeProposal.Status.SELECTED, ChallengeProposal.Status.NOT_SELECTED)
    if proposal is None or proposal.status not in decided:
        return False
    change = (
        proposal.status_changes.filter(to_status=proposal.status).order_by("-at", "-pk").first()
    )
    return send_once(
        key=f"decision:proposal:{proposal.pk}:{proposal.status}",
        name="proposal_decision",
        recipients=administration_recipients(proposal),
        context={
            "proposal": proposal,
            "selected": proposal.status == ChallengeProposal.Status.SELECTED,
            "message": change.message if change else "",
        },
    )


def _reminded_recently(proposal_id: int, days_before: int) -> bool:
    """True when another deadline reminder of the draft went out less than
    ``settings.CALL_DRAFT_REMINDER_MIN_GAP`` ago (a draft started late gets the « 3 days » one,
    then the « 1 day » one a gap later, never both on consecutive hourly runs)."""
    since = timezone.now() - settings.CALL_DRAFT_REMINDER_MIN_GAP
    return (
        NotificationLog.objects.filter(
            key__startswith=f"reminder:proposal:{proposal_id}:", sent_at__gt=since
        )
        .exclude(key=f"reminder:proposal:{proposal_id}:{days_before}d")
        .exists()
    )


@shared_task(**EMAIL_TASK)
def send_draft_reminder(proposal_id: int, days_before: int) -> bool:
    """Remind the author of a still unsubmitted draft that the call closes in ``days_before``."""
    proposal = _proposal(proposal_id)
    if (
        proposal is None
        or proposal.status != ChallengeProposal.Status.DRAFT
        or proposal.submitted_at is not None
        or proposal.created_by is None
        or not proposal.created_by.is_active
        or timezone.now() > proposal.call.closes_at
        or _reminded_recently(proposal.pk, days_before)
    ):
        return False
    return send_once(
        key=f"reminder:proposal:{proposal.pk}:{days_before}d",
        name="proposal_draft_reminder",
        recipients=[proposal.created_by.email],
        context={"proposal": proposal, "call": proposal.call, "days_before": days_before},
    )


@shared_task(**PERIODIC_TASK)
def send_draft_reminders() -> int:
    """Beat task (hourly): queue reminders for drafts of calls closing within 3 days or 1 day.

    A draft gets the « 3 days » reminder when the call closes in (1 day, 3 days], the « 1 day »
    one when it closes in (0, 1 day]; each at most once (``send_once`` keys). Returns the number
    of reminders queued (already sent ones are skipped by the sending task).
    """
    now = timezone.now()
    queued = 0
    windows = [(3, timedelta(days=1), timedelta(days=3)), (1, timedelta(0), timedelta(days=1))]
    for days, after, until in windows:
        drafts = ChallengeProposal.objects.filter(
            Q(call__is_published=True)
            & Q(call__closes_at__gt=now + after)
            & Q(call__closes_at__lte=now + until),
            status=ChallengeProposal.Status.DRAFT,
            submitted_at__isnull=True,
            created_by__isnull=False,
        ).values_list("pk", flat=True)
        for proposal_id in drafts.iterator():
            send_draft_reminder.delay(proposal_id, days)
            queued += 1
    return queued


def _version(proposal: ChallengeProposal, version_id: int | None) -> ProposalVersion | None:
    versions = ProposalVersion.objects.select_related("submitted_by").filter(proposal=proposal)
    if version_id is not None:
        return versions.filter(pk=version_id).first()
    return versions.order_by("-number").first()


# --- withdrawal, jury invitations and assignments -------------------------------------------


def _withdrawal(proposal_id: int) -> tuple[ChallengeProposal, ProposalStatusChange] | None:
    """The withdrawn proposal and the status change that withdrew it (None if not withdrawn)."""
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.status != ChallengeProposal.Status.WITHDRAWN:
        return None
    change = (
        proposal.status_changes.select_related("by")
        .filter(to_status=ChallengeProposal.Status.WITHDRAWN)
        .order_by("-at", "-pk")
        .first()
    )
    return (proposal, change) if change else None


@shared_task(**EMAIL_TASK)
def send_withdrawal_acknowledgement(proposal_id: int) -> bool:
    """Acknowledge a withdrawal to the administration's agents (author + confirmed agents)."""
    found = _withdrawal(proposal_id)
    if found is None:
        return False
    proposal, change = found
    return send_once(
        key=f"withdrawal:status_change:{change.pk}",
        name="proposal_withdrawn",
        recipients=administration_recipients(proposal),
        context={"proposal": proposal, "change": change},
    )


@shared_task(**EMAIL_TASK)
def send_withdrawal_coordinators_notice(proposal_id: int) -> bool:
    """Tell the coordinators (``settings.COORDINATORS_EMAIL``) a proposal was withdrawn."""
    found = _withdrawal(proposal_id)
    if found is None:
        return False
    proposal, change = found
    return send_once(
        key=f"withdrawal-coordinators:status_change:{change.pk}",
        name="proposal_withdrawn_coordinators",
        recipients=[settings.COORDINATORS_EMAIL],
        context={"proposal": proposal, "change": change},
    )


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


@shared_task(**EMAIL_TASK)
def send_juror_invitation(invitation_id: int, token: str) -> bool:
    """Email a jury invitation: the link where the invited person chooses their password and
    accepts (``common:invitation_accept``), valid until the invitation expires.

    ``token`` is the link's secret (only its hash is stored); the invitation id is the
    idempotency key. Nothing is sent for an invitation already accepted or expired.
    """
    from django.urls import reverse
    from django.utils import timezone

    from eig_portal.common.models import RoleInvitation

    invitation = RoleInvitation.objects.filter(
        pk=invitation_id, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if invitation is None:
        return False
    return send_once(
        key=f"jury-invitation:{invitation.pk}",
        name="juror_invitation",
        recipients=[invitation.email],
        context={
            "invitation": invitation,
            "accept_url": _absolute(reverse("invitation_accept", kwargs={"token": token})),
            "expires_at": invitation.expires_at,
            "jury_url": _absolute(reverse("jury:list")),
        },
    )


@shared_task(**EMAIL_TASK)
def send_jury_assignments(juror_id: int, assignment_ids: list[int]) -> bool:
    """Tell a juror which proposals they were just given (one email per assignment batch).

    Assignments removed since, with a declared conflict, or whose proposal left the review are
    left out; with none left nothing is sent. Keyed by the batch's first assignment id.
    """
    from django.urls import reverse

    if not assignment_ids:
        return False
    assignments = list(
        JuryAssignment.objects.select_related("juror", "proposal__call", "proposal__administration")
        .filter(
            pk__in=assignment_ids,
            juror_id=juror_id,
            juror__is_active=True,
            conflict_of_interest=False,
            proposal__status__in=REVIEWABLE_STATUSES,
        )
        .order_by("proposal__call__closes_at", "proposal__title", "pk")
    )
    if not assignments:
        return False
    juror = assignments[0].juror
    for assignment in assignments:
        assignment.review_url = _absolute(reverse("jury:review", args=[assignment.pk]))
    return send_once(
        key=f"jury-assigned:juror:{juror_id}:batch:{min(assignment_ids)}",
        name="jury_assigned",
        recipients=[juror.email],
        context={
            "juror": juror,
            "assignments": assignments,
            "needs_password": not juror.has_usable_password(),
            "jury_url": _absolute(reverse("jury:list")),
        },
    )
