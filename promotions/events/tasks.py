"""Celery tasks of the support programme: ids in, idempotent (``send_once`` keys), delivery
errors retried with the one policy of ``eig_portal.common.jobs.EMAIL_TASK``.
``send_event_reminders`` runs hourly from Celery beat."""

from celery import shared_task
from django.utils import timezone

from eig_portal.common.jobs import EMAIL_TASK, PERIODIC_TASK, queue_on_commit

from .models import EventInvitation
from .notifications import event_email
from .selectors import invitations_due_for_reminder


@shared_task(**EMAIL_TASK)
def send_event_invitation(invitation_id):
    """Send one event invitation with its ``.ics`` (once)."""
    return event_email(invitation_id=invitation_id, kind="event_invitation")


@shared_task(**EMAIL_TASK)
def send_event_seat_freed(invitation_id):
    """Tell the person moved up from the waiting list that their seat is confirmed (once)."""
    return event_email(invitation_id=invitation_id, kind="event_seat_freed")


@shared_task(**EMAIL_TASK)
def send_event_reminder(invitation_id):
    """Send the day-before reminder of one confirmed invitation (once) and mark it sent."""
    sent = event_email(invitation_id=invitation_id, kind="event_reminder")
    EventInvitation.objects.filter(pk=invitation_id).update(reminded_at=timezone.now())
    return sent


@shared_task(**PERIODIC_TASK)
def send_event_reminders():
    """Hourly: queue the reminders of events starting within 24 hours; return how many."""
    due = list(invitations_due_for_reminder(timezone.now()).values_list("pk", flat=True))
    for pk in due:
        queue_on_commit(send_event_reminder, pk)
    return len(due)
