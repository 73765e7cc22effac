#!/usr/bin/env python
"""Every admin list of the portal's apps timed against the trivial page, on a KEPT database.

Unlike ``bench_all.py`` (a throwaway database built at each run), this script works on the
database named in ``--database-url`` itself, so that the lists can be measured again and again
without rebuilding: the first run migrates it and builds the data (several minutes), later runs
only migrate (new indexes) and measure. The data are those of ``bench_all.py``:

- the programme at 100× its real size (``bench_dashboard.DataBuilder``: 13,200 défis,
  43,100 people);
- one call for projects with 1,000 proposals and 5,000 reviews (``bench_proposals``);
- two 40-question questionnaires with 100 and 100,000 submitted responses
  (``bench_all.fill_survey_sql``).

Each changelist (every model of ``promotions``, ``challenges``, ``surveys`` registered in the
admin, plus the ``--url`` given) is timed interleaved with ``/bench/trivial/`` (median of
``--runs``) by the Django test client as a superuser in the coordinators' group; the table is
sorted worst first, with the SQL query count of one request. ``--profile LABEL`` prints the
cProfile top of one list (``surveys.Question`` or a URL); ``--sql LABEL`` prints its queries
with their times. ``--floor`` also times a bare ``ModelAdmin`` of a small model (Django's own
changelist rendering, the floor of any admin list).

Usage::

    createdb -h 127.0.0.1 -U postgres eig_admin_lists
    .venv/bin/python scripts/bench_admin_lists.py \\
        --database-url postgres://postgres@127.0.0.1:5432/eig_admin_lists \\
        [--runs 7] [--only surveys.] [--profile challenges.Challenge] [--sql surveys.Question]
        [--floor] [--no-nav-sidebar] [--rebuild]

The database must be a scratch one: ``--rebuild`` flushes it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass

from benchlib import setup_django

PORTAL_APPS = ("promotions", "challenges", "surveys")
SCALE = 100
PROPOSALS = 1000
RESPONSES = (100, 100_000)


def parse_args(argv=None):
    """Command line: database, runs, selection, profile/SQL of one list, floor, rebuild."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/eig_admin_lists",
        help="a scratch PostgreSQL database, kept between runs",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="", help="measure the lists whose label contains this")
    parser.add_argument("--url", action="append", default=[], help="extra admin URL to time")
    parser.add_argument("--profile", help="cProfile top of this list (label or URL)")
    parser.add_argument("--sql", help="queries of this list (label or URL), with their times")
    parser.add_argument("--explain", type=int, default=0, help="with --sql: plans of the N slowest")
    parser.add_argument("--floor", action="store_true", help="time a bare ModelAdmin list too")
    parser.add_argument("--rebuild", action="store_true", help="flush and build the data again")
    parser.add_argument(
        "--no-nav-sidebar",
        action="store_true",
        help="measure with the admin's navigation sidebar off (what it costs every page)",
    )
    parser.add_argument("--jit", choices=["on", "off"], default="off")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------- data
def data_present() -> bool:
    """True if the kept database already holds the whole data set (the last step's survey)."""
    from surveys.models import Survey

    return Survey.objects.filter(code=f"bench-{RESPONSES[-1]}").exists()


