"""Celery beat tasks: one per retention rule (schedules in ``CELERY_BEAT_SCHEDULE``).

Each task runs its rule at the current time and records a ``RetentionRun``; running it twice
the same day removes nothing more (what was removed is no longer due) and sends no notice
twice (one pending notice per object, one email per notice).
"""

from celery import shared_task

from .models import RetentionKind
from .retention import retention_apply


def _run(kind: str) -> dict[str, int]:
    run = retention_apply(kinds=[kind])
    return {"removed": run.removed[kind], "notified": run.notified[kind]}


@shared_task
def retention_drafts() -> dict[str, int]:
    """Delete the drafts of calls closed ``DRAFT_RETENTION_DAYS`` ago (after a notice)."""
    return _run(RetentionKind.DRAFTS)


@shared_task
def retention_inactive_accounts() -> dict[str, int]:
    """Erase accounts inactive for ``ACCOUNT_INACTIVITY_DAYS`` (after a notice)."""
    return _run(RetentionKind.INACTIVE_ACCOUNTS)


@shared_task
def retention_invitation_emails() -> dict[str, int]:
    """Unlink questionnaire invitations from people after ``SURVEY_INVITATION_RETENTION_MONTHS``."""
    return _run(RetentionKind.INVITATION_EMAILS)


@shared_task
def retention_juror_accounts() -> dict[str, int]:
    """Erase jurors' accounts ``JUROR_RETENTION_DAYS`` after their last call (after a notice)."""
    return _run(RetentionKind.JUROR_ACCOUNTS)


@shared_task
def retention_outbox() -> dict[str, int]:
    """Blank the recipients of emails sent ``OUTBOX_RETENTION_DAYS`` ago."""
    return _run(RetentionKind.OUTBOX)


@shared_task
def retention_history() -> dict[str, int]:
    """Overwrite history entries that still hold erased values."""
    return _run(RetentionKind.HISTORY)
