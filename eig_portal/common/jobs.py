"""One way to run background work: Celery tasks with time limits and one retry policy, queued
after the transaction commits.

- ``EMAIL_TASK``: options of every task that delivers email (``@shared_task(**EMAIL_TASK)``):
  delivery errors (SMTP, network, timeouts; smtplib's errors are ``OSError``) are retried with
  exponential backoff up to 10 minutes apart, 5 times; idempotency comes from ``send_once``.
- ``PERIODIC_TASK`` / ``EXPORT_TASK``: options of beat tasks and of large exports.
- ``queue_on_commit(task, *args)``: the task runs only if the change that asked for it commits
  (so it never reads rows that do not exist), by id; a broker that is down is logged, not raised:
  the request's change is already committed, and the task can be queued again (idempotent).
"""

from django.db import transaction

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


def queue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task.delay(*args, **kwargs)`` once the current transaction commits (at once outside
    a transaction); a failing queueing (broker down) is logged by Django, never raised."""

    # A plain function, not functools.partial: Django logs a failing robust callback by its
    # __qualname__.
    def queue_task():
        task.delay(*args, **kwargs)

    queue_task.__qualname__ = f"queue {task.name}"
    transaction.on_commit(queue_task, robust=True)
