"""Hooks called by the recruitment services when an email is due: each queues its Celery task
after commit (nothing is sent for a rolled-back change); they take ids only."""

from django.db import transaction


def _queue(task, *args) -> None:
    def queue_task():
        task.delay(*args)

    queue_task.__qualname__ = f"queue {task.name}"
    transaction.on_commit(queue_task, robust=True)


def decision_made(application_id: int) -> None:
    """An application reached a decision (selected, waiting list, not selected)."""
    from . import tasks

    _queue(tasks.send_decision, application_id)


def interview_booked(interview_id: int) -> None:
    """A candidate booked an interview slot: confirmation with an ``.ics`` invitation."""
    from . import tasks

    _queue(tasks.send_interview_confirmation, interview_id)


def interview_invited(interview_id: int) -> None:
    """A candidate was invited to book an interview slot."""
    from . import tasks

    _queue(tasks.send_interview_invitation, interview_id)
