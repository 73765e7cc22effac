"""Results computed by the database reproduce the 2019 report (tests/surveys/builders.py)."""

from decimal import Decimal

import pytest

from eig_portal.common.shares import percent
from surveys.answer_counts import REBUILD_QUERIES
from surveys.models import Question, Response, Role
from surveys.results import (
    RESULT_QUERIES,
    pinned_results,
    response_rates,
    results_as_data,
    survey_results,
    text_answers,
)
from tests.factories import PromotionFactory, QuestionFactory
from tests.surveys.builders import build_2019_response_set, build_responses, spread

pytestmark = pytest.mark.django_db


@pytest.fixture
def set2019():
    return build_2019_response_set()


def pct(results, code, choice="yes"):
    stat = results.question(code).overall
    return next(c.percent for c in stat.choices if c.code == choice)


def test_fellow_results_reproduce_the_report(set2019):
    results = survey_results(survey=set2019["fellows"])
    assert results.n_respondents == 21
    assert pct(results, "tech_env_adapted") == 67
    assert pct(results, "work_env_satisfied") == 95
    assert pct(results, "oss_reused") == 65
    assert results.question("oss_reused").overall.n == 20
    assert pct(results, "trainings_organised") == 62
    assert pct(results, "etalab_expertise") == 52
    assert pct(results, "stay_admin_before") == 15
    assert pct(results, "stay_admin_after") == 57
    assert pct(results, "methods_used", "agile") == 43
    assert pct(results, "methods_used", "sprints") == 29  # « près de 30 % »
    assert pct(results, "methods_used", "user_research") == 71  # report 70 %: see builders
    assert pct(results, "current_situation", "admin_contract") == 25


def test_mentor_results_reproduce_the_report(set2019):
    results = survey_results(survey=set2019["mentors"])
    assert results.n_respondents == 13
    assert pct(results, "tech_means_differ") == 77
    assert pct(results, "work_env_adapted") == 70
    assert pct(results, "skills_acquired") == 90
    assert pct(results, "skills_reused") == 83
    assert results.question("skills_reused").overall.n == 6
    assert pct(results, "digital_skills_development") == 69  # « près de 70 % »
    assert pct(results, "community_member") == 54  # report 53 %: unreachable with n = 13
    assert pct(results, "eig_contributions", "missing_skills") == 92  # « plus de 90 % »
    expectations = results.question("results_meet_expectations").overall
    at_least_broadly = sum(c.count for c in expectations.choices[:3])
    assert percent(at_least_broadly, expectations.n) == 92  # « plus de 90 % »
    production = results.question("production_status").overall
    assert production.n == 12  # « un mentor ne s'est pas exprimé »


def test_annex_tools_of_fellows_and_mentors_together_is_73_percent(set2019):
    fellows = survey_results(survey=set2019["fellows"]).question("annex_tools").overall
    mentors = survey_results(survey=set2019["mentors"]).question("annex_tools").overall
    yes = fellows.choices[0].count + mentors.choices[0].count
    assert (yes, fellows.n + mentors.n) == (24, 33)
    assert percent(yes, fellows.n + mentors.n) == 73


def test_etalab_expertise_by_promotion(set2019):
    result = survey_results(survey=set2019["fellows"]).question("etalab_expertise")
    by_promotion = {g.label: (g.n, g.choices[0].percent) for g in result.by_promotion}
    assert by_promotion == {"EIG 1": (6, 17), "EIG 2": (15, 67)}


