"""The results' stored answer counts: same figures as counting the answers directly, kept
current by submissions and imports, rebuilt after any other change."""

import random
from collections import Counter
from decimal import Decimal

import pytest

from surveys import answer_counts, services
from surveys.models import Answer, AnswerCount, AnswerCountState, Choice, Question, Response, Role
from surveys.responses_import import responses_import
from surveys.results import RESULT_QUERIES, survey_results
from tests.surveys.builders import build_responses

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- a direct count


def _holds_value(answer: Answer) -> bool:
    return bool(
        answer.choice_id
        or answer.boolean is not None
        or answer.number is not None
        or answer.text
        or answer.choices.all()  # prefetched
    )


#: ``promotion_id`` of :func:`direct_count` for « any promotion ».
ANY = object()


def direct_count(survey, question, role=None, promotion_id=ANY):
    """``(n, {value: count}, numbers)`` of ``question`` counted answer by answer, following the
    rules of the ``surveys.results`` docstring, with no stored count and no grouping query.

    ``role`` and ``promotion_id`` (``None``: no promotion) restrict the respondents."""
    answers = (
        Answer.objects.filter(
            response__survey=survey, response__status=Response.Status.SUBMITTED, question=question
        )
        .select_related("choice", "response")
        .prefetch_related("choices")
    )
    if role:
        answers = answers.filter(response__role=role)
    if promotion_id is not ANY:
        answers = answers.filter(response__promotion_id=promotion_id)
    n, counts, numbers = 0, Counter(), []
    for answer in answers:
        if question.type in (Question.Type.SINGLE, Question.Type.YESNO, Question.Type.SCALE):
            if answer.choice_id is None and answer.boolean is None and answer.number is None:
                continue
            n += 1
            if answer.choice_id:
                counts[answer.choice.code] += 1
            if answer.boolean is not None:
                counts["yes" if answer.boolean else "no"] += 1
            if answer.number is not None:
                counts[answer.number.normalize()] += 1
        elif question.type == Question.Type.NUMBER:
            if answer.number is not None:
                n += 1
                numbers.append(answer.number)
        elif _holds_value(answer):
            n += 1
            for choice in answer.choices.all():
                counts[choice.code] += 1
    return n, counts, numbers


def stored_view(stat, question):
    """The same shape read from a ``GroupStat`` of ``survey_results``."""
    counts = Counter()
    for choice in stat.choices:
        if choice.count:
            key = Decimal(choice.code).normalize() if question.type == "scale" else choice.code
            counts[key] += choice.count
    return stat.n, counts


def random_people_and_answers(rng, promotions, size):
    """``size`` people with random answers to the small questionnaire, odd values included:
    scale values outside 1–5, multiple choices with no choice ticked, empty texts."""
    people = [(rng.choice([Role.FELLOW, Role.MENTOR]), rng.choice([*promotions, None]))]
    people += [
        (rng.choice([Role.FELLOW, Role.MENTOR]), rng.choice([*promotions, None]))
        for _ in range(size - 1)
    ]

    def maybe(value):
        return None if rng.random() < 0.2 else value

    answers = {
        "happy": [maybe(rng.random() < 0.6) for _ in people],
        "colour": [maybe(rng.choice(["blue", "red"])) for _ in people],
        "rating": [maybe(rng.choice([1, 2, 3, 4, 5, 5, 7, 2.5])) for _ in people],
        "tools": [maybe(rng.sample(["git", "python", "r"], rng.randint(0, 3))) for _ in people],
        "hours": [maybe(rng.choice([0, 12, 35, 35.5, 80])) for _ in people],
        "remark": [maybe(rng.choice(["", "bien", "à revoir"])) for _ in people],
    }
    return people, answers


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_results_from_stored_counts_equal_a_direct_count_of_the_answers(
    small_survey, promotions, seed
):
    rng = random.Random(seed)
    people, answers = random_people_and_answers(rng, promotions, 40)
    build_responses(survey=small_survey, people=people, answers=answers)
    build_responses(  # unsent responses never count
        survey=small_survey,
        people=people[:5],
        answers={code: values[:5] for code, values in answers.items()},
        status=Response.Status.IN_PROGRESS,
    )
    for role in (None, Role.FELLOW, Role.MENTOR):
        results = survey_results(survey=small_survey, role=role)
        for result in results.questions:
            question = result.question
            n, counts, numbers = direct_count(small_survey, question, role)
            assert stored_view(result.overall, question) == (n, +counts), question.code
            if numbers:
                assert result.overall.minimum == float(min(numbers))
                assert result.overall.maximum == float(max(numbers))
                assert result.overall.mean == round(float(sum(numbers) / len(numbers)), 2)


# --------------------------------------------------------------------------- kept current


