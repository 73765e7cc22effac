"""Figures of the ten months and after: events, outcomes, expertise, alumni (and the API)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.followup.programme_figures import followup_figures
from promotions.models import EventInvitation
from tests.factories import (
    AlumniSituationFactory,
    ChallengeFactory,
    EventFactory,
    ExpertiseRequestFactory,
    FellowFactory,
    OutcomeFactory,
    PromotionFactory,
)

pytestmark = pytest.mark.django_db
FIGURES = reverse("api:figures")


def held_event(promotion, confirmed, attended, waitlisted=0):
    start = timezone.now() - dt.timedelta(days=3)
    event = EventFactory(
        promotion=promotion, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    for i in range(confirmed + waitlisted):
        fellow = FellowFactory(promotion=promotion, email=f"e{event.pk}-{i}@example.org")
        EventInvitation.objects.create(
            event=event,
            fellow=fellow,
            email=fellow.email,
            token_seed=f"s{event.pk}-{i}",
            token_hash=f"h{event.pk}-{i}",
            answer="yes",
            is_waitlisted=i >= confirmed,
            attended=True if i < attended else False if i < confirmed else None,
        )
    return event


@pytest.fixture
def data():
    p1, p2 = PromotionFactory(), PromotionFactory()
    held_event(p1, confirmed=4, attended=3, waitlisted=2)
    EventFactory(promotion=p1)  # not held yet
    a, b, c = ChallengeFactory.create_batch(3, promotion=p1)
    OutcomeFactory(challenge=a, as_of=dt.date(2019, 1, 1), production_status="planned")
    OutcomeFactory(
        challenge=a,
        as_of=dt.date(2020, 1, 1),
        production_status="in_production",
        is_maintained=True,
        source_code_url="https://code.example/a",
        datasets=["https://data.example/a"],
    )
    OutcomeFactory(
        challenge=b,
        as_of=dt.date(2020, 1, 1),
        production_status="stopped",
        reused_by=["DINUM : module"],
    )
    fellow = FellowFactory(promotion=p2)
    FellowFactory(promotion=p2)
    ExpertiseRequestFactory(fellow=fellow, challenge=ChallengeFactory(promotion=p2), topic="api")
    ExpertiseRequestFactory(fellow=fellow, challenge=ChallengeFactory(promotion=p2), topic="legal")
    AlumniSituationFactory(profile__fellow=fellow, situation="research", as_of=dt.date(2020, 1, 1))
    AlumniSituationFactory(
        profile=fellow.alumni_profile, situation="contractual", as_of=dt.date(2021, 1, 1)
    )
    return p1, p2


def test_figures_per_promotion_and_total(data):
    p1, p2 = data
    figures = followup_figures(promotion_ids=[p1.pk, p2.pk], now=timezone.now())
    one, two, total = figures[p1.pk], figures[p2.pk], figures["total"]
    assert (one.events.held, one.events.confirmed, one.events.attended) == (1, 4, 3)
    assert one.events.attendance_rate == 0.75
    assert one.outcomes == {
        "challenges": 2,
        "in_production": 1,
        "planned": 0,
        "not_planned": 0,
        "stopped": 1,
        "maintained": 1,
        "open_source": 1,
        "open_data": 1,
        "reused": 1,
    }
    assert one.outcome_shares["in_production"] == 0.5
    assert (two.fellows, two.fellows_with_request, two.share_fellows_with_request) == (2, 1, 0.5)
    assert two.requests_by_topic["api"] == 1 and two.requests_by_topic["legal"] == 1
    assert two.alumni["contractual"] == 1 and two.alumni["research"] == 0
    assert total.outcomes["challenges"] == 2 and total.alumni["contractual"] == 1
    assert total.fellows == one.fellows + two.fellows


def test_empty_promotion_has_zero_counts_and_no_share():
    promotion = PromotionFactory()
    column = followup_figures(promotion_ids=[promotion.pk], now=timezone.now())[promotion.pk]
    assert column.events.attendance_rate is None
    assert column.outcome_shares["in_production"] is None
    assert column.outcomes["challenges"] == 0


def test_api_gives_the_outcomes_object_of_each_promotion(client, data):
    p1, _p2 = data
    body = client.get(FIGURES).json()
    outcomes = body["promotions"][p1.code]["outcomes"]
    assert (outcomes["challenges"], outcomes["in_production"], outcomes["reused"]) == (2, 1, 1)
    assert body["total"]["events"]["attendance_rate"] == 0.75
    assert body["promotions"][p1.code]["outcome_shares"]["stopped"] == 0.5


def test_figures_queries_do_not_grow_with_the_data(data):
    p1, p2 = data
    with CaptureQueriesContext(connection) as small:
        followup_figures(promotion_ids=[p1.pk, p2.pk], now=timezone.now())
    for challenge in ChallengeFactory.create_batch(5, promotion=p2):
        OutcomeFactory(challenge=challenge)
    held_event(p2, confirmed=3, attended=1)
    with CaptureQueriesContext(connection) as large:
        followup_figures(promotion_ids=[p1.pk, p2.pk], now=timezone.now())
    assert len(large.captured_queries) == len(small.captured_queries) == 4


def test_dashboard_shows_the_followup_table_and_charts(client, coordinator, data):
    client.force_login(coordinator)
    response = client.get(reverse("promotions:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="followup-table"' in page and 'id="chart-outcomes-title"' in page
    assert "75\u202f%" in page  # attendance rate of the first promotion
    assert 'id="chart-alumni-title"' in page


def test_schema_documents_the_outcomes_object(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["OutcomeCounts"]["properties"]) == {
        "challenges",
        "in_production",
        "planned",
        "not_planned",
        "stopped",
        "maintained",
        "open_source",
        "open_data",
        "reused",
    }
    promotion = components["PromotionProgrammeFigures"]["properties"]
    assert {"events", "outcomes", "outcome_shares", "expertise", "alumni"} <= set(promotion)
