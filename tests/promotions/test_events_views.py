"""Pages of the support programme: invitation answer, calendar and feed, event list, roll call."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from promotions.events import services
from promotions.models import Event, EventInvitation
from tests.factories import EventFactory, FellowFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_token():
    event = EventFactory(capacity=1, title="Séminaire au vert", place="Fontainebleau")
    fellow = FellowFactory(promotion=event.promotion, email="alice@example.org")
    (invitation,) = services.event_invitations_create(event=event)
    from eig_portal.common.tokens import invitation_token as token_of

    return invitation, token_of(invitation), fellow


def test_answer_page_shows_paris_time_and_records_yes(client, invitation_token):
    invitation, token, _fellow = invitation_token
    url = reverse("events:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Séminaire au vert" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_confirmed


def test_answer_page_unknown_token_is_404_and_wrong_method_405(client, invitation_token):
    _invitation, token, _fellow = invitation_token
    assert client.get(reverse("events:answer", args=["x" * 43])).status_code == 404
    assert client.put(reverse("events:answer", args=[token])).status_code == 405


def test_invalid_answer_changes_nothing(client, invitation_token):
    invitation, token, _fellow = invitation_token
    client.post(reverse("events:answer", args=[token]), {"answer": "peut-être"})
    invitation.refresh_from_db()
    assert invitation.answer == ""


def test_invitation_ics_holds_the_event_in_utc(client, invitation_token):
    invitation, token, _fellow = invitation_token
    response = client.get(reverse("events:invitation_ics", args=[token]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    start = invitation.event.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert "BEGIN:VEVENT" in body and f"DTSTART:{start}" in body
    assert "LOCATION:Fontainebleau" in body


def test_calendar_page_and_feed_from_the_personal_link(client, invitation_token):
    invitation, _token, fellow = invitation_token
    _feed, token = services.calendar_feed_get_or_create(person=fellow)
    page = client.get(reverse("events:calendar", args=[token]))
    assert "Séminaire au vert" in page.content.decode()
    feed = client.get(reverse("events:calendar_feed", args=[token])).content.decode()
    assert feed.count("BEGIN:VEVENT") == 1
    assert client.get(reverse("events:calendar_feed", args=["nope"])).status_code == 404


def test_event_list_and_roll_call_are_for_coordinators_only(client, invitation_token):
    invitation, _token, _fellow = invitation_token
    roll_call = reverse("events:roll_call", args=[invitation.event_id])
    for url in (reverse("events:list"), roll_call):
        assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(UserFactory())
    assert client.get(roll_call).status_code == 403  # not a coordinator
    client.force_login(UserFactory(is_staff=True))  # staff without any permission
    for url in (reverse("events:list"), roll_call):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code in (403, 405)


def test_roll_call_records_attendance(client, coordinator, invitation_token):
    invitation, _token, _fellow = invitation_token
    services.event_invitation_answer(invitation=invitation, answer="yes")
    Event.objects.filter(pk=invitation.event_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    client.force_login(coordinator)
    url = reverse("events:roll_call", args=[invitation.event_id])
    assert invitation.fellow.name in client.get(url).content.decode()
    assert client.get(reverse("events:list")).status_code == 200
    response = client.post(url, {"present": [invitation.pk]})
    assert response.status_code == 302
    assert EventInvitation.objects.get(pk=invitation.pk).attended is True
    assert client.delete(url).status_code == 405
