#!/usr/bin/env python
"""Every speed target of the portal measured in ONE run, as ratios to a reference in that run.

On a throwaway PostgreSQL database (``benchlib.throwaway_database``: ``test_<name>`` created
and dropped, the named database untouched) this builds the data sets with bulk SQL:

- the programme at 1× and 100× its real size (``bench_dashboard.DataBuilder``: 13,200 défis,
  43,100 people at 100×);
- one call for projects with 1,000 proposals and 5,000 reviews (``bench_proposals``);
- a 40-question questionnaire with 100 and 100,000 submitted responses
  (``INSERT … SELECT generate_series``), one of its questions pinned on the dashboard.

Then it times, each interleaved run by run with the trivial reference page (``bench_site``:
middleware + one ``SELECT 1``), medians of ``--runs`` runs:

- every admin list (changelist of every registered model) at 100×;
- the proposal ranking (``challenges.selectors.proposal_ranking``, all rows);
- the dashboard « Le programme en chiffres » and ``/api/v1/figures/`` at 100×;
- the results page of 100,000 responses, against a single-table ``GROUP BY`` of the answers;
- the CSV export of 100,000 responses: first data row, total, against a ``COPY … TO STDOUT``
  of the same pivot (one row per response, one column per question);

and runs a bounded load test (locust, headless, ``--load-seconds`` per phase) against gunicorn
on 127.0.0.1 (the portal's ``gunicorn.conf.py``, ``--workers`` × ``--threads``): the trivial
page, then the questionnaire section save (POST), then the floor of any save (``bench_urls``:
the CSRF-checked POST of the same form and a raw-SQL transaction of an ``UPDATE`` and a 10-row
upsert), same server. ``scripts/bench_section_save.py`` runs these phases alone, with the CPU
each request cost to gunicorn, PostgreSQL and locust, and profiles a save.

Prints a table; ``--json FILE`` writes the headline ratios. PostgreSQL JIT is off for the
application's connections unless ``--jit on``.

Usage::

    make bench                       # or:
    .venv/bin/python scripts/bench_all.py --database-url postgres://postgres@127.0.0.1:5432/eig_bench \\
        [--runs 7] [--responses 100000] [--load-seconds 20] [--json bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import BASE_DIR, throwaway_database

SCRIPTS = Path(__file__).resolve().parent
#: The measures, in the order they run (``--only`` picks some).
MEASURES = ("admin_lists", "ranking", "dashboard", "results", "export", "load")
#: Apps whose admin lists are measured (the portal's own; not auth, allauth, celery beat…).
PORTAL_APPS = ("promotions", "challenges", "surveys")


def parse_args(argv=None):
    """Command line: database, runs, sizes, load test length, JIT, JSON output."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/eig_bench",
        help="PostgreSQL URL; test_<name> is created next to it and dropped",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure (≥ 7)")
    parser.add_argument("--scale", type=int, default=100, help="programme data scale")
    parser.add_argument("--responses", type=int, default=100_000, help="large survey size")
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--load-seconds", type=int, default=20, help="per load-test phase")
    parser.add_argument("--users", type=int, default=6, help="locust users")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument("--jit", choices=["on", "off"], default="off")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn/locust phase")
    parser.add_argument("--json", dest="json_file", help="write the headline ratios here")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=MEASURES,
        default=MEASURES,
        help="run these measures only (the data is built in full all the same)",
    )
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------- timing
def interleaved(target, reference, runs: int) -> tuple[float, float]:
    """(median seconds of ``target``, of ``reference``), each run alternating the two.

    One warm-up call of each first (template and URL caches).
    """
    target()
    reference()
    t_times, r_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        reference()
        r_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        target()
        t_times.append(time.perf_counter() - start)
    return statistics.median(t_times), statistics.median(r_times)


def get_ok(client, url: str):
    """A callable GET-ting ``url`` (body read, streamed or not); exits on a non-200."""

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018
        return response

    return get


