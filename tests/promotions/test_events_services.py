"""Business rules of the support programme: invitations, answers, waiting list, roll call."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from promotions.events import selectors, services
from promotions.models import Event, EventInvitation
from tests.factories import EventFactory, FellowFactory, MentorFactory, PromotionFactory

pytestmark = pytest.mark.django_db


def invited(event, n):
    for i in range(n):
        FellowFactory(promotion=event.promotion, email=f"eig{i}@example.org")
    return services.event_invitations_create(event=event)


def test_invitations_follow_the_audience_and_skip_people_without_email():
    promotion = PromotionFactory()
    FellowFactory(promotion=promotion, email="a@example.org")
    FellowFactory(promotion=promotion, email="")
    MentorFactory(promotion=promotion, email="m@example.org")
    fellows_only = EventFactory(promotion=promotion, audience=Event.Audience.FELLOWS)
    both = EventFactory(promotion=promotion, audience=Event.Audience.BOTH)
    assert [i.email for i in services.event_invitations_create(event=fellows_only)] == [
        "a@example.org"
    ]
    assert len(services.event_invitations_create(event=both)) == 2
    assert services.event_invitations_create(event=both) == []  # idempotent


def test_yes_beyond_capacity_goes_to_the_waiting_list_and_moves_up_when_a_seat_frees():
    event = EventFactory(capacity=1)
    first, second, third = invited(event, 3)
    services.event_invitation_answer(invitation=first, answer="yes")
    second = services.event_invitation_answer(invitation=second, answer="yes")
    third = services.event_invitation_answer(invitation=third, answer="yes")
    assert second.is_waitlisted and third.is_waitlisted
    services.event_invitation_answer(invitation=first, answer="no")
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.is_confirmed and third.is_waitlisted


def test_answer_after_the_event_started_is_refused():
    event = EventFactory(
        starts_at=timezone.now() - dt.timedelta(minutes=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    (invitation,) = invited(event, 1)
    with pytest.raises(ValidationError) as exc:
        services.event_invitation_answer(invitation=invitation, answer="yes")
    assert exc.value.code == "started"


def test_unknown_answer_is_refused():
    (invitation,) = invited(EventFactory(), 1)
    with pytest.raises(ValidationError):
        services.event_invitation_answer(invitation=invitation, answer="maybe")


def test_roll_call_marks_present_and_absent_confirmed_people():
    event = EventFactory()
    a, b, c = invited(event, 3)
    for invitation in (a, b):
        services.event_invitation_answer(invitation=invitation, answer="yes")
    services.event_invitation_answer(invitation=c, answer="no")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    event.refresh_from_db()
    assert services.event_attendance_record(event=event, present_ids=[a.pk]) == 1
    attended = dict(EventInvitation.objects.values_list("pk", "attended"))
    assert attended == {a.pk: True, b.pk: False, c.pk: None}


def test_roll_call_refuses_another_events_invitation_and_a_future_event():
    event, other = EventFactory(), EventFactory()
    (mine,) = invited(event, 1)
    (theirs,) = invited(other, 1)
    with pytest.raises(ValidationError):
        services.event_attendance_record(event=event, present_ids=[mine.pk])  # not started
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now()
    )
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        services.event_attendance_record(event=event, present_ids=[theirs.pk])


def test_event_needs_a_place_or_a_video_link():
    with pytest.raises(IntegrityError):
        EventFactory(place="", video_url="")


def test_calendar_feed_token_finds_the_person_and_lists_their_events():
    event = EventFactory()
    (invitation,) = invited(event, 1)
    feed, token = services.calendar_feed_get_or_create(person=invitation.fellow)
    assert services.calendar_feed_get_or_create(person=invitation.fellow) == (feed, None)
    assert selectors.calendar_feed_by_token(token) == feed
    assert list(selectors.person_events(invitation.fellow)) == [event]
    services.event_invitation_answer(invitation=invitation, answer="no")
    assert list(selectors.person_events(invitation.fellow)) == []
