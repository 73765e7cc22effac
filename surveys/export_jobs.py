"""Large XLSX exports: the request queues a Celery task (``tasks.export_survey_xlsx``) that
writes the file and emails its link (``export_files``)."""

import secrets

from eig_portal.common.jobs import queue_on_commit

from . import tasks
from .models import Survey


def export_xlsx_request(*, survey: Survey, user) -> str:
    """Queue the XLSX export of ``survey`` for ``user`` (after commit); return the job token."""
    token = secrets.token_hex(16)
    queue_on_commit(tasks.export_survey_xlsx, survey.pk, user.pk, token)
    return token
