"""Stored figures are never stale: a write to their data shows in the next read."""

from unittest import mock

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


def _events_figures(client, code):
    return client.get(reverse("api:figures")).json()["promotions"][code]["events"]


def test_a_roll_call_shows_in_the_next_read_of_the_figures(client):
    """The roll call writes in bulk (no signal): its service bumps the version."""
    import datetime as dt

    from django.utils import timezone

    from promotions.events import services
    from promotions.models import Event
    from tests.factories import EventFactory

    promotion = PromotionFactory(code="EIG 1", slug="eig-1")
    event = EventFactory(promotion=promotion)
    for i in range(2):
        FellowFactory(promotion=promotion, email=f"eig{i}@example.org")
    first, second = services.event_invitations_create(event=event)
    for invitation in (first, second):
        services.event_invitation_answer(invitation=invitation, answer="yes")
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(starts_at=now - dt.timedelta(hours=2), ends_at=now)
    event.refresh_from_db()
    services.event_attendance_record(event=event, present_ids=[first.pk, second.pk])
    assert _events_figures(client, "EIG 1")["attended"] == 2
    services.event_attendance_record(event=event, present_ids=[first.pk])
    assert _events_figures(client, "EIG 1")["attended"] == 1


def test_an_event_ending_shows_in_the_next_read_without_any_write(client, coordinator):
    """« Held » depends on the clock: the stored figures and page follow it."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import EventFactory

    promotion = PromotionFactory(code="EIG 1", slug="eig-1")
    now = timezone.now()
    EventFactory(
        promotion=promotion,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(minutes=5),
    )
    client.force_login(coordinator)
    dashboard = reverse("promotions:dashboard")
    assert _events_figures(client, "EIG 1")["held"] == 0
    page = client.get(dashboard).content.decode()
    later = now + dt.timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _events_figures(client, "EIG 1")["held"] == 1
        assert client.get(dashboard).content.decode() != page
