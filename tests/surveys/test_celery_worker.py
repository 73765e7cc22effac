"""One real Celery worker against Redis sends invitations and reminders once (issue 4, item 3).

Same pattern as tests/challenges/test_celery_worker.py: broker ``CELERY_TEST_BROKER_URL`` (skip
when unset unless ``REQUIRE_SERVICES=1``), a solo worker thread in this process on a private
queue, ``transaction=True`` so the worker sees committed rows, locmem outbox.
"""

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Invitation

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


@pytest.fixture
def real_worker():
    if not BROKER:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("CELERY_TEST_BROKER_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("CELERY_TEST_BROKER_URL not set (e.g. redis://127.0.0.1:6379/15)")
    from celery.contrib.testing.worker import start_worker

    from eig_portal.celery import app

    queue = f"test-surveys-{uuid.uuid4().hex[:12]}"
    keys = ("broker_url", "task_always_eager", "task_routes")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(
        broker_url=BROKER,
        task_always_eager=False,
        task_routes={"surveys.tasks.*": {"queue": queue}},
    )
    app.amqp.flush_routes()
    app._after_fork()
    try:
        with start_worker(
            app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue]
        ):
            yield app
    finally:
        app.conf.update(saved)
        app.amqp.flush_routes()
        app._after_fork()


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_invitation_and_reminder_once(
    real_worker, small_survey, people, promotions
):
    small_survey.promotions.set(promotions)
    services.invitations_create(survey=small_survey)
    with transaction.atomic():
        assert services.invitations_queue_sending(survey=small_survey) == 3
        alice = Invitation.objects.get(email="alice@example.org")
        transaction.on_commit(lambda: tasks.send_invitation.delay(alice.pk))  # duplicate message
    assert wait_for(lambda: Invitation.objects.filter(sent_at__isnull=False).count() == 3)
    assert wait_for(lambda: len(mail.outbox) >= 3)
    time.sleep(1.0)
    assert len(mail.outbox) == 3

    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=8))
    with transaction.atomic():
        assert tasks.send_due_reminders() == 3
        tasks.send_due_reminders()  # the beat firing twice queues duplicates: still one each
    assert wait_for(lambda: len(mail.outbox) >= 6)
    time.sleep(1.0)
    assert len(mail.outbox) == 6
    assert set(Invitation.objects.values_list("reminders_sent", flat=True)) == {1}
