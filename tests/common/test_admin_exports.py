"""The admin's CSV/XLSX exports (django-import-export) write cells the portal's one way."""

import io
from decimal import Decimal

import pytest
import tablib
from openpyxl import load_workbook

from eig_portal.common.admin import PortalCSV, PortalXLSX
from promotions.admin import BudgetLineResource
from promotions.models import BudgetLine
from tests.factories import PromotionFactory

pytestmark = pytest.mark.django_db


def column(name: str) -> int:
    """Index of the model field ``name`` among the exported columns (whatever their titles)."""
    return [f.attribute for f in BudgetLineResource().get_export_fields()].index(name)


@pytest.fixture
def budget_line():
    return BudgetLine.objects.create(
        promotion=PromotionFactory(), category="salaries", amount=Decimal("1500.50")
    )


def test_xlsx_export_writes_amounts_as_numbers(budget_line):
    data = PortalXLSX().export_data(BudgetLineResource().export())
    sheet = load_workbook(io.BytesIO(data)).active
    row = [c.value for c in sheet[2]]
    assert row[column("amount")] == 1500.5
    assert sheet.cell(row=2, column=column("amount") + 1).data_type == "n"


def test_csv_export_writes_booleans_as_every_export_does_and_reimports(budget_line):
    text = PortalCSV().export_data(BudgetLineResource().export())
    row = text.strip().splitlines()[1].split(",")
    assert row[column("is_forecast")] == "non"
    assert row[column("amount")] == "1500.50"

    dataset = tablib.Dataset().load(text, format="csv")
    result = BudgetLineResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
