"""Public pages of promotions and the home page."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge
from tests.factories import ChallengeFactory, FellowFactory, MentorFactory, PromotionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def promotions():
    eig1 = PromotionFactory(code="EIG 1", number=1, slug="eig-1", year=2017)
    eig2 = PromotionFactory(code="EIG 2", number=2, slug="eig-2", year=2018)
    ChallengeFactory(title="Défi public", promotion=eig1)
    ChallengeFactory(title="Défi caché", promotion=eig1, is_public=False)
    FellowFactory.create_batch(3, promotion=eig1)
    MentorFactory.create_batch(2, promotion=eig1)
    ChallengeFactory(title="Défi récent", promotion=eig2)
    return eig1, eig2


def test_promotion_list_shows_each_promotion_with_public_counts(client, promotions):
    response = client.get(reverse("promotions:list"))

    assert response.status_code == 200
    rows = {
        p.code: (p.n_challenges, p.n_fellows, p.n_mentors) for p in response.context["promotions"]
    }
    # The unpublished défi is not counted on public pages.
    assert rows == {"EIG 1": (1, 3, 2), "EIG 2": (1, 0, 0)}
    html = response.content.decode()
    assert reverse("promotions:detail", args=["eig-1"]) in html
    assert "<caption>" in html


def test_promotion_list_refuses_post(client):
    assert client.post(reverse("promotions:list")).status_code == 405


def test_promotion_detail_lists_its_published_challenges(client, promotions):
    response = client.get(reverse("promotions:detail", args=["eig-1"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "EIG 1" in html and "2017" in html
    assert "Défi public" in html
    assert "Défi caché" not in html and "Défi récent" not in html
    assert f"{reverse('challenges:list')}?promotion=eig-1" in html


def test_promotion_detail_of_an_unknown_slug_is_404(client, promotions):
    assert client.get(reverse("promotions:detail", args=["eig-99"])).status_code == 404


def test_promotion_pages_query_counts_do_not_grow(client, django_assert_max_num_queries):
    promotion = PromotionFactory()
    for _ in range(20):
        ChallengeFactory(promotion=promotion)
    FellowFactory.create_batch(10, promotion=promotion)

    # list + 2 DSFR site config
    with django_assert_max_num_queries(3):
        listing = client.get(reverse("promotions:list"))
    assert [(p.n_challenges, p.n_fellows) for p in listing.context["promotions"]] == [(20, 10)]
    # promotion + challenges + themes prefetch + 2 DSFR site config
    with django_assert_max_num_queries(5):
        detail = client.get(reverse("promotions:detail", args=[promotion.slug]))
    assert len(detail.context["challenges"]) == 20


def test_home_presents_the_programme_promotions_and_recent_challenges(
    client, promotions, django_assert_max_num_queries
):
    eig1, eig2 = promotions
    for challenge in Challenge.objects.all():
        challenge.fellows.add(FellowFactory(promotion=challenge.promotion))

    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Entrepreneurs d'intérêt général" in html or "Entrepreneurs d&#x27;intérêt général" in html
    )
    assert reverse("promotions:detail", args=["eig-2"]) in html
    assert "Défi récent" in html and "Défi public" in html
    assert "Défi caché" not in html
    # Newest promotion's défis first.
    assert html.index("Défi récent") < html.index("Défi public")


def test_recent_challenges_are_those_taken_up_by_eig_newest_first(client):
    """Newest promotion first, then newest publication, not alphabetical; défis without EIG
    (still to be taken up) are left out."""
    old = PromotionFactory(code="EIG 1", number=1, rank=1)
    new = PromotionFactory(code="EIG 2", number=2, rank=2)
    recruiting = PromotionFactory(code="EIG 3", number=3, rank=3)
    when = timezone.make_aware(datetime(2020, 1, 1))
    specs = [
        ("Aardvark ancien", old, when),
        ("Zèbre récent", new, when + timedelta(days=30)),
        ("Abeille plus ancienne", new, when),
    ]
    for title, promotion, published_at in specs:
        challenge = ChallengeFactory(title=title, promotion=promotion, published_at=published_at)
        challenge.fellows.add(FellowFactory(promotion=promotion))
    ChallengeFactory(title="Sans EIG encore", promotion=recruiting)

    response = client.get(reverse("home"))

    titles = [c.title for c in response.context["recent_challenges"]]
    assert titles == ["Zèbre récent", "Abeille plus ancienne", "Aardvark ancien"]
