"""One real Celery worker against Redis, for the tests that must cross a real broker.

The broker is ``CELERY_TEST_BROKER_URL`` (CI: redis://127.0.0.1:6379/15). Without it the test
is skipped, unless ``REQUIRE_SERVICES=1`` (CI), where it fails. The worker runs in a thread of
this process (``celery.contrib.testing.worker.start_worker``, solo pool), so it uses the test
database — tests using it are ``transaction=True`` so the rows it reads are committed — and the
in-memory email outbox. A queue private to this run keeps other runs sharing the broker from
taking the messages.
"""

import os
import time
import uuid
from contextlib import contextmanager

import pytest

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


@contextmanager
def real_worker_for(task_pattern: str):
    """Route tasks matching ``task_pattern`` (e.g. ``"surveys.tasks.*"``) to a private queue
    consumed by one real worker; restore the app's eager configuration afterwards."""
    if not BROKER:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("CELERY_TEST_BROKER_URL is not set but REQUIRE_SERVICES=1")
        pytest.skip("CELERY_TEST_BROKER_URL not set (e.g. redis://127.0.0.1:6379/15)")
    from celery.contrib.testing.worker import start_worker

    from eig_portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    keys = ("broker_url", "task_always_eager", "task_routes")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(
        broker_url=BROKER,
        task_always_eager=False,
        task_routes={task_pattern: {"queue": queue}},
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


def wait_for(predicate, timeout: float = 30.0) -> bool:
    """Poll ``predicate`` every 0.2 s until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
