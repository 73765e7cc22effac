"""One real Celery worker against Redis runs a decision email end to end.

The broker is ``CELERY_TEST_BROKER_URL`` (CI: redis://127.0.0.1:6379/15). Without it the test
is skipped, unless ``REQUIRE_SERVICES=1`` (CI), where it fails. The worker runs in a thread of
this process (``celery.contrib.testing.worker.start_worker``, solo pool), so it uses the test
database — the test is ``transaction=True`` so the rows it reads are committed — and the
in-memory email outbox. A queue private to this run keeps other test runs sharing the broker
from taking the message.
"""

import time

import pytest
from django.core import mail
from django.db import transaction

from challenges.calls import notifications
from challenges.models import ChallengeProposal, NotificationLog
from tests.celery_worker import real_worker_for, wait_for
from tests.challenges.call_builders import make_call, make_proposal


@pytest.fixture
def real_worker():
    with real_worker_for("challenges.calls.tasks.*") as app:
        yield app


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_decision_email_once(real_worker):
    proposal = make_proposal(make_call(), status=ChallengeProposal.Status.SELECTED)
    key = f"decision:proposal:{proposal.pk}:selected"

    with transaction.atomic():
        notifications.proposal_decided(proposal.pk)  # queued when this block commits
        notifications.proposal_decided(proposal.pk)  # a duplicate message: sent once anyway

    assert wait_for(lambda: NotificationLog.objects.filter(key=key).exists())
    assert wait_for(lambda: len(mail.outbox) >= 1)
    time.sleep(1.0)  # let the duplicate be consumed too
    assert NotificationLog.objects.filter(key=key).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [proposal.created_by.email]
