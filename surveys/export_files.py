"""Files of the large XLSX exports, prepared by a Celery task and downloaded later by the
coordinator.

A request creates a random 128-bit job token; the task writes the workbook to the default
storage at ``exports/surveys/<survey code>/<token>.xlsx`` (a file, no model) and emails the
coordinator the download link, a staff-only page that serves the file once it exists.
Idempotent: running the task twice for one token writes the file once and sends one email.
"""

from __future__ import annotations

import re
import tempfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.urls import reverse

from eig_portal.common.emails import send_once

from .exports import write_xlsx
from .models import Survey

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def export_path(*, survey: Survey, token: str) -> str:
    """The storage name of one export job's workbook."""
    if not TOKEN_RE.match(token):
        raise ValueError("invalid export token")
    return f"exports/surveys/{survey.code}/{token}.xlsx"


def export_xlsx_build(*, survey_id: int, user_id: int, token: str) -> bool:
    """Write the workbook (unless it exists) and email its link (unless sent); False when both
    were already done (idempotent: a retry after a failed email sends it without rewriting)."""
    survey = Survey.objects.get(pk=survey_id)
    name = export_path(survey=survey, token=token)
    if not default_storage.exists(name):
        with tempfile.TemporaryFile() as tmp:
            write_xlsx(survey, tmp)
            tmp.seek(0)
            default_storage.save(name, File(tmp, name=f"{token}.xlsx"))
    # Also when the file already exists: a retry after an SMTP failure still sends the link.
    return _export_ready_email(survey=survey, user_id=user_id, token=token)


def _export_ready_email(*, survey: Survey, user_id: int, token: str) -> bool:
    """Email the download link, once per token (``send_once``); True if an email went out."""
    user = get_user_model().objects.get(pk=user_id)
    path = reverse("survey_results:export_download", args=[survey.code, token])
    context = {"survey": survey, "link": settings.SITE_URL.rstrip("/") + path}
    return send_once(
        key=f"survey-export:{token}",
        name="survey_export_ready",
        recipients=[user.email],
        context=context,
    )
