"""Import of past answers collected elsewhere (``import_responses`` command and staff page).

File format (CSV, UTF-8 with or without BOM, separator ``,`` or ``;`` detected from the header
line): one row per respondent, columns

* ``respondent`` — an identifier of the respondent in the source (required, unique in the
  file); importing the same respondent again replaces their answers (idempotent);
* ``role`` — ``fellow`` or ``mentor`` (``eig`` accepted), within the survey's audience;
* ``promotion`` — a promotion code such as ``EIG 2`` (may be empty);
* then one column per question code (any order, any subset):
  single choice → the choice code; multiple choice → codes joined by ``|``; scale and number →
  the number (``3.5`` or ``3,5``); yes/no → ``yes``/``no`` (``oui``/``non`` accepted);
  short/long text → the text (at most 10,000 characters); empty cell → not answered.

Rows are numbered as in a spreadsheet: the header is row 1, the first respondent row 2.
An invalid file writes nothing: every error is reported with its row and column
(``ImportFileError.errors``, a list of ``RowError``). Imported responses are submitted responses
with ``source = import`` and no invitation.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eig_portal.common import data_versions
from eig_portal.common.csv_import import (  # noqa: F401 (the import errors, named here too)
    ImportFileError,
    RowError,
    decode_csv,
    detect_separator,
)
from promotions.models import Promotion

from . import answer_counts
from .models import TEXT_MAX_LENGTH, Answer, Question, Response, Role, Survey

BASE_COLUMNS = ("respondent", "role", "promotion")
YES_VALUES = {"yes", "oui", "y", "o"}
NO_VALUES = {"no", "non", "n"}
ROLE_ALIASES = {"fellow": Role.FELLOW, "eig": Role.FELLOW, "mentor": Role.MENTOR}
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: responses created and replaced, answers written."""

    created: int
    updated: int
    answers: int


def _parse_number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _convert_single(question: Question, raw: str, choices: dict[str, int]):
    if raw not in choices:
        raise ValueError(
            _("choix inconnu « %(code)s » (attendus : %(expected)s)")
            % {"code": raw, "expected": ", ".join(choices)}
        )
    return "choice_id", choices[raw]


def _convert_multiple(question: Question, raw: str, choices: dict[str, int]):
    codes = [c.strip() for c in raw.split("|") if c.strip()]
    unknown = [c for c in codes if c not in choices]
    if unknown:
        raise ValueError(
            ngettext(
                "choix inconnu « %(codes)s » (attendus : %(expected)s)",
                "choix inconnus « %(codes)s » (attendus : %(expected)s)",
                len(unknown),
            )
            % {"codes": " | ".join(unknown), "expected": ", ".join(choices)}
        )
    return "choices", sorted({choices[c] for c in codes})


def _convert_yesno(question: Question, raw: str, choices: dict[str, int]):
    low = raw.lower()
    if low in YES_VALUES:
        return "boolean", True
    if low in NO_VALUES:
        return "boolean", False
    raise ValueError(_("« %(value)s » : yes/no (ou oui/non) attendu") % {"value": raw})


def _convert_number(question: Question, raw: str, choices: dict[str, int]):
    """Scale (an integer within ``scale_min``…``scale_max``) or number (within its bounds)."""
    value = _parse_number(raw)
    if value is None:
        raise ValueError(_("« %(value)s » n'est pas un nombre") % {"value": raw})
    if question.type == Question.Type.SCALE:
        lo, hi = question.scale_min, question.scale_max
        if value != value.to_integral_value():
            raise ValueError(
                _("« %(value)s » : un entier est attendu sur une échelle") % {"value": raw}
            )
    else:
        lo, hi = question.number_min, question.number_max
    if lo is not None and value < lo:
        raise ValueError(
            _("%(value)s est inférieur au minimum %(min)s") % {"value": raw, "min": f"{lo:g}"}
        )
    if hi is not None and value > hi:
        raise ValueError(
            _("%(value)s est supérieur au maximum %(max)s") % {"value": raw, "max": f"{hi:g}"}
        )
    if abs(value) >= Decimal("1e10"):
        raise ValueError(_("%(value)s est trop grand") % {"value": raw})
    return "number", value


def _convert_text(question: Question, raw: str, choices: dict[str, int]):
    if len(raw) > TEXT_MAX_LENGTH:
        raise ValueError(
            _("texte trop long (%(length)s caractères, %(max)s au plus)")
            % {"length": len(raw), "max": TEXT_MAX_LENGTH}
        )
    return "text", raw


