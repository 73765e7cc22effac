"""Celery tasks of the défis' follow-up and of the alumni: ids in, idempotent (``send_once``
keys), delivery errors retried with the one policy of ``eig_portal.common.jobs.EMAIL_TASK``.
``send_weekly_digests`` runs weekly from Celery beat."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from eig_portal.common.jobs import EMAIL_TASK, PERIODIC_TASK, queue_on_commit
from promotions.models import Promotion

from . import notifications


@shared_task(**EMAIL_TASK)
def send_weekly_digest(promotion_id, week_end_iso):
    """Send one promotion's weekly digest (once per ISO week)."""
    return notifications.weekly_digest_email(
        promotion_id=promotion_id, week_end=datetime.fromisoformat(week_end_iso)
    )


@shared_task(**PERIODIC_TASK)
def send_weekly_digests():
    """Weekly: queue the digest of every promotion running now; return how many."""
    now = timezone.now()
    today = timezone.localdate()
    running = Promotion.objects.filter(start_date__lte=today, end_date__gte=today)
    ids = list(running.values_list("pk", flat=True))
    for pk in ids:
        queue_on_commit(send_weekly_digest, pk, now.isoformat())
    return len(ids)


@shared_task(**EMAIL_TASK)
def send_followup_link(link_id):
    """Send a team member their follow-up link (once)."""
    return notifications.followup_link_email(link_id=link_id)


@shared_task(**EMAIL_TASK)
def send_outcome_request(request_id):
    """Send a mentor the outcome request (once)."""
    return notifications.outcome_request_email(request_id=request_id)


@shared_task(**EMAIL_TASK)
def send_alumni_link(profile_id, year):
    """Send a former EIG the yearly link to their entry (once a year)."""
    return notifications.alumni_link_email(profile_id=profile_id, year=year)
