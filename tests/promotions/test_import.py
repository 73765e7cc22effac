"""The import of the programme's real data (``manage.py import_eig_data``)."""

import json
import shutil
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management import CommandError, call_command

from challenges.models import Challenge, Expertise, KeyFigure, Theme
from promotions.importers import import_eig_data, normalise_title, profile_from_job
from promotions.models import (
    Administration,
    BudgetLine,
    DeclaredFigure,
    Fellow,
    Mentor,
    PrintedTotal,
    Promotion,
)

pytestmark = pytest.mark.django_db

EXPECTED_CHALLENGES = {
    "EIG 1": 9,
    "EIG 2": 13,
    "EIG 3": 15,
    "DIG": 17,
    "EIG 4": 17,
    "EIG 5": 15,
    "EIG 6": 14,
    "EIG 7": 31,
}
EXPECTED_FELLOWS = {
    "EIG 1": 11,
    "EIG 2": 26,
    "EIG 3": 31,
    "DIG": 19,
    "EIG 4": 41,
    "EIG 5": 34,
    "EIG 6": 29,
    "EIG 7": 35,
}
MODELS = (
    Promotion,
    Administration,
    Fellow,
    Mentor,
    BudgetLine,
    DeclaredFigure,
    PrintedTotal,
    Theme,
    Expertise,
    Challenge,
    KeyFigure,
)


def _snapshot() -> dict:
    """Row counts of every imported table, their history tables and the link tables."""
    snap = {m.__name__: m.objects.count() for m in MODELS}
    for m in MODELS:
        if hasattr(m, "history"):
            snap[f"{m.__name__} history"] = m.history.count()
    for name in ("themes", "expertises", "fellows", "mentors"):
        snap[f"links {name}"] = getattr(Challenge, name).through.objects.count()
    snap["updated_at"] = sorted(Challenge.objects.values_list("updated_at", flat=True))
    return snap


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the project's data folder."""
    target = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, target)
    return target


def _edit_json(path, edit):
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_import_twice_changes_nothing_the_second_time():
    first = import_eig_data()
    assert first.counts["Challenge"]["created"] == 131
    before = _snapshot()

    out = StringIO()
    call_command("import_eig_data", stdout=out)

    assert _snapshot() == before
    text = out.getvalue()
    assert "created    0" in text and "updated    0" in text
    for label in ("Challenge", "Fellow", "Mentor", "Promotion", "BudgetLine"):
        assert f"{label} " in text
    assert "created    1" not in text
    second = import_eig_data()
    assert second.changed == 0
    assert second.counts["Challenge"] == Counter(unchanged=131)
    assert second.counts["Fellow"] == Counter(unchanged=226)


def test_second_run_restores_a_field_changed_by_hand_and_counts_one_update():
    import_eig_data()
    challenge = Challenge.objects.get(source_key="adex")
    challenge.title = "Titre modifié"
    challenge.production_status = Challenge.ProductionStatus.IN_PRODUCTION
    challenge.save()

    report = import_eig_data()

    challenge.refresh_from_db()
    assert challenge.title == "ADEX"
    # Fields the files do not provide are the coordinators': left alone.
    assert challenge.production_status == Challenge.ProductionStatus.IN_PRODUCTION
    assert report.counts["Challenge"] == Counter(unchanged=130, updated=1)


def test_records_per_promotion_match_the_public_site():
    import_eig_data()

    challenges = Counter(Challenge.objects.values_list("promotion__code", flat=True))
    fellows = Counter(Fellow.objects.values_list("promotion__code", flat=True))
    assert dict(challenges) == EXPECTED_CHALLENGES
    assert dict(fellows) == EXPECTED_FELLOWS
    assert Challenge.objects.count() == 131
    assert Mentor.objects.count() == 185
    assert Mentor.objects.filter(role=Mentor.Role.SPONSOR).count() == 19
    # EIG 0053 took part in EIG 1 and EIG 5: one record per promotion.
    assert set(
        Fellow.objects.filter(source_key="EIG 0053").values_list("promotion__code", flat=True)
    ) == {"EIG 1", "EIG 5"}


