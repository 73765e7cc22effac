"""Celery tasks of the surveys app: invitation emails and reminders (ids in, idempotent)."""

from celery import shared_task
from django.db import transaction

from . import services


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_invitation(self, invitation_id, force=False):
    """Send one invitation email (once unless ``force``); retries on SMTP errors."""
    try:
        return services.invitation_send(invitation_id=invitation_id, force=force)
    except OSError as exc:  # smtplib errors are OSError subclasses
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_reminder(self, invitation_id, expected_count):
    """Send reminder ``expected_count + 1`` of one invitation (once)."""
    try:
        return services.invitation_send_reminder(
            invitation_id=invitation_id, expected_count=expected_count
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def send_due_reminders():
    """Periodic (Celery beat): queue the reminders that are due; return how many."""
    due = list(services.invitations_due_for_reminder().values_list("pk", "reminders_sent"))
    for pk, count in due:
        transaction.on_commit(lambda pk=pk, count=count: send_reminder.delay(pk, count))
    return len(due)


# --- h6: large exports (surveys/export_jobs.py) -------------------------------------------


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def export_survey_xlsx(self, survey_id, user_id, token):
    """Build the XLSX export of a survey and email its link (once per token)."""
    from .export_jobs import export_xlsx_build

    try:
        return export_xlsx_build(survey_id=survey_id, user_id=user_id, token=token)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
