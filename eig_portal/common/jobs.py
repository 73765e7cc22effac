"""One way to run background work: Celery tasks with time limits and one retry policy, queued
after the transaction commits.

- ``EMAIL_TASK``: options of every task that delivers email (``@shared_task(**EMAIL_TASK)``):
  delivery errors (SMTP, network, timeouts; smtplib's errors are ``OSError``) are retried with
  exponential backoff up to 10 minutes apart, 5 times; idempotency comes from ``send_once``.
- ``PERIODIC_TASK`` / ``EXPORT_TASK``: options of beat tasks and of large exports.
- ``queue_on_commit(task, *args)``: the job is written to the outbox (``OutboxJob``) in the
  transaction of the change that asks for it, and handed to the broker only once it commits (so
  the task never reads rows that do not exist); a broker that is down is logged, never raised,
  and the beat task ``common.tasks.outbox_flush`` hands the job over again every minute until
  the broker takes it (tasks are idempotent). ``delivery_tracking()`` tells a view which jobs
  were delayed, so that the person is told honestly.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxJob

logger = logging.getLogger(__name__)
_delayed: ContextVar[list | None] = ContextVar("outbox_delayed", default=None)

#: Soft/hard time limits in seconds: the soft one raises in the task (it may clean up), the hard
#: one kills the worker process. An email takes well under a minute even on a slow SMTP server.
EMAIL_TIME_LIMITS = {"soft_time_limit": 60, "time_limit": 90}

#: The one retry policy of email delivery.
EMAIL_TASK = {
    "autoretry_for": (OSError, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    **EMAIL_TIME_LIMITS,
}

#: Beat tasks only queue other tasks (ids): a few seconds.
PERIODIC_TASK = {"soft_time_limit": 120, "time_limit": 180}

#: A large export (100,000 responses) is written in about a minute; room for a loaded server.
EXPORT_TASK = {**EMAIL_TASK, "max_retries": 3, "soft_time_limit": 600, "time_limit": 660}


def queue_on_commit(task, *args, **kwargs) -> OutboxJob:
    """Record ``task(*args, **kwargs)`` in the outbox now (same transaction as the caller's
    change: arguments must be JSON) and hand it to the broker once the transaction commits (at
    once outside a transaction). A broker that is down leaves the job for ``outbox_flush``;
    nothing is raised and nothing is lost. Returns the ``OutboxJob``."""
    job = OutboxJob.objects.create(task=task.name, args=list(args), kwargs=kwargs)

    def queue_task():
        job_hand_over(job.pk)

    # Django logs a failing robust callback by its __qualname__.
    queue_task.__qualname__ = f"queue {task.name}"
    transaction.on_commit(queue_task, robust=True)
    return job


def job_hand_over(job_id: int) -> bool:
    """Hand the outbox job ``job_id`` to the broker (``delay``) unless already done; True when
    handed over now or before. A refusal is recorded on the job (attempts, last error) and
    counted in the running ``delivery_tracking`` block."""
    from celery import current_app

    job = OutboxJob.objects.filter(pk=job_id).first()
    if job is None or job.queued_at is not None:
        return job is not None
    try:
        current_app.tasks[job.task].delay(*job.args, **job.kwargs)
    except Exception as error:  # noqa: BLE001 — any broker failure: keep the job for later
        logger.warning("Job %s not queued (%s): retried by the outbox", job, error)
        OutboxJob.objects.filter(pk=job.pk).update(
            attempts=F("attempts") + 1, last_error=str(error)[:500]
        )
        delayed = _delayed.get()
        if delayed is not None:
            delayed.append(job.pk)
        return False
    OutboxJob.objects.filter(pk=job.pk).update(queued_at=timezone.now(), attempts=F("attempts") + 1)
    return True


@contextmanager
def delivery_tracking():
    """``with delivery_tracking() as delayed:`` — after the block, ``delayed`` lists the ids of
    the jobs the broker refused during it (so the person can be told the truth: delayed, not
    sent)."""
    delayed: list[int] = []
    marker = _delayed.set(delayed)
    try:
        yield delayed
    finally:
        _delayed.reset(marker)


def outbox_unsent(*, older_than_seconds: int = 60):
    """Outbox jobs not handed to the broker, created more than ``older_than_seconds`` ago
    (younger ones are still waiting for their transaction's commit)."""
    limit = timezone.now() - timedelta(seconds=older_than_seconds)
    return OutboxJob.objects.filter(queued_at__isnull=True, created_at__lt=limit)


def delayed_message(n: int) -> str:
    """What to tell a person when ``n`` emails or jobs could not be handed over yet."""
    from django.utils.translation import ngettext

    return ngettext(
        "Le service d'envoi est momentanément indisponible : %(n)d envoi est en attente et "
        "partira automatiquement dès son retour.",
        "Le service d'envoi est momentanément indisponible : %(n)d envois sont en attente et "
        "partiront automatiquement dès son retour.",
        n,
    ) % {"n": n}