def test_promotions_get_codes_slugs_ranks_and_years():
    import_eig_data()

    rows = {p.code: (p.slug, p.rank, p.year, p.number) for p in Promotion.objects.all()}
    assert rows == {
        "EIG 1": ("eig-1", 1, 2017, 1),
        "EIG 2": ("eig-2", 2, 2018, 2),
        "EIG 3": ("eig-3", 3, 2019, 3),
        "DIG": ("dig", 3, 2019, None),
        "EIG 4": ("eig-4", 4, 2020, 4),
        "EIG 5": ("eig-5", 5, 2021, 5),
        "EIG 6": ("eig-6", 6, 2022, 6),
        "EIG 7": ("eig-7", 7, 2024, 7),
    }


def test_report_figures_are_declared_with_their_source():
    import_eig_data()

    figures = {
        (f.promotion.code, f.metric): f for f in DeclaredFigure.objects.select_related("promotion")
    }
    assert len(figures) == 30
    assert figures[("EIG 2", "fellows")].value == 28
    assert figures[("EIG 3", "fellows")].value == 32
    assert figures[("EIG 1", "challenges_proposed")].value == 9
    assert figures[("EIG 2", "designers")].value == 3
    assert figures[("EIG 3", "candidates_interviewed")].value == 86
    assert figures[("EIG 1", "candidates")].source.startswith("Rapport EIG 2019")
    assert "data.eig-forever.org" in figures[("EIG 1", "developers")].source


def test_budget_lines_exclude_the_total_and_sum_to_the_report():
    import_eig_data()

    lines = BudgetLine.objects.filter(promotion__code="EIG 1")
    assert set(lines.values_list("category", flat=True)) == {
        "pia_envelope",
        "salaries",
        "communication",
        "support_programme",
        "research_links",
    }
    cost = sum(line.amount for line in lines if line.category in BudgetLine.COST_CATEGORIES)
    assert cost == Decimal("791553.38")
    assert set(
        BudgetLine.objects.filter(is_forecast=True).values_list("promotion__code", flat=True)
    ) == {"EIG 3"}
    assert BudgetLine.objects.get(promotion__code="EIG 3", category="salaries").amount == Decimal(
        "2100364.09"
    )


def test_printed_totals_keep_the_report_inconsistencies():
    import_eig_data()

    totals = {t.metric: t for t in PrintedTotal.objects.prefetch_related("promotions")}
    assert totals["challenges_proposed"].value == 85
    assert "94" in totals["challenges_proposed"].note
    # Shown on the French dashboard: the reference file's English notes are given in French.
    assert totals["challenges_proposed"].note.startswith("Le rapport imprime 85")
    assert "4 658 243,47 €" in totals["budget_eur.salaries"].note
    assert totals["budget_eur.total"].value == Decimal("5134558.47")
    assert totals["budget_eur.salaries"].value == Decimal("4658243")
    assert {p.code for p in totals["fellows"].promotions.all()} == {"EIG 1", "EIG 2", "EIG 3"}
    assert {t.source for t in totals.values()} == {"Rapport EIG 2019"}
    assert len(totals) == 12


def test_challenge_gets_site_fields_markdown_and_older_site_details():
    import_eig_data()

    adex = Challenge.objects.select_related("administration", "promotion").get(source_key="adex")
    assert adex.promotion.code == "EIG 4"
    assert adex.administration.name == "Haute Autorité de Santé"
    assert adex.administration.website == "https://www.has-sante.fr"
    assert adex.source_code_url == "https://gitlab.com/has-sante/public/adex"
    assert adex.description.startswith("Déontologie et rigueur")
    assert "---" not in adex.description.splitlines()[0]
    assert list(adex.key_figures.values_list("amount", flat=True)) == [
        Decimal("1288"),
        Decimal("30"),
        Decimal("20000000"),
    ]
    assert set(adex.fellows.values_list("source_key", flat=True)) >= {"EIG 0015", "EIG 0020"}
    assert adex.mentors.filter(source_key="Agent 0111").exists()
    # Non-slug characters of the site's slugs are dropped; the original is the import key.
    assert Challenge.objects.get(source_key="karfu’r").slug == "karfur"


def test_taxonomies_are_stripped_and_a_theme_missing_from_the_list_is_created():
    report = import_eig_data()

    assert Expertise.objects.filter(name="Accompagnement").count() == 1
    assert not Expertise.objects.filter(name__endswith=" ").exists()
    assert Theme.objects.filter(name="Service public").exists()
    assert any("Service public" in note for note in report.notes)