def _submit(survey, make_invitation, fellow=None, happy="yes", rating=4):
    invitation, _token = make_invitation(survey, fellow)
    first, second = survey.sections.order_by("order")
    response = services.invitation_save_section(
        invitation=invitation, section=first, values={"happy": happy}
    )
    services.response_save_section(
        response=response, section=second, values={"rating": rating, "tools": ["git", "r"]}
    )
    assert services.response_submit(response=response)
    return response


def _stored_rows(survey):
    return sorted(
        AnswerCount.objects.filter(survey=survey).values_list(
            "question_id", "role", "promotion_key", "kind", "choice_key", "boolean_key",
            "has_number", "number", "has_text", "has_choices", "n",
        )
    )  # fmt: skip


def test_a_submission_adds_its_counts_at_once_and_the_next_read_needs_no_rebuild(
    small_survey, people, make_invitation, django_assert_max_num_queries
):
    fellows, _mentors = people
    _submit(small_survey, make_invitation, fellows[0], happy="no", rating=2)
    assert survey_results(survey=small_survey).n_respondents == 1  # counts built here
    _submit(small_survey, make_invitation, fellows[1], happy="yes", rating=5)
    assert AnswerCountState.objects.get(survey=small_survey).is_current
    with django_assert_max_num_queries(RESULT_QUERIES):
        results = survey_results(survey=small_survey)
    happy = results.question("happy").overall
    assert (happy.n, [c.count for c in happy.choices]) == (2, [1, 1])
    tools = results.question("tools").overall
    assert {c.code: c.count for c in tools.choices} == {"git": 2, "python": 0, "r": 2}

    added = _stored_rows(small_survey)
    assert answer_counts.rebuild(small_survey.pk, force=True)
    assert _stored_rows(small_survey) == added  # adding one by one = counting again


def test_a_submission_while_the_counts_are_stale_is_counted_by_the_rebuild(
    small_survey, people, make_invitation
):
    fellows, _mentors = people
    _submit(small_survey, make_invitation, fellows[0])
    survey_results(survey=small_survey)
    answer_counts.invalidate([small_survey.pk])
    _submit(small_survey, make_invitation, fellows[1])
    assert not AnswerCountState.objects.get(survey=small_survey).is_current
    assert survey_results(survey=small_survey).question("rating").overall.n == 2


@pytest.fixture
def counted(small_survey, promotions):
    """Three submitted responses whose counts are current."""
    eig1, eig2 = promotions
    responses = build_responses(
        survey=small_survey,
        people=[(Role.FELLOW, eig1), (Role.FELLOW, eig2), (Role.MENTOR, eig2)],
        answers={"happy": [True, False, True], "tools": [["git"], ["r"], ["git", "python"]]},
    )
    survey_results(survey=small_survey)
    assert AnswerCountState.objects.get(survey=small_survey).is_current
    return small_survey, responses


def _overall(survey, code):
    stat = survey_results(survey=survey).question(code).overall
    return stat.n, {c.code: c.count for c in stat.choices}


def test_deleting_a_submitted_response_shows_in_the_next_read(counted):
    survey, responses = counted
    responses[0].delete()
    assert _overall(survey, "happy") == (2, {"yes": 1, "no": 1})


def test_changing_a_submitted_answer_or_its_choices_shows_in_the_next_read(counted):
    survey, responses = counted
    answer = Answer.objects.get(response=responses[1], question__code="happy")
    answer.boolean = True
    answer.save()
    assert _overall(survey, "happy") == (3, {"yes": 3, "no": 0})
    tools = Answer.objects.get(response=responses[1], question__code="tools")
    tools.choices.add(Choice.objects.get(question__survey=survey, code="python"))
    assert _overall(survey, "tools")[1] == {"git": 2, "python": 2, "r": 1}


def test_deleting_a_choice_shows_in_the_next_read(counted):
    survey, _responses = counted
    Choice.objects.get(question__survey=survey, code="git").delete()
    assert _overall(survey, "tools") == (2, {"python": 1, "r": 1})


def test_saving_an_unsent_response_keeps_the_counts_current(counted, make_invitation):
    survey, _responses = counted
    invitation, _token = make_invitation(survey)
    first = survey.sections.order_by("order").first()
    services.invitation_save_section(invitation=invitation, section=first, values={"happy": "no"})
    assert AnswerCountState.objects.get(survey=survey).is_current
    assert _overall(survey, "happy") == (3, {"yes": 2, "no": 1})


def test_an_import_rebuilds_the_counts_in_its_transaction(counted):
    survey, _responses = counted
    responses_import(survey=survey, data="respondent,role,promotion,happy\nx1,fellow,,no\n")
    assert AnswerCountState.objects.get(survey=survey).is_current
    assert _overall(survey, "happy") == (4, {"yes": 2, "no": 2})
