"""Follow-up pages: team link (update, expertise, digest), mentor's outcome form, coordinators'
board, public « Réalisations » and the défi page's latest outcome."""

import datetime as dt

import pytest
from django.urls import reverse

from challenges.followup import services
from challenges.models import ExpertiseRequest, Outcome, ProgressUpdate
from tests.factories import (
    ChallengeFactory,
    FellowFactory,
    MentorFactory,
    OutcomeFactory,
    ProgressUpdateFactory,
    PromotionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    promotion = PromotionFactory()
    fellow = FellowFactory(promotion=promotion, email="eig@example.org")
    mentor = MentorFactory(promotion=promotion, email="mentor@example.org")
    challenge = ChallengeFactory(promotion=promotion, fellows=[fellow], mentors=[mentor])
    links = dict(
        (link.email, token) for link, token in services.followup_links_create(challenge=challenge)
    )
    return challenge, links


def test_team_posts_an_update_from_the_link(client, team):
    challenge, links = team
    url = reverse("followup:team", args=[links["eig@example.org"]])
    assert client.get(url).status_code == 200
    response = client.post(url, {"progress": "Prototype en test", "is_blocked": "on"})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.challenge, update.is_blocked, update.author.email) == (
        challenge,
        True,
        "eig@example.org",
    )


def test_empty_update_is_refused_with_a_message(client, team):
    _challenge, links = team
    response = client.post(
        reverse("followup:team", args=[links["eig@example.org"]]), {"progress": ""}
    )
    assert response.status_code == 200 and not ProgressUpdate.objects.exists()


def test_team_link_unknown_is_404_and_wrong_method_405(client, team):
    _challenge, links = team
    assert client.get(reverse("followup:team", args=["inconnu"])).status_code == 404
    assert client.put(reverse("followup:team", args=[links["eig@example.org"]])).status_code == 405
    assert (
        client.get(reverse("followup:team_digest", args=[links["eig@example.org"]])).status_code
        == 405
    )


def test_team_asks_for_expertise_and_unsubscribes_from_the_digest(client, team):
    challenge, links = team
    token = links["mentor@example.org"]
    client.post(
        reverse("followup:team_expertise", args=[token]),
        {"topic": "geomatics", "description": "Cartes"},
    )
    request = ExpertiseRequest.objects.get()
    assert (request.challenge, request.mentor.email, request.topic) == (
        challenge,
        "mentor@example.org",
        "geomatics",
    )
    client.post(reverse("followup:team_digest", args=[token]), {"subscribed": "0"})
    assert not challenge.followup_links.get(email="mentor@example.org").weekly_digest


def test_mentor_files_an_outcome_from_the_link(client, team):
    challenge, _links = team
    ((_request, token),) = services.outcome_requests_create(
        challenge=challenge, milestone="end", due_on=dt.date(2020, 6, 30)
    )
    url = reverse("followup:outcome", args=[token])
    assert client.get(url).status_code == 200
    data = {
        "production_status": "in_production",
        "maintained": "yes",
        "maintenance": "integrated_it",
        "users": "300",
        "source_code_url": "https://code.example/defi",
        "datasets": "https://data.example/1\n\nhttps://data.example/2",
        "reused_by": "Ville de Lyon : module",
    }
    assert client.post(url, data).status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.datasets == ["https://data.example/1", "https://data.example/2"]
    assert (outcome.is_maintained, outcome.users, outcome.as_of) == (
        True,
        300,
        dt.date(2020, 6, 30),
    )
    response = client.post(url, {**data, "datasets": "pas une adresse"})
    assert response.status_code == 200 and Outcome.objects.get().datasets == outcome.datasets


def test_board_is_for_coordinators_and_shows_late_and_blocked(client, coordinator, team):
    challenge, _links = team
    url = reverse("followup:board")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True))  # staff without any permission
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    ProgressUpdateFactory(challenge=challenge, is_blocked=True, progress="Coincé")
    page = client.get(
        url, {"promotion": challenge.promotion.slug, "etat": "blocked"}
    ).content.decode()
    assert challenge.title in page and "Coincé" in page
    page = client.get(url, {"promotion": challenge.promotion.slug, "etat": "late"}).content.decode()
    assert f'data-challenge="{challenge.slug}"' not in page
    assert client.post(url).status_code == 405


def test_board_query_count_does_not_grow(client, coordinator, django_assert_max_num_queries):
    promotion = PromotionFactory()
    client.force_login(coordinator)
    for challenge in ChallengeFactory.create_batch(3, promotion=promotion):
        ProgressUpdateFactory(challenge=challenge)
    # The board's own queries plus the coordinator's permissions (eig_portal.common.access).
    with django_assert_max_num_queries(11):
        client.get(reverse("followup:board"), {"promotion": promotion.slug})
    for challenge in ChallengeFactory.create_batch(20, promotion=promotion):
        ProgressUpdateFactory.create_batch(3, challenge=challenge)
    with django_assert_max_num_queries(11):
        client.get(reverse("followup:board"), {"promotion": promotion.slug})


def test_realisations_filter_and_defi_page_shows_latest_outcome(client):
    shown = ChallengeFactory(title="Défi en production")
    ChallengeFactory(title="Défi arrêté")
    OutcomeFactory(challenge=shown, as_of=dt.date(2019, 1, 1), production_status="planned")
    OutcomeFactory(challenge=shown, as_of=dt.date(2020, 1, 1), users=1200)
    OutcomeFactory(challenge=ChallengeFactory(title="Autre"), production_status="stopped")
    page = client.get(
        reverse("followup:realisations"), {"status": "in_production"}
    ).content.decode()
    assert "Défi en production" in page and "Autre" not in page
    assert client.post(reverse("followup:realisations")).status_code == 405
    detail = client.get(shown.get_absolute_url()).content.decode()
    assert 'id="latest-outcome"' in detail
    assert "1200 utilisateurs" in detail
