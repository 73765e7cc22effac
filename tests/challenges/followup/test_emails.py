"""Emails of the follow-up: weekly digest, outcome requests (at the end and six months later)
and yearly alumni links — each sent once, links that work."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from challenges.followup import sending, services, tasks
from tests.factories import (
    ChallengeFactory,
    FellowFactory,
    MentorFactory,
    ProgressUpdateFactory,
    PromotionFactory,
)

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://\S+/", message.body).group(0)


def test_weekly_digest_goes_to_subscribed_team_members_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    promotion = PromotionFactory(
        start_date=today - dt.timedelta(days=30), end_date=today + dt.timedelta(days=200)
    )
    fellow = FellowFactory(promotion=promotion, email="eig@example.org")
    mentor = MentorFactory(promotion=promotion, email="mentor@example.org")
    challenge = ChallengeFactory(
        promotion=promotion, title="Défi cartes", fellows=[fellow], mentors=[mentor]
    )
    links = services.followup_links_create(challenge=challenge)
    services.followup_link_set_digest(link=links[1][0], subscribed=False)
    ProgressUpdateFactory(
        challenge=challenge, progress="Carte publiée", help_wanted="Un géomaticien"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_weekly_digests() == 1
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_weekly_digests()
    (message,) = mail.outbox
    assert message.to == [links[0][0].email]
    assert "Défi cartes" in message.body and "Un géomaticien" in message.body


def test_outcome_request_and_alumni_link_emails(client, django_capture_on_commit_callbacks):
    promotion = PromotionFactory()
    mentor = MentorFactory(promotion=promotion, email="mentor@example.org")
    challenge = ChallengeFactory(promotion=promotion, mentors=[mentor])
    fellow = FellowFactory(promotion=promotion, email="alice@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        sending.outcome_requests_send(
            challenge=challenge, milestone="end", due_on=dt.date(2020, 6, 30)
        )
        sending.alumni_links_send(fellows=[fellow], year=2027)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "mentor@example.org"]
    for message in mail.outbox:
        path = "/" + link_in(message).split("://", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 200


def test_outcome_requests_go_at_the_end_and_six_months_later_once(
    django_capture_on_commit_callbacks,
):
    from challenges.followup.periodic import send_due_outcome_requests
    from challenges.followup.sending import outcome_requests_send_due
    from challenges.models import OutcomeRequest

    end = dt.date(2027, 6, 30)
    promotion = PromotionFactory(start_date=dt.date(2026, 9, 1), end_date=end)
    mentor = MentorFactory(promotion=promotion, email="m@example.org")
    ChallengeFactory(promotion=promotion, mentors=[mentor])
    old = PromotionFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2017, 10, 31))
    ChallengeFactory(promotion=old, mentors=[MentorFactory(promotion=old, email="o@example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        assert outcome_requests_send_due(today=end - dt.timedelta(days=1)) == 0
        assert outcome_requests_send_due(today=end) == 1
        assert outcome_requests_send_due(today=end + dt.timedelta(days=100)) == 0
        assert outcome_requests_send_due(today=end + dt.timedelta(days=182)) == 1
    assert list(OutcomeRequest.objects.values_list("milestone", flat=True).order_by("due_on")) == [
        "end",
        "six_months",
    ]
    assert [m.to for m in mail.outbox] == [["m@example.org"], ["m@example.org"]]
    assert send_due_outcome_requests() == 0  # today: nothing due


def test_yearly_alumni_link_once_a_year(django_capture_on_commit_callbacks):
    from challenges.followup.sending import alumni_links_send_due

    promotion = PromotionFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2017, 10, 31))
    FellowFactory(promotion=promotion, email="alice@example.org")
    FellowFactory(promotion=promotion, email="")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert alumni_links_send_due(today=today) == 1
        assert alumni_links_send_due(today=today) == 0
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
