"""Every way of writing responses, answers and questionnaires keeps the results equal to a
direct count of the submitted answers, at the next read (stored counts, ``surveys.answer_counts``).
"""

import random
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from eig_portal.privacy.retention import retention_apply
from eig_portal.privacy.services import person_erase
from promotions.models import Promotion
from surveys import answer_counts, services
from surveys.definition_files import survey_import_definition
from surveys.models import (
    Answer,
    AnswerCountState,
    Choice,
    Invitation,
    Question,
    Response,
    Role,
    Survey,
)
from surveys.responses_import import ImportFileError, responses_import
from surveys.results import survey_results
from surveys.templatetags.survey_results_tags import pinned_survey_results
from tests.surveys.builders import build_responses
from tests.surveys.test_admin import _question_post
from tests.surveys.test_answer_counts import (
    ANY,
    direct_count,
    random_people_and_answers,
    stored_view,
)

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- the check


def _filters(survey):
    """The results' filters a coordinator can pick: none, each role, each promotion."""
    promotions = list(Promotion.objects.values_list("pk", flat=True))
    return [(None, None), (Role.FELLOW, None), (Role.MENTOR, None)] + [
        (None, pk) for pk in promotions
    ]


def assert_results_count_the_answers(survey, *, shown_only=False):
    """Each group of each question, for each filter of the results page, equals a direct
    count of the submitted answers (``direct_count``); respondents too.

    ``shown_only``: compare only the values the question's type shows (after a change of
    type, answers may hold values of the former type, counted by the oracle but not shown)."""
    for role, promotion_id in _filters(survey):
        results = survey_results(survey=survey, role=role, promotion_id=promotion_id)
        submitted = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        if role:
            submitted = submitted.filter(role=role)
        if promotion_id:
            submitted = submitted.filter(promotion_id=promotion_id)
        assert results.n_respondents == submitted.count(), (role, promotion_id)
        for result in results.questions:
            question = result.question
            for group in result.groups:
                kind, value = group.key
                group_role = value if kind == "role" else role
                group_promotion = value if kind == "promotion" else (promotion_id or ANY)
                n, counts, numbers = direct_count(survey, question, group_role, group_promotion)
                where = (question.code, group.key, role, promotion_id)
                if shown_only:
                    shown = {c.code: c.count for c in group.choices}
                    counts = {code: counts.get(_key(code, question), 0) for code in shown}
                    assert (group.n, shown) == (n, counts), where
                else:
                    assert stored_view(group, question) == (n, +counts), where
                if question.type == Question.Type.NUMBER:
                    assert group.minimum == (float(min(numbers)) if numbers else None), where
                    assert group.maximum == (float(max(numbers)) if numbers else None), where


def _key(code, question):
    """The oracle's key of a shown value: a Decimal for a scale, else the code."""
    return Decimal(code).normalize() if question.type == Question.Type.SCALE else code


def _answer_and_submit(invitation, **values):
    """The invitation's response, answered section by section (``values``), then submitted."""
    response = services.response_for_invitation(invitation=invitation)
    for section in invitation.survey.sections.order_by("order"):
        codes = set(section.questions.values_list("code", flat=True))
        services.response_save_section(
            response=response,
            section=section,
            values={code: value for code, value in values.items() if code in codes},
        )
    assert services.response_submit(response=response)
    return response


def _submit(survey, email, role=Role.FELLOW, promotion=None, **values):
    """A response submitted on the portal through a new invitation (answers: ``values``)."""
    invitation = services.invitation_create(
        survey=survey, email=email, role=role, promotion=promotion
    )
    return _answer_and_submit(invitation, **values)


@pytest.fixture
def counted(small_survey, promotions):
    """Imported and portal responses of every role and promotion, counts current."""
    eig1, eig2 = promotions
    rng = random.Random(7)
    people, answers = random_people_and_answers(rng, promotions, 30)
    imported = build_responses(
        survey=small_survey, people=people, answers=answers, respondent_prefix="r"
    )
    portal = [
        _submit(small_survey, "a@example.org", Role.FELLOW, eig1, happy="yes", rating=5),
        _submit(
            small_survey,
            "b@example.org",
            Role.MENTOR,
            eig2,
            happy="no",
            rating=2,
            tools=["git", "r"],
            hours="35.5",
            remark="ok",
        ),
    ]
    survey_results(survey=small_survey)
    assert AnswerCountState.objects.get(survey=small_survey).is_current
    return small_survey, imported, portal


