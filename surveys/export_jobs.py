"""Large XLSX exports prepared by a Celery task and downloaded later by the coordinator.

A request creates a random 128-bit job token; the task writes the workbook to the default
storage at ``exports/surveys/<survey code>/<token>.xlsx`` (a file, no model) and emails the
coordinator the download link, a staff-only page that serves the file once it exists.
Idempotent: running the task twice for one token writes the file once and sends one email.
"""

from __future__ import annotations

import re
import secrets
import tempfile

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .exports import write_xlsx
from .models import Survey

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def export_path(*, survey: Survey, token: str) -> str:
    """The storage name of one export job's workbook."""
    if not TOKEN_RE.match(token):
        raise ValueError("invalid export token")
    return f"exports/surveys/{survey.code}/{token}.xlsx"


def export_xlsx_request(*, survey: Survey, user) -> str:
    """Queue the XLSX export of ``survey`` for ``user`` (after commit); return the job token."""
    from .tasks import export_survey_xlsx

    token = secrets.token_hex(16)
    transaction.on_commit(lambda: export_survey_xlsx.delay(survey.pk, user.pk, token))
    return token


def export_xlsx_build(*, survey_id: int, user_id: int, token: str) -> bool:
    """Write the workbook and email its link; False when it was already done (idempotent)."""
    survey = Survey.objects.get(pk=survey_id)
    name = export_path(survey=survey, token=token)
    if default_storage.exists(name):
        return False
    with tempfile.TemporaryFile() as tmp:
        write_xlsx(survey, tmp)
        tmp.seek(0)
        default_storage.save(name, File(tmp, name=f"{token}.xlsx"))
    user = get_user_model().objects.get(pk=user_id)
    if user.email:
        path = reverse("survey_results:export_download", args=[survey.code, token])
        context = {"survey": survey, "link": settings.SITE_URL.rstrip("/") + path}
        message = EmailMultiAlternatives(
            subject=render_to_string("emails/survey_export_ready_subject.txt", context).strip(),
            body=render_to_string("emails/survey_export_ready_body.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("emails/survey_export_ready_body.html", context), "text/html"
        )
        message.send()
    return True
