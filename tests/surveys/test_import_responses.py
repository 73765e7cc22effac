"""Import of past answers: ``import_responses`` command and service."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from surveys.models import Answer, Response
from surveys.responses_import import ImportFileError, detect_separator, responses_import
from surveys.results import survey_results
from tests.factories import PromotionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HEADER = "respondent,role,promotion,tech_env_adapted,methods_used,users_satisfied,production_status,datasets_opened,comments"
ROWS = [
    "r1,fellow,EIG 1,yes,agile|sprints,4,in_production,3,Très bien",
    "r2,fellow,EIG 2,oui,user_research,5,dev_production_planned,0,",
    'r3,fellow,EIG 2,no,,3,in_production,,"Avec une virgule, et 🚀"',
    "r4,fellow,EIG 2,non,agile,,dont_know,1.5,",
    "r5,fellow,EIG 1,yes,agile|user_research,2,in_production,2,",
    "r6,fellow,EIG 2,yes,sprints,4,in_production,7,",
    "r7,fellow,EIG 2,Non,,5,in_production,,",
]


@pytest.fixture
def survey():
    from surveys.definition_files import load_shipped_2019_surveys

    PromotionFactory(number=1, code="EIG 1")
    PromotionFactory(number=2, code="EIG 2")
    return load_shipped_2019_surveys()[0]


def csv_text(rows=ROWS, header=HEADER, sep=","):
    lines = [header, *rows]
    if sep != ",":
        lines = [line.replace(",", sep) for line in lines]
    return "\r\n".join(lines) + "\r\n"


def test_a_valid_file_is_imported(survey, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(csv_text(), encoding="utf-8")
    out = StringIO()
    call_command("import_responses", survey.code, str(path), stdout=out)
    assert "7 réponses créées, 0 remplacée" in out.getvalue()
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 7
    assert set(responses.values_list("source", "status").distinct()) == {("import", "submitted")}
    results = survey_results(survey=survey)
    tech = results.question("tech_env_adapted").overall
    assert (tech.n, [c.count for c in tech.choices]) == (7, [4, 3])
    methods = results.question("methods_used").overall
    assert methods.n == 5
    assert {c.code: c.count for c in methods.choices}["agile"] == 3
    assert results.question("datasets_opened").overall.maximum == 7
    comment = Answer.objects.get(response__respondent="r3", question__code="comments")
    assert comment.text == "Avec une virgule, et 🚀"
    assert [g.n for g in results.question("tech_env_adapted").by_promotion] == [2, 5]


def test_importing_again_replaces_instead_of_duplicating(survey):
    responses_import(survey=survey, data=csv_text())
    changed = [ROWS[0].replace(",yes,", ",no,", 1), *ROWS[1:]]
    summary = responses_import(survey=survey, data=csv_text(changed))
    assert (summary.created, summary.updated) == (0, 7)
    assert Response.objects.filter(survey=survey).count() == 7
    assert (
        Answer.objects.get(response__respondent="r1", question__code="tech_env_adapted").boolean
        is False
    )


def test_unknown_choice_code_on_row_7_writes_nothing_and_names_row_and_column(survey, tmp_path):
    rows = list(ROWS)
    # The header is row 1, so the sixth respondent is on row 7.
    rows[5] = "r6,fellow,EIG 2,yes,sprints,4,in_orbit,7,"
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_responses", survey.code, str(path), stderr=err)
    assert "ligne 7, colonne « production_status » : choix inconnu « in_orbit »" in err.getvalue()
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_every_error_is_listed_with_its_row_and_column(survey):
    rows = [
        "r1,fellow,EIG 1,peut-être,agile|nope,9,in_production,abc,",
        "r1,boss,EIG 9,yes,,,,,",
        ",fellow,,yes,,,,,",
    ]
    with pytest.raises(ImportFileError) as info:
        responses_import(survey=survey, data=csv_text(rows))
    found = {(e.row, e.column) for e in info.value.errors}
    assert found == {
        (2, "tech_env_adapted"),
        (2, "methods_used"),
        (2, "users_satisfied"),
        (2, "datasets_opened"),
        (3, "respondent"),
        (3, "role"),
        (3, "promotion"),
        (4, "respondent"),
    }
    assert not Response.objects.exists()


def test_unknown_column_and_missing_base_column_are_reported(survey):
    header = "respondent,promotion,tech_env_adapted,not_a_question"
    with pytest.raises(ImportFileError) as info:
        responses_import(survey=survey, data=csv_text(["r1,EIG 1,yes,x"], header=header))
    assert {(e.row, e.column) for e in info.value.errors} == {(1, "not_a_question"), (1, "role")}


def test_semicolon_separator_and_bom_are_accepted(survey):
    rows = [r.replace("Avec une virgule, et", "Avec un point-virgule et") for r in ROWS]
    data = ("\ufeff" + csv_text(rows, sep=";")).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    summary = responses_import(survey=survey, data=data)
    assert summary.created == 7
    tech = survey_results(survey=survey).question("tech_env_adapted").overall
    assert tech.n == 7


def test_separator_detection():
    assert detect_separator("respondent;role;promotion;q,with,comma") == ";"
    assert detect_separator("respondent,role,promotion") == ","


def test_a_file_that_is_not_utf8_is_refused(survey):
    with pytest.raises(ImportFileError, match="UTF-8"):
        responses_import(survey=survey, data=csv_text(ROWS[:1]).encode("latin-1"))


def test_role_outside_the_audience_is_refused(survey):
    with pytest.raises(ImportFileError) as info:
        responses_import(survey=survey, data=csv_text(["m1,mentor,EIG 1,yes,,,,,"]))
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "role")]


# --- one cell, one question type (named steps of the parser) -----------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("yesno", "Oui", ("boolean", True)),
        ("yesno", "n", ("boolean", False)),
        ("number", "3,5", ("number", Decimal("3.5"))),
        ("short_text", "Très bien", ("text", "Très bien")),
    ],
)
def test_a_cell_becomes_the_answer_field_of_its_question_type(kind, raw, expected):
    from surveys.responses_import import _convert

    question = QuestionFactory.build(type=kind, number_min=None, number_max=None)
    assert _convert(question, raw, {}) == expected


@pytest.mark.parametrize(
    ("fields", "raw", "message"),
    [
        ({"type": "single"}, "green", "choix inconnu « green » (attendus : blue, red)"),
        ({"type": "multiple"}, "x|y", "choix inconnus « x | y »"),
        ({"type": "yesno"}, "peut-être", "yes/no (ou oui/non) attendu"),
        ({"type": "scale", "scale_min": 1, "scale_max": 5}, "2.5", "un entier est attendu"),
        ({"type": "scale", "scale_min": 1, "scale_max": 5}, "6", "supérieur au maximum 5"),
        ({"type": "number", "number_min": Decimal("0")}, "-1", "inférieur au minimum 0"),
        ({"type": "number"}, "1e12", "trop grand"),
        ({"type": "long_text"}, "a" * 10_001, "texte trop long (10001 caractères"),
    ],
)
def test_a_cell_that_does_not_fit_its_question_says_why(fields, raw, message):
    from surveys.responses_import import _convert

    question = QuestionFactory.build(**fields)
    with pytest.raises(ValueError) as exc:
        _convert(question, raw, {"blue": 1, "red": 2})
    assert message in str(exc.value)
