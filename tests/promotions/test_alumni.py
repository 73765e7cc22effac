"""Alumni: own entry from a yearly link, situation history, opt-in directory."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from promotions.alumni import selectors, services
from promotions.models import AlumniSituation
from tests.factories import FellowFactory

pytestmark = pytest.mark.django_db

ENTRY = {
    "is_listed": True,
    "current_position": "Développeuse",
    "organisation": "DINUM",
    "contact_preference": "email",
    "contact_detail": "alice@example.org",
    "situation": "contractual",
    "situation_detail": "",
}


def test_new_link_replaces_the_previous_one():
    fellow = FellowFactory()
    profile, first = services.alumni_profile_new_link(fellow=fellow)
    _same, second = services.alumni_profile_new_link(fellow=fellow)
    assert selectors.alumni_profile_by_token(first) is None
    assert selectors.alumni_profile_by_token(second) == profile


def test_situations_are_kept_as_history():
    profile, _token = services.alumni_profile_new_link(fellow=FellowFactory())
    services.alumni_profile_update(
        profile=profile, **{**ENTRY, "situation": "research"}, as_of=dt.date(2020, 1, 1)
    )
    services.alumni_profile_update(profile=profile, **ENTRY, as_of=dt.date(2021, 1, 1))
    services.alumni_profile_update(profile=profile, **ENTRY, as_of=dt.date(2022, 1, 1))
    assert list(profile.situations.order_by("as_of").values_list("situation", flat=True)) == [
        "research",
        "contractual",
    ]
    assert selectors.current_situation(profile).situation == "contractual"


def test_contact_detail_is_needed_unless_no_contact():
    profile, _token = services.alumni_profile_new_link(fellow=FellowFactory())
    with pytest.raises(ValidationError):
        services.alumni_profile_update(profile=profile, **{**ENTRY, "contact_detail": ""})


def test_directory_lists_only_opted_in_entries(client):
    listed, _t = services.alumni_profile_new_link(fellow=FellowFactory(name="Alice Listée"))
    services.alumni_profile_update(profile=listed, **ENTRY)
    hidden, _t = services.alumni_profile_new_link(fellow=FellowFactory(name="Bruno Caché"))
    services.alumni_profile_update(profile=hidden, **{**ENTRY, "is_listed": False})
    page = client.get(reverse("alumni:directory")).content.decode()
    assert "Alice Listée" in page and "Bruno Caché" not in page


def test_edit_page_saves_the_entry_and_situation(client):
    profile, token = services.alumni_profile_new_link(fellow=FellowFactory())
    url = reverse("alumni:edit", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, ENTRY)
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_listed and profile.current_position == "Développeuse"
    assert AlumniSituation.objects.get(profile=profile).situation == "contractual"


def test_edit_page_errors_unknown_link_and_wrong_method(client):
    profile, token = services.alumni_profile_new_link(fellow=FellowFactory())
    url = reverse("alumni:edit", args=[token])
    response = client.post(url, {**ENTRY, "contact_detail": ""})
    assert (
        response.status_code == 200 and "Indiquez comment vous joindre" in response.content.decode()
    )
    assert not AlumniSituation.objects.exists()
    assert client.get(reverse("alumni:edit", args=["inconnu"])).status_code == 404
    assert client.delete(url).status_code == 405
