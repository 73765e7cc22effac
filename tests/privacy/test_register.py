"""The register of personal data against the models, and its generated document."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from eig_portal.privacy.register import (
    RegisterError,
    load_register,
    parse_register,
    register_markdown,
    stale_entries,
    unregistered_fields,
)

GROUP = """
defaults:
  legal_basis: Mission d'intérêt public
entries:
  - fields: [{fields}]
    category: Contact
    purpose: Écrire à la personne.
    retention: Deux ans.
    readers: Les coordinateurs.
not_personal: {not_personal}
"""


def test_the_shipped_register_covers_every_personal_looking_field():
    register = load_register()
    assert unregistered_fields(register) == []
    assert stale_entries(register) == []


def test_a_personal_field_missing_from_the_register_is_named():
    register = load_register()
    trimmed = parse_register(GROUP.format(fields="auth.User.username", not_personal="{}"))
    missing = unregistered_fields(trimmed)
    assert "promotions.Fellow.email" in missing
    assert "surveys.Invitation.email" in missing
    # The historical copy is named too when nothing covers its live field.
    assert "promotions.HistoricalFellow.name" in missing
    assert "auth.User.username" not in missing
    assert len(missing) > len(register.not_personal)


def test_a_historical_copy_is_covered_by_its_live_field_entry():
    register = parse_register(GROUP.format(fields="promotions.Fellow.name", not_personal="{}"))
    missing = unregistered_fields(register)
    assert "promotions.Fellow.name" not in missing
    assert "promotions.HistoricalFellow.name" not in missing


def test_entries_naming_fields_that_no_longer_exist_are_reported():
    register = parse_register(
        GROUP.format(
            fields="promotions.Fellow.phone, gone.Model.field",
            not_personal="{challenges.Theme.colour: 'une couleur'}",
        )
    )
    assert stale_entries(register) == [
        "challenges.Theme.colour",
        "gone.Model.field",
        "promotions.Fellow.phone",
    ]


def test_a_malformed_entry_names_its_group_and_key():
    with pytest.raises(RegisterError, match=r"entries\[1\]: « purpose » manquant"):
        parse_register("entries:\n  - fields: [auth.User.email]\n    category: x\n")
    with pytest.raises(RegisterError, match="app.Modèle.champ"):
        parse_register(GROUP.format(fields="auth.email", not_personal="{}"))


def test_check_command_fails_naming_each_problem(monkeypatch, capsys):
    broken = parse_register(GROUP.format(fields="promotions.Fellow.phone", not_personal="{}"))
    monkeypatch.setattr(
        "eig_portal.privacy.management.commands.personal_data.load_register", lambda: broken
    )
    with pytest.raises(CommandError, match="problème"):
        call_command("personal_data", "--check")
    err = capsys.readouterr().err
    assert "promotions.Fellow.email : semble personnel" in err
    assert "promotions.Fellow.phone : au registre mais ce champ n'existe pas" in err


def test_check_command_passes_on_the_shipped_register(capsys):
    call_command("personal_data", "--check")
    assert "Registre à jour" in capsys.readouterr().out


def test_the_committed_document_is_up_to_date():
    committed = (Path(settings.BASE_DIR) / "docs" / "personal-data.md").read_text("utf-8")
    assert committed == register_markdown(load_register()), (
        "docs/personal-data.md is stale: run `python manage.py personal_data --markdown`"
    )


def test_markdown_lists_every_entry_and_its_historical_copy(tmp_path):
    target = tmp_path / "register.md"
    call_command("personal_data", "--markdown", str(target))
    text = target.read_text("utf-8")
    register = load_register()
    assert f"{len(register.entries)} champs de données personnelles" in text
    assert (
        "| `promotions.Fellow.email` | EIG — courriel | `promotions.HistoricalFellow.email` |"
        in text
    )
    assert text.count("\n| `") == len(register.entries)
    assert text.count("- **Conservation** :") == len(register.groups())
