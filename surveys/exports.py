"""Export of all submitted responses of a questionnaire, one row per response (CSV and XLSX).

Columns: ``response`` (row number for an anonymous questionnaire, else the response's public
id), for a non-anonymous questionnaire ``respondent`` (invitation email or imported id) and
``submitted_at``; then ``role``, ``promotion``, ``source`` and one column per question code, in
the questionnaire's order. Values use the ``import_responses`` conventions: single choice →
choice code, multiple → codes joined by ``|``, yes/no → ``yes``/``no``, scale and number →
numbers (numbers in XLSX), text → text.

Cleaning (both formats, via :mod:`eig_portal.common.cells` where it fits): control characters are
removed (line breaks kept), text that a spreadsheet would run as a formula is neutralised with a
leading ``'``, numbers stay numbers. XLSX only: a cell longer than Excel's limit (32,767
characters) is cut and ends with ``TRUNCATED_MARKER``. CSV: UTF-8 with BOM, ``,`` or ``;``.

Anonymity: for an anonymous questionnaire no column links a row to a person (no invitation,
email, imported id, public id nor timestamp) and rows are ordered by the random public id,
not by submission time. A non-anonymous export is in creation order.

Memory: the CSV is **streamed** — two SQL queries read in lockstep with
``iterator(chunk_size=…)`` (server-side cursors on PostgreSQL), one line yielded per response —
so memory stays flat as the data grows; the XLSX is written row by row by openpyxl's write-only mode into a temporary file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.http import FileResponse, StreamingHttpResponse

from eig_portal.common import cells
from eig_portal.common.cells import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .export_pivot import pivot_rows
from .models import Question, Response, Survey

NUMBER_TYPES = (Question.Type.SCALE, Question.Type.NUMBER)

CHUNK_SIZE = 2000


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


def _head_row(head: tuple, number: int, anonymous: bool) -> list[Any]:
    """The response's own columns from its ``head`` row (see ``export_rows``): the running
    ``number`` stands for the response in an anonymous survey."""
    if anonymous:
        return [number, head[1], head[2] or "", head[3]]
    public_id, respondent, email, submitted_at = head[4:]
    return [str(public_id), email or respondent, submitted_at, head[1], head[2] or "", head[3]]


def _answer_cell(kind: str, choice, num, boolean, text) -> Any:
    """The cell of one answer to a question that is not multiple choice (None: left empty)."""
    if kind == Question.Type.SINGLE:
        return choice
    if kind == Question.Type.YESNO:
        return None if boolean is None else ("yes" if boolean else "no")
    if kind in (Question.Type.SCALE, Question.Type.NUMBER):
        return None if num is None else _number(num)
    return text or None


def _answer_cells(answer_rows: list[tuple], questions: list[Question], meta: dict) -> list[Any]:
    """The question cells of one response from its answer rows (one per multiple choice code);
    multiple choice codes joined by ``|`` in the choices' order."""
    position, types, choice_order = meta["position"], meta["types"], meta["choice_order"]
    values: list[Any] = [None] * len(questions)
    multi: dict[int, list[str]] = {}
    for _rid, qid, choice, multi_choice, num, boolean, text in answer_rows:
        if qid is None or qid not in position:
            continue
        if types[qid] == Question.Type.MULTIPLE:
            if multi_choice:
                multi.setdefault(qid, []).append(multi_choice)
            continue
        value = _answer_cell(types[qid], choice, num, boolean, text)
        if value is not None:
            values[position[qid]] = value
    for qid, codes in multi.items():
        codes.sort(key=lambda c, qid=qid: choice_order[qid].get(c, 0))
        values[position[qid]] = "|".join(codes)
    return values


def _rows_of(pending: tuple | None, values_rows: Iterator[tuple], rid: int):
    """The answer rows of response ``rid`` at the head of the stream, and the next row."""
    rows = []
    while pending is not None and pending[0] == rid:
        rows.append(pending)
        pending = next(values_rows, None)
    return rows, pending


