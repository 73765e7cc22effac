"""Invitations: creation for the audience, token entropy, sending once, reminders at most twice."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from surveys import invitation_emails, services, tasks
from surveys.models import Invitation, Response
from surveys.tokens import hash_token, invitation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(small_survey, people, promotions):
    small_survey.promotions.set(promotions)
    return services.invitations_create(survey=small_survey)


def test_one_invitation_per_person_of_the_audience_with_an_email(small_survey, invited, people):
    fellows, mentors = people
    assert sorted(i.email for i in invited) == [
        "alice@example.org",
        "bruno@example.org",
        "dora@example.gouv.fr",
    ]
    assert {i.role for i in invited} == {"fellow", "mentor"}
    assert Invitation.objects.get(mentor=mentors[0]).promotion == mentors[0].promotion
    assert services.invitations_create(survey=small_survey) == []  # idempotent
    assert Invitation.objects.count() == 3


def test_token_has_256_bits_and_is_not_stored(invited):
    tokens = [invitation_token(i) for i in Invitation.objects.all()]
    assert len(set(tokens)) == 3
    for invitation, token in zip(Invitation.objects.all(), tokens, strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 43 × 6 bits ≥ 256 bits
        assert token not in (invitation.token_seed, invitation.token_hash)
        assert invitation.token_hash == hash_token(token)
        assert services.invitation_by_token(token) == invitation
    assert (
        services.invitation_by_token(tokens[0][:-1] + ("A" if tokens[0][-1] != "A" else "B"))
        is None
    )


def test_invitation_email_is_sent_once_with_the_personal_link(
    django_capture_on_commit_callbacks, small_survey, invited
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_queue_sending(survey=small_survey) == 3
    assert len(mail.outbox) == 3
    alice = Invitation.objects.get(email="alice@example.org")
    message = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert invitation_emails.invitation_links(alice)["link"] in message.body
    assert "desinscription" in message.body
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    # the task is idempotent: a second delivery of the same task sends nothing
    assert tasks.send_invitation(alice.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_queue_sending(survey=small_survey) == 0
    assert len(mail.outbox) == 3
    # the coordinator can resend one link
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=alice)
    assert len(mail.outbox) == 4


def _sent_days_ago(days):
    Invitation.objects.update(sent_at=timezone.now() - timedelta(days=days))


def test_reminders_go_only_to_non_submitted_at_most_twice_never_to_unsubscribed(
    django_capture_on_commit_callbacks, small_survey, invited
):
    alice, bruno, dora = sorted(Invitation.objects.all(), key=lambda i: i.email)
    # Alice submitted, Dora unsubscribed, Bruno started but did not submit.
    response = services.response_for_invitation(invitation=alice)
    Response.objects.filter(pk=response.pk).update(status="submitted", submitted_at=timezone.now())
    services.invitation_unsubscribe(invitation=dora)
    services.response_for_invitation(invitation=bruno)

    _sent_days_ago(3)  # before the first delay (7 days)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 0
    _sent_days_ago(8)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 1
    assert [m.to for m in mail.outbox] == [["bruno@example.org"]]
    assert "Rappel" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 0  # not twice for the same delay
    _sent_days_ago(15)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 1
    _sent_days_ago(60)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 0
    assert len(mail.outbox) == 2
    bruno.refresh_from_db()
    assert bruno.reminders_sent == 2 and bruno.last_reminder_at
    # a replayed task (same expected count) sends nothing
    assert tasks.send_reminder(bruno.pk, 1) is False
    assert len(mail.outbox) == 2


def test_no_reminder_for_invalidated_links_or_closed_surveys(
    django_capture_on_commit_callbacks, small_survey, invited
):
    _sent_days_ago(8)
    services.invitation_invalidate(invitation=invited[0])
    assert invitation_emails.invitations_due_for_reminder().count() == 2
    small_survey.opens_at = timezone.now() - timedelta(days=30)
    small_survey.closes_at = timezone.now() - timedelta(days=1)
    small_survey.save()
    assert invitation_emails.invitations_due_for_reminder().count() == 0


def test_reminders_never_exceed_two_in_the_database(invited):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=invited[0].pk).update(reminders_sent=3)


def test_invalidated_invitation_is_not_sent(small_survey, invited):
    services.invitation_invalidate(invitation=invited[0])
    assert tasks.send_invitation(invited[0].pk) is False
    assert not mail.outbox
