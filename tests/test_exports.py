"""eig_portal.common.cells: the CSV/XLSX helpers every download of the portal uses."""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from eig_portal.common.cells import (
    Sheet,
    csv_bytes,
    csv_response,
    csv_separator_from_request,
    neutralise_formula,
    xlsx_bytes,
)


def test_text_that_a_spreadsheet_would_run_is_neutralised():
    for text in ("=HYPERLINK(1)", "+33", "-1+2", "@SUM(A1)", "\tx"):
        assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("Défi = impact") == "Défi = impact"
    assert neutralise_formula(-3) == -3


def test_csv_starts_with_a_bom_and_neutralises_text_not_numbers():
    content = csv_bytes(header=["nom", "valeur"], rows=[["=cmd()", -2], [None, Decimal("1.50")]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["nom", "valeur"], ["'=cmd()", "-2"], ["", "1.50"]]


def test_semicolon_separator_writes_decimal_commas():
    content = csv_bytes(header=["a", "b"], rows=[[Decimal("756553.38"), 0.16]], sep=";")
    assert content.decode("utf-8-sig").splitlines()[1] == "756553,38;0,16"


def test_separator_is_read_from_the_query_string():
    factory = RequestFactory()
    assert csv_separator_from_request(factory.get("/", {"sep": ";"})) == ";"
    assert csv_separator_from_request(factory.get("/", {"sep": "|"})) == ","
    assert csv_separator_from_request(factory.get("/")) == ","


def test_csv_response_is_an_attachment():
    response = csv_response(header=["a"], rows=[[1]], filename="x.csv")
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_xlsx_keeps_numbers_dates_and_neutralises_formulas():
    moment = timezone.make_aware(dt.datetime(2019, 5, 31, 12, 0))
    content = xlsx_bytes(
        sheets=[
            Sheet(
                title="Feuille",
                header=["t", "n", "d", "m"],
                rows=[["=1+1", 3, moment, Decimal("0.10")]],
            )
        ]
    )
    ws = load_workbook(io.BytesIO(content))["Feuille"]
    text, number, date, money = (c.value for c in ws[2])
    assert text == "'=1+1"
    assert number == 3 and isinstance(number, int)
    assert date == dt.datetime(2019, 5, 31, 12, 0)
    assert money == 0.1 and ws["D2"].number_format == "0.00"
    assert ws.freeze_panes == "A2"
