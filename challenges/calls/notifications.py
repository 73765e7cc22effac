"""Hooks called by the proposal services when something worth an email happens.

The services call these inside their transaction; each hook queues its Celery tasks with
``transaction.on_commit`` so nothing is sent for a rolled-back change (and the worker reads the
committed rows). Each hook takes ids only and returns None; they never raise for a delivery
problem: ``robust=True`` logs a failing queueing (broker down) instead of breaking the request
whose change is already committed — the tasks are idempotent, so it can be queued again.
"""

from eig_portal.common.jobs import queue_on_commit

from . import tasks


def proposal_submitted(proposal_id: int, version_id: int | None = None) -> None:
    """A proposal was submitted (first time or resubmission): acknowledgement + coordinators."""
    queue_on_commit(tasks.send_submission_acknowledgement, proposal_id, version_id)
    queue_on_commit(tasks.send_coordinators_notice, proposal_id, version_id)


def proposal_withdrawn(proposal_id: int) -> None:
    """An agent withdrew a proposal: acknowledgement to its agents + notice to coordinators."""
    queue_on_commit(tasks.send_withdrawal_acknowledgement, proposal_id)
    queue_on_commit(tasks.send_withdrawal_coordinators_notice, proposal_id)


def correction_requested(status_change_id: int) -> None:
    """A coordinator asked for a correction (message on the ``ProposalStatusChange``)."""
    queue_on_commit(tasks.send_correction_requested, status_change_id)


def proposal_decided(proposal_id: int) -> None:
    """A proposal was selected or not selected: decision email to its administration's agents."""
    queue_on_commit(tasks.send_decision, proposal_id)


def juror_invited(user_id: int, invitation: str) -> None:
    """A coordinator invited a jury member: email with a link to set their password.

    ``invitation`` is a fresh random token per invitation (its ``NotificationLog`` key), so a
    retried task sends once and inviting the same person again sends a new link.
    """
    queue_on_commit(tasks.send_juror_invitation, user_id, invitation)


def jurors_assigned(juror_id: int, assignment_ids: list[int]) -> None:
    """A coordinator assigned proposals to a juror: one email for the batch."""
    queue_on_commit(tasks.send_jury_assignments, juror_id, assignment_ids)
