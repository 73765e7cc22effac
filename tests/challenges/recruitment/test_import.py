"""``import_applications``: past campaigns from CSV, every error named, nothing half-written."""

import pytest
from django.core.management import CommandError, call_command

from challenges.models import Application, ApplicationStatusChange
from challenges.recruitment.importer import parse_profile, parse_submitted_at
from tests.factories import ChallengeFactory, PromotionFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "email,first_name,last_name,profile,choices,submitted_at,status,interviewed,selected_challenge"
)


@pytest.fixture
def promotion():
    promotion = PromotionFactory(number=3, code="EIG 3")
    for slug in ("datajust", "lexia", "signaux-faibles"):
        ChallengeFactory(promotion=promotion, slug=slug, title=slug)
    return promotion


def _write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "candidatures.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_valid_file_is_imported_with_ranked_choices_and_statuses(promotion, tmp_path):
    path = _write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "ada@example.org,Ada,Lovelace,Développeuse,lexia|datajust,"
                "2018-09-01 10:00,selected,oui,lexia",
                "bob@example.org,Bob,Martin,designer,signaux-faibles,"
                "2018-09-02T08:00:00+02:00,not_preselected,,",
            ]
        ),
    )
    call_command("import_applications", "EIG 3", str(path))
    ada = Application.objects.get(email="ada@example.org")
    assert (ada.profile, ada.status, ada.interviewed, ada.selected_challenge.slug) == (
        "developer",
        Application.Status.SELECTED,
        True,
        "lexia",
    )
    assert [c.challenge.slug for c in ada.choices.order_by("rank")] == ["lexia", "datajust"]
    assert ada.submitted_at.isoformat() == "2018-09-01T08:00:00+00:00"
    assert ada.call.promotion == promotion and not ada.call.is_published


def test_running_twice_updates_the_same_rows(promotion, tmp_path):
    row = "Ada@Example.org,Ada,Lovelace,developer,lexia,2018-09-01 10:00,submitted,no,"
    call_command("import_applications", "EIG 3", str(_write(tmp_path, f"{HEADER}\n{row}")))
    row = row.replace("Ada@Example.org", "ada@example.org").replace("submitted", "withdrawn")
    call_command("import_applications", "EIG 3", str(_write(tmp_path, f"{HEADER}\n{row}")))
    call_command("import_applications", "EIG 3", str(_write(tmp_path, f"{HEADER}\n{row}")))
    application = Application.objects.get()
    assert application.status == Application.Status.WITHDRAWN
    assert ApplicationStatusChange.objects.count() == 2


def test_semicolons_and_a_bom_are_accepted(promotion, tmp_path):
    text = (
        HEADER.replace(",", ";")
        + "\nada@example.org;Ada;L;Data Scientiste;lexia;2018-09-01 10:00:30;submitted;;"
    )
    call_command("import_applications", "EIG 3", str(_write(tmp_path, "\ufeff" + text)))
    assert Application.objects.get().profile == "data_scientist"


def test_every_error_names_its_row_and_column_and_nothing_is_written(promotion, tmp_path):
    path = _write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "ok@example.org,Ok,Ok,developer,lexia,2018-09-01 10:00,submitted,no,",
                "not-an-email,Ada,L,astronaut,inconnu,hier,maybe,peut-être,",
                "ok@example.org,Ok,Ok,developer,lexia|lexia,2018-09-01T10:00,submitted,no,",
            ]
        ),
    )
    with pytest.raises(CommandError) as error:
        call_command("import_applications", "EIG 3", str(path))
    text = str(error.value)
    for expected in (
        "ligne 3, colonne email",
        "ligne 3, colonne profile",
        "ligne 3, colonne choices",
        "ligne 3, colonne submitted_at",
        "ligne 3, colonne status",
        "ligne 3, colonne interviewed",
        "ligne 4, colonne email",
        "ligne 4, colonne choices",
        "ligne 4, colonne submitted_at",
    ):
        assert expected in text
    assert "ligne 2," not in text
    assert not Application.objects.exists()


def test_a_missing_column_and_an_unknown_promotion_are_reported(promotion, tmp_path):
    path = _write(tmp_path, "email,first_name\nada@example.org,Ada")
    with pytest.raises(CommandError) as error:
        call_command("import_applications", "EIG 3", str(path))
    assert "ligne 1, colonne choices" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("import_applications", "EIG 99", str(path))
    assert "EIG 99" in str(error.value)


def test_a_file_that_is_not_utf8_is_refused(promotion, tmp_path):
    row = "ada@example.org,Zoé,L,designer,lexia,2018-09-01 10:00,submitted,,"
    path = _write(tmp_path, f"{HEADER}\n{row}", encoding="latin-1")
    with pytest.raises(CommandError) as error:
        call_command("import_applications", "EIG 3", str(path))
    assert "UTF-8" in str(error.value)


@pytest.mark.parametrize(
    ("label", "profile"),
    [
        ("DÉVELOPPEUR", "developer"),
        ("développeuse", "developer"),
        ("Développeur·se", "developer"),
        ("Designeuse", "designer"),
        ("data_scientist", "data_scientist"),
        ("Data scientist", "data_scientist"),
    ],
)
def test_profiles_are_read_in_french_or_english_any_case_and_gender(label, profile):
    assert parse_profile(label) == profile


def test_a_local_time_is_read_as_paris_time_and_a_naive_iso_time_is_refused():
    assert parse_submitted_at("2019-01-15 09:30").isoformat() == "2019-01-15T09:30:00+01:00"
    assert parse_submitted_at("2019-07-15T09:30:00Z").utcoffset().total_seconds() == 0
    with pytest.raises(ValueError):
        parse_submitted_at("2019-07-15T09:30:00")
