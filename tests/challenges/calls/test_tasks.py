"""Celery email tasks and notification hooks of the call for projects."""

from datetime import timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from challenges.calls import notifications, tasks
from challenges.models import ChallengeProposal, NotificationLog, ProposalStatusChange
from tests.challenges.call_builders import make_agent, make_call, make_proposal

pytestmark = pytest.mark.django_db
Status = ChallengeProposal.Status


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_acknowledgement_summarises_the_submission_and_is_sent_once():
    call = make_call(title="Appel EIG 8")
    proposal = make_proposal(call, title="Datajust", summary="Indemnisation des préjudices")
    version = proposal.versions.get()

    assert tasks.send_submission_acknowledgement(proposal.pk, version.pk) is True
    assert tasks.send_submission_acknowledgement(proposal.pk, version.pk) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [proposal.created_by.email]
    assert "Datajust" in message.subject
    body = message.body
    assert "Indemnisation des préjudices" in body and "Appel EIG 8" in body
    assert "Camille Martin" in body and "heure de Paris" in body
    html = message.alternatives[0][0]
    assert "<table" in html and "Datajust" in html
    assert NotificationLog.objects.filter(key=f"ack:proposal:{proposal.pk}:v1").exists()


def test_acknowledgement_of_a_draft_sends_nothing():
    proposal = make_proposal(make_call(), status=Status.DRAFT)
    assert tasks.send_submission_acknowledgement(proposal.pk) is False
    assert mail.outbox == []


def test_coordinators_are_told_of_each_submitted_version(settings):
    settings.COORDINATORS_EMAIL = "coordination@eig.example.gouv.fr"
    proposal = make_proposal(make_call())
    tasks.send_coordinators_notice(proposal.pk)
    tasks.send_coordinators_notice(proposal.pk)
    assert recipients() == ["coordination@eig.example.gouv.fr"]
    assert f"/admin/challenges/challengeproposal/{proposal.pk}/change/" in mail.outbox[0].body


def test_correction_request_goes_to_the_confirmed_agents_with_the_message(coordinator):
    author = make_agent(username="auteur")
    proposal = make_proposal(make_call(), author=author, status=Status.CORRECTION_REQUESTED)
    make_agent(proposal.administration, username="collegue")
    make_agent(proposal.administration, username="pasconfirme", confirmed=False)
    make_agent(username="ailleurs")
    change = ProposalStatusChange.objects.create(
        proposal=proposal,
        by=coordinator,
        at=timezone.now(),
        from_status=Status.SUBMITTED,
        to_status=Status.CORRECTION_REQUESTED,
        message="Précisez les données disponibles.",
    )

    assert tasks.send_correction_requested(change.pk) is True
    assert tasks.send_correction_requested(change.pk) is False
    assert recipients() == ["auteur@example.gouv.fr", "collegue@example.gouv.fr"]
    assert "Précisez les données disponibles." in mail.outbox[0].body
    assert "déposez-la à nouveau avant le" in mail.outbox[0].body  # by when: the deadline


@pytest.mark.parametrize(
    ("status", "words"),
    [(Status.SELECTED, "est retenu"), (Status.NOT_SELECTED, "n'est pas retenue")],
)
def test_decision_email_states_the_decision_and_its_message(coordinator, status, words):
    proposal = make_proposal(make_call(), status=status)
    ProposalStatusChange.objects.create(
        proposal=proposal,
        by=coordinator,
        at=timezone.now(),
        from_status=Status.UNDER_REVIEW,
        to_status=status,
        message="Le jury a apprécié la qualité des données.",
    )
    assert tasks.send_decision(proposal.pk) is True
    assert tasks.send_decision(proposal.pk) is False
    assert len(mail.outbox) == 1
    assert words in mail.outbox[0].body
    assert "Le jury a apprécié la qualité des données." in mail.outbox[0].body


def test_no_decision_email_before_a_decision():
    proposal = make_proposal(make_call(), status=Status.UNDER_REVIEW)
    assert tasks.send_decision(proposal.pk) is False
    assert mail.outbox == []


def test_a_failed_delivery_is_not_logged_so_a_retry_sends_it():
    proposal = make_proposal(make_call())
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("down")
    ):
        with pytest.raises(SMTPException):
            tasks.send_submission_acknowledgement(proposal.pk)
    assert not NotificationLog.objects.exists()
    assert tasks.send_submission_acknowledgement(proposal.pk) is True
    assert len(mail.outbox) == 1


