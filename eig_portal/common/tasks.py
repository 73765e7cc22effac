"""Beat task of the outbox: hand over again the jobs the broker refused (``jobs``)."""

from celery import shared_task

from .jobs import PERIODIC_TASK, job_hand_over, outbox_unsent

#: Jobs handed over per run (a backlog drains over a few minutes, not in one burst).
FLUSH_BATCH = 500


@shared_task(**PERIODIC_TASK)
def outbox_flush() -> int:
    """Hand over the outbox jobs still unsent a minute after their creation; returns how many
    the broker took."""
    ids = list(outbox_unsent().values_list("pk", flat=True)[:FLUSH_BATCH])
    return sum(job_hand_over(pk) for pk in ids)
