"""Business rules of each défi's follow-up: updates, cadence, board, expertise, outcomes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.followup import selectors, services
from challenges.models import ExpertiseRequest, Outcome
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    ExpertiseRequestFactory,
    FellowFactory,
    MentorFactory,
    ProgressUpdateFactory,
    PromotionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def team_challenge():
    promotion = PromotionFactory()
    fellow = FellowFactory(promotion=promotion, email="eig@example.org")
    mentor = MentorFactory(promotion=promotion, email="mentor@example.org")
    return ChallengeFactory(promotion=promotion, fellows=[fellow], mentors=[mentor])


def test_followup_links_give_each_team_member_a_token_once():
    challenge = team_challenge()
    created = services.followup_links_create(challenge=challenge)
    assert sorted(link.email for link, _token in created) == [
        "eig@example.org",
        "mentor@example.org",
    ]
    assert services.followup_links_create(challenge=challenge) == []
    link, token = created[0]
    assert selectors.followup_link_by_token(token) == link
    assert selectors.followup_link_by_token(token + "x") is None


def test_progress_update_is_posted_for_the_links_challenge():
    challenge = team_challenge()
    (link, _token), _ = services.followup_links_create(challenge=challenge)
    update = services.progress_update_post(
        link=link, progress="  Prototype livré ", blockers="Accès aux données", is_blocked=True
    )
    assert (update.challenge, update.progress, update.is_blocked) == (
        challenge,
        "Prototype livré",
        True,
    )
    with pytest.raises(ValidationError):
        services.progress_update_post(link=link, progress="   ")


def test_board_flags_late_and_blocked_defis_by_the_promotions_cadence():
    now = timezone.now()
    promotion = PromotionFactory()
    services.progress_cadence_set(promotion=promotion, every_days=7)
    fresh = ChallengeFactory(promotion=promotion, title="A frais")
    late = ChallengeFactory(promotion=promotion, title="B en retard")
    blocked = ChallengeFactory(promotion=promotion, title="C bloqué")
    silent = ChallengeFactory(promotion=promotion, title="D muet")
    ProgressUpdateFactory(challenge=fresh, posted_at=now - dt.timedelta(days=2))
    ProgressUpdateFactory(challenge=late, posted_at=now - dt.timedelta(days=9))
    ProgressUpdateFactory(challenge=blocked, posted_at=now - dt.timedelta(days=1), is_blocked=True)
    board = {c.title: c for c in selectors.followup_board(promotions=[promotion], now=now)}
    assert {t for t, c in board.items() if c.is_late} == {late.title, silent.title}
    assert {t for t, c in board.items() if c.last_blocked} == {blocked.title}
    only_late = selectors.followup_board(promotions=[promotion], now=now, only="late")
    assert [c.title for c in only_late] == [late.title, silent.title]


def test_cadence_outside_one_to_92_days_is_refused():
    with pytest.raises(ValidationError):
        services.progress_cadence_set(promotion=PromotionFactory(), every_days=0)


def test_weekly_digest_holds_the_weeks_updates_coming_events_and_subscribed_readers():
    now = timezone.now()
    challenge = team_challenge()
    links = [link for link, _t in services.followup_links_create(challenge=challenge)]
    services.followup_link_set_digest(link=links[1], subscribed=False)
    ProgressUpdateFactory(challenge=challenge, posted_at=now - dt.timedelta(days=1))
    ProgressUpdateFactory(challenge=challenge, posted_at=now - dt.timedelta(days=8))
    event = EventFactory(promotion=challenge.promotion)
    EventFactory(
        promotion=challenge.promotion,
        starts_at=now + dt.timedelta(days=30),
        ends_at=now + dt.timedelta(days=31),
    )
    digest = selectors.weekly_digest(promotion=challenge.promotion, week_end=now)
    assert len(digest.updates) == 1
    assert digest.events == [event]
    assert digest.recipients == [links[0].email]


def test_expertise_request_goes_from_new_to_assigned_to_closed():
    request = ExpertiseRequestFactory()
    with pytest.raises(ValidationError):
        services.expertise_request_close(request=request, resolution="Rien")
    expert = UserFactory()
    request = services.expertise_request_assign(request=request, expert=expert)
    assert request.status == ExpertiseRequest.Status.ASSIGNED
    request = services.expertise_request_close(request=request, resolution="Atelier fait")
    assert request.status == ExpertiseRequest.Status.CLOSED and request.closed_at
    with pytest.raises(ValidationError):
        services.expertise_request_assign(request=request, expert=expert)
    assert request.history.count() == 3


def test_outcome_same_date_updates_and_keeps_history_other_date_adds():
    challenge = ChallengeFactory()
    day = dt.date(2019, 11, 30)
    first, created = services.outcome_record(
        challenge=challenge, as_of=day, production_status="planned", datasets=["", " https://d "]
    )
    assert created and first.datasets == ["https://d"]
    again, created = services.outcome_record(
        challenge=challenge, as_of=day, production_status="in_production"
    )
    assert not created and again.pk == first.pk and again.history.count() == 2
    services.outcome_record(
        challenge=challenge, as_of=day + dt.timedelta(days=180), production_status="stopped"
    )
    assert selectors.latest_outcome(challenge).production_status == "stopped"
    assert Outcome.objects.filter(challenge=challenge).count() == 2


def test_maintainer_is_dropped_when_not_maintained():
    outcome, _ = services.outcome_record(
        challenge=ChallengeFactory(),
        as_of=dt.date(2020, 1, 1),
        production_status="in_production",
        is_maintained=False,
        maintenance="integrated_it",
    )
    assert outcome.maintenance == ""


def test_mentor_files_the_outcome_from_the_request_link():
    challenge = team_challenge()
    ((request, token),) = services.outcome_requests_create(
        challenge=challenge, milestone="end", due_on=dt.date(2020, 6, 30)
    )
    assert (
        services.outcome_requests_create(
            challenge=challenge, milestone="end", due_on=dt.date(2020, 6, 30)
        )
        == []
    )
    assert selectors.outcome_request_by_token(token) == request
    outcome = services.outcome_file(request=request, production_status="planned", users=40)
    request.refresh_from_db()
    assert (request.outcome, outcome.as_of, outcome.source) == (
        outcome,
        dt.date(2020, 6, 30),
        Outcome.Source.MENTOR,
    )


def test_realisations_filter_on_the_latest_outcome():
    kept = ChallengeFactory(title="Gardé")
    ChallengeFactory(title="Sans réalisation")
    services.outcome_record(challenge=kept, as_of=dt.date(2019, 1, 1), production_status="planned")
    services.outcome_record(
        challenge=kept, as_of=dt.date(2020, 1, 1), production_status="in_production"
    )
    assert [c.title for c in selectors.realisations()] == ["Gardé"]
    assert list(selectors.realisations(status="planned")) == []
    assert [c.outcome_status for c in selectors.realisations(status="in_production")] == [
        "in_production"
    ]
