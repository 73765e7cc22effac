#!/usr/bin/env python
"""Benchmark of the call for candidates: SQL queries and median time of the jury's list, the
per-défi ranking and the matching, for 200 and 2,000 applications.

Standalone, on a THROWAWAY database (see ``benchlib``). At each scale: 40 défis open in one call
(one place per profile each: 120 seats), N applications with 3 ranked choices each, every one
screened in (status ``interview``), and 3 jury members per défi each scoring every candidate
of their défi on the call's two weighted criteria (submitted reviews). Measured:

- jury list: ``selectors.jury_candidates`` of one member, evaluated (the page's rows);
- ranking: ``selectors.choice_ranking`` of one défi, evaluated;
- matching: ``placements.matching_propose`` (scores, input, deferred acceptance, writes) and
  ``matching.deferred_acceptance`` alone.

Usage::

    .venv/bin/python scripts/bench_applications.py [--sizes 200 2000] [--runs 5]
                                                   [--database-url postgres://…/eig_bench]

Exit status 1 if a measure's query count grows with the number of applications, or if the
deferred acceptance of the largest size takes 1 s or more.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta

from benchlib import measure, throwaway_database

DEFIS = 40
MEMBERS_PER_DEFI = 3
PROFILES = ["developer", "designer", "data_scientist"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args(argv)


def build(size: int, rng: random.Random):
    """Create the call, 40 défis, ``size`` applications with 3 choices and the jury's reviews."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from challenges.models import (
        Application,
        ApplicationChoice,
        ApplicationCriterion,
        ApplicationReview,
        ApplicationReviewScore,
        CallForApplications,
        Challenge,
        ChallengeOpening,
        JuryMember,
    )
    from promotions.models import Promotion

    now = timezone.now()
    promotion = Promotion.objects.create(code=f"B{size}", slug=f"b{size}", year=2030, rank=90)
    call = CallForApplications.objects.create(
        promotion=promotion,
        title=f"Bench {size}",
        slug=f"bench-{size}",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=10),
        is_published=True,
    )
    criteria = ApplicationCriterion.objects.bulk_create(
        ApplicationCriterion(call=call, label=f"C{i}", weight=Decimal(w), order=i)
        for i, w in enumerate((2, 1), start=1)
    )
    challenges = Challenge.objects.bulk_create(
        Challenge(title=f"Défi {size}-{i}", slug=f"bench-{size}-{i}", promotion=promotion)
        for i in range(DEFIS)
    )
    ChallengeOpening.objects.bulk_create(
        ChallengeOpening(call=call, challenge=c, developers=1, designers=1, data_scientists=1)
        for c in challenges
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"jury-{size}-{i}", email=f"jury-{size}-{i}@example.org")
        for i in range(DEFIS * MEMBERS_PER_DEFI)
    )
    members = JuryMember.objects.bulk_create(
        JuryMember(challenge=challenges[i // MEMBERS_PER_DEFI], user=u, kind="outside")
        for i, u in enumerate(users)
    )
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            email=f"c{size}-{i}@example.org",
            first_name="C",
            last_name=str(i),
            profile=rng.choice(PROFILES),
            status="interview",
            submitted_at=now,
        )
        for i in range(size)
    )
    choices = ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=a, challenge=challenges[d], rank=r, motivation="m")
        for a in applications
        for r, d in enumerate(rng.sample(range(DEFIS), 3), start=1)
    )
    by_challenge = {}
    for m in members:
        by_challenge.setdefault(m.challenge_id, []).append(m)
    reviews = ApplicationReview.objects.bulk_create(
        ApplicationReview(member=m, choice=c, submitted_at=now)
        for c in choices
        for m in by_challenge[c.challenge_id]
    )
    ApplicationReviewScore.objects.bulk_create(
        ApplicationReviewScore(review=r, criterion=k, score=rng.randint(1, 5))
        for r in reviews
        for k in criteria
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them
            cursor.execute("ANALYZE")
    return call, challenges[0], members[0]


def bench(size: int, runs: int, rng) -> dict[str, tuple[int, float]]:
    from challenges.recruitment import matching, placements, selectors

    call, challenge, member = build(size, rng)
    scores = selectors.choice_scores(call=call)
    data = placements.matching_input(call=call, scores=scores)
    return {
        "jury list": measure(
            lambda: list(selectors.jury_candidates(member=member)), runs, label="jury list"
        ),
        "ranking": measure(
            lambda: list(selectors.choice_ranking(challenge=challenge)), runs, label="ranking"
        ),
        "matching (with the database)": measure(
            lambda: placements.matching_propose(
                call=call, scores=selectors.choice_scores(call=call)
            ),
            runs,
            label="matching",
        ),
        "deferred acceptance alone": measure(
            lambda: matching.deferred_acceptance(data), runs, label="deferred acceptance"
        ),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(2027)
    results = {}
    with throwaway_database(args.database_url):
        from django.db import connection

        print(f"Database: {connection.vendor}; {DEFIS} défis, 3 choices per application")
        for size in args.sizes:
            results[size] = bench(size, args.runs, rng)
            for label, (queries, seconds) in results[size].items():
                print(
                    f"{size:>6} applications  {label:<30} {queries:>3} queries  {seconds * 1000:8.1f} ms"
                )
    failed = False
    for label in results[args.sizes[0]]:
        counts = {results[s][label][0] for s in args.sizes}
        if len(counts) != 1:
            print(f"FAIL: {label} query count grows with the data: {sorted(counts)}")
            failed = True
    if results[max(args.sizes)]["deferred acceptance alone"][1] >= 1.0:
        print("FAIL: the matching of the largest size takes 1 s or more")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
