#!/usr/bin/env python
"""Benchmark of the follow-up of défis: SQL queries and median time at 10 and 1,000 défis.

Standalone, on a THROWAWAY database (a temporary SQLite file by default; with
``--database-url postgres://…/name`` Django's test machinery creates ``test_name`` and drops it
at the end). For each scale, one running promotion holds N défis with two EIG and one mentor
each, a year of weekly progress updates per défi (52 × N), a follow-up link per person, two
dated outcomes per défi, an alumni entry with two situations per EIG, expertise requests from
one EIG in three, and 50 events with every EIG invited (half answered yes, attendance recorded
for the events held). Prints the number of SQL queries and the median time of:

- the coordinators' follow-up page (``/defis/suivi/``, every défi's latest update);
- the weekly digest build (``weekly_digest`` + rendering the email's three parts);
- the figures (``/api/v1/figures/`` and « Le programme en chiffres »).

Usage::

    .venv/bin/python scripts/bench_programme.py [--scales 10 1000] [--runs 5]
                                                [--database-url postgres://postgres@127.0.0.1:5432/eig_bench]

Exit status 1 if a measure's query count differs between scales (it must not grow with data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from benchlib import get_ok, measure, throwaway_database

EVENTS = 50
WEEKS = 52


def parse_args(argv=None):
    """``--scales`` (numbers of défis), ``--runs``, ``--database-url``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args(argv)


def _people(promotion, start: int, count: int):
    from challenges.models import Challenge
    from promotions.models import Administration, Fellow, Mentor

    administration, _ = Administration.objects.get_or_create(name="Administration du banc")
    challenges = Challenge.objects.bulk_create(
        Challenge(
            title=f"Défi {i}", slug=f"defi-{i}", promotion=promotion, administration=administration
        )
        for i in range(start, start + count)
    )
    fellows = Fellow.objects.bulk_create(
        Fellow(
            name=f"EIG {i}-{k}",
            email=f"eig{i}-{k}@example.org",
            profile="developer",
            promotion=promotion,
        )
        for i in range(start, start + count)
        for k in range(2)
    )
    mentors = Mentor.objects.bulk_create(
        Mentor(name=f"Mentor {i}", email=f"mentor{i}@example.org", promotion=promotion)
        for i in range(start, start + count)
    )
    Challenge.fellows.through.objects.bulk_create(
        Challenge.fellows.through(challenge=c, fellow=f)
        for c, pair in zip(challenges, zip(fellows[::2], fellows[1::2], strict=True), strict=True)
        for f in pair
    )
    Challenge.mentors.through.objects.bulk_create(
        Challenge.mentors.through(challenge=c, mentor=m)
        for c, m in zip(challenges, mentors, strict=True)
    )
    return challenges, fellows, mentors