def test_the_check_holds_on_the_starting_data(counted):
    survey, _imported, _portal = counted
    assert_results_count_the_answers(survey)


# --------------------------------------------------------------------------- questionnaire edits

OTHER_SURVEY = {
    "code": "other",
    "title": "Autre questionnaire",
    "audience": ["fellows", "mentors"],
    "sections": [
        {
            "title": "Seule partie",
            "questions": [{"code": "note", "text": "Note", "type": "long_text"}],
        }
    ],
}


def test_a_question_moved_to_another_questionnaire_counts_there_only_its_answers(
    counted, coord_client, promotions
):
    survey, _imported, _portal = counted
    other = survey_import_definition(data=OTHER_SURVEY)
    assert_results_count_the_answers(other)  # its counts are current too
    happy = survey.questions.get(code="happy")
    page = coord_client.post(
        reverse("admin:surveys_question_change", args=[happy.pk]),
        _question_post(
            other.sections.get(), code="happy", text=happy.text, type="yesno", required="on"
        ),
    )
    assert page.status_code == 302
    assert Question.objects.get(pk=happy.pk).survey == other
    for i, (role, promotion) in enumerate([(Role.FELLOW, None), (Role.MENTOR, promotions[1])]):
        _submit(other, f"o{i}@example.org", role, promotion, happy="yes", note="bien")
    assert_results_count_the_answers(other)
    assert_results_count_the_answers(survey)
    answer_counts.rebuild(survey.pk, force=True)  # the old questionnaire counted again
    assert_results_count_the_answers(other)
    answer_counts.rebuild(other.pk, force=True)
    assert_results_count_the_answers(other)
    assert_results_count_the_answers(survey)


def _question_form(question, **fields):
    """The admin form of ``question`` as posted unchanged (its choices inline), but ``fields``."""
    choices = list(question.choices.all())
    data = _question_post(
        question.section,
        code=question.code,
        text=question.text,
        type=question.type,
        **{"choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": len(choices)},
    )
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-{name}": value
                for name, value in (
                    ("id", choice.pk),
                    ("question", question.pk),
                    ("order", choice.order),
                    ("code", choice.code),
                    ("label", choice.label),
                )
            }
        )
    return {**data, **fields}


@pytest.mark.parametrize("new_type", ["multiple", "single", "short_text", "number", "scale"])
def test_changing_a_question_type_in_the_admin(counted, coord_client, new_type):
    survey, _imported, _portal = counted
    scale = {"scale_min": 1, "scale_max": 9} if new_type == "scale" else {}
    for code in ("tools", "colour", "rating", "hours"):
        question = survey.questions.get(code=code)
        page = coord_client.post(
            reverse("admin:surveys_question_change", args=[question.pk]),
            _question_form(question, type=new_type, **scale),
        )
        assert page.status_code == 302
    assert_results_count_the_answers(survey, shown_only=True)


def test_deleting_choices_questions_and_sections_in_the_admin(counted, coord_client):
    survey, _imported, _portal = counted
    tools = survey.questions.get(code="tools")
    page = coord_client.post(
        reverse("admin:surveys_question_change", args=[tools.pk]),
        _question_form(tools, **{"choices-0-DELETE": "on"}),
    )
    assert page.status_code == 302
    assert tools.choices.count() == 2
    assert_results_count_the_answers(survey)

    colour = survey.questions.get(code="colour")
    delete = reverse("admin:surveys_question_delete", args=[colour.pk])
    assert coord_client.post(delete, {"post": "yes"}).status_code == 302
    assert_results_count_the_answers(survey)

    survey.sections.order_by("order").first().delete()  # the survey's inline « supprimer »
    assert_results_count_the_answers(survey)


