#!/usr/bin/env python
"""Benchmark of survey results and exports on a throwaway database.

For a 40-question questionnaire (12 single choice, 8 multiple choice, 8 yes/no, 6 scales,
3 numbers, 3 long texts) with 100 and 100,000 submitted responses, prints the query count and
median time of the results page (``/questionnaires/suivi/<code>/resultats/``) and of the CSV
export (streamed), and the export's peak Python memory (tracemalloc) — which must stay flat as
the data grows, since the export streams.

Usage::

    .venv/bin/python scripts/bench_surveys.py                       # SQLite temp file
    .venv/bin/python scripts/bench_surveys.py --sizes 100 10000
    .venv/bin/python scripts/bench_surveys.py --database-url postgres://postgres@127.0.0.1:5432/eig_bench

The database is created for the run and dropped at the end (``benchlib.throwaway_database``):
a temporary SQLite file, or with ``--database-url postgres://…/name`` Django's test database
``test_name`` (the database named in the URL is not touched).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import tracemalloc

from benchlib import get_ok, throwaway_database, timed_runs

QUESTION_PLAN = (
    ["single"] * 12
    + ["multiple"] * 8
    + ["yesno"] * 8
    + ["scale"] * 6
    + ["number"] * 3
    + ["long_text"] * 3
)
BATCH = 2000


def parse_args():
    """Parse ``--sizes``, ``--database-url`` and ``--repeat`` from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--database-url", help="throwaway database (default: SQLite temp file)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measure")
    return parser.parse_args()


def build_survey(code: str):
    """Create survey ``code`` on EIG 1–3 with the 40 ``QUESTION_PLAN`` questions.

    Returns ``(survey, promotions, questions, choices)``; ``choices`` maps a question id to its
    5 choice ids (single/multiple choice questions only).
    """
    from promotions.models import Promotion
    from surveys.models import Choice, Question, Section, Survey

    survey = Survey.objects.create(
        code=code, title=f"Benchmark {code}", audience_fellows=True, audience_mentors=True
    )
    promotions = [
        Promotion.objects.get_or_create(
            code=f"EIG {n}", defaults={"slug": f"eig-{n}", "number": n, "rank": n, "year": 2016 + n}
        )[0]
        for n in (1, 2, 3)
    ]
    survey.promotions.set(promotions)
    sections = [
        Section.objects.create(survey=survey, title=f"Section {i}", order=i) for i in range(4)
    ]
    questions = []
    for i, kind in enumerate(QUESTION_PLAN):
        q = Question.objects.create(
            survey=survey,
            section=sections[i % 4],
            code=f"q{i:02d}",
            text=f"Question {i} ({kind})",
            type=kind,
            order=i,
            scale_min=1 if kind == "scale" else None,
            scale_max=5 if kind == "scale" else None,
        )
        if kind in ("single", "multiple"):
            Choice.objects.bulk_create(
                Choice(question=q, code=f"c{j}", label=f"Choix {j}", order=j) for j in range(5)
            )
        questions.append(q)
    choices = {
        q.pk: list(q.choices.values_list("pk", flat=True)) for q in questions if q.has_choices
    }
    return survey, promotions, questions, choices


