#!/usr/bin/env python
"""Benchmark of « Le programme en chiffres »: SQL queries and median time at 1×, 10×, 100×.

Standalone: sets Django up itself on a THROWAWAY database (a temporary SQLite file by default;
with ``--database-url postgres://…/name`` Django's test machinery creates ``test_name`` and drops
it at the end), generates data with ``bulk_create`` at each scale of the real size — 132 défis
and 431 people (224 EIG, 207 mentors and other agents) over the same 8 promotions, 15 budget
lines, 90 administrations — so 100× is 13,200 défis and 43,100 people, and prints for each
scale the number of SQL queries and the median time of the staff dashboard page and of
``/api/v1/figures/`` (Django test client, staff user, CaptureQueriesContext).

Usage::

    .venv/bin/python scripts/bench_dashboard.py [--scales 1 10 100] [--runs 7]
                                                [--database-url postgres://postgres@127.0.0.1:5432/eig_bench]

Exit status 1 if a page's query count differs between scales (it must not grow with the data).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal

from benchlib import get_ok, measure, throwaway_database

#: The real data's size (data/eig-public) and the programme's 8 promotions (code, rank, year).
REAL = {"challenges": 132, "fellows": 224, "mentors": 207, "administrations": 90}
PROMOTIONS = [
    ("EIG 1", 1, 2017),
    ("EIG 2", 2, 2018),
    ("EIG 3", 3, 2019),
    ("DIG", 3, 2019),
    ("EIG 4", 4, 2020),
    ("EIG 5", 5, 2021),
    ("EIG 6", 6, 2022),
    ("EIG 7", 7, 2023),
]
BUDGET_CATEGORIES = [
    "pia_envelope",
    "salaries",
    "communication",
    "support_programme",
    "research_links",
]
PROFILES = ["developer", "designer", "data_scientist", "other"]


def parse_args(argv=None):
    """Parse ``--scales``, ``--runs`` and ``--database-url`` from ``argv`` (default: sys.argv)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page and scale")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a database URL; a test database is created next to it and dropped (default: SQLite temp file)",
    )
    return parser.parse_args(argv)


class DataBuilder:
    """Adds rows with bulk_create until the database holds ``scale`` × the real size."""

    def __init__(self):
        from promotions.models import Promotion

        self.scale = 0
        self.promotions = [
            Promotion.objects.create(
                code=code, slug=code.lower().replace(" ", "-"), number=rank, rank=rank, year=year
            )
            for code, rank, year in PROMOTIONS
        ]
        self._declared_and_printed()

    def _declared_and_printed(self):
        """Declared figures and printed totals as in the 2019 report (constant across scales)."""
        from promotions.models import DeclaredFigure, PrintedTotal

        report = {
            "fellows": (11, 28, 32),
            "candidates": (115, 208, 170),
            "challenges_proposed": (9, 43, 42),
        }
        DeclaredFigure.objects.bulk_create(
            DeclaredFigure(promotion=p, metric=metric, value=values[i], source="Rapport EIG 2019")
            for metric, values in report.items()
            for i, p in enumerate(self.promotions[:3])
        )
        printed = PrintedTotal.objects.create(
            source="Rapport EIG 2019", metric="challenges_proposed", value=Decimal("85")
        )
        printed.promotions.set(self.promotions[:3])

    def grow_to(self, scale: int) -> None:
        """Add rows until the data is ``scale`` × the real size; no-op if already there."""
        from challenges.models import Challenge
        from promotions.models import Administration, BudgetLine, Fellow, Mentor

        add = scale - self.scale
        if add <= 0:
            return
        start = self.scale
        n_promotions = len(self.promotions)

        def promotion(i):
            return self.promotions[i % n_promotions]

        admins = Administration.objects.bulk_create(
            Administration(name=f"Administration {start}-{i}")
            for i in range(REAL["administrations"] * add)
        )
        fellows = Fellow.objects.bulk_create(
            Fellow(name=f"EIG {start}-{i}", profile=PROFILES[i % 4], promotion=promotion(i))
            for i in range(REAL["fellows"] * add)
        )
        mentors = Mentor.objects.bulk_create(
            Mentor(name=f"Agent {start}-{i}", promotion=promotion(i))
            for i in range(REAL["mentors"] * add)
        )
        challenges = Challenge.objects.bulk_create(
            Challenge(
                title=f"Défi {start}-{i}",
                slug=f"defi-{start}-{i}",
                promotion=promotion(i),
                administration=admins[i % len(admins)],
            )
            for i in range(REAL["challenges"] * add)
        )
        Fellows = Challenge.fellows.through
        Mentors = Challenge.mentors.through
        Fellows.objects.bulk_create(
            Fellows(challenge_id=c.pk, fellow_id=fellows[(2 * i + k) % len(fellows)].pk)
            for i, c in enumerate(challenges)
            for k in (0, 1)
        )
        Mentors.objects.bulk_create(
            Mentors(challenge_id=c.pk, mentor_id=mentors[(2 * i + k) % len(mentors)].pk)
            for i, c in enumerate(challenges)
            for k in (0, 1)
        )
        # Budget lines "likewise": 5 categories × 3 promotions at 1×, more labelled lines at scale.
        BudgetLine.objects.bulk_create(
            BudgetLine(
                promotion=p,
                category=category,
                label=f"ligne {start + j}",
                amount=Decimal("1000.00") + j,
                is_forecast=p.code == "EIG 3",
            )
            for j in range(add)
            for p in self.promotions[:3]
            for category in BUDGET_CATEGORIES
        )
        self.scale = scale


def main(argv=None) -> int:
    """Run the benchmark on a throwaway database, dropped at the end; returns the exit status."""
    args = parse_args(argv)
    with throwaway_database(args.database_url):
        return run(args)


def run(args) -> int:
    """Grow the data to each scale and print queries and median ms per page; 1 if counts vary."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from challenges.models import Challenge
    from promotions.models import BudgetLine, Fellow, Mentor

    staff = get_user_model().objects.create_user("bench", password="bench-pass-2027", is_staff=True)
    client = Client()
    client.force_login(staff)
    pages = {
        "dashboard": reverse("promotions:dashboard"),
        "api/v1/figures": reverse("api:figures"),
    }
    builder = DataBuilder()
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}), runs per page: {args.runs}"
    )
    header = f"{'scale':>6} {'défis':>7} {'people':>7} {'budget':>7} | " + " | ".join(
        f"{name:>16} queries   median ms" for name in pages
    )
    print(header)
    print("-" * len(header))
    queries_by_page: dict[str, set[int]] = {name: set() for name in pages}
    for scale in args.scales:
        builder.grow_to(scale)
        people = Fellow.objects.count() + Mentor.objects.count()
        cells = []
        for name, url in pages.items():
            queries, median = measure(get_ok(client, url), args.runs, label=url)
            queries_by_page[name].add(queries)
            cells.append(f"{'':>16} {queries:>7} {median * 1000:>11.1f}")
        print(
            f"{str(scale) + '×':>6} {Challenge.objects.count():>7} {people:>7} "
            f"{BudgetLine.objects.count():>7} | " + " | ".join(cells)
        )
    constant = all(len(counts) == 1 for counts in queries_by_page.values())
    print("query count constant across scales:", "yes" if constant else "NO")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
