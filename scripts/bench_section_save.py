#!/usr/bin/env python
"""The questionnaire section save alone: its load test against the trivial page, and a profile.

The last phases of ``bench_all.py`` in isolation (same functions, same gunicorn, same locust
settings), in about two minutes. On a throwaway PostgreSQL database (``test_<name>``, dropped at
the end) it builds only the 40-question questionnaire of ``bench_surveys.build_survey``, its
personal links and the write floor's tables, then:

- ``profile``: in-process (Django test client, the gunicorn's ``bench_site`` settings, the body
  urlencoded as locust sends it): the queries of a save, the median CPU of a whole request and
  of the view function alone, for the save and for the trivial page, then cProfile of
  ``--saves`` saves (top functions by own and by cumulative time);
- ``load``: gunicorn (the portal's ``gunicorn.conf.py``, ``--workers`` × ``--threads``, see
  ``bench_all.start_gunicorn``) and one locust phase of ``--load-seconds`` per ``--phases``
  target, same users and server for all: ``trivial`` (``/bench/trivial/``: middleware +
  ``SELECT 1``), ``section_save`` (POST « Continuer » of section 1, a 302), and the floors
  ``bare_post`` (CSRF-checked POST of the same form, a 302, no query) and ``bare_write`` (that
  plus a raw-SQL transaction: an ``UPDATE`` and a 10-row upsert). For each: req/s, the ratio
  to the trivial page, the CPU milliseconds each request cost to the gunicorn workers, the
  PostgreSQL backends and locust, and the load average (the two cores are shared with locust
  and PostgreSQL: CPU per request is steadier than req/s on a busy machine).

Usage::

    .venv/bin/python scripts/bench_section_save.py --database-url \\
        postgres://postgres@127.0.0.1:5432/eig_bench [--only load|profile] [--load-seconds 15] \\
        [--phases trivial,section_save,bare_post,bare_write] [--threads 1]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import statistics
import sys
import time

# The in-process half runs with the gunicorn's settings (bench_site, DEBUG off).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_site")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import bench_all  # noqa: E402
from benchlib import throwaway_database  # noqa: E402


def parse_args(argv=None):
    """Command line: database, phases, load test length and size, profile size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/eig_bench",
    )
    parser.add_argument("--only", choices=["load", "profile", "both"], default="both")
    parser.add_argument("--load-seconds", type=int, default=15, help="per load-test phase")
    parser.add_argument("--users", type=int, default=6, help="locust users")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (1: sync workers)"
    )
    parser.add_argument("--jit", choices=["on", "off"], default="off")
    parser.add_argument(
        "--phases",
        type=lambda text: text.split(","),
        default=["trivial", "section_save"],
        help="locust targets in order, comma-separated: trivial, section_save, and the floor"
        " references bare_post (CSRF + form + 302) and bare_write (+ a raw-SQL transaction)",
    )
    parser.add_argument("--saves", type=int, default=200, help="saves under cProfile")
    parser.add_argument("--top", type=int, default=30, help="functions printed per profile")
    return parser.parse_args(argv)


def build(users: int):
    """The save questionnaire, ``max(2 × users, 12)`` personal links; ``(survey, tokens, form)``."""
    import bench_surveys

    from eig_portal.common.tokens import invitation_token
    from promotions.models import Promotion
    from surveys import services

    survey, _promotions, questions, _choices = bench_surveys.build_survey("bench-save")
    promotion = Promotion.objects.get(code="EIG 1")
    tokens = [
        invitation_token(
            services.invitation_create(
                survey=survey, role="fellow", email=f"eig{i}@example.org", promotion=promotion
            )
        )
        for i in range(max(users * 2, 12))
    ]
    bench_all.bump_data_versions()
    bench_all.create_write_floor_tables(len(tokens))
    return survey, tokens, bench_all.section_form(questions)


class CpuMeter:
    """CPU seconds used during a phase by the gunicorn workers, the PostgreSQL backends of
    ``database`` (sampled every half second, so that a backend closed and reopened during the
    phase — ``CONN_MAX_AGE`` — still counts) and the finished child processes of this script
    (locust)."""

    def __init__(self, server, database: str):
        import threading

        self.server, self.database = server, database
        self.first: dict[tuple, float] = {}
        self.last: dict[tuple, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self):
        import psutil

        for process in psutil.Process(self.server.pid).children(recursive=True):
            yield "gunicorn", process
        for process in psutil.process_iter(["cmdline"]):
            cmdline = process.info["cmdline"]
            if cmdline and f" {self.database} " in cmdline[0]:
                yield "postgres", process

    def _sample(self, *, initial: bool = False) -> None:
        """Record each process's CPU; one first seen after the start counts from zero."""
        import psutil

        for group, process in self._processes():
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            key = (group, process.pid, process.create_time())
            self.first.setdefault(key, times.user + times.system if initial else 0.0)
            self.last[key] = times.user + times.system

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def __enter__(self):
        import resource

        self._sample(initial=True)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        import resource

        self.stop.set()
        self.thread.join()
        self._sample()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.seconds = {"gunicorn": 0.0, "postgres": 0.0}
        for key, last in self.last.items():
            self.seconds[key[0]] += last - self.first[key]
        self.seconds["locust"] = (children.ru_utime + children.ru_stime) - (
            self.children.ru_utime + self.children.ru_stime
        )


