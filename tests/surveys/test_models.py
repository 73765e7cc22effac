"""Database guarantees of the survey models, including concurrent double submission."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Response, Survey


@pytest.mark.django_db
def test_one_response_per_invitation_is_a_database_constraint(small_survey, make_invitation):
    invitation, _ = make_invitation(small_survey)
    services.response_for_invitation(invitation=invitation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=small_survey, invitation=invitation, role="fellow")


@pytest.mark.django_db
def test_one_answer_per_question_and_response(small_survey, make_invitation):
    invitation, _ = make_invitation(small_survey)
    response = services.response_for_invitation(invitation=invitation)
    question = small_survey.questions.get(code="happy")
    Answer.objects.create(response=response, question=question, boolean=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, question=question, boolean=False)


@pytest.mark.django_db
def test_portal_response_needs_an_invitation_and_submitted_needs_a_date(small_survey):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=small_survey, role="fellow", source="portal")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=small_survey, role="fellow", source="import", status="submitted"
        )
    Response.objects.create(survey=small_survey, role="mentor", source="import", respondent="R1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=small_survey, role="mentor", source="import", respondent="R1"
        )


@pytest.mark.django_db
def test_question_code_unique_per_survey_and_survey_needs_an_audience(small_survey):
    question = small_survey.questions.first()
    question.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        question.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(code="x", title="x", audience_fellows=False, audience_mentors=False)


@pytest.mark.django_db
def test_survey_is_open_between_its_dates(small_survey):
    now = timezone.now()
    assert small_survey.is_open(now)
    small_survey.opens_at = now + timezone.timedelta(hours=1)
    assert not small_survey.is_open(now)
    small_survey.opens_at, small_survey.closes_at = now - timezone.timedelta(hours=1), now
    assert not small_survey.is_open(now)


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_gives_one_submission(small_survey, make_invitation):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    invitation, _ = make_invitation(small_survey)
    response = services.response_for_invitation(invitation=invitation)
    section1, section2 = small_survey.sections.order_by("order")
    services.response_save_section(response=response, section=section1, values={"happy": "yes"})
    services.response_save_section(response=response, section=section2, values={"rating": 3})

    results, errors = [], []
    barrier = threading.Barrier(4)

    def submit():
        try:
            barrier.wait()
            # each thread also races to "create" the response, as two tabs would
            mine = services.response_for_invitation(invitation=invitation)
            results.append(services.response_submit(response=mine))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False, False, False, True]
    assert Response.objects.count() == 1
    assert Response.objects.get().status == "submitted"


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_save_creates_one_response(small_survey, make_invitation):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    invitation, _ = make_invitation(small_survey)
    barrier = threading.Barrier(4)
    ids, errors = [], []

    def start():
        try:
            barrier.wait()
            ids.append(services.response_for_invitation(invitation=invitation).pk)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(ids)) == 1 and Response.objects.count() == 1