def build() -> None:
    """Build the data of ``bench_all.py`` (programme 100×, the call, the questionnaires)."""
    import bench_all
    import bench_dashboard
    import bench_proposals
    import bench_surveys
    from django.db import connection

    start = time.perf_counter()
    bench_dashboard.DataBuilder().grow_to(SCALE)
    print(f"  programme {SCALE}× ({time.perf_counter() - start:.0f} s)", flush=True)
    bench_proposals.DataBuilder().grow_to(PROPOSALS)
    print(f"  call, {PROPOSALS} proposals ({time.perf_counter() - start:.0f} s)", flush=True)
    for n in RESPONSES:
        survey, promotions, _questions, _choices = bench_surveys.build_survey(f"bench-{n}")
        bench_all.fill_survey_sql(survey, promotions, n)
        print(f"  questionnaire, {n} responses ({time.perf_counter() - start:.0f} s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    bench_all.bump_data_versions()


def prepare(args) -> None:
    """Migrate the kept database; flush it on ``--rebuild``; build the data when absent."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if args.rebuild:
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", verbosity=0, interactive=False)  # groups, permissions again
    if not data_present():
        print("building the data (several minutes)…", flush=True)
        build()


# ---------------------------------------------------------------------------- measures
def staff_client():
    """A test client logged in as a superuser of the coordinators' group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    User = get_user_model()
    staff = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "b@example.org", "bench-2027"
    )
    coordinators = Group.objects.filter(name="coordinators").first()
    if coordinators:
        staff.groups.add(coordinators)
    client = Client()
    client.force_login(staff)
    return client


def admin_lists(only: str, extra_urls: list[str]) -> dict[str, str]:
    """``{label: changelist URL}`` of the portal's admin lists whose label contains ``only``."""
    from django.contrib import admin
    from django.urls import reverse

    lists = {}
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        opts = model._meta
        if opts.app_label in PORTAL_APPS and only in opts.label:
            lists[opts.label] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    lists.update({url: url for url in extra_urls})
    return lists


