"""What the benchmark scripts share: Django on a throwaway database, and timing with query counts.

Used by ``bench_dashboard.py``, ``bench_proposals.py`` and ``bench_surveys.py`` (run as scripts:
``scripts/`` is on ``sys.path``, so ``import benchlib`` finds this file).

- :func:`throwaway_database` sets Django up (``DATABASE_URL``: the given URL, or a SQLite file
  in a temporary folder) and creates a migrated TEST database next to it with Django's test
  machinery (``test_<name>`` on PostgreSQL), dropped on exit: the named database is never
  touched.
- :func:`timed_runs` runs a callable N times, each under ``CaptureQueriesContext``;
  :func:`measure` adds a warm-up run and requires the same query count on every run.
- :func:`get_ok` turns a test-client GET into such a callable, failing on a non-200.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


def setup_django(database_url: str | None, tmpdir: str) -> None:
    """Set ``DATABASE_URL`` (default: SQLite in ``tmpdir``) and ``django.setup()``."""
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmpdir}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "True")  # static files without collectstatic
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eig_portal.settings")
    import django

    django.setup()


def create_database(tmpdir: str) -> Callable[[], None]:
    """Create the throwaway test database (migrated); returns a function that drops it.

    SQLite: the test database is a file in ``tmpdir``; otherwise Django's ``test_<name>``.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"{tmpdir}/bench-test.sqlite3"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)

    def drop():
        connection.creation.destroy_test_db(old_name, verbosity=0)

    return drop


@contextmanager
def throwaway_database(database_url: str | None) -> Iterator[None]:
    """Django set up on a migrated throwaway database for the ``with`` block, then dropped.

    ``database_url``: ``None`` for a temporary SQLite file, or e.g.
    ``postgres://postgres@127.0.0.1:5432/eig_bench`` (``test_eig_bench`` is created and dropped).
    Call once per process (``django.setup()`` reads ``DATABASE_URL`` once).
    """
    with tempfile.TemporaryDirectory(prefix="eig-bench-") as tmpdir:
        setup_django(database_url, tmpdir)
        drop = create_database(tmpdir)
        try:
            yield
        finally:
            drop()


def timed_runs(fn: Callable[[], Any], runs: int) -> list[tuple[int, float, Any]]:
    """Call ``fn()`` ``runs`` times; one ``(queries, seconds, return value)`` per run.

    ``queries`` is the number of SQL queries the run made (``CaptureQueriesContext``, which
    counts even with ``DEBUG=False``); ``seconds`` is wall time (``time.perf_counter``).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            value = fn()
            seconds = time.perf_counter() - start
        results.append((len(ctx.captured_queries), seconds, value))
    return results


def measure(fn: Callable[[], Any], runs: int, *, label: str = "") -> tuple[int, float]:
    """(queries of one run, median seconds over ``runs`` runs) of ``fn()``, after one warm-up.

    Raises ``SystemExit`` (message prefixed by ``label``) if the identical runs made different
    numbers of queries.
    """
    fn()  # warm-up (template and URL caches)
    results = timed_runs(fn, runs)
    counts = {queries for queries, _seconds, _value in results}
    if len(counts) != 1:
        prefix = f"{label}: " if label else ""
        raise SystemExit(f"{prefix}query count varies between identical runs: {sorted(counts)}")
    return counts.pop(), statistics.median(seconds for _q, seconds, _v in results)


def get_ok(client, url: str) -> Callable[[], Any]:
    """A callable doing ``client.get(url)`` and returning the response; exits on a non-200."""

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    return get
