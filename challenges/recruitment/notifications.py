"""Hooks called by the recruitment services when an email is due: each queues its Celery task
after commit (``eig_portal.common.jobs.queue_on_commit``: nothing is sent for a rolled-back
change); they take ids only."""

from eig_portal.common.jobs import queue_on_commit as _queue


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
