"""Celery tasks of the surveys app: invitation emails, reminders and large exports (ids in,
idempotent; time limits and retries from ``eig_portal.common.jobs``)."""

from celery import shared_task

from eig_portal.common.jobs import EMAIL_TASK, EXPORT_TASK, PERIODIC_TASK, queue_on_commit

from . import export_files, invitation_emails


@shared_task(**EMAIL_TASK)
def send_invitation(invitation_id, force=False):
    """Send one invitation email (once unless ``force``); retries on SMTP errors."""
    return invitation_emails.invitation_send(invitation_id=invitation_id, force=force)


@shared_task(**EMAIL_TASK)
def send_reminder(invitation_id, expected_count):
    """Send reminder ``expected_count + 1`` of one invitation (once)."""
    return invitation_emails.invitation_send_reminder(
        invitation_id=invitation_id, expected_count=expected_count
    )


@shared_task(**PERIODIC_TASK)
def send_due_reminders():
    """Periodic (Celery beat): queue the reminders that are due; return how many."""
    due = list(invitation_emails.invitations_due_for_reminder().values_list("pk", "reminders_sent"))
    for pk, count in due:
        queue_on_commit(send_reminder, pk, count)
    return len(due)


@shared_task(**EXPORT_TASK)
def export_survey_xlsx(survey_id, user_id, token):
    """Build the XLSX export of a survey and email its link (each once per token)."""
    return export_files.export_xlsx_build(survey_id=survey_id, user_id=user_id, token=token)