def query_count(client, url: str) -> tuple[int, float]:
    """(SQL queries, their total ms) of one GET of ``url``, after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries), sum(float(q["time"]) for q in ctx.captured_queries) * 1000


@dataclass
class Row:
    """One list measured: medians in ms (wall clock and this process's CPU), queries."""

    label: str
    ms: float
    trivial_ms: float
    cpu_ms: float
    trivial_cpu_ms: float
    queries: int
    sql_ms: float

    @property
    def ratio(self) -> float:
        """Wall-clock median over the trivial page's (the target: ≤ 20)."""
        return self.ms / self.trivial_ms


def interleaved(target, reference, runs: int) -> tuple[float, float, float, float]:
    """Medians (s) of ``target``, ``reference`` (wall clock, as ``bench_all.interleaved``) and
    of their CPU time in this process (``time.process_time``: less sensitive to the load)."""
    target()
    reference()
    times: dict[str, list[float]] = {"t": [], "r": [], "tc": [], "rc": []}
    for _ in range(runs):
        for fn, wall, cpu in ((reference, "r", "rc"), (target, "t", "tc")):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            times[wall].append(time.perf_counter() - start)
            times[cpu].append(time.process_time() - start_cpu)
    return tuple(statistics.median(times[k]) for k in ("t", "r", "tc", "rc"))


def measure_all(client, lists: dict[str, str], runs: int) -> list[Row]:
    """Each list timed against the trivial page, worst ratio first."""
    import bench_all
    from django.test import Client

    trivial = bench_all.get_ok(Client(), "/bench/trivial/")
    rows = []
    for label, url in lists.items():
        t, r, tc, rc = interleaved(bench_all.get_ok(client, url), trivial, runs)
        row = Row(label, t * 1000, r * 1000, tc * 1000, rc * 1000, *query_count(client, url))
        rows.append(row)
        print(f"  {label}: {row.ms:.1f} ms = {row.ratio:.1f}× trivial", flush=True)
    return sorted(rows, key=lambda row: row.ratio, reverse=True)


def print_table(rows: list[Row]) -> None:
    """The table of ``measure_all``'s rows, and the worst ratio."""
    print()
    print(
        f"{'admin list':<42} {'ms':>7} {'×triv':>6} {'triv ms':>7} {'CPU ms':>7} {'×triv':>6}"
        f" {'queries':>7} {'SQL ms':>6}"
    )
    print("-" * 96)
    for row in rows:
        print(
            f"{row.label:<42} {row.ms:>7.1f} {row.ratio:>6.1f} {row.trivial_ms:>7.2f}"
            f" {row.cpu_ms:>7.1f} {row.cpu_ms / row.trivial_cpu_ms:>6.1f}"
            f" {row.queries:>7} {row.sql_ms:>6.1f}"
        )
    if rows:
        print(f"\nworst: {rows[0].label} {rows[0].ratio:.1f}× trivial")
    print(f"load average {os.getloadavg()}, {os.cpu_count()} cores")


def profile(client, url: str, top: int = 30) -> None:
    """cProfile of 5 GETs of ``url``: the ``top`` functions by cumulative, then by own time."""
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(url)
    profiler.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
        print(out.getvalue())


def print_sql(client, url: str, explain: int = 0) -> None:
    """Each query of one GET of ``url`` with its time (ms), slowest first; the plans
    (``EXPLAIN ANALYZE``) of the ``explain`` slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    for q in queries:
        print(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:600]}")
    print(f"{len(queries)} queries")
    for q in queries[:explain]:
        print(f"\n{q['sql']}")
        with connection.cursor() as cur:
            cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
            print("\n".join(row[0] for row in cur.fetchall()))


def floor_site():
    """Copies of the portal's admin site (same models, same navigation sidebar) at
    ``/bench-floor/`` whose Theme, Fellow and Mentor admins are bare ``ModelAdmin``s, and one
    without the navigation sidebar at ``/bench-floor-bare/``; returns ``{label: URL}``.

    Measures what Django's changelist costs by itself on this site: an empty list, 100 rows of
    one column (``__str__``), 50 rows of six plain columns (the promotion joined); and the
    empty list without the sidebar (which lists every model of the site on every page).
    """
    import bench_urls
    from django.contrib import admin
    from django.urls import clear_url_caches, path, set_urlconf

    from challenges.models import Theme
    from eig_portal.common.admin_site import PortalAdminSite
    from promotions.models import Fellow, Mentor

    class OneColumn(admin.ModelAdmin):
        list_select_related = ("promotion",)  # ``__str__`` shows the promotion

    class Columns(admin.ModelAdmin):
        list_display = ("name", "profile", "promotion", "job_title", "email", "id")
        list_select_related = ("promotion",)
        list_per_page = 50

    urls = []
    for name, sidebar in (("bench-floor", True), ("bench-floor-bare", False)):
        site = PortalAdminSite(name=name.replace("-", "_"))
        site.enable_nav_sidebar = sidebar
        site._registry = dict(admin.site._registry)
        site._registry[Theme] = admin.ModelAdmin(Theme, site)
        site._registry[Fellow] = OneColumn(Fellow, site)
        site._registry[Mentor] = Columns(Fellow, site)  # served at …/promotions/mentor/
        urls.append(path(f"{name}/", site.urls))
    bench_urls.urlpatterns[:0] = urls
    clear_url_caches()
    set_urlconf(None)
    return {
        "floor: bare list, empty (Theme)": "/bench-floor/challenges/theme/",
        "floor: bare list, 100 rows × 1 column": "/bench-floor/promotions/fellow/",
        "floor: bare list, 50 rows × 6 columns": "/bench-floor/promotions/mentor/",
        "floor: bare list, empty, no nav sidebar": "/bench-floor-bare/challenges/theme/",
        "floor: bare list, 50 × 6, no nav sidebar": "/bench-floor-bare/promotions/mentor/",
    }


def main(argv=None) -> int:
    """Prepare the kept database, then measure, profile or list the SQL as asked."""
    args = parse_args(argv)
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    setup_django(args.database_url, "/tmp")
    import bench_all

    prepare(args)
    bench_all.set_up_site(args)
    client = staff_client()
    if args.no_nav_sidebar:
        from django.contrib import admin

        admin.site.enable_nav_sidebar = False
    lists = admin_lists(args.only, args.url)
    if args.floor:
        lists.update(floor_site())
    if args.profile or args.sql:
        label = args.profile or args.sql
        url = lists.get(label) or admin_lists("", [])[label] if not label.startswith("/") else label
        if args.profile:
            profile(client, url)
        else:
            print_sql(client, url, args.explain)
        return 0
    print_table(measure_all(client, lists, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
