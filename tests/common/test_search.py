"""One French text search: the défis page and the open-data API answer ``q`` the same way,
accents and case ignored."""

import pytest
from django.urls import reverse

from challenges.models import Challenge
from eig_portal.common.search import normalise, search_words
from tests.factories import AdministrationFactory, ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def defis():
    health = AdministrationFactory(name="Ministère des Solidarités et de la Santé")
    return [
        ChallengeFactory(title="Lab Santé", slug="lab-sante", is_public=True),
        ChallengeFactory(title="Données de l'ÉTAT", slug="donnees-etat", is_public=True),
        ChallengeFactory(title="Hôpital", slug="hopital", administration=health, is_public=True),
        ChallengeFactory(title="Justice", slug="justice", is_public=True),
        ChallengeFactory(title="Santé cachée", slug="cache", is_public=False),
    ]


def page_slugs(client, q):
    response = client.get(reverse("challenges:list"), {"q": q})
    return sorted(c.slug for c in response.context["page_obj"].object_list)


def api_slugs(client, q):
    response = client.get(reverse("api:challenges"), {"q": q, "page_size": 100})
    return sorted(c["slug"] for c in response.json()["results"])


def test_words_lose_their_accents_and_case():
    assert normalise("Santé ÉTAT Œuvre") == "sante etat œuvre"


@pytest.mark.parametrize("q", ["santé", "sante", "SANTE", "etat", "État", "sante lab", "zzz"])
def test_the_page_and_the_api_find_the_same_defis(client, defis, q):
    assert page_slugs(client, q) == api_slugs(client, q)


def test_sante_finds_what_sante_with_an_accent_finds(client, defis):
    found = api_slugs(client, "santé")
    assert found == ["hopital", "lab-sante"]  # title, and the administration's name
    assert api_slugs(client, "sante") == found
    assert api_slugs(client, "SANTÉ") == found


def test_every_word_must_match_somewhere():
    ChallengeFactory(title="Lab Santé", slug="lab-sante")
    assert search_words(Challenge.objects.all(), "lab santé", ["title"]).count() == 1
    assert search_words(Challenge.objects.all(), "lab justice", ["title"]).count() == 0
    assert search_words(Challenge.objects.all(), "  ", ["title"]).count() == 1


def test_title_sort_follows_french_order_on_the_page_and_in_the_api(client):
    from tests.factories import PromotionFactory

    promotion = PromotionFactory()
    for title in ["Sport", "CSPLab", "Sécurité", "Carte", "étoile", "Zèbre"]:
        ChallengeFactory(title=title, slug=normalise(title), is_public=True, promotion=promotion)
    expected = ["Carte", "CSPLab", "étoile", "Sécurité", "Sport", "Zèbre"]

    page = client.get(reverse("challenges:list"), {"tri": "title"})
    assert [c.title for c in page.context["page_obj"].object_list] == expected
    api = client.get(reverse("api:challenges"), {"page_size": 100}).json()["results"]
    assert [c["title"] for c in api] == expected