def test_a_choice_unticked_from_every_answer(counted):
    survey, _imported, _portal = counted
    git = Choice.objects.get(question__survey=survey, code="git")
    assert git.multiple_answers.exists()
    git.multiple_answers.clear()
    assert_results_count_the_answers(survey)


def test_duplicating_a_questionnaire_starts_with_empty_results(counted):
    survey, _imported, _portal = counted
    copy = services.survey_duplicate(survey=survey, code="small-copy")
    assert_results_count_the_answers(copy)
    _submit(copy, "c@example.org", happy="yes", rating=3, tools=["python"])
    assert_results_count_the_answers(copy)
    assert_results_count_the_answers(survey)


# --------------------------------------------------------------------------- responses


def test_deleting_responses_in_the_admin_one_or_many(counted, coord_client):
    survey, imported, portal = counted
    changelist = reverse("admin:surveys_response_changelist")
    page = coord_client.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": [r.pk for r in imported[:5]] + [portal[0].pk],
            "post": "yes",
        },
    )
    assert page.status_code == 302
    assert_results_count_the_answers(survey)
    delete = reverse("admin:surveys_response_delete", args=[imported[7].pk])
    assert coord_client.post(delete, {"post": "yes"}).status_code == 302
    assert_results_count_the_answers(survey)


def test_deleting_an_invitation_or_the_invited_person_deletes_the_response(
    counted, coord_client, people, make_invitation
):
    survey, _imported, portal = counted
    delete = reverse("admin:surveys_invitation_delete", args=[portal[1].invitation_id])
    assert coord_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Response.objects.filter(pk=portal[1].pk).exists()
    assert_results_count_the_answers(survey)

    fellows, _mentors = people
    invitation, _token = make_invitation(survey, fellows[1])
    response = _answer_and_submit(invitation, happy="no", rating=1)
    assert_results_count_the_answers(survey)
    fellows[1].delete()  # the EIG's record deleted: invitation and response go with it
    assert not Response.objects.filter(pk=response.pk).exists()
    assert_results_count_the_answers(survey)


def test_a_submitted_response_reopened_no_longer_counts(counted):
    survey, _imported, portal = counted
    response = Response.objects.get(pk=portal[0].pk)
    response.status, response.submitted_at = Response.Status.IN_PROGRESS, None
    response.save()
    assert_results_count_the_answers(survey)


def test_a_submitted_response_changing_role_or_promotion(counted, promotions):
    survey, imported, _portal = counted
    response = Response.objects.get(pk=imported[0].pk)
    response.role = Role.MENTOR if response.role == Role.FELLOW else Role.FELLOW
    response.promotion = promotions[1] if response.promotion != promotions[1] else None
    response.save()
    assert_results_count_the_answers(survey)


def test_personal_data_erasure_and_retention_keep_the_results(
    counted, coordinator, people, make_invitation
):
    survey, _imported, _portal = counted
    fellows, _mentors = people
    invitation, _token = make_invitation(survey, fellows[0])
    _answer_and_submit(invitation, happy="yes", colour="red", rating=4)
    before = survey_results(survey=survey).question("colour").overall
    person_erase(email=fellows[0].email, by=coordinator, reason="Demande reçue")
    assert Invitation.objects.get(pk=invitation.pk).fellow is None
    assert survey_results(survey=survey).question("colour").overall == before
    assert_results_count_the_answers(survey)

    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now())
    retention_apply(now=timezone.now() + timedelta(days=3650))  # announced
    retention_apply(now=timezone.now() + timedelta(days=3700))  # applied
    assert not Invitation.objects.filter(survey=survey).exclude(email="").exists()
    assert_results_count_the_answers(survey)


# --------------------------------------------------------------------------- answers


