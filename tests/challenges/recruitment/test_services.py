"""Pipeline of the call for candidates: drafts, submission, versions, statuses, withdrawal."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from challenges.models import (
    Application,
    ApplicationChoice,
    ApplicationStatusChange,
    ApplicationVersion,
    ChallengeOpening,
    Interview,
    InterviewSlot,
)
from challenges.recruitment import services

from .builders import (
    complete_draft,
    make_application,
    make_candidate,
    make_opening,
    make_recruitment_call,
    pdf_file,
)

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_a_repeated_creation_returns_the_candidates_one_application():
    call, candidate = make_recruitment_call(), make_candidate()
    token = uuid.uuid4()
    first = services.application_create(call=call, user=candidate, creation_token=token)
    again = services.application_create(call=call, user=candidate, creation_token=uuid.uuid4())
    assert first.pk == again.pk
    assert Application.objects.count() == 1
    assert first.status_changes.get().to_status == Status.DRAFT


def test_an_application_cannot_be_started_after_the_deadline():
    call = make_recruitment_call(closes_in=timedelta(seconds=-1))
    with pytest.raises(ValidationError) as error:
        services.application_create(call=call, user=make_candidate())
    assert error.value.code == "call_closed"


def test_submission_keeps_a_version_and_records_the_change():
    call = make_recruitment_call()
    opening = make_opening(call)
    candidate = make_candidate()
    application = complete_draft(call, candidate, [opening.challenge])
    version = services.application_submit(application=application, user=candidate)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert version.number == 1
    assert version.snapshot["choices"][0]["challenge"] == opening.challenge.pk
    change = application.status_changes.get(to_status=Status.SUBMITTED)
    assert (change.from_status, change.by) == (Status.DRAFT, candidate)


def test_a_repeated_submit_post_gives_one_version():
    call = make_recruitment_call()
    opening = make_opening(call)
    candidate = make_candidate()
    application = complete_draft(call, candidate, [opening.challenge])
    shown = application.version
    first = services.application_submit(
        application=application, user=candidate, expected_version=shown
    )
    again = services.application_submit(
        application=application, user=candidate, expected_version=shown
    )
    assert first.pk == again.pk
    assert ApplicationVersion.objects.count() == 1


def test_editing_until_the_deadline_keeps_every_submitted_version():
    call = make_recruitment_call()
    opening = make_opening(call)
    candidate = make_candidate()
    application = complete_draft(call, candidate, [opening.challenge])
    services.application_submit(application=application, user=candidate)
    services.application_save_draft(
        application=application, user=candidate, data={"heard_from": "Un salon"}
    )
    services.application_submit(application=application, user=candidate)
    versions = list(application.versions.order_by("number"))
    assert [v.snapshot["heard_from"] for v in versions] == ["Bouche à oreille", "Un salon"]
    assert application.status_changes.filter(to_status=Status.SUBMITTED).count() == 1


def test_a_submission_one_second_after_the_deadline_is_refused():
    call = make_recruitment_call()
    opening = make_opening(call)
    candidate = make_candidate()
    application = complete_draft(call, candidate, [opening.challenge])
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    application.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, user=candidate)
    assert error.value.code == "call_closed"
    assert not ApplicationVersion.objects.exists()


def test_an_incomplete_application_names_what_is_missing():
    call, candidate = make_recruitment_call(), make_candidate()
    application = services.application_create(call=call, user=candidate)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, user=candidate)
    assert {"profile", "cv", "choices", "notice_acknowledged_at"} <= set(error.value.message_dict)


def test_choices_are_ranked_and_limited_to_three_open_defis():
    call, candidate = make_recruitment_call(), make_candidate()
    openings = [make_opening(call) for _ in range(4)]
    application = services.application_create(call=call, user=candidate)
    with pytest.raises(ValidationError) as error:
        services.application_set_choices(
            application=application,
            user=candidate,
            choices=[(o.challenge_id, "m") for o in openings],
        )
    assert error.value.code == "too_many_choices"
    with pytest.raises(ValidationError) as error:
        services.application_set_choices(
            application=application,
            user=candidate,
            choices=[(openings[0].challenge_id, "m"), (openings[0].challenge_id, "m")],
        )
    assert error.value.code == "duplicate"
    services.application_set_choices(
        application=application,
        user=candidate,
        choices=[(openings[2].challenge_id, "a"), (openings[0].challenge_id, "b")],
    )
    assert list(application.choices.values_list("challenge_id", "rank")) == [
        (openings[2].challenge_id, 1),
        (openings[0].challenge_id, 2),
    ]


def test_a_motivation_over_3000_characters_is_refused():
    call, candidate = make_recruitment_call(), make_candidate()
    opening = make_opening(call)
    application = services.application_create(call=call, user=candidate)
    with pytest.raises(ValidationError) as error:
        services.application_set_choices(
            application=application, user=candidate, choices=[(opening.challenge_id, "x" * 3001)]
        )
    assert error.value.code == "motivation_too_long"


def test_a_closed_defi_cannot_be_chosen():
    call, candidate = make_recruitment_call(), make_candidate()
    opening = make_opening(call, is_open=False)
    application = services.application_create(call=call, user=candidate)
    with pytest.raises(ValidationError) as error:
        services.application_set_choices(
            application=application, user=candidate, choices=[(opening.challenge_id, "m")]
        )
    assert error.value.code == "not_open"


def test_a_cv_that_is_not_a_pdf_by_content_is_refused():
    call, candidate = make_recruitment_call(), make_candidate()
    application = services.application_create(call=call, user=candidate)
    with pytest.raises(ValidationError) as error:
        services.application_attach_cv(
            application=application,
            user=candidate,
            uploaded_file=pdf_file("cv.pdf", b"MZ\x90\x00 not a pdf"),
        )
    assert error.value.code == "not_pdf"
    application.refresh_from_db()
    assert not application.cv


def test_the_database_refuses_two_choices_with_the_same_rank():
    call = make_recruitment_call()
    a, b = make_opening(call), make_opening(call)
    application = make_application(call, challenges=[a.challenge])
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationChoice.objects.create(application=application, challenge=b.challenge, rank=1)


def test_the_database_refuses_an_opening_without_places_or_with_more_than_three():
    call = make_recruitment_call()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_opening(call, developers=0, designers=0, data_scientists=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_opening(call, developers=2, designers=1, data_scientists=1)
    assert make_opening(call, developers=1, designers=1, data_scientists=1).places_total == 3
    assert ChallengeOpening.objects.count() == 1


def test_the_database_refuses_two_applications_with_the_same_email_in_any_case():
    call = make_recruitment_call()
    make_application(call, email="ada@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_application(call, email="ADA@example.org")


def test_the_database_refuses_two_candidates_on_one_slot():
    call = make_recruitment_call()
    opening = make_opening(call)
    now = timezone.now()
    slot = InterviewSlot.objects.create(
        challenge=opening.challenge, starts_at=now, ends_at=now + timedelta(minutes=30)
    )
    first = make_application(call, challenges=[opening.challenge])
    second = make_application(call, challenges=[opening.challenge])
    Interview.objects.create(application=first, challenge=opening.challenge, slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(application=second, challenge=opening.challenge, slot=slot)


def test_every_status_change_records_who_when_from_to_and_message(coordinator):
    call = make_recruitment_call()
    application = make_application(call)
    services.application_change_status(
        application=application, to_status=Status.PRESELECTED, by=coordinator, message="Bravo"
    )
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status, change.by, change.message) == (
        Status.SUBMITTED,
        Status.PRESELECTED,
        coordinator,
        "Bravo",
    )
    assert change.at is not None


def test_a_move_outside_the_pipeline_is_refused(coordinator):
    application = make_application(make_recruitment_call())
    with pytest.raises(ValidationError) as error:
        services.application_change_status(
            application=application, to_status=Status.SELECTED, by=coordinator
        )
    assert error.value.code == "bad_transition"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_candidate_withdraws_but_not_someone_elses_application():
    call = make_recruitment_call()
    candidate = make_candidate()
    application = make_application(call, candidate=candidate)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, user=make_candidate())
    services.application_withdraw(application=application, user=candidate, message="Autre poste")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_only_a_draft_can_be_deleted_by_its_author():
    call = make_recruitment_call()
    candidate = make_candidate()
    submitted = make_application(call, candidate=candidate)
    with pytest.raises(ValidationError):
        services.application_delete_draft(application=submitted, user=candidate)
    other_call = make_recruitment_call()
    draft = services.application_create(call=other_call, user=candidate)
    services.application_delete_draft(application=draft, user=candidate)
    assert list(Application.objects.all()) == [submitted]


def test_bulk_status_change_moves_what_it_can_and_names_the_others(coordinator):
    call = make_recruitment_call()
    ok = make_application(call)
    draft = make_application(call, status=Status.DRAFT)
    done, errors = services.applications_bulk_change_status(
        applications=[ok, draft], to_status=Status.PRESELECTED, by=coordinator
    )
    assert done == 1
    assert len(errors) == 1 and str(draft) in errors[0]


def test_a_staff_account_cannot_become_a_candidate(coordinator):
    with pytest.raises(ValidationError):
        services.candidate_account_create(user=coordinator)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_form_make_one_version():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    call = make_recruitment_call()
    opening = make_opening(call)
    candidate = make_candidate()
    application = complete_draft(call, candidate, [opening.challenge])
    shown = application.version
    barrier = threading.Barrier(3)
    results, errors = [], []

    def post():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(
                services.application_submit(
                    application=Application.objects.get(pk=application.pk),
                    user=candidate,
                    expected_version=shown,
                ).pk
            )
        except Exception as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert len(set(results)) == 1
    assert ApplicationVersion.objects.count() == 1
