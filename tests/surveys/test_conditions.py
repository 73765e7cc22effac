"""Display conditions: one rule (``surveys.conditions``) for definition files and the admin form."""

import copy
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from surveys.conditions import (
    ON_QUESTION,
    ON_VALUE,
    ConditionTarget,
    allowed_condition_values,
    condition_value,
)
from surveys.definition_files import validate_definition
from surveys.models import Question
from tests.surveys.conftest import SMALL_SURVEY
from tests.surveys.test_admin import _question_post

COLOUR = ConditionTarget(code="colour", type="single", choice_codes=("blue", "red"))
HAPPY = ConditionTarget(code="happy", type="yesno")
RATING = ConditionTarget(code="rating", type="scale", scale_min=1, scale_max=5)
HOURS = ConditionTarget(code="hours", type="number")


@pytest.mark.parametrize(
    ("target", "value", "stored"),
    [
        (COLOUR, "red", "red"),
        (HAPPY, "oui", "yes"),
        (HAPPY, False, "no"),
        (RATING, "4", "4"),
        (RATING, 4.0, "4"),
        (HOURS, "2,5", "2.5"),
        (HOURS, 10, "10"),
        (ConditionTarget(code="name", type="short_text"), " Paris ", "Paris"),
    ],
)
def test_a_meetable_condition_is_stored_in_its_normal_form(target, value, stored):
    assert condition_value(target=target, value=value) == stored


@pytest.mark.parametrize(
    ("target", "value", "code", "message"),
    [
        (COLOUR, "Rouge", ON_VALUE, "« Rouge » n'est pas une réponse possible de « colour »"),
        (HAPPY, "peut-être", ON_VALUE, "indiquez yes | no"),
        (RATING, "9", ON_VALUE, "indiquez 1 | 2 | 3 | 4 | 5"),
        (HOURS, "beaucoup", ON_VALUE, "n'est pas un nombre"),
        (HOURS, "", ON_VALUE, "Indiquez la réponse qui affiche cette question."),
        (ConditionTarget(code="why", type="long_text"), "x", ON_QUESTION, "texte long"),
    ],
)
def test_a_condition_that_can_never_be_met_is_refused(target, value, code, message):
    with pytest.raises(ValidationError) as exc:
        condition_value(target=target, value=value)
    assert exc.value.code == code
    assert message in exc.value.messages[0]


def test_allowed_values_follow_the_question_type():
    assert allowed_condition_values(COLOUR) == ["blue", "red"]
    assert allowed_condition_values(HAPPY) == ["yes", "no"]
    assert allowed_condition_values(RATING) == ["1", "2", "3", "4", "5"]
    assert allowed_condition_values(HOURS) is None


def _definition_with_condition(question_code, equals):
    data = copy.deepcopy(SMALL_SURVEY)
    data["code"] = "small-copy"
    data["sections"][1]["questions"].append(
        {
            "code": "follow_up",
            "text": "Et ensuite ?",
            "type": "short_text",
            "show_if": {"question": question_code, "equals": equals},
        }
    )
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("question_code", "equals", "field", "path"),
    [
        ("colour", "Rouge", "show_if_value", "equals"),
        ("rating", "7", "show_if_value", "equals"),
        ("happy", "peut-être", "show_if_value", "equals"),
        ("why_not", "x", "show_if_question", "question"),
    ],
)
def test_definition_file_and_admin_form_refuse_a_condition_with_the_same_message(
    coord_client, small_survey, question_code, equals, field, path
):
    """The same condition, written in a definition file or in the admin, is refused by both
    with the same message (they used to disagree: the admin accepted a condition on a long text
    and « oui »; the file accepted a scale value outside the scale)."""
    errors = validate_definition(_definition_with_condition(question_code, equals))
    index = len(SMALL_SURVEY["sections"][1]["questions"])
    prefix = f"sections[1].questions[{index}].show_if."
    file_errors = [e.removeprefix(prefix + path + ": ") for e in errors if e.startswith(prefix)]
    assert len(file_errors) == 1, errors
    message = file_errors[0]

    section = small_survey.sections.order_by("order", "pk").last()
    target = small_survey.questions.get(code=question_code)
    before = Question.objects.count()
    page = coord_client.post(
        reverse("admin:surveys_question_add"),
        _question_post(section, show_if_question=target.pk, show_if_value=equals),
    )
    assert page.status_code == 200
    assert page.context["adminform"].form.errors[field] == [message]
    assert html.unescape(message) in html.unescape(page.content.decode())
    assert Question.objects.count() == before


@pytest.mark.django_db
def test_admin_form_stores_a_condition_in_the_same_form_as_a_definition_file(
    coord_client, small_survey
):
    section = small_survey.sections.order_by("order", "pk").last()
    happy = small_survey.questions.get(code="happy")
    page = coord_client.post(
        reverse("admin:surveys_question_add"),
        _question_post(section, show_if_question=happy.pk, show_if_value="Oui"),
    )
    assert page.status_code == 302
    assert Question.objects.get(survey=small_survey, code="new_q").show_if_value == "yes"