def phase(args, port, server, database, target, env) -> tuple[float, int, int, dict]:
    """One locust phase: ``(req/s, requests, failures, {process group: CPU ms per request})``."""
    with CpuMeter(server, database) as meter:
        rps, count, failures = bench_all.locust_rps(args, port, target, env)
    per_request = {k: v * 1000 / max(count, 1) for k, v in meter.seconds.items()}
    return rps, count, failures, per_request


def load(args, tokens, form) -> None:
    """Both locust phases against one gunicorn; prints req/s, the ratio, the CPU each request
    cost to each process group, and the load average."""
    from django.db import connection

    database = connection.settings_dict["NAME"]
    connection.close()
    port = bench_all.free_port()
    server = bench_all.start_gunicorn(args, port)
    env = {"BENCH_TOKENS": ",".join(tokens), "BENCH_FORM": json.dumps(form)}
    results = {}
    try:
        for target in args.phases:
            extra = {} if target == "trivial" else env
            results[target] = (
                *phase(args, port, server, database, target, extra),
                os.getloadavg()[0],
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    reference = results.get("trivial", (None,))[0]
    for target, (rps, count, failures, cpu, load1) in results.items():
        spent = ", ".join(f"{k} {v:.2f}" for k, v in cpu.items())
        ratio = f"{rps / reference:.2f}× trivial" if reference else ""
        print(
            f"{target:<12}: {rps:7.1f} req/s {ratio} ({count} requests, {failures} failed); "
            f"CPU ms per request: {spent} (total {sum(cpu.values()):.2f}); load {load1:.2f}"
        )


def _medians_ms(fn, runs: int) -> tuple[float, float]:
    """(median CPU ms of this process, median wall ms) of ``fn()`` over ``runs`` calls."""
    fn()
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(cpu) * 1000, statistics.median(wall) * 1000


def _time_views(paths: dict) -> dict:
    """Wrap the views resolving ``{name: path}`` so that the CPU seconds spent inside each are
    recorded (``{name: [seconds, …]}``); ``_restore_callbacks()`` undoes it."""
    from django.urls import resolve

    spent = {name: [] for name in paths}
    for name, path in paths.items():
        view = resolve(path).func

        def wrapper(*a, _view=view, _name=name, **kw):
            start = time.process_time()
            try:
                return _view(*a, **kw)
            finally:
                spent[_name].append(time.process_time() - start)

        _patch_callback(path, wrapper)
    return spent


def profile(args, survey, tokens, form) -> None:
    """Query count, CPU of the request and of the view alone (save and trivial page), then
    cProfile of ``--saves`` saves; in-process, the body urlencoded as locust sends it."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, trivial = Client(), Client()
    url = f"/questionnaires/r/{tokens[0]}/section/1/"
    pairs = [(k, v) for k, vs in form.items() for v in (vs if isinstance(vs, list) else [vs])]
    body = urlencode([*pairs, ("action", "next")])

    def save():
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 302, response.status_code

    def get_trivial():
        assert trivial.get("/bench/trivial/").status_code == 200

    save()
    with CaptureQueriesContext(connection) as ctx:
        save()
    print(f"queries of a save: {len(ctx.captured_queries)}")
    for query in ctx.captured_queries:
        print(f"   {query['sql'][:150]}")
    spent = _time_views({"section": url, "trivial": "/bench/trivial/"})
    runs = max(50, args.saves // 2)
    (save_cpu, save_wall), (trivial_cpu, trivial_wall) = (
        _medians_ms(save, runs),
        _medians_ms(get_trivial, runs),
    )
    _restore_callbacks()
    view_cpu, tview_cpu = (statistics.median(spent[k]) * 1000 for k in ("section", "trivial"))
    print(f"medians of {runs} requests, ms (CPU of this process / wall):")
    print(f"  section save: {save_cpu:.2f} / {save_wall:.2f}, view alone {view_cpu:.2f} CPU")
    print(f"  trivial page: {trivial_cpu:.2f} / {trivial_wall:.2f}, view alone {tview_cpu:.2f} CPU")
    print(f"  CPU ratio trivial / save: {trivial_cpu / save_cpu:.2f}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.saves):
        save()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
        print(f"--- cProfile of {args.saves} saves, by {order}")
        print(_trim(out.getvalue()))


_PATCHED: list = []


def _patch_callback(path, wrapper) -> None:
    """Replace the URL pattern's callback resolving ``path`` by ``wrapper`` (undone later)."""
    from django.urls import get_resolver

    def walk(resolver, remaining):
        for pattern in resolver.url_patterns:
            match = pattern.pattern.match(remaining)
            if not match:
                continue
            if hasattr(pattern, "url_patterns"):
                found = walk(pattern, match[0])
                if found:
                    return found
            else:
                return pattern
        return None

    pattern = walk(get_resolver(), path.lstrip("/"))
    _PATCHED.append((pattern, pattern.callback))
    pattern.callback = wrapper


def _restore_callbacks() -> None:
    for pattern, callback in _PATCHED:
        pattern.callback = callback
    _PATCHED.clear()


def _trim(text: str) -> str:
    """pstats output without its header lines and with shorter paths."""
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(
        line.replace(str(bench_all.BASE_DIR) + "/", "").replace(sys.prefix + "/", "")
        for line in lines[start:]
    )


def main(argv=None) -> int:
    """Build, then load-test and/or profile."""
    args = parse_args(argv)
    with throwaway_database(args.database_url):
        bench_all.set_up_site(args)
        survey, tokens, form = build(args.users)
        if args.only in ("profile", "both"):
            profile(args, survey, tokens, form)
        if args.only in ("load", "both"):
            load(args, tokens, form)
    return 0


if __name__ == "__main__":
    sys.exit(main())
