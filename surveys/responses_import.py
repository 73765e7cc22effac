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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from eig_portal import data_versions
from promotions.models import Promotion

from .models import TEXT_MAX_LENGTH, Answer, Question, Response, Role, Survey

BASE_COLUMNS = ("respondent", "role", "promotion")
YES_VALUES = {"yes", "oui", "y", "o"}
NO_VALUES = {"no", "non", "n"}
ROLE_ALIASES = {"fellow": Role.FELLOW, "eig": Role.FELLOW, "mentor": Role.MENTOR}
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One problem of the file: ``row`` as in a spreadsheet (header = 1), ``column`` name."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"ligne {self.row}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.message}"


class ImportFileError(ValidationError):
    """The file is invalid; nothing was written. ``errors`` lists every ``RowError``."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([str(e) for e in errors])


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: responses created and replaced, answers written."""

    created: int
    updated: int
    answers: int


def detect_separator(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas, else ``,``."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def decode_csv(data: bytes | str) -> str:
    """The text of the file (UTF-8, BOM removed); ``ImportFileError`` if not UTF-8."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            [RowError(0, "", f"le fichier n'est pas en UTF-8 (octet {exc.start})")]
        ) from exc


def _parse_number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _convert(question: Question, raw: str, choices: dict[str, int]):
    """Return ``(field, value)`` for an ``Answer``, or raise ``ValueError(message)``."""
    kind = question.type
    if kind == Question.Type.SINGLE:
        if raw not in choices:
            raise ValueError(f"choix inconnu « {raw} » (attendus : {', '.join(choices)})")
        return "choice_id", choices[raw]
    if kind == Question.Type.MULTIPLE:
        codes = [c.strip() for c in raw.split("|") if c.strip()]
        unknown = [c for c in codes if c not in choices]
        if unknown:
            raise ValueError(
                f"choix inconnu{'s' if len(unknown) > 1 else ''} « {' | '.join(unknown)} » "
                f"(attendus : {', '.join(choices)})"
            )
        return "choices", sorted({choices[c] for c in codes})
    if kind == Question.Type.YESNO:
        low = raw.lower()
        if low in YES_VALUES:
            return "boolean", True
        if low in NO_VALUES:
            return "boolean", False
        raise ValueError(f"« {raw} » : yes/no (ou oui/non) attendu")
    if kind in (Question.Type.SCALE, Question.Type.NUMBER):
        value = _parse_number(raw)
        if value is None:
            raise ValueError(f"« {raw} » n'est pas un nombre")
        if kind == Question.Type.SCALE:
            lo, hi = question.scale_min, question.scale_max
            if value != value.to_integral_value():
                raise ValueError(f"« {raw} » : un entier est attendu sur une échelle")
        else:
            lo, hi = question.number_min, question.number_max
        if lo is not None and value < lo:
            raise ValueError(f"{raw} est inférieur au minimum {lo:g}")
        if hi is not None and value > hi:
            raise ValueError(f"{raw} est supérieur au maximum {hi:g}")
        if abs(value) >= Decimal("1e10"):
            raise ValueError(f"{raw} est trop grand")
        return "number", value
    if len(raw) > TEXT_MAX_LENGTH:
        raise ValueError(f"texte trop long ({len(raw)} caractères, {TEXT_MAX_LENGTH} au plus)")
    return "text", raw


def parse_responses_file(*, survey: Survey, data: bytes | str):
    """Validate the whole file; return ``(rows, errors)`` without writing anything.

    ``rows`` is a list of ``(respondent, role, promotion_id, {question: (field, value)})``.
    """
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(first_line))
    errors: list[RowError] = []
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError([RowError(reader.line_num, "", f"CSV illisible : {exc}")]) from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportFileError([RowError(1, "", "fichier vide : la ligne d'en-tête manque")])

    header = [h.strip() for h in records[0]]
    questions = {
        q.code: q for q in Question.objects.filter(survey=survey).prefetch_related("choices")
    }
    choices = {code: {c.code: c.pk for c in q.choices.all()} for code, q in questions.items()}
    seen_columns = set()
    for name in header:
        if name in seen_columns:
            errors.append(RowError(1, name, "colonne en double"))
        seen_columns.add(name)
        if name not in BASE_COLUMNS and name not in questions:
            errors.append(
                RowError(1, name, f"ni une colonne de base ni une question de « {survey.code} »")
            )
    for name in BASE_COLUMNS:
        if name not in header:
            errors.append(RowError(1, name, "colonne obligatoire absente"))
    if errors:
        raise ImportFileError(errors)

    promotions = {p.code.casefold(): p.pk for p in Promotion.objects.all()}
    allowed_roles = set(survey.roles)
    rows = []
    respondents_seen: dict[str, int] = {}
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line
        if len(record) != len(header):
            errors.append(
                RowError(index, "", f"{len(record)} cellules pour {len(header)} colonnes")
            )
            continue
        cells = dict(zip(header, record, strict=True))
        respondent = cells["respondent"].strip()
        if not respondent:
            errors.append(RowError(index, "respondent", "identifiant obligatoire"))
        elif len(respondent) > 100:
            errors.append(RowError(index, "respondent", "100 caractères au plus"))
        elif respondent in respondents_seen:
            errors.append(
                RowError(
                    index,
                    "respondent",
                    f"« {respondent} » déjà en ligne {respondents_seen[respondent]}",
                )
            )
        else:
            respondents_seen[respondent] = index
        role = ROLE_ALIASES.get(cells["role"].strip().lower())
        if role is None:
            errors.append(
                RowError(index, "role", f"« {cells['role']} » : fellow ou mentor attendu")
            )
        elif role not in allowed_roles:
            errors.append(
                RowError(index, "role", f"le questionnaire ne s'adresse pas aux « {role} »")
            )
        promotion_code = cells["promotion"].strip()
        promotion_id = None
        if promotion_code:
            promotion_id = promotions.get(promotion_code.casefold())
            if promotion_id is None:
                errors.append(
                    RowError(index, "promotion", f"promotion inconnue « {promotion_code} »")
                )
        values = {}
        for code, raw in cells.items():
            if code in BASE_COLUMNS:
                continue
            raw = raw.strip()
            if not raw:
                continue
            try:
                values[questions[code]] = _convert(questions[code], raw, choices[code])
            except ValueError as exc:
                errors.append(RowError(index, code, str(exc)))
        rows.append((respondent, role, promotion_id, values))
    if not rows and not errors:
        errors.append(RowError(2, "", "aucune réponse dans le fichier"))
    return rows, errors


@transaction.atomic
def responses_import(*, survey: Survey, data: bytes | str) -> ImportSummary:
    """Import the CSV ``data`` into ``survey``; all rows or nothing (``ImportFileError``)."""
    if isinstance(data, bytes) and len(data) > MAX_FILE_BYTES:
        raise ImportFileError([RowError(0, "", "fichier trop volumineux (20 Mo au plus)")])
    rows, errors = parse_responses_file(survey=survey, data=data)
    if errors:
        raise ImportFileError(errors)

    now = timezone.now()
    existing = {
        r.respondent: r
        for r in Response.objects.select_for_update().filter(
            survey=survey, respondent__in=[row[0] for row in rows]
        )
    }
    clashes = [r for r in existing.values() if r.source != Response.Source.IMPORT]
    if clashes:
        raise ImportFileError(
            [
                RowError(0, "respondent", f"« {r.respondent} » n'est pas une réponse importée")
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
    data_versions.bump("surveys")  # bulk writes send no signal: results must be recomputed
    return ImportSummary(created=len(to_create), updated=len(to_update), answers=len(answers))