def _followup(challenges, fellows, mentors, now):
    from challenges.models import ExpertiseRequest, FollowUpLink, Outcome, ProgressUpdate

    links = FollowUpLink.objects.bulk_create(
        FollowUpLink(
            challenge=c, fellow=f, email=f.email, token_seed=f"s{f.pk}", token_hash=f"fl{f.pk}"
        )
        for c, f in zip([c for c in challenges for _ in range(2)], fellows, strict=True)
    )
    ProgressUpdate.objects.bulk_create(
        (
            ProgressUpdate(
                challenge=c,
                author=links[2 * i],
                posted_at=now - dt.timedelta(weeks=w, hours=i % 50),
                progress="Avancement de la semaine.",
                is_blocked=(i + w) % 17 == 0,
            )
            for i, c in enumerate(challenges)
            for w in range(WEEKS)
        ),
        batch_size=5000,
    )
    Outcome.objects.bulk_create(
        Outcome(
            challenge=c,
            as_of=dt.date(2026, month, 1),
            production_status=["in_production", "planned", "not_planned", "stopped"][i % 4],
            is_maintained=i % 2 == 0,
            source_code_url="https://code.example/x" if i % 3 else "",
            datasets=["https://data.example/x"] if i % 5 == 0 else [],
        )
        for i, c in enumerate(challenges)
        for month in (1, 7)
    )
    ExpertiseRequest.objects.bulk_create(
        ExpertiseRequest(challenge=challenges[i // 2], fellow=f, topic="api", description="Aide")
        for i, f in enumerate(fellows)
        if i % 3 == 0
    )
    del mentors  # mentors have no follow-up link in the benchmark


def _events_and_alumni(promotion, fellows, now):
    from promotions.models import AlumniProfile, AlumniSituation, Event, EventInvitation

    events = Event.objects.bulk_create(
        Event(
            promotion=promotion,
            title=f"Événement {k}",
            kind="collective_session",
            place="Paris",
            starts_at=now + dt.timedelta(days=7 * k - 175),
            ends_at=now + dt.timedelta(days=7 * k - 175, hours=2),
        )
        for k in range(EVENTS)
    )
    EventInvitation.objects.bulk_create(
        (
            EventInvitation(
                event=e,
                fellow=f,
                email=f.email,
                token_seed="s",
                token_hash=f"e{e.pk}-{f.pk}",
                answer="yes" if f.pk % 2 else "",
                attended=(f.pk % 4 == 1) if e.ends_at < now and f.pk % 2 else None,
            )
            for e in events
            for f in fellows
        ),
        batch_size=5000,
    )
    profiles = AlumniProfile.objects.bulk_create(
        AlumniProfile(fellow=f, token_seed="s", token_hash=f"a{f.pk}", is_listed=f.pk % 2 == 0)
        for f in fellows
    )
    AlumniSituation.objects.bulk_create(
        AlumniSituation(profile=p, situation=s, as_of=dt.date(year, 1, 1))
        for i, p in enumerate(profiles)
        for year, s in ((2025, "research"), (2026, ["contractual", "independent"][i % 2]))
    )


def grow_to(promotion, have: int, want: int, now) -> None:
    """Add défis (people, updates, outcomes, requests) up to ``want``; then rebuild the 50 events
    and the alumni entries for every EIG of the promotion."""
    from promotions.models import AlumniProfile, Event, Fellow

    challenges, fellows, mentors = _people(promotion, have, want - have)
    _followup(challenges, fellows, mentors, now)
    Event.objects.filter(promotion=promotion).delete()
    AlumniProfile.objects.filter(fellow__promotion=promotion).delete()
    _events_and_alumni(promotion, list(Fellow.objects.filter(promotion=promotion)), now)


def run(args) -> int:
    """Grow the data to each scale and print queries and median ms per measure."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from challenges.followup.selectors import weekly_digest
    from eig_portal.common.emails import render_email
    from promotions.models import Promotion

    now = timezone.now()
    today = timezone.localdate()
    promotion = Promotion.objects.create(
        code="EIG 9",
        slug="eig-9",
        number=9,
        rank=9,
        year=2026,
        start_date=today - dt.timedelta(days=200),
        end_date=today + dt.timedelta(days=100),
    )
    staff = get_user_model().objects.create_user("bench", password="bench-pass-2027", is_staff=True)
    client = Client()
    client.force_login(staff)

    def digest():
        built = weekly_digest(promotion=promotion, week_end=now)
        return render_email("weekly_digest", {"digest": built})

    measures = {
        "follow-up page": get_ok(client, reverse("followup:board") + "?promotion=eig-9"),
        "weekly digest": digest,
        "api/v1/figures": get_ok(client, reverse("api:figures")),
        "dashboard": get_ok(client, reverse("promotions:dashboard")),
    }
    print(f"database: {connection.vendor}, runs per measure: {args.runs}")
    print(
        f"{'défis':>6} {'updates':>8} {'invit.':>7} | "
        + " | ".join(f"{n:>15} q   ms" for n in measures)
    )
    counts: dict[str, set[int]] = {name: set() for name in measures}
    have = 0
    from challenges.models import ProgressUpdate
    from promotions.models import EventInvitation

    for scale in args.scales:
        grow_to(promotion, have, scale, now)
        have = scale
        cells = []
        for name, fn in measures.items():
            queries, median = measure(fn, args.runs, label=name)
            counts[name].add(queries)
            cells.append(f"{queries:>17} {median * 1000:>6.0f}")
        print(
            f"{scale:>6} {ProgressUpdate.objects.count():>8} {EventInvitation.objects.count():>7} | "
            + " | ".join(cells)
        )
    constant = all(len(c) == 1 for c in counts.values())
    print("query counts constant across scales:", "yes" if constant else "NO")
    return 0 if constant else 1


def main(argv=None) -> int:
    """Run the benchmark on a throwaway database, dropped at the end; returns the exit status."""
    args = parse_args(argv)
    with throwaway_database(args.database_url):
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
