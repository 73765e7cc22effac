"""Retention rules at their boundaries: announced 30 days ahead, applied on the due day, not the
day before; extensions move the day; each run records its counts."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from challenges.models import ChallengeProposal, NotificationLog
from eig_portal.privacy.models import RetentionKind, RetentionNotice, RetentionRun
from eig_portal.privacy.retention import retention_apply
from eig_portal.privacy.services import notice_extend
from eig_portal.privacy.tasks import retention_drafts, retention_outbox
from promotions.models import Fellow
from surveys.models import Invitation
from tests.challenges.call_builders import make_agent, make_call, make_proposal, make_review
from tests.factories import FellowFactory, UserFactory
from tests.surveys.builders import make_invitations

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def run(kind, now):
    """Run one rule at ``now``, sending its emails as the scheduled task would (on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return retention_apply(kinds=[kind], now=now)


def closed_draft():
    """A never-submitted draft of a call that closed a day ago; returns (draft, due date)."""
    call = make_call(closes_in=-DAY)
    draft = make_proposal(call, status=ChallengeProposal.Status.DRAFT)
    return draft, call.closes_at + timedelta(days=90)


def test_draft_is_announced_thirty_days_before_and_not_earlier(
    django_capture_on_commit_callbacks,
):
    draft, due = closed_draft()
    assert run(RetentionKind.DRAFTS, due - timedelta(days=30) - SECOND).notified["drafts"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run(RetentionKind.DRAFTS, due - timedelta(days=30)).notified["drafts"] == 1
    notice = RetentionNotice.objects.get(object_id=draft.pk)
    assert notice.due_at == due
    assert notice.recipient == draft.created_by.email
    assert len(mail.outbox) == 1
    assert draft.created_by.email in mail.outbox[0].to
    # A second run sends no second notice.
    with django_capture_on_commit_callbacks(execute=True):
        run(RetentionKind.DRAFTS, due - timedelta(days=20))
    assert RetentionNotice.objects.count() == 1
    assert len(mail.outbox) == 1


def test_draft_is_kept_the_day_before_and_deleted_on_the_due_day():
    draft, due = closed_draft()
    run(RetentionKind.DRAFTS, due - timedelta(days=30))
    assert run(RetentionKind.DRAFTS, due - DAY).removed["drafts"] == 0
    assert ChallengeProposal.objects.filter(pk=draft.pk).exists()
    assert run(RetentionKind.DRAFTS, due).removed["drafts"] == 1
    assert not ChallengeProposal.objects.filter(pk=draft.pk).exists()
    notice = RetentionNotice.objects.get(object_id=draft.pk)
    assert notice.status == RetentionNotice.Status.APPLIED
    assert notice.recipient == ""


def test_submitted_proposals_of_a_closed_call_are_never_deleted():
    call = make_call(closes_in=-DAY)
    make_proposal(call, status=ChallengeProposal.Status.SUBMITTED)
    retention_apply(now=timezone.now() + timedelta(days=3650))
    retention_apply(now=timezone.now() + timedelta(days=3700))
    assert ChallengeProposal.objects.count() == 1


def test_a_late_notice_still_gives_the_full_notice_period():
    draft, due = closed_draft()
    late = due + timedelta(days=100)
    run(RetentionKind.DRAFTS, late)
    assert ChallengeProposal.objects.filter(pk=draft.pk).exists()
    notice = RetentionNotice.objects.get()
    assert notice.due_at == late + timedelta(days=30)
    assert run(RetentionKind.DRAFTS, notice.due_at - SECOND).removed["drafts"] == 0
    assert run(RetentionKind.DRAFTS, notice.due_at).removed["drafts"] == 1


def test_an_extension_moves_the_deletion_and_keeps_its_reason(coordinator):
    draft, due = closed_draft()
    run(RetentionKind.DRAFTS, due - timedelta(days=30))
    notice = RetentionNotice.objects.get()
    notice_extend(notice=notice, by=coordinator, due_at=due + timedelta(days=60), reason="Recours")
    assert run(RetentionKind.DRAFTS, due).removed["drafts"] == 0
    assert run(RetentionKind.DRAFTS, due + timedelta(days=60) - DAY).removed["drafts"] == 0
    assert run(RetentionKind.DRAFTS, due + timedelta(days=60)).removed["drafts"] == 1
    notice.refresh_from_db()
    assert (notice.extension_reason, notice.extended_by) == ("Recours", coordinator)


def test_an_extension_needs_a_reason_and_a_later_date(coordinator):
    from django.core.exceptions import ValidationError

    _draft, due = closed_draft()
    run(RetentionKind.DRAFTS, due - timedelta(days=30))
    notice = RetentionNotice.objects.get()
    with pytest.raises(ValidationError):
        notice_extend(notice=notice, by=coordinator, due_at=due + DAY, reason=" ")
    with pytest.raises(ValidationError):
        notice_extend(notice=notice, by=coordinator, due_at=due - DAY, reason="Recours")


def inactive_user(days_ago=0):
    user = UserFactory()
    user.last_login = timezone.now() - timedelta(days=days_ago)
    user.save()
    return user


def test_inactive_account_boundaries_two_years_with_notice_thirty_days_before(
    django_capture_on_commit_callbacks,
):
    user = inactive_user()
    due = user.last_login + timedelta(days=730)
    kind = RetentionKind.INACTIVE_ACCOUNTS
    assert run(kind, due - timedelta(days=31)).notified[kind] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert run(kind, due - timedelta(days=30)).notified[kind] == 1
    assert "Se connecter" in mail.outbox[0].alternatives[0][0]
    assert run(kind, due - DAY).removed[kind] == 0
    assert run(kind, due).removed[kind] == 1
    user.refresh_from_db()
    assert (user.email, user.first_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password()


def test_logging_in_after_the_notice_cancels_the_deletion():
    user = inactive_user()
    due = user.last_login + timedelta(days=730)
    kind = RetentionKind.INACTIVE_ACCOUNTS
    run(kind, due - timedelta(days=30))
    user.last_login = due - timedelta(days=10)
    user.save()
    assert run(kind, due).removed[kind] == 0
    assert RetentionNotice.objects.get().status == RetentionNotice.Status.CANCELLED
    user.refresh_from_db()
    assert user.is_active


def test_coordinators_accounts_are_not_erased_by_inactivity(coordinator):
    retention_apply(now=timezone.now() + timedelta(days=3000))
    assert not RetentionNotice.objects.filter(object_id=coordinator.pk).exists()


def test_juror_account_goes_a_year_after_their_call_and_their_review_stays():
    call = make_call(closes_in=-DAY)
    proposal = make_proposal(call)
    juror = UserFactory()
    juror.last_login = timezone.now()
    juror.save()
    review = make_review(proposal, juror, [4, 3])
    due = call.closes_at + timedelta(days=365)
    kind = RetentionKind.JUROR_ACCOUNTS
    assert run(kind, due - timedelta(days=31)).notified[kind] == 0
    run(kind, due - timedelta(days=30))
    assert run(kind, due - DAY).removed[kind] == 0
    assert run(kind, due).removed[kind] == 1
    juror.refresh_from_db()
    assert juror.email == "" and not juror.is_active
    review.refresh_from_db()
    assert review.scores.count() == 2


def test_agents_are_not_treated_as_jurors():
    call = make_call(closes_in=-DAY)
    agent = make_agent()
    make_review(make_proposal(call), agent, [4, 3])
    retention_apply(kinds=[RetentionKind.JUROR_ACCOUNTS], now=timezone.now() + timedelta(days=900))
    assert RetentionNotice.objects.count() == 0


def closed_survey_invitation(survey_factory):
    survey = survey_factory()
    fellow = FellowFactory(email="eig@example.gouv.fr")
    invitation = make_invitations(
        survey=survey, role="fellow", promotion=fellow.promotion, count=1
    )[0]
    invitation.fellow = fellow
    invitation.save()
    return invitation, survey.closes_at + relativedelta(months=12)


@pytest.fixture
def closed_survey():
    from surveys.models import Survey

    def make():
        now = timezone.now()
        return Survey.objects.create(
            code=f"s{Survey.objects.count()}",
            title="Questionnaire",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
        )

    return make


def test_invitation_email_is_unlinked_twelve_months_after_closing(
    closed_survey, django_capture_on_commit_callbacks
):
    invitation, due = closed_survey_invitation(closed_survey)
    kind = RetentionKind.INVITATION_EMAILS
    with django_capture_on_commit_callbacks(execute=True):
        run(kind, due - timedelta(days=30))
    assert len(mail.outbox) == 0  # nothing to tell: the answers stay
    assert run(kind, due - DAY).removed[kind] == 0
    assert run(kind, due).removed[kind] == 1
    invitation.refresh_from_db()
    assert (invitation.email, invitation.fellow, invitation.role) == ("", None, "fellow")
    assert invitation.invalidated_at is not None


def test_outbox_recipients_are_blanked_a_year_after_sending_keeping_the_key():
    log = NotificationLog.objects.create(key="ack:proposal:1:v1", recipients="a@example.gouv.fr")
    due = log.sent_at + timedelta(days=365)
    assert run(RetentionKind.OUTBOX, due - DAY).removed["outbox"] == 0
    assert run(RetentionKind.OUTBOX, due).removed["outbox"] == 1
    log.refresh_from_db()
    assert (log.key, log.recipients) == ("ack:proposal:1:v1", "")


def test_each_task_records_a_run_with_its_counts():
    NotificationLog.objects.create(key="k", recipients="a@example.gouv.fr")
    assert retention_outbox() == {"removed": 0, "notified": 0}
    assert retention_drafts() == {"removed": 0, "notified": 0}
    assert RetentionRun.objects.count() == 2
    assert RetentionRun.objects.first().removed == {"drafts": 0}


def test_the_command_dry_run_counts_without_writing(capsys):
    draft, due = closed_draft()
    call_command("apply_retention", "--dry-run", "--now", (due + DAY).date().isoformat())
    out = capsys.readouterr().out
    assert "Brouillons des appels clos : 0 supprimé, 1 annoncé" in out
    assert RetentionNotice.objects.count() == 0
    assert RetentionRun.objects.count() == 0
    assert ChallengeProposal.objects.filter(pk=draft.pk).exists()


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="date invalide"):
        call_command("apply_retention", "--now", "demain")


def test_history_keeps_no_erased_value_after_the_history_rule(coordinator):
    from eig_portal.privacy.services import person_erase

    fellow = FellowFactory(name="Alice Martin", email="alice@example.gouv.fr")
    fellow.job_title = "Développeuse"
    fellow.save()
    person_erase(email="alice@example.gouv.fr", by=coordinator, reason="Demande du 1er mars")
    historical = fellow.history.model.objects.filter(id=fellow.pk)
    assert historical.filter(name="Alice Martin").exists()
    removed = retention_apply(kinds=[RetentionKind.HISTORY]).removed["history"]
    assert removed == historical.count() - 1  # every older copy; the erasure's own is clean
    assert not historical.filter(name="Alice Martin").exists()
    assert not historical.exclude(email="").exists()
    assert retention_apply(kinds=[RetentionKind.HISTORY]).removed["history"] == 0


def test_invitations_of_open_questionnaires_are_kept():
    from surveys.models import Survey

    survey = Survey.objects.create(code="open", title="Ouvert")
    make_invitations(survey=survey, role="fellow", promotion=None, count=2)
    retention_apply(now=timezone.now() + timedelta(days=5000))
    assert Invitation.objects.exclude(email="").count() == 2


def test_history_of_a_deleted_record_is_blanked_after_the_delay(settings):
    settings.HISTORY_SCRUB_DAYS = 30
    fellow = FellowFactory(name="Bob Durand", email="bob@example.gouv.fr")
    pk = fellow.pk
    fellow.delete()
    historical = Fellow.history.model.objects.filter(id=pk)
    deleted_at = historical.get(history_type="-").history_date
    kind = RetentionKind.HISTORY
    assert run(kind, deleted_at + timedelta(days=30) - DAY).removed[kind] == 0
    assert historical.filter(name="Bob Durand").count() == 2
    assert run(kind, deleted_at + timedelta(days=30)).removed[kind] == 2
    assert not historical.exclude(name="").exists()
    assert not historical.exclude(email="").exists()


def test_every_rule_has_a_daily_beat_task_that_exists(settings):
    from importlib import import_module

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for kind in RetentionKind.values:
        name = f"eig_portal.privacy.tasks.retention_{kind}"
        assert name in tasks
        module, function = name.rsplit(".", 1)
        assert callable(getattr(import_module(module), function))


def test_a_notice_whose_email_failed_is_sent_again_and_delays_the_deletion(
    monkeypatch, django_capture_on_commit_callbacks
):
    from smtplib import SMTPException

    import eig_portal.privacy.retention as retention

    draft, due = closed_draft()
    real_send_once = retention.send_once

    def failing(**kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(retention, "send_once", failing)
    with pytest.raises(SMTPException), django_capture_on_commit_callbacks(execute=True):
        run(RetentionKind.DRAFTS, due - timedelta(days=30))
    assert RetentionNotice.objects.get().due_at == due
    monkeypatch.setattr(retention, "send_once", real_send_once)

    with django_capture_on_commit_callbacks(execute=True):
        assert run(RetentionKind.DRAFTS, due).removed["drafts"] == 0
    assert len(mail.outbox) == 1
    notice = RetentionNotice.objects.get()
    assert notice.due_at == due + timedelta(days=30)
    assert run(RetentionKind.DRAFTS, notice.due_at - SECOND).removed["drafts"] == 0
    assert run(RetentionKind.DRAFTS, notice.due_at).removed["drafts"] == 1
    assert not ChallengeProposal.objects.filter(pk=draft.pk).exists()
