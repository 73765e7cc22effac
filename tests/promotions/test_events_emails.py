"""Emails of the support programme: invitation with its .ics, reminder the day before, seat
freed from the waiting list — each sent once, with a link that works."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from promotions.events import services, tasks
from promotions.events.services import event_invitation_answer
from promotions.models import EventInvitation
from tests.factories import EventFactory, FellowFactory

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://\S+/", message.body).group(0)


def test_invitation_email_carries_the_ics_and_a_working_link(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Semaine de lancement", kind="launch_week")
    FellowFactory(promotion=event.promotion, email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_invitations_send(event=event) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_invitations_send(event=event) == 0
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"] and "Semaine de lancement" in message.subject
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("evenement.ics", "text/calendar")
    assert "BEGIN:VEVENT" in str(content)
    path = link_in(message).split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200


def test_retried_invitation_task_sends_nothing_more(django_capture_on_commit_callbacks):
    event = EventFactory()
    FellowFactory(promotion=event.promotion, email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_invitations_send(event=event)
    invitation = EventInvitation.objects.get()
    assert tasks.send_event_invitation(invitation.pk) is False
    assert len(mail.outbox) == 1


def test_reminder_goes_the_day_before_to_confirmed_people_once(django_capture_on_commit_callbacks):
    soon = timezone.now() + dt.timedelta(hours=20)
    event = EventFactory(starts_at=soon, ends_at=soon + dt.timedelta(hours=2))
    later = EventFactory(promotion=event.promotion)  # in a week: not yet
    for i in range(2):
        FellowFactory(promotion=event.promotion, email=f"p{i}@example.org")
    for e in (event, later):
        with django_capture_on_commit_callbacks(execute=True):
            services.event_invitations_send(event=e)
    mail.outbox.clear()
    yes = EventInvitation.objects.filter(event=event).order_by("email").first()
    event_invitation_answer(invitation=yes, answer="yes")
    event_invitation_answer(
        invitation=EventInvitation.objects.filter(event=later).first(), answer="yes"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_event_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_event_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [yes.email] and message.subject.startswith("Rappel")


def test_seat_freed_email_goes_to_the_first_on_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1, title="Séminaire au vert")
    for i in range(3):
        FellowFactory(promotion=event.promotion, email=f"p{i}@example.org")
    first, second, third = services.event_invitations_create(event=event)
    for invitation in (first, second, third):
        event_invitation_answer(invitation=invitation, answer="yes")
    with django_capture_on_commit_callbacks(execute=True):
        event_invitation_answer(invitation=first, answer="no")
    (message,) = mail.outbox
    assert message.to == [second.email] and "place" in message.subject
    assert message.attachments[0][0] == "evenement.ics"
