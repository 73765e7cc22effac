"""Retention of candidates' personal data (« durée de conservation »).

Unsuccessful candidates' personal data — names, email, CV, motivations, links, availability,
how they heard of the programme, the snapshots of their submitted versions, status messages
and jurors' comments — is erased ``settings.CANDIDATE_RETENTION_DAYS`` days (default 730)
after their call closes. What the figures need stays: the call, profile, statuses, submission
date, ranked défis and the ``interviewed`` flag. Selected candidates (now EIG) are kept.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import (
    Application,
    ApplicationChoice,
    ApplicationReview,
    ApplicationStatusChange,
    ApplicationVersion,
)

ERASED_FIELDS = {
    "email": "",
    "first_name": "",
    "last_name": "",
    "cv_name": "",
    "portfolio_url": "",
    "forge_url": "",
    "profile_url": "",
    "heard_from": "",
    "available_from": None,
    "candidate": None,
    "creation_token": None,
}


def applications_due_for_erasure(*, now=None) -> QuerySet[Application]:
    """Not yet erased, not selected applications whose call closed more than
    ``CANDIDATE_RETENTION_DAYS`` days before ``now``."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.CANDIDATE_RETENTION_DAYS)
    return Application.objects.filter(erased_at__isnull=True, call__closes_at__lt=limit).exclude(
        status=Application.Status.SELECTED
    )


@transaction.atomic
def applications_erase(*, applications: QuerySet[Application]) -> int:
    """Erase the personal data of ``applications`` (CV files deleted after commit); returns
    how many were erased. Statuses, profile, dates and ranked défis are kept for the figures."""
    applications = applications.select_for_update().filter(erased_at__isnull=True)
    ids = list(applications.values_list("pk", flat=True))
    if not ids:
        return 0
    cv_names = [n for n in applications.values_list("cv", flat=True) if n]
    Application.objects.filter(pk__in=ids).update(**ERASED_FIELDS, cv="", erased_at=timezone.now())
    ApplicationChoice.objects.filter(application_id__in=ids).update(motivation="")
    ApplicationVersion.objects.filter(application_id__in=ids).update(snapshot={})
    ApplicationStatusChange.objects.filter(application_id__in=ids).update(message="")
    ApplicationReview.objects.filter(choice__application_id__in=ids).update(comment="")
    storage = Application._meta.get_field("cv").storage

    def delete_files():
        for name in cv_names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return len(ids)