# ---------------------------------------------------------------------------- data
def fill_survey_sql(survey, promotions, n: int) -> None:
    """``n`` submitted responses to ``survey`` with ~95 % of questions answered, in bulk SQL."""
    from django.db import connection

    from surveys.models import Answer, Choice, Question, Response

    r_t, a_t, q_t, c_t = (m._meta.db_table for m in (Response, Answer, Question, Choice))
    through = Answer.choices.through._meta.db_table
    promo_ids = [p.pk for p in promotions]
    texts = ["Très bien 🚀", "=1+1 à neutraliser", "Ligne 1\nLigne 2", "Un avis un peu long " * 8]
    with connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO {r_t} (public_id, survey_id, respondent, role, promotion_id, source,
                   status, started_at, updated_at, submitted_at)
            SELECT gen_random_uuid(), %s, '',
                   CASE WHEN random() < 0.6 THEN 'fellow' ELSE 'mentor' END,
                   (%s::bigint[])[1 + g %% %s], 'import', 'submitted', now(), now(), now()
            FROM generate_series(1, %s) g""",
            [survey.pk, promo_ids, len(promo_ids), n],
        )
        cur.execute(
            f"""INSERT INTO {a_t} (response_id, question_id, choice_id, number, text, boolean)
            SELECT r.id, q.id,
                   CASE WHEN q.type = 'single' THEN ch.ids[1 + floor(random() * 5)::int] END,
                   CASE WHEN q.type = 'scale' THEN 1 + floor(random() * 5)
                        WHEN q.type = 'number' THEN floor(random() * 501) END,
                   CASE WHEN q.type IN ('short_text', 'long_text')
                        THEN (%s::text[])[1 + floor(random() * 4)::int] ELSE '' END,
                   CASE WHEN q.type = 'yesno' THEN random() < 0.6 END
            FROM {r_t} r
            CROSS JOIN {q_t} q
            LEFT JOIN LATERAL (
                SELECT array_agg(c.id ORDER BY c.id) AS ids FROM {c_t} c WHERE c.question_id = q.id
            ) ch ON true
            WHERE r.survey_id = %s AND q.survey_id = %s AND random() >= 0.05""",
            [texts, survey.pk, survey.pk],
        )
        cur.execute(
            f"""INSERT INTO {through} (answer_id, choice_id)
            SELECT a.id, c.id
            FROM {a_t} a
            JOIN {q_t} q ON q.id = a.question_id AND q.type = 'multiple'
            JOIN {c_t} c ON c.question_id = q.id
            WHERE q.survey_id = %s AND random() < 0.4""",
            [survey.pk],
        )
        cur.execute("ANALYZE")
    try:  # the results' stored counts, built as an import of responses builds them
        from surveys.answer_counts import rebuild
    except ImportError:  # a version of the portal counting at every view
        return
    rebuild(survey.pk, force=True)


def bump_data_versions() -> None:
    """After bulk loads (no signals): mark the stored figures stale, as bulk services do."""
    try:
        from eig_portal.common import data_versions
    except ImportError:  # a version of the portal without stored figures
        return
    for key in data_versions.FAMILIES:
        data_versions.bump(key)


def pivot_sql(survey, questions) -> tuple[str, list]:
    """SQL of the export's pivot: one row per submitted response, one column per question.

    Values as the export writes them (choice code, codes joined by ``|``, yes/no, numbers
    without trailing zeros, text), in response order — the reference the export is held to.
    """
    from surveys.models import Answer, Choice, Question, Response

    r_t, a_t, c_t, q_t = (m._meta.db_table for m in (Response, Answer, Choice, Question))
    through = Answer.choices.through._meta.db_table
    columns = ", ".join(f"max(x.v) FILTER (WHERE x.question_id = {q.pk})" for q in questions)
    sql = f"""
        SELECT r.public_id, r.respondent, r.submitted_at, r.role, p.code, r.source, {columns}
        FROM {r_t} r
        LEFT JOIN promotions_promotion p ON p.id = r.promotion_id
        CROSS JOIN LATERAL (
            SELECT a.question_id,
                   CASE q.type
                     WHEN 'single' THEN c.code
                     WHEN 'multiple' THEN (
                        SELECT string_agg(mc.code, '|' ORDER BY mc."order", mc.id)
                        FROM {through} t JOIN {c_t} mc ON mc.id = t.choice_id
                        WHERE t.answer_id = a.id)
                     WHEN 'yesno' THEN CASE a.boolean WHEN true THEN 'yes' WHEN false THEN 'no' END
                     WHEN 'scale' THEN trim_scale(a.number)::text
                     WHEN 'number' THEN trim_scale(a.number)::text
                     ELSE nullif(a.text, '')
                   END AS v
            FROM {a_t} a
            JOIN {q_t} q ON q.id = a.question_id
            LEFT JOIN {c_t} c ON c.id = a.choice_id
            WHERE a.response_id = r.id
        ) x
        WHERE r.survey_id = %s AND r.status = 'submitted'
        GROUP BY r.id, p.code
        ORDER BY r.id"""
    return sql, [survey.pk]


def reference_pivot_sql(survey, questions) -> tuple[str, list]:
    """The export's own pivot query when the portal has one (``surveys.export_pivot``), else
    :func:`pivot_sql`: the ``COPY`` reference is the query the export itself streams."""
    try:
        from surveys.export_pivot import pivot_sql as product_pivot_sql
    except ImportError:
        return pivot_sql(survey, questions)
    return product_pivot_sql(survey, questions)


def copy_seconds(sql: str, params: list) -> float:
    """Seconds of ``COPY (sql) TO STDOUT WITH CSV`` read to nowhere (psycopg2 ``copy_expert``)."""
    from django.db import connection

    class Null:
        def write(self, data):
            return len(data)

    with connection.cursor() as cur:
        query = cur.mogrify(sql, params).decode()
        start = time.perf_counter()
        cur.copy_expert(f"COPY ({query}) TO STDOUT WITH CSV HEADER", Null())
        return time.perf_counter() - start


def group_by_seconds(question_ids: list[int], *, light: bool = False) -> float:
    """Seconds of the single-table ``GROUP BY`` of the answers to ``question_ids``.

    Grouped by question, choice, yes/no and number; ``light``: by question and choice only.
    """
    from django.db import connection

    from surveys.models import Answer

    with connection.cursor() as cur:
        start = time.perf_counter()
        cur.execute(
            f"""SELECT question_id, choice_id, count(*)
            FROM {Answer._meta.db_table} WHERE question_id = ANY(%s)
            GROUP BY question_id, choice_id"""
            if light
            else f"""SELECT question_id, choice_id, boolean, number, count(*)
            FROM {Answer._meta.db_table} WHERE question_id = ANY(%s)
            GROUP BY question_id, choice_id, boolean, number""",
            [question_ids],
        )
        cur.fetchall()
        return time.perf_counter() - start


def same_counts_as_group_by(survey, questions) -> bool:
    """True if the results of ``survey`` give, for every single-choice, yes/no and scale
    question, the counts of the reference ``GROUP BY`` of its answers (all responses of the
    benchmark's questionnaires are submitted)."""
    from collections import Counter

    from django.db import connection

    from surveys.models import Answer
    from surveys.results import survey_results

    expected = {q.pk: Counter() for q in questions}
    codes = {c.pk: c.code for q in questions for c in q.choices.all()}
    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT question_id, choice_id, boolean, number, count(*)
            FROM {Answer._meta.db_table} WHERE question_id = ANY(%s)
            GROUP BY question_id, choice_id, boolean, number""",
            [[q.pk for q in questions]],
        )
        for qid, choice_id, boolean, number, n in cur.fetchall():
            if choice_id:
                expected[qid][codes[choice_id]] += n
            elif boolean is not None:
                expected[qid]["yes" if boolean else "no"] += n
            elif number is not None:
                expected[qid][str(number.normalize())] += n
    results = survey_results(survey=survey, text_sample_size=0)
    for result in results.questions:
        if result.question.type in ("single", "yesno", "scale"):
            got = Counter({c.code: c.count for c in result.overall.choices if c.count})
            if got != expected[result.question.pk]:
                print(
                    f"  {result.question.code}: {dict(got)} != {dict(expected[result.question.pk])}"
                )
                return False
    return True


def export_first_row(client, url: str) -> tuple[float, float, int]:
    """(seconds to the first data row, total seconds, bytes) of the streamed export at ``url``."""
    start = time.perf_counter()
    response = client.get(url)
    first, lines, size = None, 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        if first is None:
            lines += chunk.count(b"\r\n")
            if lines >= 2:
                first = time.perf_counter() - start
    return first, time.perf_counter() - start, size


def export_peak_memory(client, url: str) -> int:
    """Peak traced Python memory (bytes) while streaming the export at ``url`` once."""
    import tracemalloc

    tracemalloc.start()
    response = client.get(url)
    for _chunk in response.streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


# ---------------------------------------------------------------------------- load test
def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(args, port: int) -> subprocess.Popen:
    """gunicorn on the test database, ready to answer: the portal's ``gunicorn.conf.py`` (as in
    production, whatever the current directory) with ``--workers`` workers of ``--threads``
    threads. Two settings differ from production, the same for every phase: worker recycling
    (``max_requests``) is off, since a phase serving more requests would restart its workers
    more often, and the access log goes to ``/dev/null`` (written, not printed).
    ``BENCH_GUNICORN_ARGS`` (environment) adds command-line options, e.g. to compare settings.
    """
    import shlex

    from django.db import connection

    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench_site",
        "PYTHONPATH": f"{SCRIPTS}{os.pathsep}{BASE_DIR}",
        "DEBUG": "False",
        "SECURE_SSL_REDIRECT": "False",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "BENCH_JIT": args.jit,
        "LOG_LEVEL": "ERROR",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_MAX_REQUESTS": "0",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(BASE_DIR / "gunicorn.conf.py"), "eig_portal.wsgi"]
        + ["--log-level", "warning", "--access-logfile", os.devnull, "--chdir", str(BASE_DIR)]
        + shlex.split(os.environ.get("BENCH_GUNICORN_ARGS", "")),
        env=env,
        start_new_session=True,
    )
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        try:  # every worker booted: a few answered requests in a row
            for _ in range(args.workers * 3):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=5):
                    pass
            return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not start")


#: Locust's name of each ``BENCH_TARGET`` (``bench_locustfile.py``).
LOCUST_NAMES = {
    "trivial": "trivial",
    "section_save": "section save",
    "bare_post": "bare post",
    "bare_write": "bare write",
}


def locust_rps(args, port: int, target: str, extra_env: dict) -> tuple[float, int, int]:
    """(requests/s, requests, failures) of the ``target`` phase, locust headless."""
    locust = Path(sys.executable).with_name("locust")
    with tempfile.TemporaryDirectory(prefix="eig-locust-") as tmp:
        prefix = f"{tmp}/stats"
        done = subprocess.run(
            [str(locust), "-f", str(SCRIPTS / "bench_locustfile.py"), "--headless"]
            + ["-u", str(args.users), "-r", str(args.users), "-t", f"{args.load_seconds}s"]
            + ["--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary"]
            + ["--loglevel", "ERROR"],
            env={**os.environ, "BENCH_TARGET": target, **extra_env},
            check=False,
            capture_output=True,
            text=True,
            timeout=args.load_seconds + 60,
        )
        import csv

        name = LOCUST_NAMES[target]
        with open(f"{prefix}_stats.csv", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["Name"] == name:
                    return (
                        float(row["Requests/s"]),
                        int(row["Request Count"]),
                        int(row["Failure Count"]),
                    )
    raise SystemExit(f"locust gave no {name} row:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


# ---------------------------------------------------------------------------- main
def main(argv=None) -> int:
    """Build, measure, print; write ``--json``. Returns the exit status."""
    args = parse_args(argv)
    if args.runs < 7:
        print("note: fewer than 7 runs per measure", file=sys.stderr)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    with throwaway_database(args.database_url):
        return run(args)


def set_up_site(args):
    """Bench URLs (trivial page), plain HTTP, JIT as asked; returns the database connection."""
    from django.conf import settings
    from django.db import connection
    from django.urls import clear_url_caches

    if connection.vendor != "postgresql":
        raise SystemExit("bench_all.py needs PostgreSQL (--database-url postgres://…)")
    settings.ROOT_URLCONF = "bench_urls"
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    settings.SECURE_SSL_REDIRECT = False
    clear_url_caches()
    connection.close()
    options = connection.settings_dict.setdefault("OPTIONS", {})
    if args.jit == "off" and "jit" not in options.get("options", ""):
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        print(f"PostgreSQL jit = {cur.fetchone()[0]}", flush=True)
    return connection


def run(args) -> int:
    """Everything after the database exists: build, time, load-test, print."""
    set_up_site(args)
    bench = Bench(args)
    bench.build()
    for part in MEASURES:
        if part in args.only:
            getattr(bench, part)()
    bench.report()
    return 0


class Bench:
    """One run: the data built, the rows of the table (measure, value, reference), the ratios."""

    def __init__(self, args):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import Client

        self.args = args
        self.t0 = time.perf_counter()
        self.rows: list[tuple[str, str, str]] = []
        self.result: dict[str, float | None] = {}
        staff = get_user_model().objects.create_superuser("bench", "b@example.org", "bench-2027")
        coordinators = Group.objects.filter(name="coordinators").first()
        if coordinators:
            staff.groups.add(coordinators)
        self.client = Client()
        self.client.force_login(staff)
        self.trivial = get_ok(Client(), "/bench/trivial/")

    def ratio(self, name, target) -> float:
        """Median time of ``target`` over the trivial page's, interleaved; adds a table row."""
        t, r = interleaved(target, self.trivial, self.args.runs)
        self.rows.append(
            (name, f"{t * 1000:9.1f} ms", f"{t / r:7.1f}× trivial ({r * 1000:.2f} ms)")
        )
        print(f"  {name}: {t * 1000:.1f} ms = {t / r:.1f}× trivial", flush=True)
        return t / r

    def build(self) -> None:
        """Programme at 1× (dashboard measured) then 100×, the call, the questionnaires."""
        import bench_dashboard
        import bench_proposals
        from django.db import connection
        from django.urls import reverse

        args = self.args
        self.programme = bench_dashboard.DataBuilder()
        self.programme.grow_to(1)
        self.dashboard_url, self.figures_url = (
            reverse("promotions:dashboard"),
            reverse("api:figures"),
        )
        print("programme 1×", flush=True)
        self.ratio("dashboard 1×", get_ok(self.client, self.dashboard_url))
        self.ratio("figures API 1×", get_ok(self.client, self.figures_url))
        self.programme.grow_to(args.scale)
        self.proposals = bench_proposals.DataBuilder()
        self.proposals.grow_to(args.proposals)
        self.build_surveys()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        bump_data_versions()
        print(f"data built in {time.perf_counter() - self.t0:.0f} s", flush=True)

    def build_surveys(self) -> None:
        """100 and N responses (bulk SQL), two questions pinned; one survey for section saves."""
        import bench_surveys

        from eig_portal.common.tokens import invitation_token
        from promotions.models import Promotion
        from surveys import services as survey_services
        from surveys.models import Question

        self.surveys = {}
        for n in (100, self.args.responses):
            survey, promotions, questions, _choices = bench_surveys.build_survey(f"bench-{n}")
            fill_survey_sql(survey, promotions, n)
            self.surveys[n] = (survey, questions)
        self.big_survey, big_questions = self.surveys[self.args.responses]
        self.big_questions = big_questions
        pinned = [big_questions[0].pk, big_questions[28].pk]
        Question.objects.filter(pk__in=pinned).update(pinned=True)
        self.save_survey, _p, save_questions, _c = bench_surveys.build_survey("bench-save")
        promotion = Promotion.objects.get(code="EIG 1")
        self.tokens = [
            invitation_token(
                survey_services.invitation_create(
                    survey=self.save_survey,
                    role="fellow",
                    email=f"eig{i}@example.org",
                    promotion=promotion,
                )
            )
            for i in range(max(self.args.users * 2, 12))
        ]
        self.form = section_form(save_questions)
        create_write_floor_tables(len(self.tokens))

    def admin_lists(self) -> None:
        """Every admin list of the portal's apps at 100×; the worst ratio."""
        from django.contrib import admin
        from django.urls import reverse

        print(f"admin lists at {self.args.scale}×", flush=True)
        ratios = []
        for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
            opts = model._meta
            if opts.app_label in PORTAL_APPS:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                ratios.append(self.ratio(f"admin {opts.label}", get_ok(self.client, url)))
        self.result["admin_lists_vs_trivial_max"] = max(ratios)

    def ranking(self) -> None:
        """The whole ranking of the call."""
        from challenges.calls.selectors import proposal_ranking

        print("ranking", flush=True)
        call = self.proposals.call
        self.result["ranking_vs_trivial"] = self.ratio(
            f"ranking {self.args.proposals} proposals",
            lambda: len(list(proposal_ranking(call=call))),
        )

    def dashboard(self) -> None:
        """Dashboard and figures API at 100× (one large survey pinned), then freshness."""
        scale = self.args.scale
        print(f"dashboard at {scale}×", flush=True)
        self.result["dashboard_vs_trivial"] = self.ratio(
            f"dashboard {scale}×", get_ok(self.client, self.dashboard_url)
        )
        self.result["figures_api_vs_trivial"] = self.ratio(
            f"figures API {scale}×", get_ok(self.client, self.figures_url)
        )
        fresh = freshness_check(self.client, self.figures_url, self.programme)
        self.rows.append(("figures API: a new défi in the next read", "yes" if fresh else "NO", ""))

    def results(self) -> None:
        """Results of 100 and N responses against single-table GROUP BYs of their answers."""
        from django.urls import reverse

        print("results", flush=True)
        for n, (survey, questions) in self.surveys.items():
            fetch = get_ok(self.client, reverse("survey_results:results", args=[survey.code]))
            ids = [q.pk for q in questions]
            t, g = interleaved(fetch, lambda ids=ids: group_by_seconds(ids), self.args.runs)
            light = statistics.median(
                group_by_seconds(ids, light=True) for _ in range(self.args.runs)
            )
            self.rows.append(
                (f"results {n} responses", f"{t * 1000:9.1f} ms", f"{t / g:7.2f}× GROUP BY")
            )
            self.rows.append(
                (f"results {n}: lighter reference", "", f"{t / light:7.2f}× GROUP BY q, choice")
            )
            print(f"  results {n}: {t * 1000:.1f} ms = {t / g:.2f}× GROUP BY", flush=True)
            same = same_counts_as_group_by(survey, questions)
            self.rows.append((f"results {n}: counts = GROUP BY's", "yes" if same else "NO", ""))
            self.result["results_vs_group_by"] = t / g
            self.result["results_vs_group_by_question_choice"] = t / light

    def export(self) -> None:
        """CSV export of N responses: first row, total against COPY, peak Python memory."""
        from django.urls import reverse

        print("export", flush=True)
        n = self.args.responses
        url = reverse("survey_results:export_csv", args=[self.big_survey.code])
        sql, params = reference_pivot_sql(self.big_survey, self.big_questions)
        firsts, totals, copies = [], [], []
        export_first_row(self.client, url)  # warm-up
        for _ in range(max(3, self.args.runs // 2)):
            copies.append(copy_seconds(sql, params))
            first, total, size = export_first_row(self.client, url)
            firsts.append(first)
            totals.append(total)
        first, total, copy = (statistics.median(x) for x in (firsts, totals, copies))
        small_url = reverse("survey_results:export_csv", args=["bench-100"])
        peaks = [export_peak_memory(self.client, u) / 1e6 for u in (small_url, url)]
        self.rows += [
            (f"export {n}: first row", f"{first:9.3f} s", ""),
            (f"export {n}: total", f"{total:9.2f} s", f"{total / copy:7.2f}× COPY ({copy:.2f} s)"),
            (
                "export peak memory 100 / N",
                "{:.1f} / {:.1f} MB".format(*peaks),
                f"{size / 1e6:.0f} MB",
            ),
        ]
        print(f"  export: first row {first:.3f} s, total {total / copy:.2f}× COPY", flush=True)
        self.result["export_first_byte_s"] = first
        self.result["export_vs_copy"] = total / copy

    def load(self) -> None:
        """Locust against gunicorn: the trivial page, then section saves; their ratio."""
        from django.db import connection

        self.result["section_save_vs_trivial_rps"] = None
        if not self.args.skip_load and shutil.which(str(Path(sys.executable).with_name("locust"))):
            print("load test", flush=True)
            connection.close()
            port = free_port()
            server = start_gunicorn(self.args, port)
            form = {"BENCH_TOKENS": ",".join(self.tokens), "BENCH_FORM": json.dumps(self.form)}
            try:
                t_rps, t_n, t_fail = locust_rps(self.args, port, "trivial", {})
                s_rps, s_n, s_fail = locust_rps(self.args, port, "section_save", form)
                w_rps, w_n, w_fail = locust_rps(self.args, port, "bare_write", form)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            self.rows += [
                ("load: trivial GET", f"{t_rps:7.1f} req/s", f"{t_n} requests, {t_fail} failed"),
                (
                    "load: section save POST",
                    f"{s_rps:7.1f} req/s",
                    f"{s_rps / t_rps:.2f}× trivial; {s_n} requests, {s_fail} failed",
                ),
                (
                    "load: floor, CSRF POST + raw-SQL write",
                    f"{w_rps:7.1f} req/s",
                    f"{w_rps / t_rps:.2f}× trivial; {w_n} requests, {w_fail} failed",
                ),
            ]
            self.result["section_save_vs_trivial_rps"] = s_rps / t_rps if not s_fail else 0.0
            self.result["write_floor_vs_trivial_rps"] = w_rps / t_rps if not w_fail else 0.0
        section_queries(self.client, self.save_survey, self.tokens[-1], self.form, self.rows)

    def report(self) -> None:
        """Print the table and the ratios; write ``--json``."""
        print()
        print(f"{'measure':<42} | {'value':>18} | reference")
        print("-" * 100)
        for name, value, reference in self.rows:
            print(f"{name:<42} | {value:>18} | {reference}")
        print()
        print(json.dumps(self.result, indent=2))
        print(f"load average: {os.getloadavg()}; total {time.perf_counter() - self.t0:.0f} s")
        if self.args.json_file:
            Path(self.args.json_file).write_text(json.dumps(self.result, indent=2) + "\n")


def freshness_check(client, figures_url: str, programme) -> bool:
    """True if a défi created now (an ordinary save) shows in the next figures API read."""
    from challenges.models import Challenge

    before = client.get(figures_url).json()["total"]["challenges"]
    Challenge.objects.create(
        title="Défi de contrôle",
        slug="defi-de-controle",
        promotion=programme.promotions[0],
        administration=Challenge.objects.first().administration,
    )
    return client.get(figures_url).json()["total"]["challenges"] == before + 1


def section_form(questions) -> dict:
    """POST data answering every question of section 1 (field name → value or values)."""
    form = {}
    for q in questions:
        if q.section.order != 0:
            continue
        if q.type == "single":
            form[q.code] = "c1"
        elif q.type == "multiple":
            form[q.code] = ["c0", "c2"]
        elif q.type == "yesno":
            form[q.code] = "yes"
        elif q.type == "scale":
            form[q.code] = "4"
        elif q.type == "number":
            form[q.code] = "12"
        else:
            form[q.code] = "Un avis"
    return form


def create_write_floor_tables(slots: int) -> None:
    """The tables of the write floor ``/bench/write/?slot=N`` (``bench_urls``), ``slots`` rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_write_row (id int PRIMARY KEY, saves int NOT NULL)")
        cursor.execute(
            "CREATE TABLE bench_write_item (row_id int REFERENCES bench_write_row, item int,"
            " text text, PRIMARY KEY (row_id, item))"
        )
        cursor.execute(
            "INSERT INTO bench_write_row SELECT g, 0 FROM generate_series(0, %s) g", [slots]
        )


def section_queries(client, survey, token, form, rows) -> None:
    """Add the query count of one section save (in-process, after a first save) to ``rows``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor = Client()
    url = f"/questionnaires/r/{token}/section/1/"
    data = {**form, "action": "next"}
    visitor.post(url, data)
    with CaptureQueriesContext(connection) as ctx:
        response = visitor.post(url, data)
    assert response.status_code == 302, response.status_code
    sqls = [q["sql"] for q in ctx.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    rows.append(("section save: SQL queries", f"{len(sqls):>9}", "in-process, BEGIN/COMMIT apart"))


if __name__ == "__main__":
    sys.exit(main())
