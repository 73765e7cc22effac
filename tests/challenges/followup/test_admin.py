"""Coordinators' admin of the follow-up: pages open, actions call the services."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from challenges.models import ExpertiseRequest, OutcomeRequest
from promotions.models import EventInvitation
from tests.factories import (
    AlumniProfileFactory,
    ChallengeFactory,
    EventFactory,
    ExpertiseRequestFactory,
    FellowFactory,
    MentorFactory,
    OutcomeFactory,
    PromotionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "event",
        "progresscadence",
        "progressupdate",
        "expertiserequest",
        "outcome",
        "outcomerequest",
        "alumniprofile",
    ],
)
def test_changelists_open_for_coordinators(client, coordinator, model):
    app = "promotions" if model in ("event", "alumniprofile") else "challenges"
    EventFactory()
    OutcomeFactory()
    ExpertiseRequestFactory()
    AlumniProfileFactory()
    client.force_login(coordinator)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200


def test_event_action_sends_invitations(client, coordinator, django_capture_on_commit_callbacks):
    event = EventFactory()
    FellowFactory(promotion=event.promotion, email="a@example.org")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:promotions_event_changelist"),
            {"action": "send_invitations", "_selected_action": [event.pk]},
        )
    assert EventInvitation.objects.count() == 1 and len(mail.outbox) == 1


def test_challenge_action_asks_mentors_for_the_outcome(
    client, coordinator, django_capture_on_commit_callbacks
):
    promotion = PromotionFactory(start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 10, 31))
    challenge = ChallengeFactory(
        promotion=promotion, mentors=[MentorFactory(email="m@example.org", promotion=promotion)]
    )
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:challenges_challenge_changelist"),
            {"action": "ask_outcomes_six_months_later", "_selected_action": [challenge.pk]},
        )
    request = OutcomeRequest.objects.get()
    assert request.due_on == dt.date(2019, 10, 31) + dt.timedelta(days=182)
    assert mail.outbox[0].to == ["m@example.org"]


def test_expertise_actions_assign_then_close(client, coordinator):
    item = ExpertiseRequestFactory()
    client.force_login(coordinator)
    url = reverse("admin:challenges_expertiserequest_changelist")
    client.post(url, {"action": "assign_to_me", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert (item.status, item.expert) == (ExpertiseRequest.Status.ASSIGNED, coordinator)
    client.post(url, {"action": "close", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status == ExpertiseRequest.Status.CLOSED
