"""Two simultaneous « submit » transactions on the embedded SQLite database, in threads.

Run as a script (``python tests/sqlite_submit_probe.py [portal|legacy] TRIALS``) with
``DATABASE_URL=sqlite:///<file>``: each trial has two threads read whether the proposal was
submitted, wait for each other, then record the submission if it was not — what two clicks on
« Soumettre » do. Prints one JSON line: the journal mode, the errors raised, and the number of
records per trial. ``portal`` uses the portal's settings (WAL, busy timeout, IMMEDIATE
transactions); ``legacy`` drops them (Django's defaults) for comparison.
"""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eig_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import OperationalError, connection, connections, transaction  # noqa: E402


def submit(proposal: int, barrier: threading.Barrier, errors: list) -> None:
    """Read-then-write in one transaction, as a submit view does."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM submission WHERE proposal = %s", [proposal])
                already = cursor.fetchone()[0]
                try:
                    barrier.wait(timeout=0.5)  # the other click reads at the same moment
                except threading.BrokenBarrierError:
                    pass  # the other one waits for our write lock: it will read our record
                if not already:
                    cursor.execute("INSERT INTO submission (proposal) VALUES (%s)", [proposal])
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connection.close()


def main(mode: str, trials: int) -> dict:
    """Run ``trials`` pairs of simultaneous submits; return what happened."""
    if mode == "legacy":
        connections.settings["default"]["OPTIONS"] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS submission (id INTEGER PRIMARY KEY, proposal INT)"
        )
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    connection.close()
    errors: list = []
    records = []
    for proposal in range(trials):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=submit, args=(proposal, barrier, errors)) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM submission WHERE proposal = %s", [proposal])
            records.append(cursor.fetchone()[0])
        connection.close()
    return {"journal_mode": journal_mode, "errors": errors, "records": records}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
