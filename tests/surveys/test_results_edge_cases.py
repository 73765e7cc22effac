"""Results on unusual stored answers: the rare query paths of ``survey_results``.

Values outside a scale's range, multiple-choice answers without any choice, text answers
without text: each must count exactly as the module docstring says, within
``RESULT_QUERIES`` (plus the stored counts' first build) even when every rare path runs.
"""

import pytest

from surveys.answer_counts import REBUILD_QUERIES
from surveys.models import Answer, Response, Role
from surveys.results import RESULT_QUERIES, survey_results
from tests.surveys.builders import build_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_set(small_survey, promotions):
    eig1, eig2 = promotions
    small_survey.promotions.set(promotions)
    responses = build_responses(
        survey=small_survey,
        people=[(Role.FELLOW, eig1), (Role.FELLOW, eig2), (Role.MENTOR, eig2), (Role.FELLOW, eig2)],
        answers={
            "rating": [7, 2.5, 3, 3],  # 7 and 2.5 lie outside the 1–5 scale (imports)
            "tools": [["git", "python"], [], ["r"], None],  # [] = an answer with no choice
            "remark": ["", "a", "", "b"],
        },
        respondent_prefix="odd-",
    )
    # A multiple-choice answer holding a text but no choice counts as answered.
    Answer.objects.create(
        response=responses[3], question=small_survey.questions.get(code="tools"), text="autre"
    )
    # An empty text answer linked to a choice counts as answered; the other one does not.
    remark = Answer.objects.get(response=responses[0], question__code="remark")
    remark.choices.add(small_survey.questions.get(code="tools").choices.get(code="git"))
    return small_survey, responses


def choice_counts(stat):
    return {c.code: c.count for c in stat.choices}


def test_odd_answers_count_as_documented_within_the_query_bound(
    odd_set, django_assert_max_num_queries
):
    survey, _responses = odd_set
    with django_assert_max_num_queries(RESULT_QUERIES + REBUILD_QUERIES):
        results = survey_results(survey=survey)  # counts built at the first read
    assert results.n_respondents == 4

    rating = results.question("rating").overall
    assert rating.n == 4
    assert [c.code for c in rating.choices] == ["1", "2", "2.5", "3", "4", "5", "7"]
    assert choice_counts(rating) == {"1": 0, "2": 0, "2.5": 1, "3": 2, "4": 0, "5": 0, "7": 1}
    assert sum(c.percent for c in rating.choices) == 100
    assert rating.mean == 3.88

    tools = results.question("tools")
    assert tools.overall.n == 3  # the empty answer is not counted, the text-only one is
    assert choice_counts(tools.overall) == {"git": 1, "python": 1, "r": 1}
    assert [c.share for c in tools.overall.choices] == [0.3333, 0.3333, 0.3333]

    remark = results.question("remark")
    assert remark.overall.n == 3  # « a », « b » and the empty one linked to a choice
    assert remark.text_sample == ["a", "b"]


def test_odd_answers_by_role_and_promotion(odd_set, promotions):
    survey, _responses = odd_set
    eig1, eig2 = promotions
    results = survey_results(survey=survey, role=Role.FELLOW)
    tools = results.question("tools")
    assert tools.overall.n == 2  # fellows: git+python (EIG 1), text-only (EIG 2)
    by_promotion = {g.label: g.n for g in tools.by_promotion}
    assert by_promotion == {"EIG 1": 1, "EIG 2": 1}
    rating = survey_results(survey=survey, promotion_id=eig2.pk).question("rating")
    assert choice_counts(rating.overall) == {"1": 0, "2": 0, "2.5": 1, "3": 2, "4": 0, "5": 0}
    assert Response.objects.filter(survey=survey).count() == 4
