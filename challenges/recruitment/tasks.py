"""Celery tasks of the call for candidates: decision emails, interview emails and reminders,
and the erasure of unsuccessful candidates' personal data.

Each task takes ids, loads fresh rows and is idempotent (one sent-email key per email). They
are queued after commit by ``challenges.recruitment.notifications``; without a broker they run
eagerly. Delivery errors are retried with exponential backoff.
"""

from smtplib import SMTPException

from celery import shared_task

from challenges.emails import send_once

from .models import Application

RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
DECIDED = (
    Application.Status.SELECTED,
    Application.Status.WAITING_LIST,
    Application.Status.NOT_SELECTED,
)


@shared_task(**RETRY)
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


@shared_task
def erase_expired_candidates_data() -> int:
    """Daily: erase the personal data of unsuccessful candidates past the retention period."""
    from .retention import applications_due_for_erasure, applications_erase

    return applications_erase(applications=applications_due_for_erasure())
