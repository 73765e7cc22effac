"""``import_outcomes``: all or nothing, errors with row and column, idempotent."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from challenges.followup.outcomes_import import outcomes_import
from challenges.models import Outcome
from eig_portal.common.csv_import import ImportFileError
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

HEADER = "challenge;as_of;production_status;maintained;users;source_code_url;datasets;reused_by\n"


@pytest.fixture
def challenges():
    return ChallengeFactory(slug="datajust"), ChallengeFactory(slug="lexiq")


def test_import_with_bom_and_semicolons_then_reimport_updates(challenges):
    data = (
        "\ufeff" + HEADER + "datajust;2019-11-30;in_production;oui;1200;https://git.example/dj;"
        "https://data.example/a|https://data.example/b;DINUM : API\n"
        "lexiq;30/11/2019;not_planned;;;;;\n"
    ).encode()
    summary = outcomes_import(data=data)
    assert (summary.created, summary.updated) == (2, 0)
    datajust = Outcome.objects.get(challenge__slug="datajust")
    assert datajust.is_maintained is True and datajust.users == 1200
    assert datajust.datasets == ["https://data.example/a", "https://data.example/b"]
    assert datajust.reused_by == ["DINUM : API"]
    assert Outcome.objects.get(challenge__slug="lexiq").as_of == dt.date(2019, 11, 30)
    summary = outcomes_import(data=data)
    assert (summary.created, summary.updated) == (0, 2)
    assert Outcome.objects.count() == 2


def test_errors_name_row_and_column_and_nothing_is_written(challenges):
    data = (
        "challenge,as_of,production_status,maintained,users\n"
        "datajust,2019-11-30,in_production,yes,10\n"
        "inconnu,2019-11-30,in_production,yes,10\n"
        "lexiq,2019-13-45,bientot,peut-être,-3\n"
    )
    with pytest.raises(ImportFileError) as exc:
        outcomes_import(data=data)
    where = {(e.row, e.column) for e in exc.value.errors}
    assert where == {
        (3, "challenge"),
        (4, "as_of"),
        (4, "production_status"),
        (4, "maintained"),
        (4, "users"),
    }
    assert Outcome.objects.count() == 0


def test_missing_column_and_duplicate_rows_are_reported(challenges):
    with pytest.raises(ImportFileError) as exc:
        outcomes_import(data="challenge,production_status\ndatajust,planned\n")
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "as_of")]
    with pytest.raises(ImportFileError) as exc:
        outcomes_import(
            data="challenge,as_of,production_status\n"
            "datajust,2020-01-01,planned\ndatajust,2020-01-01,stopped\n"
        )
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "as_of")]


def test_command_prints_file_row_and_column_on_error(challenges, tmp_path, capsys):
    path = tmp_path / "outcomes.csv"
    path.write_text("challenge,as_of,production_status\ndatajust,hier,planned\n")
    with pytest.raises(CommandError):
        call_command("import_outcomes", str(path))
    assert "outcomes.csv, ligne 2, colonne « as_of »" in capsys.readouterr().err
    path.write_text("challenge,as_of,production_status\ndatajust,2020-01-01,planned\n")
    call_command("import_outcomes", str(path))
    assert Outcome.objects.get().production_status == "planned"