def test_a_submitted_answer_changed_shows_on_the_dashboard_too(counted):
    survey, _imported, portal = counted
    Question.objects.filter(survey=survey, code__in=["happy", "tools"]).update(pinned=True)
    services.survey_definition_changed(survey=survey)

    def shown():
        blocks = pinned_survey_results()["surveys"]
        rows = [row for block in blocks for row in block["rows"]]
        return {r["code"]: (r["n"], {i["label"]: i["count"] for i in r["items"]}) for r in rows}

    def expected():
        out = {}
        for code in ("happy", "tools"):
            question = survey.questions.get(code=code)
            n, counts, _numbers = direct_count(survey, question)
            labels = {c.code: c.label for c in question.choices.all()}
            labels = labels if code == "tools" else {"yes": "Oui", "no": "Non"}
            out[code] = (n, {label: counts.get(key, 0) for key, label in labels.items()})
        return out

    assert shown() == expected()
    answer = Answer.objects.get(response=portal[0], question__code="happy")
    answer.boolean = not answer.boolean
    answer.save()
    assert shown() == expected()
    tools = Answer.objects.get(response=portal[1], question__code="tools")
    tools.choices.add(Choice.objects.get(question__survey=survey, code="python"))
    assert shown() == expected()
    tools.choices.clear()
    assert shown() == expected()


def test_an_answer_added_to_a_submitted_response(counted):
    survey, _imported, portal = counted
    Answer.objects.create(
        response=portal[0], question=survey.questions.get(code="remark"), text="ajout"
    )
    assert_results_count_the_answers(survey)


# --------------------------------------------------------------------------- imports


def _csv(*rows):
    return "respondent,role,promotion,happy,colour,rating,tools,hours,remark\n" + "\n".join(rows)


def test_importing_the_same_respondents_again_replaces_their_answers(counted):
    survey, _imported, _portal = counted
    responses_import(
        survey=survey,
        data=_csv(
            "r1,mentor,EIG 2,no,red,2,git|python,12,à revoir",
            "r2,fellow,,yes,,,,,",
            "r3,fellow,EIG 1,,blue,4,r,80,",
            "new1,mentor,,oui,blue,1,python,0,bien",
        ),
    )
    assert_results_count_the_answers(survey)
    responses_import(survey=survey, data=_csv("r1,fellow,EIG 1,yes,,,,,"))
    assert_results_count_the_answers(survey)


def test_an_import_with_errors_writes_nothing_and_keeps_the_counts(counted):
    survey, _imported, _portal = counted
    with pytest.raises(ImportFileError):
        responses_import(
            survey=survey,
            data=_csv("r1,mentor,EIG 2,no,red,2,git,12,x", "new2,fellow,,peut-être,,,,,"),
        )
    assert AnswerCountState.objects.get(survey=survey).is_current
    assert_results_count_the_answers(survey)


# --------------------------------------------------------------------------- concurrency


def _run_together(*targets):
    """Run the ``targets`` in threads (each with its own connection) started together;
    return the exceptions they raised."""
    barrier, errors = threading.Barrier(len(targets)), []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:  # pragma: no cover - reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _prepared(survey, n, promotions):
    """``n`` portal responses of ``survey`` with their answers saved, not yet submitted."""
    responses = []
    first, second = survey.sections.order_by("order")
    for i in range(n):
        invitation = services.invitation_create(
            survey=survey,
            email=f"t{i}@example.org",
            role=[Role.FELLOW, Role.MENTOR][i % 2],
            promotion=promotions[i % 2],
        )
        response = services.response_for_invitation(invitation=invitation)
        services.response_save_section(
            response=response, section=first, values={"happy": ["yes", "no"][i % 2]}
        )
        services.response_save_section(
            response=response,
            section=second,
            values={"rating": 1 + i % 5, "tools": [["git"], ["git", "r"], []][i % 3]},
        )
        responses.append(response)
    return responses


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_questionnaire(small_survey, promotions):
    _postgresql_only()
    responses = _prepared(small_survey, 6, promotions)
    survey_results(survey=small_survey)
    errors = _run_together(*[lambda r=r: services.response_submit(response=r) for r in responses])
    assert not errors
    assert AnswerCountState.objects.get(survey=small_survey).is_current
    assert_results_count_the_answers(small_survey)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("counts", ["stale", "never read"])