def test_counts_and_shares_overall_and_by_role():
    eig1 = PromotionFactory(number=1, code="EIG 1")
    from surveys.definition_files import survey_import_definition

    survey = survey_import_definition(
        data={
            "code": "both",
            "title": "Both",
            "audience": ["fellows", "mentors"],
            "sections": [
                {
                    "title": "S",
                    "questions": [
                        {
                            "code": "q",
                            "text": "Q",
                            "type": "single",
                            "choices": [
                                {"code": "a", "label": "A"},
                                {"code": "b", "label": "B"},
                                {"code": "c", "label": "C"},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    people = [(Role.FELLOW, eig1)] * 10 + [(Role.MENTOR, eig1)] * 7
    build_responses(
        survey=survey,
        people=people,
        answers={"q": spread(("a", 8), ("b", 2), ("a", 4), ("b", 2), ("c", 1))},
    )
    result = survey_results(survey=survey).question("q")
    assert result.overall.n == 17
    assert [(c.count, c.percent, c.share) for c in result.overall.choices] == [
        (12, 71, 0.7059),
        (4, 23, 0.2353),
        (1, 6, 0.0588),
    ]
    assert sum(c.percent for c in result.overall.choices) == 100
    fellows, mentors = result.by_role
    assert (fellows.n, [c.count for c in fellows.choices]) == (10, [8, 2, 0])
    assert [c.percent for c in fellows.choices] == [80, 20, 0]
    assert (mentors.n, [c.percent for c in mentors.choices]) == (7, [57, 29, 14])

    only_mentors = survey_results(survey=survey, role=Role.MENTOR).question("q")
    assert only_mentors.overall.n == 7
    assert [g.label for g in only_mentors.by_role] == ["Mentor"]


def test_multiple_choice_shares_may_exceed_100(set2019):
    result = survey_results(survey=set2019["fellows"]).question("methods_used")
    assert result.is_multiple
    assert sum(c.percent for c in result.overall.choices) > 100


def test_scale_mean_and_distribution(set2019):
    result = survey_results(survey=set2019["fellows"]).question("users_satisfied")
    overall = result.overall
    assert overall.n == 20
    assert [c.code for c in overall.choices] == ["1", "2", "3", "4", "5"]
    assert [c.count for c in overall.choices] == [0, 1, 4, 9, 6]
    assert sum(c.percent for c in overall.choices) == 100
    assert overall.mean == pytest.approx((2 + 12 + 36 + 30) / 20)


def test_number_mean_min_max(set2019):
    overall = survey_results(survey=set2019["fellows"]).question("datasets_opened").overall
    assert (overall.n, overall.minimum, overall.maximum) == (19, 0, 12)
    assert overall.mean == pytest.approx(round((5 + 12 + 24) / 19, 2))


def test_empty_population_gives_none_not_an_error(set2019):
    eig3 = PromotionFactory(number=3, code="EIG 3")
    results = survey_results(survey=set2019["fellows"], promotion_id=eig3.pk)
    assert results.n_respondents == 0
    overall = results.question("tech_env_adapted").overall
    assert overall.n == 0
    assert [c.percent for c in overall.choices] == [None, None]
    assert results.question("users_satisfied").overall.mean is None
    data = results_as_data(results)
    assert data["questions"]["tech_env_adapted"]["overall"]["choices"]["yes"]["share"] is None


def test_in_progress_responses_are_not_counted(set2019):
    assert Response.objects.filter(status=Response.Status.IN_PROGRESS).count() == 2
    assert survey_results(survey=set2019["fellows"]).question("tech_env_adapted").overall.n == 21


def test_free_text_answers_are_listed_without_identifier(set2019):
    question = Question.objects.get(survey=set2019["fellows"], code="comments")
    rows = list(text_answers(survey=set2019["fellows"], question=question))
    assert len(rows) == 3
    assert set(rows[0]) == {"text", "role", "promotion_code"}
    assert "🚀" in rows[0]["text"]
    sample = survey_results(survey=set2019["fellows"]).question("comments").text_sample
    assert len(sample) == 3


def test_response_rates_by_role_and_promotion(set2019):
    rates = response_rates(survey=set2019["fellows"])
    assert (rates.overall.invited, rates.overall.submitted, rates.overall.rate) == (39, 21, 54)
    assert rates.overall.in_progress == 2
    assert rates.overall.opened == 21 + 2 + 3
    by_promotion = {r.label: (r.invited, r.submitted, r.rate) for r in rates.by_promotion}
    assert by_promotion == {"EIG 1": (12, 6, 50), "EIG 2": (27, 15, 56)}
    mentors = response_rates(survey=set2019["mentors"])
    assert [(r.label, r.invited, r.submitted) for r in mentors.by_role] == [("Mentor", 24, 13)]


def test_results_as_data_shape(set2019):
    data = results_as_data(survey_results(survey=set2019["mentors"]))
    q = data["questions"]["tech_means_differ"]
    assert q["overall"]["answered"] == 13
    assert q["overall"]["choices"]["yes"] == {"count": 10, "share": 0.7692}
    assert q["by_role"]["mentor"]["answered"] == 13
    assert q["by_promotion"]["EIG 1"]["answered"] == 4
    assert data["respondents"] == {
        "overall": 13,
        "by_role": {"mentor": 13},
        "by_promotion": {"EIG 1": 4, "EIG 2": 9},
    }


def test_pinned_results_for_the_dashboard(set2019):
    pinned = {(p["survey_code"], p["code"]): p for p in pinned_results()}
    tech = pinned[("eig-2019-fellows", "tech_env_adapted")]
    assert tech["n"] == 21
    assert tech["items"] == [{"label": "Oui", "count": 14, "percent": 67}]
    methods = pinned[("eig-2019-fellows", "methods_used")]
    assert methods["multiple"] and len(methods["items"]) == 6


@pytest.mark.parametrize("size", [5, 60])
def test_results_query_count_does_not_grow_with_responses(size, django_assert_max_num_queries):
    data = build_2019_response_set()
    people = [(Role.FELLOW, data["eig2"])] * size
    build_responses(
        survey=data["fellows"],
        people=people,
        answers={
            "tech_env_adapted": [i % 2 == 0 for i in range(size)],
            "methods_used": [["agile"]] * size,
            "comments": ["texte"] * size,
            "users_satisfied": [3] * size,
        },
        respondent_prefix="extra-",
    )
    survey = data["fellows"]
    with django_assert_max_num_queries(RESULT_QUERIES + REBUILD_QUERIES):
        survey_results(survey=survey)  # the answers' stored counts are built at the first read
    with django_assert_max_num_queries(RESULT_QUERIES):
        results = survey_results(survey=survey)
    assert results.n_respondents == 21 + size
    with django_assert_max_num_queries(4):
        response_rates(survey=survey)


# --- named steps of survey_results -------------------------------------------------------------


def test_group_stat_assembles_a_yes_no_question_from_the_tally_without_queries(
    django_assert_num_queries,
):
    from surveys.results import ALL, AnswerTally, _group_stat

    question = QuestionFactory(type=Question.Type.YESNO)
    tally = AnswerTally()
    tally.answered[(question.pk, None)][ALL] = 4
    tally.yesno[(question.pk, True)][ALL] = 3
    tally.yesno[(question.pk, False)][ALL] = 1
    with django_assert_num_queries(0):
        stat = _group_stat(question, ALL, "Ensemble", tally)
        empty = _group_stat(question, ("role", "mentor"), "Mentors", tally)
    assert stat.n == 4
    assert [(c.code, c.count, c.percent) for c in stat.choices] == [("yes", 3, 75), ("no", 1, 25)]
    assert empty.n == 0 and [c.percent for c in empty.choices] == [None, None]


def test_group_stat_of_a_number_question_gives_mean_min_and_max():
    from surveys.results import ALL, AnswerTally, _group_stat

    question = QuestionFactory(type=Question.Type.NUMBER)
    tally = AnswerTally()
    tally.answered[(question.pk, None)][ALL] = 3
    tally.numbers[question.pk][ALL].update(n=3, total=Decimal("10"), lo=Decimal("1"), hi=Decimal(6))
    stat = _group_stat(question, ALL, "Ensemble", tally)
    assert (stat.n, stat.mean, stat.minimum, stat.maximum) == (3, 3.33, 1.0, 6.0)
