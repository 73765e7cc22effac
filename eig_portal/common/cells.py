"""Spreadsheet exports shared by the portal: CSV (UTF-8 with BOM) and XLSX (openpyxl).

One shape for every export: a ``header`` (sequence of column titles) and ``rows`` (iterable of
sequences of cell values). Cell values may be ``None`` (empty cell), ``bool``, ``int``,
``float``, ``Decimal``, ``date``/``datetime`` or text (anything else is turned into ``str``).

Rules, the same in both formats (``csv_cell`` / ``xlsx_cell``):
- text loses its control characters (line breaks kept as ``\n``, tab → space);
- text starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) is neutralised with a
  leading apostrophe, so a spreadsheet never evaluates it as a formula (CSV injection);
  numbers are never touched, so a negative number stays a number;
- CSV: UTF-8 with a BOM (Excel then reads accents right); separator ``,`` by default or ``;``
  (``?sep=;`` — French spreadsheets), and with ``;`` decimals are written with a comma
  (``0,16``) since that is what a French spreadsheet expects; booleans as ``oui``/``non``
  (``yes``/``no`` in English), via ``_()``;
- XLSX: numbers as numbers (``Decimal`` → ``float`` cell with a ``0.00`` format, since Excel has
  no decimal type), dates as dates, datetimes as Paris wall-clock time, text cut at Excel's
  32,767-character limit with a visible marker, header row in bold and frozen;
- CSV datetimes are ISO 8601 in Paris time with their offset.

Usage in a view::

    from eig_portal.common.cells import csv_response, csv_separator_from_request, xlsx_response

    return csv_response(header=["Promotion", "EIG"], rows=rows, filename="chiffres.csv",
                        sep=csv_separator_from_request(request))
    return xlsx_response(sheets=[Sheet(title="Chiffres", header=header, rows=rows)],
                         filename="chiffres.xlsx")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = {",": ",", ";": ";", "semicolon": ";", "comma": ","}
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    """One worksheet of an XLSX export (title at most 31 characters, as Excel requires)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def neutralise_formula(value: Any) -> Any:
    """Return ``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


#: Excel refuses longer cells; longer text is cut and marked.
EXCEL_CELL_LIMIT = 32_767
TRUNCATED_MARKER = " […] [TRONQUÉ]"
#: C0 and C1 control characters except tab, line feed and carriage return (normalised below).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text for a cell: control characters removed (``\\r\\n`` and ``\\r`` → ``\\n``,
    tab → space), then formula-neutralised (see ``neutralise_formula``)."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return neutralise_formula(value)


def truncate_for_excel(text: str) -> str:
    """``text`` cut to Excel's cell limit, ending with ``TRUNCATED_MARKER`` when cut."""
    if len(text) > EXCEL_CELL_LIMIT:
        return text[: EXCEL_CELL_LIMIT - len(TRUNCATED_MARKER)] + TRUNCATED_MARKER
    return text


def paris_datetime(value: dt.datetime) -> dt.datetime:
    """An aware datetime in the portal's time zone (Europe/Paris); naive ones are kept."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_separator_from_request(request, *, param: str = "sep", default: str = ",") -> str:
    """The CSV separator asked in ``request.GET[param]``: ``;`` or ``,`` (anything else → default)."""
    return SEPARATORS.get(request.GET.get(param, ""), default)


def csv_cell(value: Any, *, decimal_comma: bool) -> str:
    """One CSV cell: empty for None, ``oui``/``non`` for booleans, numbers with a comma when
    the separator is ``;``, datetimes in Paris time with their offset (ISO 8601), text cleaned."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, Decimal | float | int):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, dt.datetime):
        return paris_datetime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value))


class _Echo:
    """A file-like object whose ``write`` returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = ","
) -> Iterator[str]:
    """The CSV document as a stream of text lines, BOM first (for streamed responses)."""
    writer = csv.writer(_Echo(), delimiter=sep, lineterminator="\r\n")
    decimal_comma = sep == ";"
    yield BOM + writer.writerow([csv_cell(h, decimal_comma=False) for h in header])
    for row in rows:
        yield writer.writerow([csv_cell(v, decimal_comma=decimal_comma) for v in row])


#: Bytes per chunk of a streamed download: a WSGI server writes each chunk with a system call,
#: and one per line would be 100,000 of them for a large export.
STREAM_CHUNK_BYTES = 64 * 1024


def encoded_chunks(lines: Iterable[str], size: int = STREAM_CHUNK_BYTES) -> Iterator[bytes]:
    """``lines`` encoded in UTF-8 and joined into chunks of about ``size`` bytes (at least one
    line each), for ``StreamingHttpResponse``; the first line leaves alone, so a download
    starts at once."""
    pending: list[str] = []
    length = 0
    first = True
    for line in lines:
        pending.append(line)
        length += len(line)
        if first or length >= size:
            yield "".join(pending).encode("utf-8")
            pending, length, first = [], 0, False
    if pending:
        yield "".join(pending).encode("utf-8")


def write_csv(
    stream, *, header: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = ","
) -> None:
    """Write header and rows as CSV into the text ``stream`` (no BOM: callers add it)."""
    writer = csv.writer(stream, delimiter=sep, lineterminator="\r\n")
    decimal_comma = sep == ";"
    writer.writerow([csv_cell(h, decimal_comma=False) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, decimal_comma=decimal_comma) for v in row])


def csv_bytes(*, header: Sequence[str], rows: Iterable[Sequence[Any]], sep: str = ",") -> bytes:
    """The CSV document as UTF-8 bytes starting with a BOM."""
    buffer = io.StringIO()
    buffer.write(BOM)
    write_csv(buffer, header=header, rows=rows, sep=sep)
    return buffer.getvalue().encode("utf-8")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, sep: str = ","
) -> HttpResponse:
    """An attachment response holding the CSV (UTF-8 with BOM, separator ``sep``)."""
    response = HttpResponse(
        csv_bytes(header=header, rows=rows, sep=sep), content_type=CSV_CONTENT_TYPE
    )
    return _attachment(response, filename)


def xlsx_cell(value: Any) -> tuple[Any, str | None]:
    """The openpyxl value and number format of one cell: numbers as numbers (``Decimal`` with a
    ``0.00`` format), datetimes as Paris wall-clock time (Excel has no time zones), text cleaned
    and cut at Excel's limit."""
    if value is None:
        return None, None
    if isinstance(value, bool | int):
        return value, None
    if isinstance(value, Decimal):
        return float(value), "0.00" if value.as_tuple().exponent < 0 else None
    if isinstance(value, float):
        return value, None
    if isinstance(value, dt.datetime):
        return paris_datetime(value).replace(tzinfo=None), None
    if isinstance(value, dt.date):
        return value, None
    return truncate_for_excel(clean_text(str(value))), None


def xlsx_bytes(*, sheets: Sequence[Sheet]) -> bytes:
    """The XLSX workbook (one worksheet per ``Sheet``) as bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet.title[:31])
        ws.append([neutralise_formula(str(h)) for h in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            values = [xlsx_cell(v) for v in row]
            ws.append([v for v, _fmt in values])
            for cell, (_v, fmt) in zip(ws[ws.max_row], values, strict=False):
                if fmt:
                    cell.number_format = fmt
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(*, sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    """An attachment response holding the XLSX workbook."""
    response = HttpResponse(xlsx_bytes(sheets=sheets), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)
