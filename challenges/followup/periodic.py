"""Periodic Celery tasks (beat) that create personal links and queue their emails.

Kept apart from ``tasks`` because they call ``sending``, which queues the ``tasks``.
"""

from celery import shared_task
from django.utils import timezone

from eig_portal.common.jobs import PERIODIC_TASK

from .sending import alumni_links_send_due, outcome_requests_send_due


@shared_task(**PERIODIC_TASK)
def send_due_outcome_requests():
    """Daily: ask the mentors for the outcomes whose milestone has come."""
    return outcome_requests_send_due(today=timezone.localdate())


@shared_task(**PERIODIC_TASK)
def send_yearly_alumni_links():
    """Daily: the yearly link of former EIG not reached in the last 360 days."""
    return alumni_links_send_due(today=timezone.localdate())