def test_people_of_other_roles_and_the_index_page_are_reported_as_skipped():
    report = import_eig_data()

    skipped = "\n".join(report.skipped)
    assert "« _index »" in skipped
    assert "10 people with role « agent-ecosysteme »" in skipped
    assert "11 people with role « agent-programme-alumni »" in skipped
    assert "1 people with role « agent-programme »" in skipped
    assert not Challenge.objects.filter(source_key="_index").exists()


def test_spelling_variants_are_matched_through_the_alias_table():
    report = import_eig_data()

    aliased = "\n".join(report.aliased)
    assert "e-PSHAD" in aliased and "Estim'action, SOS Pont" in aliased
    mentor = Mentor.objects.get(source_key="Agent 0176")
    assert set(mentor.challenges.values_list("title", flat=True)) == {"Estim'Action", "SOS Ponts"}
    assert Mentor.objects.get(source_key="Agent 0055").challenges.get().title == "ePSHAD"
    # Case-only variant « SiRANo » is matched by normalisation.
    assert Mentor.objects.get(source_key="Agent 0038").challenges.get().title == "SIRANo"
    # Mentors without a promotion tag take their défi's promotion and administration.
    agent = Mentor.objects.select_related("promotion", "administration").get(
        source_key="Agent 0055"
    )
    assert agent.promotion.code == "EIG 5"
    assert agent.administration is not None
    # The older site's « EIG Link » of each promotion.
    assert Challenge.objects.get(title="EIG3 Link").fellows.filter(source_key="EIG 0019").exists()


def test_every_person_title_is_matched_and_old_site_leftovers_are_listed():
    report = import_eig_data()

    unmatched = "\n".join(report.unmatched)
    assert not [line for line in report.unmatched if line.startswith("eig-public/personnes")]
    # People the older site names but who are not mentors in personnes.json.
    assert "mentor « Agent 0186 »" in unmatched
    assert "mentor « EIG 0120 »" in unmatched
    assert "EIG « Equipe 0004 »" in unmatched
    assert len(report.unmatched) == 16


def test_an_unknown_title_is_listed_not_dropped(data_dir):
    def edit(doc):
        person = next(p for p in doc["personnes"] if p["pseudonym"] == "EIG 0001")
        person["defis"] = ["Un défi qui n'existe pas"]

    _edit_json(data_dir / "eig-public/personnes.json", edit)

    report = import_eig_data(data_dir=data_dir)

    assert any(
        "« EIG 0001 »" in line and "Un défi qui n'existe pas" in line for line in report.unmatched
    )
    assert Fellow.objects.filter(source_key="EIG 0001").exists()


@pytest.mark.parametrize(
    ("file", "breaks", "expected"),
    [
        (
            "eig-public/defis.json",
            lambda path: path.write_text('{"defis": [', encoding="utf-8"),
            ["eig-public/defis.json", "invalid JSON"],
        ),
        (
            "eig-public/defis.json",
            lambda path: _edit_json(path, lambda d: d["defis"][3].pop("title")),
            ["eig-public/defis.json", "record #3", "« title »", "missing"],
        ),
        (
            "eig-public/personnes.json",
            lambda path: _edit_json(path, lambda d: d["personnes"][5].update(promos="Promotion 2")),
            ["eig-public/personnes.json", "record #5", "« promos »", "expected list[str]"],
        ),
        (
            "reference/report-2019-figures.json",
            lambda path: _edit_json(
                path, lambda d: d["promotions"]["EIG 2"]["budget_eur"].update(salaries="12,5")
            ),
            ["report-2019-figures.json", "EIG 2 budget_eur", "« salaries »"],
        ),
        (
            "eig-public/defis-2017-2020.json",
            lambda path: _edit_json(
                path, lambda d: d["defis"][0]["key_figures"][1].update(amount="trente")
            ),
            ["defis-2017-2020.json", "« ADEX »", "key_figures[1]", "« amount »"],
        ),
    ],
)
def test_a_malformed_file_stops_the_import_naming_file_record_and_field(
    data_dir, file, breaks, expected
):
    import_eig_data()
    # A valid change elsewhere must not be written either.
    _edit_json(data_dir / "eig-public/themes.json", lambda d: d["themes"].append("Thème neuf"))
    breaks(data_dir / file)
    before = _snapshot()

    with pytest.raises(CommandError) as excinfo:
        call_command("import_eig_data", data_dir=data_dir, stdout=StringIO())

    message = str(excinfo.value)
    for part in expected:
        assert part in message
    assert "nothing was written" in message
    assert _snapshot() == before
    assert not Theme.objects.filter(name="Thème neuf").exists()