# --- reminders ------------------------------------------------------------------------------


def test_reminders_go_only_to_authors_of_unsubmitted_drafts_three_then_one_day_before():
    in_two_days = make_call(closes_in=timedelta(days=2, hours=3))
    in_half_a_day = make_call(closes_in=timedelta(hours=12))
    in_five_days = make_call(closes_in=timedelta(days=5))
    draft_3d = make_proposal(in_two_days, status=Status.DRAFT, author=make_agent(username="d3"))
    make_proposal(in_two_days, status=Status.SUBMITTED, author=make_agent(username="sub"))
    make_proposal(in_two_days, status=Status.WITHDRAWN, author=make_agent(username="wd"))
    make_proposal(in_half_a_day, status=Status.DRAFT, author=make_agent(username="d1"))
    make_proposal(in_five_days, status=Status.DRAFT, author=make_agent(username="d5"))
    unpublished = make_call(closes_in=timedelta(days=2), is_published=False)
    make_proposal(unpublished, status=Status.DRAFT, author=make_agent(username="hidden"))

    assert tasks.send_draft_reminders() == 2
    assert recipients() == ["d1@example.gouv.fr", "d3@example.gouv.fr"]
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("Plus qu'un jour") and subjects[1].startswith("Plus que 3 jours")

    tasks.send_draft_reminders()  # the next hourly run sends nothing again
    assert len(mail.outbox) == 2

    # A day later the first call closes within a day: its draft gets the « 1 day » reminder.
    later = timezone.now() + timedelta(days=1, hours=12)
    with mock.patch("challenges.calls.tasks.timezone.now", return_value=later):
        tasks.send_draft_reminders()
    assert len(mail.outbox) == 3
    assert mail.outbox[-1].to == [draft_3d.created_by.email]
    assert NotificationLog.objects.filter(key=f"reminder:proposal:{draft_3d.pk}:1d").exists()


def test_a_draft_started_late_gets_its_second_reminder_a_day_after_the_first():
    """A draft first seen 1 day and 1 hour before the deadline gets the « 3 days » reminder;
    the next hourly run (within a day of the deadline) must not send the « 1 day » one yet."""
    call = make_call(closes_in=timedelta(days=1, hours=1))
    draft = make_proposal(call, status=Status.DRAFT)
    assert tasks.send_draft_reminders() == 1
    assert len(mail.outbox) == 1

    later = timezone.now() + timedelta(hours=2)
    with mock.patch("challenges.calls.tasks.timezone.now", return_value=later):
        tasks.send_draft_reminders()
    assert len(mail.outbox) == 1

    NotificationLog.objects.filter(key=f"reminder:proposal:{draft.pk}:3d").update(
        sent_at=timezone.now() - timedelta(hours=25)
    )
    with mock.patch("challenges.calls.tasks.timezone.now", return_value=later):
        tasks.send_draft_reminders()
    assert len(mail.outbox) == 2


def test_a_draft_submitted_after_the_reminder_was_queued_gets_nothing():
    proposal = make_proposal(make_call(closes_in=timedelta(days=2)), status=Status.DRAFT)
    ChallengeProposal.objects.filter(pk=proposal.pk).update(
        status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert tasks.send_draft_reminder(proposal.pk, 3) is False
    assert mail.outbox == []


# --- hooks: queued on commit ----------------------------------------------------------------


def test_hooks_queue_tasks_after_commit_only(django_capture_on_commit_callbacks):
    proposal = make_proposal(make_call(), status=Status.SELECTED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications.proposal_decided(proposal.pk)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1 and len(mail.outbox) == 1

    other = make_proposal(make_call(), status=Status.NOT_SELECTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notifications.proposal_decided(other.pk)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and len(mail.outbox) == 1


def test_submission_hook_queues_acknowledgement_and_coordinators_notice(
    django_capture_on_commit_callbacks, settings
):
    settings.COORDINATORS_EMAIL = "coordination@eig.example.gouv.fr"
    proposal = make_proposal(make_call())
    with django_capture_on_commit_callbacks(execute=True):
        notifications.proposal_submitted(proposal.pk, proposal.versions.get().pk)
    assert recipients() == sorted([proposal.created_by.email, "coordination@eig.example.gouv.fr"])
