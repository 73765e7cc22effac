"""Import of past outcomes from a CSV file (``python manage.py import_outcomes FILE.csv``).

Columns (header row, any order): ``challenge`` (the défi's slug), ``as_of`` (ISO date
``YYYY-MM-DD`` or ``DD/MM/YYYY``), ``production_status`` (``in_production``, ``planned``,
``not_planned``, ``stopped``), ``maintained`` (``yes``/``no``/``oui``/``non``/empty),
``users`` (integer or empty), ``source_code_url``, ``datasets`` and ``reused_by`` (values joined
by ``|``). Separator ``,`` or ``;``; UTF-8 with or without BOM.

The whole file is checked first: every error names its row (as in a spreadsheet, header = 1)
and column, and nothing is written when there is any. Importing is idempotent on
(``challenge``, ``as_of``): a row for an existing date updates that outcome.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from eig_portal.common.csv_import import ImportFileError, RowError, decode_csv, detect_separator

from ..models import Challenge
from .models import Outcome
from .services import outcome_record

REQUIRED_COLUMNS = ("challenge", "as_of", "production_status")
OPTIONAL_COLUMNS = ("maintained", "users", "source_code_url", "datasets", "reused_by")
BOOLEANS = {"yes": True, "oui": True, "no": False, "non": False, "": None}
STATUSES = {s.value for s in Outcome.ProductionStatus}


@dataclass(frozen=True)
class OutcomeImportSummary:
    """Outcomes created and updated by an import."""

    created: int
    updated: int


def _parse_date(raw: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("date attendue au format AAAA-MM-JJ ou JJ/MM/AAAA"))


def _parse_users(raw: str) -> int | None:
    if raw == "":
        return None
    if not raw.isdigit():
        raise ValueError(_("nombre entier positif attendu"))
    return int(raw)


def _parse_url(raw: str) -> str:
    if raw:
        try:
            URLValidator(schemes=["http", "https"])(raw)
        except ValidationError as exc:
            raise ValueError(_("adresse web invalide (http:// ou https://)")) from exc
    return raw


def _parse_list(raw: str, *, urls: bool) -> list[str]:
    values = [v.strip() for v in raw.split("|") if v.strip()]
    return [_parse_url(v) for v in values] if urls else values


def _parse_status(raw: str) -> str:
    if raw not in STATUSES:
        raise ValueError(
            _("valeur attendue : %(values)s") % {"values": ", ".join(sorted(STATUSES))}
        )
    return raw


def _parse_maintained(raw: str) -> bool | None:
    if raw.lower() not in BOOLEANS:
        raise ValueError(_("valeur attendue : yes, no, oui, non ou vide"))
    return BOOLEANS[raw.lower()]


PARSERS = {
    "as_of": _parse_date,
    "production_status": _parse_status,
    "maintained": _parse_maintained,
    "users": _parse_users,
    "source_code_url": _parse_url,
    "datasets": lambda raw: _parse_list(raw, urls=True),
    "reused_by": lambda raw: _parse_list(raw, urls=False),
}
#: CSV column → keyword of ``outcome_record``.
FIELD_OF_COLUMN = {"maintained": "is_maintained"}


def _read_rows(text: str) -> tuple[list[str], list[list[str]]]:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(first_line))
    rows = [row for row in reader]
    if not rows:
        raise ImportFileError([RowError(1, "", _("fichier vide"))])
    return [h.strip() for h in rows[0]], rows[1:]


def _check_header(header: list[str]) -> None:
    errors = [
        RowError(1, column, _("colonne obligatoire absente"))
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    errors += [
        RowError(1, column, _("colonne inconnue"))
        for column in header
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    ]
    if errors:
        raise ImportFileError(errors)


def _parse_row(
    number: int, values: dict[str, str], challenges: dict[str, Challenge], errors: list[RowError]
) -> dict[str, Any] | None:
    parsed: dict[str, Any] = {}
    slug = values.get("challenge", "")
    if slug not in challenges:
        errors.append(
            RowError(number, "challenge", _("défi inconnu : « %(slug)s »") % {"slug": slug})
        )
    else:
        parsed["challenge"] = challenges[slug]
    for column, parser in PARSERS.items():
        if column not in values:
            continue
        try:
            parsed[FIELD_OF_COLUMN.get(column, column)] = parser(values[column])
        except ValueError as exc:
            errors.append(
                RowError(
                    number,
                    column,
                    _("%(error)s (valeur : « %(value)s »)")
                    % {"error": exc, "value": values[column]},
                )
            )
    return parsed if len(parsed) == len(values) else None


def parse_outcomes_file(data: bytes | str) -> list[dict[str, Any]]:
    """The rows of the file as keyword arguments of ``outcome_record``.

    Raises ``ImportFileError`` listing every ``RowError`` (row, column, message).
    """
    header, rows = _read_rows(decode_csv(data))
    _check_header(header)
    slugs = {row[header.index("challenge")].strip() for row in rows if len(row) == len(header)}
    challenges = {c.slug: c for c in Challenge.objects.filter(slug__in=slugs)}
    errors: list[RowError] = []
    parsed_rows, seen = [], {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                RowError(
                    number,
                    "",
                    _("%(values)d valeurs pour %(columns)d colonnes")
                    % {"values": len(row), "columns": len(header)},
                )
            )
            continue
        parsed = _parse_row(
            number, dict(zip(header, (c.strip() for c in row), strict=True)), challenges, errors
        )
        if parsed is None:
            continue
        key = (parsed["challenge"].pk, parsed["as_of"])
        if key in seen:
            errors.append(
                RowError(
                    number,
                    "as_of",
                    _("même défi et même date qu'à la ligne %(row)d") % {"row": seen[key]},
                )
            )
        seen[key] = number
        parsed_rows.append(parsed)
    if errors:
        raise ImportFileError(errors)
    return parsed_rows


def outcomes_import(*, data: bytes | str) -> OutcomeImportSummary:
    """Check then import the file in one transaction (see the module docstring).

    Raises ``ImportFileError`` (nothing written) when any row is invalid.
    """
    rows = parse_outcomes_file(data)
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            try:
                _outcome, was_created = outcome_record(source=Outcome.Source.IMPORT, **row)
            except ValidationError as exc:
                raise ImportFileError([RowError(0, "", "; ".join(exc.messages))]) from exc
            created += was_created
            updated += not was_created
    return OutcomeImportSummary(created, updated)