def test_submissions_racing_with_rebuilds_and_an_import(small_survey, promotions, counts):
    _postgresql_only()
    responses = _prepared(small_survey, 4, promotions)
    if counts == "stale":
        survey_results(survey=small_survey)
        answer_counts.invalidate([small_survey.pk])
    else:
        assert not AnswerCountState.objects.filter(survey=small_survey).exists()
    errors = _run_together(
        *[lambda r=r: services.response_submit(response=r) for r in responses],
        lambda: survey_results(survey=small_survey),
        lambda: survey_results(survey=small_survey, role=Role.MENTOR),
        lambda: responses_import(survey=small_survey, data=_csv("x1,fellow,EIG 1,yes,red,3,r,1,")),
    )
    assert not errors, [str(e) for e in errors]
    assert_results_count_the_answers(small_survey)


@pytest.mark.django_db(transaction=True)
def test_a_file_imported_again_while_respondents_submit(small_survey, promotions):
    _postgresql_only()
    build_responses(
        survey=small_survey,
        people=[(Role.FELLOW, promotions[0])] * 3,
        answers={"happy": [True] * 3},
        respondent_prefix="r",
    )
    responses = _prepared(small_survey, 5, promotions)
    survey_results(survey=small_survey)
    again = _csv("r1,mentor,EIG 2,no,blue,2,git,3,", "r2,fellow,,yes,,,,,", "r3,fellow,,,,5,,,")
    errors = _run_together(
        *[lambda r=r: services.response_submit(response=r) for r in responses],
        lambda: responses_import(survey=small_survey, data=again),
    )
    assert not errors, [str(e) for e in errors]
    assert_results_count_the_answers(small_survey)


@pytest.mark.django_db(transaction=True)
def test_coordinators_changes_racing_with_an_import_and_submissions(small_survey, promotions):
    """Deletions and answer changes made while responses are imported and submitted: no
    deadlock (every writer locks the data version, then the counts' state), exact counts."""
    _postgresql_only()
    old = build_responses(
        survey=small_survey,
        people=[(Role.FELLOW, promotions[0]), (Role.MENTOR, promotions[1])] * 3,
        answers={"happy": [True, False] * 3, "tools": [["git"], ["r", "python"]] * 3},
        respondent_prefix="o",
    )
    responses = _prepared(small_survey, 3, promotions)
    imported = _csv("x1,fellow,EIG 1,yes,red,3,r,1,", "o6,mentor,,no,,,git,,")
    survey_results(survey=small_survey)

    def change_answer():
        answer = Answer.objects.get(response=old[1], question__code="happy")
        answer.boolean = True
        answer.save()

    errors = _run_together(
        *[lambda r=r: services.response_submit(response=r) for r in responses],
        lambda: responses_import(survey=small_survey, data=imported),
        lambda: Response.objects.get(pk=old[0].pk).delete(),
        change_answer,
        lambda: Answer.objects.get(response=old[3], question__code="tools").choices.clear(),
        lambda: Choice.objects.get(question__survey=small_survey, code="blue").delete(),
        lambda: survey_results(survey=small_survey),
    )
    assert not errors, [str(e) for e in errors]
    assert_results_count_the_answers(small_survey)


