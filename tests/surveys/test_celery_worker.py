"""One real Celery worker against Redis sends invitations and reminders once.

Worker from tests/celery_worker.py: broker ``CELERY_TEST_BROKER_URL`` (skip
when unset unless ``REQUIRE_SERVICES=1``), a solo worker thread in this process on a private
queue, ``transaction=True`` so the worker sees committed rows, locmem outbox.
"""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Invitation
from tests.celery_worker import real_worker_for, wait_for


@pytest.fixture
def real_worker():
    with real_worker_for("surveys.tasks.*") as app:
        yield app


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
