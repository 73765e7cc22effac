"""The questionnaire's definition kept in memory by the answering pages: read once, and every
change of its sections, questions and choices is seen by the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys import selectors
from surveys.definition_files import survey_import_definition
from surveys.models import Choice, Question, Section
from surveys.services import survey_duplicate
from tests.factories import SurveyFactory

from .conftest import SMALL_SURVEY

pytestmark = pytest.mark.django_db


def page(client, token, number=1):
    response = client.get(reverse("surveys:section", args=[token, number]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_definition_is_read_once_then_served_from_memory(small_survey):
    with CaptureQueriesContext(connection) as first:
        definition = selectors.survey_definition(small_survey)
    with CaptureQueriesContext(connection) as again:
        assert selectors.survey_definition(small_survey) is definition
    assert len(first) == 3 and len(again) == 0
    assert [s.title for s in definition.sections] == ["Première partie", "Seconde partie"]
    assert [q.code for q in definition.questions][:3] == ["happy", "why_not", "colour"]
    colour = definition.by_code["colour"]
    assert [c.code for c in colour.choices.all()] == ["blue", "red"]
    assert definition.choice_codes[colour.choices.all()[1].pk] == (colour.pk, "red")


def test_every_change_of_the_definition_shows_on_the_next_page(
    client, small_survey, make_invitation
):
    _, token = make_invitation(small_survey)
    assert "Couleur préférée" in page(client, token)  # now in memory
    colour = Question.objects.get(survey=small_survey, code="colour")

    colour.text = "Couleur favorite"
    colour.save()
    assert "Couleur favorite" in page(client, token)

    Choice.objects.create(question=colour, code="green", label="Vert", order=3)
    assert "Vert" in page(client, token)

    red = colour.choices.get(code="red")
    red.label = "Rouge vif"
    red.save()
    assert "Rouge vif" in page(client, token)
    red.delete()
    assert "Rouge vif" not in page(client, token)

    Question.objects.create(
        survey=small_survey, section=colour.section, code="pet", text="Animal", order=9,
        type=Question.Type.SHORT_TEXT,
    )  # fmt: skip
    assert "Animal" in page(client, token)
    colour.delete()
    assert "Couleur favorite" not in page(client, token)

    Section.objects.filter(survey=small_survey, order=2).get().delete()
    assert client.get(reverse("surveys:section", args=[token, 2])).status_code == 404


def test_an_admin_edit_shows_on_the_next_page(coord_client, client, small_survey, make_invitation):
    from .test_admin import _question_post

    _, token = make_invitation(small_survey)
    visitor = client.__class__()
    first = small_survey.sections.order_by("order", "pk").first()
    assert "Nouvelle question" not in page(visitor, token)
    added = coord_client.post(reverse("admin:surveys_question_add"), _question_post(first))
    assert added.status_code == 302
    assert "Nouvelle question" in page(visitor, token)


def test_definitions_written_in_bulk_show_on_the_next_page(client, small_survey, make_invitation):
    """Replacing a definition from its file and duplicating a survey write choices in bulk
    (no signal): they call ``survey_definition_changed`` themselves."""
    _, token = make_invitation(small_survey)
    assert "Bleu" in page(client, token)
    data = {**SMALL_SURVEY, "sections": [dict(SMALL_SURVEY["sections"][0])]}
    questions = [dict(q) for q in data["sections"][0]["questions"]]
    questions[2]["choices"] = [
        {"code": "blue", "label": "Bleu ciel"},
        {"code": "green", "label": "Vert"},
    ]
    data["sections"][0]["questions"] = questions
    survey_import_definition(data=data, replace=True)
    body = page(client, token)
    assert "Bleu ciel" in body and "Vert" in body and "Rouge" not in body
    assert client.get(reverse("surveys:section", args=[token, 2])).status_code == 404

    copy = survey_duplicate(survey=small_survey, code="small-copy")
    copy_token = make_invitation(copy)[1]
    assert "Bleu ciel" in page(client, copy_token)


def test_a_survey_held_in_memory_follows_the_changes_of_its_questions():
    """Factories and services keep their survey object: a change made through its questions
    moves its ``updated_at`` too, so the definition read with it is the new one."""
    survey = SurveyFactory()
    section = Section.objects.create(survey=survey, title="Une", order=1)
    before = selectors.survey_definition(survey)
    Question.objects.create(
        survey=survey, section=section, code="q", text="Q", type=Question.Type.YESNO
    )
    after = selectors.survey_definition(survey)
    assert after is not before and [q.code for q in after.questions] == ["q"]


def test_the_memory_holds_a_bounded_number_of_definitions(monkeypatch):
    monkeypatch.setattr(selectors, "CACHED_DEFINITIONS", 2)
    selectors.forget_definitions()
    surveys = [SurveyFactory() for _ in range(3)]
    for survey in surveys:
        selectors.survey_definition(survey)
    assert len(selectors._cache) == 2
    with CaptureQueriesContext(connection) as ctx:
        selectors.survey_definition(surveys[0])
    assert ctx.captured_queries  # the least recently used was dropped: read again
