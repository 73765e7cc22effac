"""Interviews: slots, invitations, booking (one slot one candidate, under concurrency), cancel
and rebook, the .ics invitation, the reminder the day before, interviews held in the figures."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from challenges.models import Application, Interview
from challenges.recruitment import interviews, tasks
from challenges.recruitment.ics import interview_ics

from .builders import make_application, make_opening, make_recruitment_call

pytestmark = pytest.mark.django_db
Status = Application.Status


def _setup(n=2):
    call = make_recruitment_call()
    opening = make_opening(call)
    apps = [
        make_application(call, challenges=[opening.challenge], status=Status.PRESELECTED)
        for _ in range(n)
    ]
    return opening.challenge, apps


def _slot(challenge, coordinator, hours=48):
    start = timezone.now() + timedelta(hours=hours)
    return interviews.slot_open(
        challenge=challenge,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        by=coordinator,
        place="20 avenue de Ségur, Paris",
    )


def test_inviting_moves_the_application_to_interview_and_sends_the_link(
    coordinator, django_capture_on_commit_callbacks
):
    challenge, (ada, _bob) = _setup()
    with django_capture_on_commit_callbacks(execute=True):
        interview = interviews.interview_invite(
            application=ada, challenge=challenge, by=coordinator
        )
        again = interviews.interview_invite(application=ada, challenge=challenge, by=coordinator)
    assert interview.pk == again.pk
    ada.refresh_from_db()
    assert ada.status == Status.INTERVIEW
    assert len(mail.outbox) == 1 and str(interview.token) in mail.outbox[0].body


def test_a_candidate_who_did_not_choose_the_defi_cannot_be_invited(coordinator):
    challenge, (ada, _bob) = _setup()
    other = make_opening(ada.call).challenge
    with pytest.raises(ValidationError):
        interviews.interview_invite(application=ada, challenge=other, by=coordinator)


def test_a_slot_needs_a_place_or_a_video_link(coordinator):
    challenge, _apps = _setup(0)
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError):
        interviews.slot_open(
            challenge=challenge, starts_at=start, ends_at=start + timedelta(hours=1), by=coordinator
        )


def test_a_taken_slot_is_refused_and_a_cancelled_one_can_be_rebooked(
    coordinator, django_capture_on_commit_callbacks
):
    challenge, (ada, bob) = _setup()
    slot = _slot(challenge, coordinator)
    first = interviews.interview_invite(application=ada, challenge=challenge, by=coordinator)
    second = interviews.interview_invite(application=bob, challenge=challenge, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        interviews.interview_book(interview=first, slot=slot)
    with pytest.raises(ValidationError) as error:
        interviews.interview_book(interview=second, slot=slot)
    assert error.value.code == "taken"
    interviews.interview_cancel(interview=first)
    interviews.interview_book(interview=second, slot=slot)
    assert Interview.objects.get(slot=slot) == second


def test_the_booking_is_confirmed_by_email_and_the_ics_describes_the_slot(
    coordinator, django_capture_on_commit_callbacks
):
    challenge, (ada, _bob) = _setup()
    slot = _slot(challenge, coordinator)
    interview = interviews.interview_invite(application=ada, challenge=challenge, by=coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interviews.interview_book(interview=interview, slot=slot)
    assert len(mail.outbox) == 1
    assert "Ségur" in mail.outbox[0].body
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    assert (filename, mimetype) == ("entretien-eig.ics", "text/calendar")
    assert b"BEGIN:VEVENT" in (content if isinstance(content, bytes) else content.encode())
    interview.refresh_from_db()
    event = Calendar.from_ical(interview_ics(interview=interview)).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at.replace(microsecond=0)
    assert "Ségur" in str(event.get("location"))


def test_a_reminder_goes_once_the_day_before(coordinator):
    challenge, (ada, bob) = _setup()
    soon, later = _slot(challenge, coordinator, hours=20), _slot(challenge, coordinator, hours=60)
    for application, slot in ((ada, soon), (bob, later)):
        interview = interviews.interview_invite(
            application=application, challenge=challenge, by=coordinator
        )
        interviews.interview_book(interview=interview, slot=slot)
    mail.outbox.clear()
    assert tasks.send_interview_reminders() == 1
    tasks.send_interview_reminders()
    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_an_interview_held_counts_the_candidate_as_interviewed(coordinator):
    challenge, (ada, _bob) = _setup()
    interview = interviews.interview_invite(application=ada, challenge=challenge, by=coordinator)
    interviews.interview_mark_held(interview=interview, by=coordinator)
    ada.refresh_from_db()
    assert ada.interviewed is True


@pytest.mark.django_db(transaction=True)
def test_two_candidates_booking_one_slot_at_once_get_one_booking(coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    challenge, apps = _setup(3)
    slot = _slot(challenge, coordinator)
    invitations = [
        interviews.interview_invite(application=a, challenge=challenge, by=coordinator)
        for a in apps
    ]
    barrier = threading.Barrier(3)
    booked, refused, errors = [], [], []

    def book(interview):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            interviews.interview_book(interview=interview, slot=slot)
            booked.append(interview.pk)
        except ValidationError as exc:
            refused.append(exc.code)
        except Exception as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(i,)) for i in invitations]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert len(booked) == 1 and refused == ["taken", "taken"]
    assert Interview.objects.filter(slot=slot).count() == 1
