"""Hooks called by the proposal services when something worth an email happens.

The services call these inside their transaction; the implementation (h4, ``challenges.tasks``)
queues Celery tasks with ``transaction.on_commit`` so nothing is sent for a rolled-back change.
Each hook takes ids only and returns None; they must never raise for a delivery problem.
"""


def proposal_submitted(proposal_id: int, version_id: int | None = None) -> None:
    """A proposal was submitted (first time or resubmission): acknowledgement + coordinators."""


def proposal_withdrawn(proposal_id: int) -> None:
    """An agent withdrew a proposal (coordinators may want to know)."""


def correction_requested(status_change_id: int) -> None:
    """A coordinator asked for a correction (message on the ``ProposalStatusChange``)."""


def proposal_decided(proposal_id: int) -> None:
    """A proposal was selected or not selected: decision email to its administration's agents."""