def _waiting_for_a_lock() -> bool:
    """True when another connection of this database waits for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["answer", "response"])
def test_a_change_committed_while_a_read_rebuilds_stale_counts(small_survey, promotions, change):
    """A coordinator's change (an answer saved, a response deleted) made while a reader rebuilds
    counts that were already stale: the rebuild must wait for it or the counts stay stale."""
    _postgresql_only()
    responses = build_responses(
        survey=small_survey,
        people=[(Role.FELLOW, promotions[0]), (Role.MENTOR, None)],
        answers={"happy": [True, False], "rating": [2, 5]},
    )
    answer_counts.invalidate([small_survey.pk])  # stale, as after any earlier change

    def write():
        if change == "answer":
            answer = Answer.objects.get(response=responses[1], question__code="happy")
            answer.boolean = True
            answer.save()
        else:
            Response.objects.get(pk=responses[1].pk).delete()

    errors = _race(write, lambda: survey_results(survey=small_survey))
    assert not errors, [str(e) for e in errors]
    assert_results_count_the_answers(small_survey)


def test_a_response_submitted_after_a_deletion_page_read_it_unsent(counted, promotions):
    """The coordinator's deletion (admin) holds the response as it was read: unsent; the
    respondent submits it before the deletion is confirmed."""
    survey, _imported, _portal = counted
    (response,) = _prepared(survey, 1, promotions)
    as_read = Response.objects.get(pk=response.pk)
    assert services.response_submit(response=response)
    assert survey_results(survey=survey).n_respondents == 33
    as_read.delete()
    assert_results_count_the_answers(survey)


def _wait_for_a_lock_or_the_end(thread) -> None:
    """Until ``thread`` has finished or another connection waits for a lock."""
    for _ in range(3000):
        if not thread.is_alive() or _waiting_for_a_lock():
            return
        time.sleep(0.01)


def _race(hold, contend) -> list[Exception]:
    """Run ``hold()`` in a transaction of its own thread and keep that transaction open (its
    locks held) while ``contend()`` runs in another thread; commit it once ``contend`` waits
    for a lock or has ended. Returns the errors raised in either thread."""
    errors, held, release = [], threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                hold()
                held.set()
                release.wait(timeout=30)
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            held.set()
            connection.close()

    def contender():
        try:
            contend()
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    held.wait(timeout=30)
    second = threading.Thread(target=contender)
    second.start()
    _wait_for_a_lock_or_the_end(second)
    release.set()
    first.join()
    second.join()
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deleted", ["question", "section"])
def test_a_submission_while_a_question_is_being_deleted(small_survey, promotions, deleted):
    """A coordinator deletes a question (or its section, where the respondent resumes) in the
    admin while a respondent who answered it submits: the submission succeeds, the results
    lose the question."""
    _postgresql_only()
    (response,) = _prepared(small_survey, 1, promotions)
    second = small_survey.sections.order_by("order")[1]
    services.response_save_section(
        response=response, section=second, values={"rating": 3, "remark": "bien"}
    )
    survey_results(survey=small_survey)

    def delete():
        if deleted == "question":
            Question.objects.get(survey=small_survey, code="remark").delete()
        else:
            second.delete()

    errors = _race(delete, lambda: services.response_submit(response=response))
    assert not errors, [str(e) for e in errors]
    assert Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED
    assert_results_count_the_answers(small_survey)


def test_the_api_and_the_results_page_show_a_change_at_once(counted, staff_client, promotions):
    """Read through the API (with its filters) and the page, each first after a change."""
    survey, imported, portal = counted
    happy = survey.questions.get(code="happy")

    def api(**query):
        data = staff_client.get(f"/api/v1/surveys/{survey.code}/results/", query).json()
        group = data["questions"]["happy"]["overall"]
        return group["answered"], {k: c["count"] for k, c in group["choices"].items() if c["count"]}

    def direct(**filters):
        n, counts, _numbers = direct_count(survey, happy, **filters)
        return n, dict(counts)

    Response.objects.get(pk=imported[3].pk).delete()
    assert api() == direct()
    answer = Answer.objects.get(response=portal[1], question=happy)
    answer.boolean = True
    answer.save()
    assert api(role="mentor") == direct(role=Role.MENTOR)
    assert api(promotion="EIG 2") == direct(promotion_id=promotions[1].pk)
    Response.objects.get(pk=portal[0].pk).delete()
    page = staff_client.get(reverse("survey_results:results", args=[survey.code]))
    n, _counts = direct()
    assert page.context["results"].question("happy").overall.n == n
    assert f"{survey.responses.filter(status='submitted').count()}" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_answer_changed_while_its_response_is_submitted(small_survey, promotions):
    """An answer saved (outside the answering pages) while its response is being submitted."""
    _postgresql_only()
    (response,) = _prepared(small_survey, 1, promotions)
    survey_results(survey=small_survey)

    def write():
        answer = Answer.objects.get(response=response, question__code="happy")
        answer.boolean = not answer.boolean
        answer.save()

    errors = _race(write, lambda: services.response_submit(response=response))
    assert not errors, [str(e) for e in errors]
    assert Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED
    assert_results_count_the_answers(small_survey)