_CONVERTERS = {
    Question.Type.SINGLE: _convert_single,
    Question.Type.MULTIPLE: _convert_multiple,
    Question.Type.YESNO: _convert_yesno,
    Question.Type.SCALE: _convert_number,
    Question.Type.NUMBER: _convert_number,
}


def _convert(question: Question, raw: str, choices: dict[str, int]):
    """Return ``(field, value)`` for an ``Answer``, or raise ``ValueError(message)``.

    ``choices`` maps the question's choice codes to their ids; texts are the default.
    """
    return _CONVERTERS.get(question.type, _convert_text)(question, raw, choices)


def _read_records(text: str) -> list[list[str]]:
    """The CSV rows of ``text`` (separator from the header line); ``ImportFileError`` when the
    CSV cannot be read or has no header."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(first_line))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            [RowError(reader.line_num, "", _("CSV illisible : %(error)s") % {"error": exc})]
        ) from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError([RowError(1, "", _("fichier vide : la ligne d'en-tête manque"))])
    return records


def _header_errors(header: list[str], questions: dict[str, Question], survey: Survey):
    """Errors of the header row: duplicate, unknown and missing columns."""
    errors: list[RowError] = []
    seen_columns = set()
    for name in header:
        if name in seen_columns:
            errors.append(RowError(1, name, _("colonne en double")))
        seen_columns.add(name)
        if name not in BASE_COLUMNS and name not in questions:
            errors.append(
                RowError(
                    1,
                    name,
                    _("ni une colonne de base ni une question de « %(survey)s »")
                    % {"survey": survey.code},
                )
            )
    for name in BASE_COLUMNS:
        if name not in header:
            errors.append(RowError(1, name, _("colonne obligatoire absente")))
    return errors


@dataclass
class _RowReader:
    """What every row is checked against: the survey's questions, choices, promotions, roles;
    ``respondents_seen`` maps each respondent to its first row (duplicates are refused)."""

    header: list[str]
    questions: dict[str, Question]
    choices: dict[str, dict[str, int]]
    promotions: dict[str, int]
    allowed_roles: set[str]
    errors: list[RowError]
    respondents_seen: dict[str, int]

    def row(self, index: int, record: list[str]):
        """``(respondent, role, promotion_id, values)`` of one row, or None when it has the
        wrong number of cells; every problem is appended to ``errors``."""
        if len(record) != len(self.header):
            self.errors.append(
                RowError(
                    index,
                    "",
                    _("%(cells)s cellules pour %(columns)s colonnes")
                    % {"cells": len(record), "columns": len(self.header)},
                )
            )
            return None
        cells = dict(zip(self.header, record, strict=True))
        unreadable = [column for column, raw in cells.items() if "\x00" in raw]
        for column in unreadable:
            message = _("caractère nul (octet 0) : cellule illisible, corrigez le fichier")
            self.errors.append(RowError(index, column, message))
        if unreadable:
            return None
        respondent = self._respondent(index, cells["respondent"].strip())
        role = self._role(index, cells["role"])
        promotion_id = self._promotion(index, cells["promotion"].strip())
        return respondent, role, promotion_id, self._values(index, cells)

    def _respondent(self, index: int, respondent: str) -> str:
        if not respondent:
            self.errors.append(RowError(index, "respondent", _("identifiant obligatoire")))
        elif len(respondent) > 100:
            self.errors.append(RowError(index, "respondent", _("100 caractères au plus")))
        elif respondent in self.respondents_seen:
            message = _("« %(respondent)s » déjà en ligne %(row)s") % {
                "respondent": respondent,
                "row": self.respondents_seen[respondent],
            }
            self.errors.append(RowError(index, "respondent", message))
        else:
            self.respondents_seen[respondent] = index
        return respondent

    def _role(self, index: int, raw: str) -> str | None:
        role = ROLE_ALIASES.get(raw.strip().lower())
        if role is None:
            message = _("« %(role)s » : fellow ou mentor attendu") % {"role": raw}
            self.errors.append(RowError(index, "role", message))
        elif role not in self.allowed_roles:
            message = _("le questionnaire ne s'adresse pas aux « %(role)s »") % {"role": role}
            self.errors.append(RowError(index, "role", message))
        return role

    def _promotion(self, index: int, code: str) -> int | None:
        if not code:
            return None
        promotion_id = self.promotions.get(code.casefold())
        if promotion_id is None:
            message = _("promotion inconnue « %(code)s »") % {"code": code}
            self.errors.append(RowError(index, "promotion", message))
        return promotion_id

    def _values(self, index: int, cells: dict[str, str]) -> dict:
        values = {}
        for code, raw in cells.items():
            if code in BASE_COLUMNS or not raw.strip():
                continue
            try:
                values[self.questions[code]] = _convert(
                    self.questions[code], raw.strip(), self.choices[code]
                )
            except ValueError as exc:
                self.errors.append(RowError(index, code, str(exc)))
        return values


def parse_responses_file(*, survey: Survey, data: bytes | str):
    """Validate the whole file; return ``(rows, errors)`` without writing anything.

    ``rows`` is a list of ``(respondent, role, promotion_id, {question: (field, value)})``.
    Raises ``ImportFileError`` when the file cannot be read or its header is wrong; the
    errors of respondent rows are returned (every row is checked). Three queries.
    """
    records = _read_records(decode_csv(data))
    header = [h.strip() for h in records[0]]
    questions = {
        q.code: q for q in Question.objects.filter(survey=survey).prefetch_related("choices")
    }
    errors = _header_errors(header, questions, survey)
    if errors:
        raise ImportFileError(errors)
    reader = _RowReader(
        header=header,
        questions=questions,
        choices={code: {c.code: c.pk for c in q.choices.all()} for code, q in questions.items()},
        promotions={p.code.casefold(): p.pk for p in Promotion.objects.all()},
        allowed_roles=set(survey.roles),
        errors=errors,
        respondents_seen={},
    )
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record):  # blank lines are skipped
            row = reader.row(index, record)
            if row is not None:
                rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "", _("aucune réponse dans le fichier")))
    return rows, errors


@transaction.atomic
def responses_import(*, survey: Survey, data: bytes | str) -> ImportSummary:
    """Import the CSV ``data`` into ``survey``; all rows or nothing (``ImportFileError``)."""
    if isinstance(data, bytes) and len(data) > MAX_FILE_BYTES:
        raise ImportFileError([RowError(0, "", _("fichier trop volumineux (20 Mo au plus)"))])
    rows, errors = parse_responses_file(survey=survey, data=data)
    if errors:
        raise ImportFileError(errors)

    now = timezone.now()
    existing = {
        r.respondent: r
        # No ORDER BY: the model's order joins the survey, whose row would be locked too (and
        # submissions, checking their counts' survey at commit, deadlocked with the rebuild).
        for r in Response.objects.select_for_update()
        .filter(survey=survey, respondent__in=[row[0] for row in rows])
        .order_by()
    }
    clashes = [r for r in existing.values() if r.source != Response.Source.IMPORT]
    if clashes:
        raise ImportFileError(
            [
                RowError(
                    0,
                    "respondent",
                    _("« %(respondent)s » n'est pas une réponse importée")
                    % {"respondent": r.respondent},
                )
                for r in clashes
            ]
        )
    to_create, to_update = [], []
    for respondent, role, promotion_id, _values in rows:
        response = existing.get(respondent)
        if response is None:
            response = Response(survey=survey, respondent=respondent, source=Response.Source.IMPORT)
            to_create.append(response)
        else:
            to_update.append(response)
        response.role = role
        response.promotion_id = promotion_id
        response.status = Response.Status.SUBMITTED
        response.submitted_at = response.submitted_at or now
    Response.objects.bulk_create(to_create)
    if to_update:
        Response.objects.bulk_update(to_update, ["role", "promotion", "status", "submitted_at"])
        Answer.objects.filter(response__in=to_update).delete()
    by_respondent = {r.respondent: r for r in [*to_create, *to_update]}

    answers, multiple = [], []
    for respondent, _role, _promotion, values in rows:
        for question, (field, value) in values.items():
            answer = Answer(response=by_respondent[respondent], question=question)
            if field == "choices":
                multiple.append((answer, value))
            else:
                setattr(answer, field, value)
            answers.append(answer)
    Answer.objects.bulk_create(answers, batch_size=2000)
    through = Answer.choices.through
    through.objects.bulk_create(
        (through(answer_id=a.pk, choice_id=c) for a, ids in multiple for c in ids),
        batch_size=2000,
    )
    # Bulk writes send no signal: move the stored figures' version, then rebuild the counts
    # (in this order, as every writer locks the version row before the counts' state row).
    data_versions.bump("surveys")
    answer_counts.rebuild(survey.pk, force=True)
    return ImportSummary(created=len(to_create), updated=len(to_update), answers=len(answers))
