"""Survey services: invitations (creation for the audience, token entropy, sending once,
reminders at most twice) and answering (saving a section, display conditions, submitting)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from eig_portal.common.tokens import hash_token, invitation_token
from surveys import invitation_emails, services, tasks
from surveys.models import Answer, Invitation, Question, Response
from tests.factories import QuestionFactory

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
    Invitation.objects.update(last_reminder_at=timezone.now() - timedelta(days=7))
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


def test_a_late_first_reminder_is_not_followed_by_the_second_on_the_next_run(
    django_capture_on_commit_callbacks, small_survey, invited
):
    """Sent 20 days ago (both delays past): the first reminder now, the second only once the
    configured gap (14 − 7 = 7 days) has passed since the first."""
    Invitation.objects.exclude(pk=invited[0].pk).update(unsubscribed_from_reminders=True)
    _sent_days_ago(20)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 0  # the next hourly run
    Invitation.objects.update(last_reminder_at=timezone.now() - timedelta(days=6))
    assert invitation_emails.invitations_due_for_reminder().count() == 0
    Invitation.objects.update(last_reminder_at=timezone.now() - timedelta(days=7, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders() == 1
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


def test_personal_links_use_survey_token_key_else_secret_key(settings):
    """Links are keyed by SURVEY_TOKEN_KEY when set (so SECRET_KEY can rotate without them),
    else by SECRET_KEY; changing the key in use changes every link."""
    from eig_portal.common.tokens import token_for_seed

    settings.SURVEY_TOKEN_KEY = ""
    by_secret = token_for_seed("seed")
    settings.SECRET_KEY = "another-secret-key"
    assert token_for_seed("seed") != by_secret
    settings.SURVEY_TOKEN_KEY = "links-key"
    by_own_key = token_for_seed("seed")
    settings.SECRET_KEY = "yet-another-secret-key"
    assert token_for_seed("seed") == by_own_key


# --- answering ---------------------------------------------------------------------------------


def _sections(survey):
    return list(survey.sections.order_by("order", "pk"))


def test_saving_a_section_through_the_invitation_creates_the_response_once(
    small_survey, make_invitation
):
    invitation, _token = make_invitation(small_survey)
    first, second = _sections(small_survey)
    response = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": "yes"}, next_section=second
    )
    again = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": "no", "why_not": "Loin"}
    )
    assert again.pk == response.pk and Response.objects.filter(invitation=invitation).count() == 1
    assert services.response_values(again) == {"happy": "no", "why_not": "Loin"}
    assert again.current_section == first


def test_a_changed_answer_drops_the_answers_its_condition_now_hides(small_survey, make_invitation):
    invitation, _token = make_invitation(small_survey)
    first, _second = _sections(small_survey)
    response = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": "no", "why_not": "Loin"}
    )
    services.response_save_section(response=response, section=first, values={"happy": "yes"})
    assert not Answer.objects.filter(response=response, question__code="why_not").exists()
    # A hidden question's value is never written, even when posted.
    services.response_save_section(
        response=response, section=first, values={"happy": "yes", "why_not": "Ignoré"}
    )
    assert services.response_values(response) == {"happy": "yes"}


def test_saving_a_submitted_response_is_refused_and_changes_nothing(small_survey, make_invitation):
    invitation, _token = make_invitation(small_survey)
    first, second = _sections(small_survey)
    response = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": "yes"}
    )
    services.response_save_section(response=response, section=second, values={"rating": 4})
    assert services.response_submit(response=response) is True
    assert services.response_submit(response=response) is False
    with pytest.raises(ValidationError, match="déjà été envoyée"):
        services.invitation_save_section(
            invitation=invitation, section=first, values={"happy": "no"}
        )
    assert services.response_values(response)["happy"] == "yes"


def test_a_number_the_column_cannot_hold_is_refused_and_nothing_is_written(
    small_survey, make_invitation
):
    """The form checks digits first; the service still refuses what the column cannot hold
    (14 digits, 4 decimals), before writing anything."""
    invitation, _token = make_invitation(small_survey)
    first, second = _sections(small_survey)
    response = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": "yes"}
    )
    for number in (Decimal("1.23456"), Decimal("123456789012345")):
        with pytest.raises(ValidationError) as refused:
            services.response_save_section(
                response=response, section=second, values={"rating": 3, "hours": number}
            )
        assert "number" in refused.value.message_dict
    assert services.response_values(response) == {"happy": "yes"}


def test_question_visible_follows_chains_of_conditions():
    first = QuestionFactory(type=Question.Type.YESNO)
    second = QuestionFactory(
        section=first.section, show_if_question=first, show_if_value="yes", type="single"
    )
    third = QuestionFactory(section=first.section, show_if_question=second, show_if_value="a")
    by_pk = {q.pk: q for q in (first, second, third)}
    assert services.question_visible(third, {first.code: "yes", second.code: "a"}, by_pk)
    # The middle question is hidden, so the last one is too, whatever its own answer says.
    assert not services.question_visible(third, {first.code: "no", second.code: "a"}, by_pk)
    assert not services.question_visible(second, {}, by_pk)


def test_a_numeric_condition_matches_the_number_whatever_its_writing():
    scale = QuestionFactory(type=Question.Type.SCALE, scale_min=1, scale_max=5)
    shown = QuestionFactory(section=scale.section, show_if_question=scale, show_if_value="4")
    by_pk = {scale.pk: scale, shown.pk: shown}
    assert services.question_visible(shown, {scale.code: Decimal("4.0")}, by_pk)
    assert not services.question_visible(shown, {scale.code: Decimal("3")}, by_pk)
