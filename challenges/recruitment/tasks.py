"""Celery tasks of the call for candidates: decision emails, interview emails and reminders,
and the erasure of unsuccessful candidates' personal data.

Each task takes ids, loads fresh rows and is idempotent (one sent-email key per email). They
are queued after commit by ``challenges.recruitment.notifications``; without a broker they run
eagerly. Delivery errors are retried by the portal's one email policy
(``eig_portal.common.jobs.EMAIL_TASK``); emails go through ``eig_portal.common.emails.send_once``.
"""

from celery import shared_task

from eig_portal.common.emails import send_once
from eig_portal.common.jobs import EMAIL_TASK, PERIODIC_TASK

from .models import Application

DECIDED = (
    Application.Status.SELECTED,
    Application.Status.WAITING_LIST,
    Application.Status.NOT_SELECTED,
)


@shared_task(**EMAIL_TASK)
def send_decision(application_id: int) -> bool:
    """Send the decision (selected, waiting list, not selected) once per application and status."""
    application = (
        Application.objects.select_related("call__promotion", "selected_challenge")
        .filter(pk=application_id, status__in=DECIDED, erased_at__isnull=True)
        .first()
    )
    if application is None:
        return False
    change = application.status_changes.filter(to_status=application.status).order_by("-at").first()
    return send_once(
        key=f"decision:application:{application.pk}:{application.status}",
        name="application_decision",
        recipients=[application.email],
        context={
            "application": application,
            "status": application.status,
            "message": change.message if change else "",
        },
    )


@shared_task(**PERIODIC_TASK)
def erase_expired_candidates_data() -> int:
    """Daily: erase the personal data of unsuccessful candidates past the retention period."""
    from .retention import applications_due_for_erasure, applications_erase

    return applications_erase(applications=applications_due_for_erasure())


def _interview(interview_id: int):
    from .models import Interview

    return (
        Interview.objects.select_related("application__call__promotion", "challenge", "slot")
        .filter(pk=interview_id, application__erased_at__isnull=True)
        .first()
    )


@shared_task(**EMAIL_TASK)
def send_interview_invitation(interview_id: int) -> bool:
    """Send the candidate their personal link to book an interview slot (once)."""
    interview = _interview(interview_id)
    if interview is None:
        return False
    return send_once(
        key=f"interview:invitation:{interview.pk}",
        name="interview_invitation",
        recipients=[interview.application.email],
        context={"interview": interview},
    )


@shared_task(**EMAIL_TASK)
def send_interview_confirmation(interview_id: int) -> bool:
    """Confirm the booked slot with an ``.ics`` invitation (once per booked slot)."""
    from .ics import interview_ics

    interview = _interview(interview_id)
    if interview is None or interview.slot is None:
        return False
    return send_once(
        key=f"interview:confirmation:{interview.pk}:{interview.slot_id}",
        name="interview_confirmation",
        recipients=[interview.application.email],
        context={"interview": interview},
        attachments=[("entretien-eig.ics", interview_ics(interview=interview), "text/calendar")],
    )


@shared_task(**EMAIL_TASK)
def send_interview_reminder(interview_id: int) -> bool:
    """Remind the candidate of their interview the day before (once per booked slot)."""
    interview = _interview(interview_id)
    if interview is None or interview.slot is None:
        return False
    return send_once(
        key=f"interview:reminder:{interview.pk}:{interview.slot_id}",
        name="interview_reminder",
        recipients=[interview.application.email],
        context={"interview": interview},
    )


@shared_task(**PERIODIC_TASK)
def send_interview_reminders() -> int:
    """Hourly: queue the reminder of every booked interview starting within the next 24 hours."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Interview

    now = timezone.now()
    due = Interview.objects.filter(
        status=Interview.Status.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + timedelta(days=1),
    ).values_list("pk", flat=True)
    for interview_id in due:
        send_interview_reminder.delay(interview_id)
    return len(due)
