"""Celery tasks of the programme's follow-up: ids in, idempotent (``send_once`` keys), retried
on SMTP errors. ``send_event_reminders`` and ``send_weekly_digests`` run from Celery beat."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from promotions.events.models import EventInvitation
from promotions.events.selectors import invitations_due_for_reminder
from promotions.models import Promotion

from . import notifications


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_event_invitation(self, invitation_id):
    """Send one event invitation with its ``.ics`` (once)."""
    try:
        return notifications.event_invitation_email(invitation_id=invitation_id)
    except OSError as exc:  # smtplib errors are OSError subclasses
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_event_reminder(self, invitation_id):
    """Send the day-before reminder of one confirmed invitation (once) and mark it sent."""
    try:
        sent = notifications.event_invitation_email(invitation_id=invitation_id, reminder=True)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    EventInvitation.objects.filter(pk=invitation_id).update(reminded_at=timezone.now())
    return sent


@shared_task
def send_event_reminders():
    """Periodic (hourly): queue the reminders of events starting within 24 hours."""
    due = list(invitations_due_for_reminder(timezone.now()).values_list("pk", flat=True))
    for pk in due:
        transaction.on_commit(lambda pk=pk: send_event_reminder.delay(pk))
    return len(due)


@shared_task(bind=True, max_retries=5, default_retry_delay=300)
def send_weekly_digest(self, promotion_id, week_end_iso):
    """Send one promotion's weekly digest (once per ISO week)."""
    from datetime import datetime

    try:
        return notifications.weekly_digest_email(
            promotion_id=promotion_id, week_end=datetime.fromisoformat(week_end_iso)
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def send_weekly_digests():
    """Periodic (weekly): queue the digest of every promotion running now."""
    now = timezone.now()
    today = timezone.localdate()
    running = Promotion.objects.filter(start_date__lte=today, end_date__gte=today)
    ids = list(running.values_list("pk", flat=True))
    for pk in ids:
        transaction.on_commit(lambda pk=pk: send_weekly_digest.delay(pk, now.isoformat()))
    return len(ids)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_followup_link(self, link_id):
    """Send a team member their follow-up link (once)."""
    try:
        return notifications.followup_link_email(link_id=link_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_outcome_request(self, request_id):
    """Send a mentor the outcome request (once)."""
    try:
        return notifications.outcome_request_email(request_id=request_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_alumni_link(self, profile_id, year):
    """Send a former EIG the yearly link to their entry (once a year)."""
    try:
        return notifications.alumni_link_email(profile_id=profile_id, year=year)
    except OSError as exc:
        raise self.retry(exc=exc) from exc
