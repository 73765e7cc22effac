"""One real Celery worker against Redis runs a decision email end to end (issue 3, item 8).

The broker is ``CELERY_TEST_BROKER_URL`` (CI: redis://127.0.0.1:6379/15). Without it the test
is skipped, unless ``REQUIRE_SERVICES=1`` (CI), where it fails. The worker runs in a thread of
this process (``celery.contrib.testing.worker.start_worker``, solo pool), so it uses the test
database — the test is ``transaction=True`` so the rows it reads are committed — and the
in-memory email outbox. A queue private to this run keeps other test runs sharing the broker
from taking the message.
"""

import os
import time
import uuid

import pytest
from django.core import mail
from django.db import transaction

from challenges import notifications
from challenges.models import ChallengeProposal, NotificationLog
from tests.challenges.call_builders import make_call, make_proposal

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


@pytest.fixture
def real_worker():
    """Start one solo-pool worker on a private queue; yield; stop it and restore the app."""
    if not BROKER:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("CELERY_TEST_BROKER_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("CELERY_TEST_BROKER_URL not set (e.g. redis://127.0.0.1:6379/15)")
    from celery.contrib.testing.worker import start_worker

    from eig_portal.celery import app

    queue = f"test-challenges-{uuid.uuid4().hex[:12]}"
    keys = ("broker_url", "task_always_eager", "task_routes")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(
        broker_url=BROKER,
        task_always_eager=False,
        task_routes={"challenges.tasks.*": {"queue": queue}},
    )
    app.amqp.flush_routes()
    app._after_fork()  # drop pooled connections made with the previous broker setting
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
