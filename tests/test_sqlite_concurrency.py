"""The embedded SQLite default under concurrent submits: no « database is locked », one record.

Runs tests/sqlite_submit_probe.py in a subprocess on a temporary SQLite file (the suite itself
may run on PostgreSQL): two threads submit the same proposal at the same moment, 4 times.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _probe(mode, tmp_path, trials=4):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / f'{mode}.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "tests/sqlite_submit_probe.py", mode, str(trials)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_two_simultaneous_submits_give_no_error_and_one_record(tmp_path):
    outcome = _probe("portal", tmp_path)
    assert outcome["journal_mode"] == "wal"
    assert outcome["errors"] == []
    assert outcome["records"] == [1, 1, 1, 1]


def test_without_the_portal_s_options_the_same_submits_fail(tmp_path):
    # Django's SQLite defaults (deferred transactions, rollback journal): one of the two
    # submits of each pair fails with « database is locked » — a 500 for that person.
    outcome = _probe("legacy", tmp_path)
    assert outcome["journal_mode"] == "delete"
    assert "database is locked" in outcome["errors"]