def export_rows(survey: Survey, questions: list[Question]) -> Iterator[list[Any]]:
    """One list of cell values per submitted response, streamed.

    Two queries read with ``iterator(chunk_size=CHUNK_SIZE)`` in the same order: the responses,
    and the responses joined to their answers (a multiple choice answer to its choices); the
    answer rows of one response are folded into its export row.
    """
    anonymous = survey.is_anonymous
    base = Response.objects.filter(survey=survey, status=Response.Status.SUBMITTED).order_by(
        # A unique indexed column: the database walks the index instead of sorting.
        "public_id" if anonymous else "id"
    )
    head_fields = ["id", "role", "promotion__code", "source"]
    if not anonymous:
        head_fields += ["public_id", "respondent", "invitation__email", "submitted_at"]
    # Two streams read in lockstep, in the same order: one row per response (its own columns,
    # converted once) and one row per answer value (a multiple choice answer gives one row per
    # choice). Both are server-side cursors on PostgreSQL.
    heads = base.values_list(*head_fields).iterator(chunk_size=CHUNK_SIZE)
    values_rows = base.values_list(
        "id",
        "answers__question_id",
        "answers__choice__code",
        "answers__choices__code",
        "answers__number",
        "answers__boolean",
        "answers__text",
    ).iterator(chunk_size=CHUNK_SIZE)
    meta = {
        "position": {q.pk: i for i, q in enumerate(questions)},
        "choice_order": {q.pk: {c.code: c.order for c in q.choices.all()} for q in questions},
        "types": {q.pk: q.type for q in questions},
    }
    pending = next(values_rows, None)
    for number, head in enumerate(heads, start=1):
        answer_rows, pending = _rows_of(pending, values_rows, head[0])
        yield _head_row(head, number, anonymous) + _answer_cells(answer_rows, questions, meta)


def csv_lines(survey: Survey, *, sep: str = ",") -> Iterator[str]:
    """The CSV export as a stream of text lines (BOM first), cells by ``common.cells``.

    PostgreSQL: rows pivoted by the database and streamed (``surveys.export_pivot``); other
    databases: the answers folded in Python (``export_rows``). Same cells either way.
    """
    header, questions = export_columns(survey)
    if connection.vendor == "postgresql":
        rows = pivoted_rows(survey, questions)
    else:
        rows = export_rows(survey, questions)
    return cells.csv_lines(header=header, rows=rows, sep=sep)


def _pivot_number(text: str | None) -> int | float | None:
    """A number as the export writes it (``_number``) from the pivot's text (``12.5``, ``4``)."""
    if text is None:
        return None
    return float(text) if "." in text else int(text)


def pivoted_rows(survey: Survey, questions: list[Question]) -> Iterator[list[Any]]:
    """The rows of ``export_rows`` (same values and types), read from the database's pivot."""
    number_columns = [j for j, q in enumerate(questions) if q.type in NUMBER_TYPES]
    anonymous = survey.is_anonymous
    for number, row in enumerate(pivot_rows(survey, questions), start=1):
        public_id, respondent, email, submitted_at, role, promotion, source, *values = row
        for j in number_columns:
            values[j] = _pivot_number(values[j])
        if anonymous:
            yield [number, role, promotion or "", source, *values]
        else:
            who = email or respondent
            yield [str(public_id), who, submitted_at, role, promotion or "", source, *values]


def csv_streaming_response(survey: Survey, *, sep: str = ",") -> StreamingHttpResponse:
    """A streamed CSV attachment ``<code>-reponses.csv`` (UTF-8 with BOM)."""
    response = StreamingHttpResponse(
        cells.encoded_chunks(csv_lines(survey, sep=sep)),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.code}-reponses.csv"'
    return response


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
        sheet.append([cells.xlsx_cell(v)[0] for v in row])
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