def test_an_error_found_while_writing_rolls_everything_back(data_dir):
    """A value only the model can reject (title too long) is found after writes began."""
    _edit_json(
        data_dir / "eig-public/defis.json",
        lambda d: d["defis"][-1].update(title="x" * 250),
    )

    with pytest.raises(CommandError) as excinfo:
        call_command("import_eig_data", data_dir=data_dir, stdout=StringIO())

    assert "defis.json" in str(excinfo.value) and "« title »" in str(excinfo.value)
    assert Promotion.objects.count() == 0
    assert Challenge.objects.count() == 0
    assert Administration.objects.count() == 0


def test_dry_run_reports_without_writing():
    out = StringIO()
    call_command("import_eig_data", dry_run=True, stdout=out)

    assert "dry run" in out.getvalue()
    assert Challenge.objects.count() == 0


@pytest.mark.parametrize(
    ("job", "profile"),
    [
        ("Développeur", "developer"),
        ("Développeuse", "developer"),
        ("Designer", "designer"),
        ("Data scientist", "data_scientist"),
        ("Data Scientist", "data_scientist"),
        ("Data Engineer", "other"),
        ("Directeur de produit", "other"),
    ],
)
def test_profile_from_job(job, profile):
    assert profile_from_job(job) == profile


def test_normalise_title_ignores_spaces_case_accents_and_apostrophes():
    assert normalise_title("  Estim’Action ") == normalise_title("estim'action")
    assert normalise_title("Élève  1") == "eleve 1"


def test_setup_demo_is_idempotent_and_keeps_the_password(settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off, where setup_demo refuses
    settings.SITE_URL = "http://127.0.0.1:8000"  # the Site and the printed links follow it
    out = StringIO()
    call_command("setup_demo", stdout=out)
    call_command("setup_demo", stdout=out)

    user = get_user_model().objects.get(username="coordinatrice")
    assert user.is_staff and user.check_password("demo-eig-2027")
    assert user.groups.filter(name="coordinators").exists()
    assert get_user_model().objects.filter(username="coordinatrice").count() == 1
    assert "demo-eig-2027" in out.getvalue()
    assert "http://127.0.0.1:8000/admin/" in out.getvalue()
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("127.0.0.1:8000", "Portail EIG")


def test_setup_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("setup_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="coordinatrice").exists()


# --- administration names, demo site ---------------------------------------------------------


def test_a_form_label_copied_before_an_administration_name_is_dropped():
    from promotions.importers.load import split_acronym

    labelled = "Administration de rattachement :Ministère de l’Action et des Comptes Publics"
    assert split_acronym(labelled) == ("Ministère de l’Action et des Comptes Publics", "")
    assert split_acronym(" administration de rattachement : Agence X (ADX) ") == ("Agence X", "ADX")
    assert split_acronym("Cour des comptes") == ("Cour des comptes", "")

    import_eig_data()
    assert not Administration.objects.filter(name__icontains="rattachement").exists()
    # Hopkins (EIG 2) and Adler (EIG 3) now share their ministry, as written for Adler.
    hopkins = Challenge.objects.select_related("administration").get(source_key="hopkins")
    adler = Challenge.objects.get(source_key="adler")
    assert hopkins.administration.name == "Ministère de l’Action et des comptes publics"
    assert hopkins.administration_id == adler.administration_id
    assert import_eig_data().changed == 0


def test_an_administration_imported_with_the_label_is_renamed_once_then_left_alone():
    import_eig_data()
    row = Challenge.objects.get(source_key="hopkins").administration
    clean_name = row.name
    row.name = "Administration de rattachement :" + clean_name  # as an older import left it
    row.save()

    report = import_eig_data()

    row.refresh_from_db()
    assert row.name == clean_name  # the same row, renamed: its links are kept
    assert report.counts["Administration"]["updated"] == 1
    assert Challenge.objects.get(source_key="hopkins").administration_id == row.pk
    assert not Administration.objects.filter(name__icontains="rattachement").exists()
    assert import_eig_data().changed == 0


def test_setup_demo_site_follows_site_url(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8108"
    out = StringIO()
    call_command("setup_demo", stdout=out)

    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == "127.0.0.1:8108"
    assert "http://127.0.0.1:8108/admin/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()
