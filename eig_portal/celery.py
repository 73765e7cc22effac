"""Celery application. Without ``CELERY_BROKER_URL`` tasks run eagerly (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eig_portal.settings")

app = Celery("eig_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Apps keep their tasks in ``<app>.tasks``; the call for projects in its own sub-package.
app.autodiscover_tasks()
app.autodiscover_tasks(["challenges.calls"])
