"""CSV import in the admin (django-import-export): a bad row is reported on its line and
column with the value typed, and nothing is written; a clean export re-imports cleanly."""

import pytest
import tablib
from django.urls import reverse

from challenges.admin.catalogue import (
    ChallengeResource,
    ExpertiseResource,
    KeyFigureResource,
    ThemeResource,
)
from challenges.models import Challenge
from promotions.admin import (
    AdministrationResource,
    BudgetLineResource,
    DeclaredFigureResource,
    FellowResource,
    MentorResource,
    PrintedTotalResource,
    PromotionResource,
)
from promotions.models import BudgetLine, Fellow

RESOURCES = [
    PromotionResource,
    AdministrationResource,
    FellowResource,
    MentorResource,
    BudgetLineResource,
    DeclaredFigureResource,
    PrintedTotalResource,
    ThemeResource,
    ExpertiseResource,
    ChallengeResource,
    KeyFigureResource,
]


def _post_import(client, model, content: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    upload = SimpleUploadedFile("import.csv", content.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"import_file": upload, "format": "0", "resource": "0"})


@pytest.mark.django_db
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_an_export_re_imports_without_any_error(real_data, resource_class):
    """Model validation on import must accept every row the portal itself exports."""
    resource = resource_class()
    dataset = resource.export()
    assert len(dataset) > 0
    result = resource_class().import_data(dataset, dry_run=True)
    assert not result.has_errors(), [e.error for e in result.base_errors][:3] + [
        (r.number, err.error) for r in result.error_rows for err in r.errors
    ][:3]
    assert not result.has_validation_errors(), [
        (r.number, r.error_dict) for r in result.invalid_rows
    ][:3]


@pytest.mark.django_db
def test_fellow_import_reports_each_bad_cell_and_writes_nothing(coord_client):
    before = Fellow.objects.count()
    response = _post_import(
        coord_client,
        Fellow,
        "id,name,email,profile,job_title,promotion,source_key\n"
        ",Nouvelle Personne,nouvelle@example.org,developer,Dev,EIG 2,\n"
        ",Mauvaise Ligne,pas-un-email,astronaut,Dev,EIG 99,\n",
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The bad row is rejected, with its column and the value typed; no raw exception text.
    # Files with the former English column names are still read.
    assert "EIG 99" in html and "« Promotion »" in html
    assert "astronaut" in html  # invalid choice reported with its value
    assert "email" in html.lower()
    assert "matching query does not exist" not in html
    # No confirmation offered while a row is invalid, and nothing written.
    assert "confirm" not in html.lower() or 'name="confirm' not in html
    assert Fellow.objects.count() == before


@pytest.mark.django_db
def test_budget_import_reports_an_unreadable_amount(coord_client):
    before = list(BudgetLine.objects.values_list("pk", "amount"))
    response = _post_import(
        coord_client,
        BudgetLine,
        "promotion,category,label,amount,is_forecast,source\n"
        "EIG 1,salaries,,1000.00,0,test\n"
        "EIG 1,communication,,douze euros,0,test\n",
    )
    html = response.content.decode()
    assert "douze euros" in html and "« Montant (€) »" in html
    assert "ConversionSyntax" not in html
    assert list(BudgetLine.objects.values_list("pk", "amount")) == before


@pytest.mark.django_db
def test_unknown_theme_in_a_challenge_import_is_not_silently_dropped(coord_client):
    challenge = Challenge.objects.filter(themes__isnull=False).first()
    themes_before = set(challenge.themes.values_list("pk", flat=True))
    exported = ChallengeResource().export(queryset=Challenge.objects.filter(pk=challenge.pk))
    rows = [list(r) for r in exported]
    rows[0][exported.headers.index("Thèmes")] = "Santé|Thème qui n'existe pas"
    dataset = tablib.Dataset(*rows, headers=exported.headers)
    response = _post_import(coord_client, Challenge, dataset.csv)
    html = response.content.decode()
    assert "Thème qui n&#x27;existe pas" in html or "Thème qui n'existe pas" in html
    assert set(challenge.themes.values_list("pk", flat=True)) == themes_before
