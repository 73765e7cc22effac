"""One spreadsheet-cell rule for every export (portal tables, admin exports, survey answers)."""

import datetime as dt
from decimal import Decimal

from eig_portal.common.cells import (
    EXCEL_CELL_LIMIT,
    TRUNCATED_MARKER,
    csv_cell,
    csv_lines,
    encoded_chunks,
    xlsx_cell,
)

UTC_NOON = dt.datetime(2019, 7, 1, 10, 0, tzinfo=dt.UTC)  # 12:00 in Paris (summer time)


def test_text_is_cleaned_the_same_way_in_csv_and_xlsx():
    raw = '=HYPERLINK(\x00"x")\r\nligne\tdeux'
    assert (
        csv_cell(raw, decimal_comma=False) == xlsx_cell(raw)[0] == '\'=HYPERLINK("x")\nligne deux'
    )


def test_booleans_numbers_and_datetimes():
    assert csv_cell(True, decimal_comma=False) == "oui"
    assert csv_cell(Decimal("0.16"), decimal_comma=True) == "0,16"
    assert csv_cell(-3, decimal_comma=False) == "-3"  # a negative number is not a formula
    assert xlsx_cell(Decimal("12.50")) == (12.5, "0.00")
    assert csv_cell(UTC_NOON, decimal_comma=False) == "2019-07-01T12:00:00+02:00"
    assert xlsx_cell(UTC_NOON)[0] == dt.datetime(2019, 7, 1, 12, 0)


def test_long_text_is_cut_for_excel_only():
    text = "a" * (EXCEL_CELL_LIMIT + 10)
    assert xlsx_cell(text)[0].endswith(TRUNCATED_MARKER)
    assert len(xlsx_cell(text)[0]) == EXCEL_CELL_LIMIT
    assert csv_cell(text, decimal_comma=False) == text


def test_streamed_csv_starts_with_a_bom_and_uses_the_separator():
    lines = list(csv_lines(header=["a", "b"], rows=[[1.5, "x"]], sep=";"))
    assert lines == ["\ufeffa;b\r\n", "1,5;x\r\n"]


def test_streamed_lines_leave_in_chunks_the_first_alone():
    lines = ["\ufeffa,b\r\n"] + [f"{n},é\r\n" for n in range(1000)]
    chunks = list(encoded_chunks(lines, size=100))
    assert chunks[0] == lines[0].encode("utf-8")  # the header leaves at once
    assert b"".join(chunks) == "".join(lines).encode("utf-8")
    assert len(chunks) < 100 and all(len(c) < 200 for c in chunks)