def fill(survey, promotions, questions, choices, n: int) -> None:
    """Create ``n`` submitted responses with an answer to (almost) every question."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from surveys.models import Answer, Response

    rng = random.Random(42)
    through = Answer.choices.through
    now = timezone.now()
    texts = [
        "Très bien 🚀",
        "=1+1 à neutraliser",
        "Ligne 1\nLigne 2",
        "Un avis un peu plus long " * 8,
    ]
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    survey=survey,
                    role="fellow" if rng.random() < 0.6 else "mentor",
                    promotion=rng.choice(promotions),
                    source=Response.Source.IMPORT,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now,
                )
                for _ in range(size)
            )
            answers, multiple = [], []
            for response in responses:
                for q in questions:
                    if rng.random() < 0.05:
                        continue  # not answered
                    a = Answer(response=response, question=q)
                    kind = q.type
                    if kind == "single":
                        a.choice_id = rng.choice(choices[q.pk])
                    elif kind == "multiple":
                        multiple.append((a, rng.sample(choices[q.pk], rng.randint(1, 3))))
                    elif kind == "yesno":
                        a.boolean = rng.random() < 0.6
                    elif kind == "scale":
                        a.number = Decimal(rng.randint(1, 5))
                    elif kind == "number":
                        a.number = Decimal(rng.randint(0, 500))
                    else:
                        a.text = rng.choice(texts)
                    answers.append(a)
            Answer.objects.bulk_create(answers, batch_size=5000)
            through.objects.bulk_create(
                (through(answer_id=a.pk, choice_id=c) for a, ids in multiple for c in ids),
                batch_size=5000,
            )
        done += size


def measure(client, url: str, repeat: int, *, stream: bool):
    """(query count of the last run, median seconds, body bytes) of GET ``url``.

    A streamed body (``stream=True``) is consumed inside the timing. No warm-up run.
    """
    fetch = get_ok(client, url)

    def get() -> int:
        response = fetch()
        if stream:
            return sum(len(chunk) for chunk in response.streaming_content)
        return len(response.content)

    runs = timed_runs(get, repeat)
    queries, _seconds, size = runs[-1]
    return queries, statistics.median(seconds for _q, seconds, _size in runs), size


def peak_memory(client, url: str) -> int:
    """Peak traced Python memory (bytes) while streaming ``url`` to nowhere."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get(url)
    for _chunk in response.streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    """On a throwaway database, print queries, median ms and CSV peak memory per size."""
    args = parse_args()
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    with throwaway_database(args.database_url):
        run(args)


def run(args) -> None:
    """Print queries, median ms and CSV peak memory per size (Django set up, database ready)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    settings.DEBUG = False  # no query log growing in memory
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    staff = get_user_model().objects.create_user("bench", "b@example.org", "x", is_staff=True)
    client = Client()
    client.force_login(staff)
    rows = []
    for n in args.sizes:
        code = f"bench-{n}"
        survey, promotions, questions, choices = build_survey(code)
        t0 = time.perf_counter()
        fill(survey, promotions, questions, choices, n)
        gen = time.perf_counter() - t0
        with connection.cursor() as cursor:
            # Fresh planner statistics, as autovacuum (PostgreSQL) would have after a load.
            cursor.execute("ANALYZE")
        print(f"  {n} responses generated in {gen:.1f} s", flush=True)
        repeat = args.repeat if n <= 10_000 else max(3, args.repeat // 2)
        results_url = f"/questionnaires/suivi/{code}/resultats/"
        export_url = f"/questionnaires/suivi/{code}/export.csv"
        rq, rt, _ = measure(client, results_url, repeat, stream=False)
        eq, et, size = measure(client, export_url, repeat, stream=True)
        peak = peak_memory(client, export_url)
        rows.append((n, rq, rt, eq, et, size, peak))
        print(
            f"  {n}: results {rq} queries {rt * 1000:.0f} ms; "
            f"CSV {eq} queries {et * 1000:.0f} ms, {size / 1e6:.1f} MB, "
            f"peak memory {peak / 1e6:.2f} MB",
            flush=True,
        )
    print()
    print(
        f"{'responses':>10} | {'results: queries':>16} | {'median':>9} | "
        f"{'CSV: queries':>12} | {'median':>9} | {'CSV size':>9} | {'CSV peak memory':>15}"
    )
    for n, rq, rt, eq, et, size, peak in rows:
        print(
            f"{n:>10} | {rq:>16} | {rt * 1000:>7.0f}ms | {eq:>12} | {et * 1000:>7.0f}ms | "
            f"{size / 1e6:>7.2f}MB | {peak / 1e6:>13.2f}MB"
        )
    print(f"(40 questions; median of {args.repeat} runs, 3 for sizes over 10,000)")


if __name__ == "__main__":
    main()
