#!/usr/bin/env python
"""Benchmark of the proposal ranking of a call: SQL queries and median time, 10 vs 1,000 proposals.

Standalone: sets Django up itself on a THROWAWAY database (a temporary SQLite file by default;
with ``--database-url postgres://…/name`` Django's test machinery creates ``test_name`` and drops
it at the end), generates one call with 4 weighted criteria, and at each size N proposals with
5 submitted reviews each (4 scores per review) — so 1,000 proposals come with 5,000 reviews and
20,000 scores — then prints, for each size, the number of SQL queries and the median time of:

- ``ranking``: the whole ranking evaluated (``challenges.calls.selectors.proposal_ranking``, every row
  with its weighted score, review count, min–max, standard deviation and spread flag);
- ``admin list``: the coordinators' proposal list of the call (admin changelist, 50 per page,
  ranked), through the Django test client;
- ``jury list``: a juror's assignment page (``/defis/jury/``, paginated).

Usage::

    .venv/bin/python scripts/bench_proposals.py [--sizes 10 1000] [--runs 7]
                                                [--database-url postgres://postgres@127.0.0.1:5432/eig_bench]

Exit status 1 if a measure's query count differs between sizes (it must not grow with the data).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from decimal import Decimal

from benchlib import get_ok, measure, throwaway_database

REVIEWS_PER_PROPOSAL = 5
JURORS = 25
WEIGHTS = (Decimal("3"), Decimal("2"), Decimal("2"), Decimal("1"))


def parse_args(argv=None):
    """Parse ``--sizes``, ``--runs`` and ``--database-url`` from ``argv`` (default: sys.argv)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measure and size")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a database URL; a test database is created next to it and dropped "
        "(default: SQLite temp file)",
    )
    return parser.parse_args(argv)


class DataBuilder:
    """One call; adds proposals (each with 5 submitted reviews) until there are ``size``."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from challenges.models import CallForProjects, Criterion
        from promotions.models import Administration, Promotion

        User = get_user_model()
        now = timezone.now()
        promotion = Promotion.objects.create(
            code="EIG 9", slug="eig-9", number=9, rank=9, year=2027
        )
        self.call = CallForProjects.objects.create(
            promotion=promotion,
            title="Appel à projets EIG 9",
            slug="appel-eig-9",
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
            is_published=True,
        )
        self.criteria = Criterion.objects.bulk_create(
            Criterion(call=self.call, label=f"Critère {i + 1}", weight=w, order=i)
            for i, w in enumerate(WEIGHTS)
        )
        self.jurors = User.objects.bulk_create(
            User(username=f"jure{i}", email=f"jure{i}@example.gouv.fr") for i in range(JURORS)
        )
        self.author = User.objects.create_user("agent", email="agent@example.gouv.fr")
        self.administrations = Administration.objects.bulk_create(
            Administration(name=f"Administration {i}") for i in range(50)
        )
        self.size = 0

    def grow_to(self, size: int) -> None:
        """Add submitted proposals (5 reviews × 4 scores each) up to ``size``; no-op if there."""
        from django.utils import timezone

        from challenges.models import ChallengeProposal, JuryAssignment, Review, ReviewScore

        add = size - self.size
        if add <= 0:
            return
        now = timezone.now()
        proposals = ChallengeProposal.objects.bulk_create(
            ChallengeProposal(
                call=self.call,
                administration=self.administrations[i % len(self.administrations)],
                created_by=self.author,
                status=ChallengeProposal.Status.UNDER_REVIEW,
                submitted_at=now,
                title=f"Défi proposé {i}",
                summary="Mieux servir les usagers grâce aux données.",
            )
            for i in range(self.size, size)
        )
        assignments = JuryAssignment.objects.bulk_create(
            JuryAssignment(proposal=p, juror=self.jurors[(i + k) % JURORS])
            for i, p in enumerate(proposals, start=self.size)
            for k in range(REVIEWS_PER_PROPOSAL)
        )
        reviews = Review.objects.bulk_create(
            Review(assignment=a, submitted_at=now) for a in assignments
        )
        ReviewScore.objects.bulk_create(
            (
                ReviewScore(review=r, criterion=c, score=1 + (i * 7 + j * 3) % 5)
                for i, r in enumerate(reviews)
                for j, c in enumerate(self.criteria)
            ),
            batch_size=5000,
        )
        from challenges.calls.review_scores import reviews_rescore

        reviews_rescore(reviews=Review.objects.filter(pk__in=[r.pk for r in reviews]))
        self.size = size


def main(argv=None) -> int:
    """Run the benchmark on a throwaway database, dropped at the end; returns the exit status."""
    args = parse_args(argv)
    with throwaway_database(args.database_url):
        return run(args)


def run(args) -> int:
    """Grow to each size and print queries and median ms per measure; 1 if counts vary."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from challenges.calls.selectors import proposal_ranking
    from challenges.models import Review

    builder = DataBuilder()
    staff = get_user_model().objects.create_user("bench", password="bench-pass-2027", is_staff=True)
    staff.groups.add(Group.objects.get(name="coordinators"))
    admin_client = Client()
    admin_client.force_login(staff)
    juror_client = Client()
    juror_client.force_login(builder.jurors[0])
    admin_url = (
        reverse("admin:challenges_challengeproposal_changelist")
        + f"?call__id__exact={builder.call.pk}"
    )
    jury_url = reverse("jury:list")

    measures = {
        "ranking": lambda: len(list(proposal_ranking(call=builder.call))),
        "admin list": get_ok(admin_client, admin_url),
        "jury list": get_ok(juror_client, jury_url),
    }
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), runs: {args.runs}")
    header = f"{'proposals':>9} {'reviews':>8} | " + " | ".join(
        f"{name:>10} queries  median ms" for name in measures
    )
    print(header)
    print("-" * len(header))
    queries: dict[str, set[int]] = {name: set() for name in measures}
    for size in args.sizes:
        builder.grow_to(size)
        cells = []
        for name, fn in measures.items():
            n, median = measure(fn, args.runs)
            queries[name].add(n)
            cells.append(f"{'':>10} {n:>7} {median * 1000:>10.1f}")
        print(f"{size:>9} {Review.objects.count():>8} | " + " | ".join(cells))
    constant = all(len(counts) == 1 for counts in queries.values())
    print("query count constant across sizes:", "yes" if constant else "NO")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
