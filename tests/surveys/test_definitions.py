"""Definition files: the shipped 2019 questionnaires load, export round-trips, errors name paths."""

import copy
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from surveys.definition_files import (
    DEFINITIONS_DIR,
    DefinitionError,
    dump_definition,
    load_definition_file,
    survey_export_definition,
    survey_import_definition,
    validate_definition,
)
from surveys.models import Choice, Question, Survey
from surveys.services import survey_duplicate

from .conftest import SMALL_SURVEY

pytestmark = pytest.mark.django_db

HEADLINE_FELLOWS = [
    "tech_env_adapted",
    "work_env_satisfied",
    "oss_reused",
    "trainings_organised",
    "etalab_expertise",
    "stay_admin_before",
    "stay_admin_after",
    "annex_tools",
    "result_maintained",
]
HEADLINE_MENTORS = [
    "tech_means_differ",
    "work_env_adapted",
    "skills_acquired",
    "skills_reused",
    "community_member",
    "digital_skills_development",
    "annex_tools",
    "result_maintained",
]


def test_shipped_2019_questionnaires_load_with_their_headline_codes(capsys):
    call_command("import_survey", str(DEFINITIONS_DIR / "eig-2019-fellows.yaml"))
    call_command("import_survey", str(DEFINITIONS_DIR / "eig-2019-mentors.yaml"))
    assert "importé" in capsys.readouterr().out
    fellows = Survey.objects.get(code="eig-2019-fellows")
    mentors = Survey.objects.get(code="eig-2019-mentors")
    assert fellows.audience_fellows and not fellows.audience_mentors
    assert mentors.audience_mentors and not mentors.audience_fellows
    for survey, codes in ((fellows, HEADLINE_FELLOWS), (mentors, HEADLINE_MENTORS)):
        found = dict(survey.questions.filter(code__in=codes).values_list("code", "type"))
        assert found == {c: "yesno" for c in codes}
    methods = fellows.questions.get(code="methods_used")
    assert {"user_research", "agile", "sprints"} <= set(
        methods.choices.values_list("code", flat=True)
    )
    reused = mentors.questions.get(code="skills_reused")
    assert reused.show_if_question.code == "skills_acquired" and reused.show_if_value == "yes"
    assert mentors.questions.get(code="production_status").pinned_choice == "in_production"


def test_export_then_import_round_trips(tmp_path):
    for name in ("eig-2019-fellows.yaml", "eig-2019-mentors.yaml"):
        data = load_definition_file(DEFINITIONS_DIR / name)
        survey = survey_import_definition(data=data)
        exported = survey_export_definition(survey=survey)
        for fmt in ("yaml", "json"):
            path = tmp_path / f"{survey.code}.{fmt}"
            path.write_text(dump_definition(exported, fmt), encoding="utf-8")
            again = load_definition_file(path)
            again["code"] = f"{survey.code}-{fmt}"
            copy_survey = survey_import_definition(data=again)
            re_exported = survey_export_definition(survey=copy_survey)
            assert {**re_exported, "code": survey.code} == exported
        # the exported file keeps every question of the source file, in order
        source_codes = [q["code"] for s in data["sections"] for q in s["questions"]]
        assert [q["code"] for s in exported["sections"] for q in s["questions"]] == source_codes


def test_export_survey_command_writes_the_import_format(capsys, small_survey):
    call_command("export_survey", "small")
    assert yaml.safe_load(capsys.readouterr().out) == survey_export_definition(survey=small_survey)
    call_command("export_survey", "small", "--format", "json")
    assert json.loads(capsys.readouterr().out)["code"] == "small"
    with pytest.raises(CommandError, match="Aucun questionnaire"):
        call_command("export_survey", "nope")


def test_export_survey_to_an_unwritable_path_is_a_clear_error(small_survey, tmp_path):
    with pytest.raises(CommandError, match="Impossible d'écrire"):
        call_command("export_survey", "small", "-o", str(tmp_path / "missing" / "out.yaml"))


def _broken(**changes):
    data = copy.deepcopy(SMALL_SURVEY)
    for path, value in changes.items():
        target = data
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sections.1.questions.2.type": "slider"}, "sections[1].questions[2].type"),
        ({"sections.0.questions.2.choices": []}, "sections[0].questions[2].choices"),
        (
            {"sections.1.questions.0.scale": {"min": 5, "max": 1}},
            "sections[1].questions[0].scale.max",
        ),
        (
            {"sections.0.questions.1.show_if": {"question": "rating", "equals": "4"}},
            "sections[0].questions[1].show_if.question",
        ),
        (
            {"sections.0.questions.1.show_if": {"question": "happy", "equals": "maybe"}},
            "sections[0].questions[1].show_if.equals",
        ),
        ({"sections.1.questions.3.code": "happy"}, "sections[1].questions[3].code"),
        ({"audience": ["citizens"]}, "audience[0]"),
        ({"sections.0.questions.0.colour": "red"}, "sections[0].questions[0].colour"),
        ({"code": "pas un code"}, "code"),
    ],
)
def test_invalid_definition_names_the_path_and_writes_nothing(tmp_path, changes, expected):
    data = _broken(**changes)
    errors = validate_definition(data)
    assert any(e.startswith(expected + ":") for e in errors), errors
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_survey", str(path))
    assert expected in str(exc.value) and "rien n'a été importé" in str(exc.value)
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_syntax_error_is_reported(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="syntaxe invalide"):
        call_command("import_survey", str(path))


def test_existing_code_needs_replace_and_replace_refuses_surveys_with_responses(
    small_survey, make_invitation
):
    with pytest.raises(DefinitionError, match="existe déjà"):
        survey_import_definition(data=SMALL_SURVEY)
    data = _broken(title="Nouveau titre")
    assert survey_import_definition(data=data, replace=True).title == "Nouveau titre"
    assert Survey.objects.count() == 1
    from surveys.services import response_for_invitation

    invitation, _ = make_invitation(Survey.objects.get())
    response_for_invitation(invitation=invitation)
    with pytest.raises(DefinitionError, match="déjà des réponses"):
        survey_import_definition(data=SMALL_SURVEY, replace=True)


def test_duplicate_copies_questions_choices_and_conditions(small_survey, promotions):
    copy_survey = survey_duplicate(
        survey=small_survey, code="small-eig-3", promotions=[promotions[1]]
    )
    assert copy_survey.questions.count() == small_survey.questions.count()
    assert Choice.objects.filter(question__survey=copy_survey).count() == 5
    why_not = copy_survey.questions.get(code="why_not")
    assert why_not.show_if_question.survey == copy_survey and why_not.show_if_value == "no"
    assert list(copy_survey.promotions.all()) == [promotions[1]]
    exported = survey_export_definition(survey=copy_survey)
    assert {**exported, "code": "small", "promotions": None} == {
        **survey_export_definition(survey=small_survey),
        "promotions": None,
    }
