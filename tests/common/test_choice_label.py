"""Labels of choices as ``get_<field>_display()`` gives them, for the rows of admin lists."""

import pytest
from django.utils import translation

from challenges.followup.models import ExpertiseRequest, OutcomeRequest
from eig_portal.common.models import choice_label
from promotions.models import BudgetLine, DeclaredFigure
from tests.factories import BudgetLineFactory


@pytest.mark.parametrize(
    "choices,value",
    [
        (BudgetLine.Category, "salaries"),
        (DeclaredFigure.Metric, DeclaredFigure.Metric.values[0]),
        (ExpertiseRequest.Topic, ExpertiseRequest.Topic.values[-1]),
        (OutcomeRequest.Milestone, OutcomeRequest.Milestone.values[0]),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_choice_label_is_the_display_of_the_choice(choices, value, language):
    with translation.override(language):
        assert choice_label(choices, value) == str(dict(choices.choices)[value])
    assert choice_label(choices, "inconnu") == "inconnu"


@pytest.mark.django_db
def test_a_budget_line_is_named_with_its_category_label():
    line = BudgetLineFactory(category="salaries")
    assert str(line) == f"{line.promotion} — Salaires des EIG : {line.amount} €"
