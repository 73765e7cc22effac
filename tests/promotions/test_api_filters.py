"""Open-data API: a filter value that matches nothing is an error, never « everything »."""

import pytest
from django.urls import reverse

from tests.factories import PromotionFactory
from tests.promotions.test_api import assert_valid, openapi  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
FIGURES = reverse("api:figures")


def test_unknown_promotion_is_a_400_naming_it(client, openapi):  # noqa: F811
    PromotionFactory(number=2)
    response = client.get(FIGURES, {"promotion": "eig-99"})
    assert response.status_code == 400
    assert "eig-99" in response.json()["promotion"][0]
    assert_valid(openapi, response)


def test_one_unknown_promotion_among_known_ones_is_reported(client):
    PromotionFactory(number=2)
    response = client.get(FIGURES, [("promotion", "eig-2"), ("promotion", "zzz")])
    assert response.status_code == 400
    assert response.json()["promotion"] == ["Promotion inconnue : zzz."]


def test_known_promotions_still_filter(client):
    PromotionFactory(number=1), PromotionFactory(number=2)
    data = client.get(FIGURES, {"promotion": "eig-2"}).json()
    assert list(data["promotions"]) == ["EIG 2"]


def test_malformed_promotion_is_a_400_not_a_500(client):
    response = client.get(FIGURES + "?promotion=%00")
    assert response.status_code == 400
