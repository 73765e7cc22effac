"""Stored figures are never stale: a write to their data shows in the next read."""

import pytest
from django.db import transaction
from django.urls import reverse

from eig_portal.common import data_versions
from promotions.models import Fellow
from tests.factories import ChallengeFactory, FellowFactory, PromotionFactory

pytestmark = pytest.mark.django_db


def test_cached_value_is_computed_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert data_versions.cached("t", ["programme"], compute) == 1
    assert data_versions.cached("t", ["programme"], compute) == 1  # stored
    data_versions.bump("programme")
    assert data_versions.cached("t", ["programme"], compute) == 2  # new version: recomputed
    assert data_versions.cached("t", ["surveys"], compute) == 3  # another family, another key


def test_a_page_kept_in_the_process_is_replaced_after_a_write_elsewhere():
    """Rendered text is kept in the process, but under the versions: a bump (another worker's
    write) is seen at the next read, and the shared cache is not read for a kept page."""
    from django.core.cache import cache

    pages = iter(["page v1", "page v2"])
    assert data_versions.cached("page", ["programme"], lambda: next(pages)) == "page v1"
    cache.clear()  # a kept page does not need the shared cache
    assert data_versions.cached("page", ["programme"], lambda: next(pages)) == "page v1"
    data_versions.bump("programme")
    assert data_versions.cached("page", ["programme"], lambda: next(pages)) == "page v2"


def test_the_process_keeps_a_bounded_number_of_pages(monkeypatch):
    monkeypatch.setattr(data_versions, "LOCAL_ENTRIES", 3)
    for n in range(5):
        data_versions.cached("page", ["programme"], lambda n=n: f"page {n}", n)
    assert len(data_versions._local) == 3
    assert data_versions.cached("page", ["programme"], lambda: "again", 4) == "page 4"


def test_a_rolled_back_write_leaves_the_version_alone():
    before = data_versions.versions(["programme"])
    with pytest.raises(RuntimeError), transaction.atomic():
        PromotionFactory(code="EIG 9", slug="eig-9")
        raise RuntimeError
    assert data_versions.versions(["programme"]) == before


def test_figures_api_shows_a_new_challenge_and_a_new_fellow_in_the_next_read(client):
    promotion = PromotionFactory(code="EIG 1", slug="eig-1")
    ChallengeFactory(promotion=promotion)
    url = reverse("api:figures")
    first = client.get(url).json()["promotions"]["EIG 1"]["records"]
    assert client.get(url).json()["promotions"]["EIG 1"]["records"] == first  # stored
    ChallengeFactory(promotion=promotion)
    FellowFactory(promotion=promotion)
    second = client.get(url).json()["promotions"]["EIG 1"]["records"]
    assert second["challenges"] == first["challenges"] + 1
    assert second["fellows"] == first["fellows"] + 1


def test_a_bulk_update_is_seen_once_its_service_bumps_the_version(client):
    """Writes without signals (``QuerySet.update``) must call ``bump``; then they show."""
    promotion = PromotionFactory(code="EIG 1", slug="eig-1")
    FellowFactory(promotion=promotion, profile="designer")
    url = reverse("api:figures")
    assert client.get(url).json()["promotions"]["EIG 1"]["share_designers"] == 1.0
    Fellow.objects.update(profile="developer")
    data_versions.bump("programme")
    assert client.get(url).json()["promotions"]["EIG 1"]["share_designers"] == 0.0
