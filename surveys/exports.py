"""Export of all submitted responses of a questionnaire, one row per response (CSV and XLSX).

Columns: ``response`` (row number for an anonymous questionnaire, else the response's public
id), for a non-anonymous questionnaire ``respondent`` (invitation email or imported id) and
``submitted_at``; then ``role``, ``promotion``, ``source`` and one column per question code, in
the questionnaire's order. Values use the ``import_responses`` conventions: single choice →
choice code, multiple → codes joined by ``|``, yes/no → ``yes``/``no``, scale and number →
numbers (numbers in XLSX), text → text.

Cleaning (both formats, via :mod:`eig_portal.exports` where it fits): control characters are
removed (line breaks kept), text that a spreadsheet would run as a formula is neutralised with a
leading ``'``, numbers stay numbers. XLSX only: a cell longer than Excel's limit (32,767
characters) is cut and ends with ``TRUNCATED_MARKER``. CSV: UTF-8 with BOM, ``,`` or ``;``.

Anonymity: for an anonymous questionnaire no column links a row to a person (no invitation,
email, imported id, public id nor timestamp) and rows are ordered by the random public id,
not by submission time.

Memory: the CSV is **streamed** — one SQL query read with ``iterator(chunk_size=…)`` (a
server-side cursor on PostgreSQL), one line yielded per response — so memory stays flat as the
data grows; the XLSX is written row by row by openpyxl's write-only mode into a temporary file.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

from eig_portal.exports import BOM, CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, neutralise_formula

from .models import Question, Response, Survey

CHUNK_SIZE = 2000
EXCEL_CELL_LIMIT = 32_767
TRUNCATED_MARKER = " […] [TRONQUÉ]"
#: C0 and C1 control characters except tab, line feed and carriage return (normalised below).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Text without control characters (``\\r\\n`` → ``\\n``, tab → space), formula-neutralised."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return neutralise_formula(value)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def export_columns(survey: Survey) -> tuple[list[str], list[Question]]:
    """The header of the export and the questions behind its question columns."""
    questions = list(
        Question.objects.filter(survey=survey)
        .prefetch_related("choices")
        .order_by("section__order", "section_id", "order", "pk")
    )
    base = ["response"]
    if not survey.is_anonymous:
        base += ["respondent", "submitted_at"]
    base += ["role", "promotion", "source"]
    return base + [q.code for q in questions], questions


def export_rows(survey: Survey, questions: list[Question]) -> Iterator[list[Any]]:
    """One list of cell values per submitted response, streamed from a single query.

    The query joins responses to their answers (and a multiple choice answer to its choices),
    ordered by response, and is read with ``iterator(chunk_size=CHUNK_SIZE)``: consecutive rows
    of one response are folded into one export row.
    """
    anonymous = survey.is_anonymous
    fields = [
        "id",
        "role",
        "promotion__code",
        "source",
        "answers__question_id",
        "answers__choice__code",
        "answers__choices__code",
        "answers__number",
        "answers__boolean",
        "answers__text",
    ]
    if anonymous:
        order = ["public_id", "answers__question_id"]
    else:
        fields += ["public_id", "respondent", "invitation__email", "submitted_at"]
        order = ["submitted_at", "id", "answers__question_id"]
    rows = (
        Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED)
        .order_by(*order)
        .values_list(*fields, named=True)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    position = {q.pk: i for i, q in enumerate(questions)}
    choice_order = {q.pk: {c.code: c.order for c in q.choices.all()} for q in questions}
    types = {q.pk: q.type for q in questions}

    number = 0
    current_id = None
    head: list[Any] = []
    values: list[Any] = []
    multi: dict[int, list[str]] = {}

    def finish() -> list[Any]:
        for qid, codes in multi.items():
            codes.sort(key=lambda c, qid=qid: choice_order[qid].get(c, 0))
            values[position[qid]] = "|".join(codes)
        return head + values

    for row in rows:
        if row.id != current_id:
            if current_id is not None:
                yield finish()
            current_id = row.id
            number += 1
            promotion = row.promotion__code or ""
            if anonymous:
                head = [number, row.role, promotion, row.source]
            else:
                person = row.invitation__email or row.respondent
                head = [
                    str(row.public_id),
                    person,
                    row.submitted_at,
                    row.role,
                    promotion,
                    row.source,
                ]
            values = [None] * len(questions)
            multi = {}
        qid = row.answers__question_id
        if qid is None or qid not in position:
            continue
        kind = types[qid]
        if kind == Question.Type.MULTIPLE:
            if row.answers__choices__code:
                multi.setdefault(qid, []).append(row.answers__choices__code)
        elif kind == Question.Type.SINGLE:
            values[position[qid]] = row.answers__choice__code
        elif kind == Question.Type.YESNO:
            if row.answers__boolean is not None:
                values[position[qid]] = "yes" if row.answers__boolean else "no"
        elif kind in (Question.Type.SCALE, Question.Type.NUMBER):
            if row.answers__number is not None:
                values[position[qid]] = _number(row.answers__number)
        elif row.answers__text:
            values[position[qid]] = row.answers__text
    if current_id is not None:
        yield finish()


def _csv_cell(value: Any, *, decimal_comma: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return clean_text(str(value))


class _Echo:
    """A file-like object whose ``write`` returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(survey: Survey, *, sep: str = ",") -> Iterator[str]:
    """The CSV export as a stream of text lines (BOM first)."""
    header, questions = export_columns(survey)
    writer = csv.writer(_Echo(), delimiter=sep, lineterminator="\r\n")
    decimal_comma = sep == ";"
    yield BOM + writer.writerow(header)
    for row in export_rows(survey, questions):
        yield writer.writerow([_csv_cell(v, decimal_comma=decimal_comma) for v in row])


def csv_streaming_response(survey: Survey, *, sep: str = ",") -> StreamingHttpResponse:
    """A streamed CSV attachment ``<code>-reponses.csv`` (UTF-8 with BOM)."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(survey, sep=sep)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.code}-reponses.csv"'
    return response


def xlsx_cell(value: Any) -> Any:
    """An openpyxl cell value: numbers as numbers, text cleaned and cut at Excel's limit."""
    if value is None or isinstance(value, int | float):
        return value
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.make_naive(value)
    if hasattr(value, "isoformat"):
        return value
    text = clean_text(str(value))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(TRUNCATED_MARKER)] + TRUNCATED_MARKER
    return text


def write_xlsx(survey: Survey, stream) -> None:
    """Write the XLSX export into the binary ``stream`` (openpyxl write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    header, questions = export_columns(survey)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Réponses")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in export_rows(survey, questions):
        sheet.append([xlsx_cell(v) for v in row])
    workbook.save(stream)


def xlsx_file_response(survey: Survey) -> FileResponse:
    """The XLSX export as an attachment ``<code>-reponses.xlsx`` (built in a temporary file)."""
    tmp = tempfile.TemporaryFile()
    write_xlsx(survey, tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{survey.code}-reponses.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
