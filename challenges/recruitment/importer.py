"""Import of past campaigns' applications from a CSV file (``import_applications``).

Columns: ``email``, ``first_name``, ``last_name``, ``profile`` (``developer``, ``designer``,
``data_scientist`` or the French labels, any case, masculine or feminine), ``choices`` (défi
slugs of the promotion in preference order joined by ``|``, 1 to 3), ``submitted_at`` (ISO 8601
with an offset, or ``YYYY-MM-DD HH:MM[:SS]`` read as Europe/Paris time), ``status``
(``submitted``, ``not_preselected``, ``interviewed``, ``waiting_list``, ``not_selected``,
``withdrawn``, ``selected``), ``interviewed`` (yes/no/oui/non/empty) and the optional
``selected_challenge`` (a slug among the choices). Separator ``,`` or ``;``; UTF-8 with or
without BOM.

Idempotent on (promotion, email ignoring case): a second run updates the same rows. Every row
is checked before anything is written: any error raises ``ApplicationImportError`` whose
``errors`` each name the row (the file's line number, header = 1) and the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from promotions.models import Promotion

from .models import (
    Application,
    ApplicationChoice,
    ApplicationStatusChange,
    CallForApplications,
)

Status = Application.Status
PARIS = ZoneInfo("Europe/Paris")
REQUIRED_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "profile",
    "choices",
    "submitted_at",
    "status",
    "interviewed",
)
OPTIONAL_COLUMNS = ("selected_challenge",)
STATUSES = {
    "submitted": Status.SUBMITTED,
    "not_preselected": Status.NOT_PRESELECTED,
    "interviewed": Status.INTERVIEW,
    "waiting_list": Status.WAITING_LIST,
    "not_selected": Status.NOT_SELECTED,
    "withdrawn": Status.WITHDRAWN,
    "selected": Status.SELECTED,
}
YES_NO = {"yes": True, "oui": True, "no": False, "non": False, "": False}
#: Accent-free, lower-case spellings of each profile (English value, French labels, genders).
PROFILES = {
    "developer": "developer",
    "developpeur": "developer",
    "developpeuse": "developer",
    "developpeur·se": "developer",
    "developpeur.se": "developer",
    "developpeur·euse": "developer",
    "designer": "designer",
    "designeuse": "designer",
    "data_scientist": "data_scientist",
    "data scientist": "data_scientist",
    "data scientiste": "data_scientist",
    "datascientist": "data_scientist",
}
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")
OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


class ApplicationImportError(Exception):
    """The file cannot be imported; ``errors`` lists « ligne N, colonne X : message »."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class ImportResult:
    """What an import did: applications ``created`` and ``updated`` (counts), and the call."""

    call: CallForApplications
    created: int = 0
    updated: int = 0
    rows: list[dict] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        """« 3 candidatures créées, 1 mise à jour. » in the active language (French plurals)."""
        created = ngettext("%(n)s candidature créée", "%(n)s candidatures créées", self.created) % {
            "n": self.created
        }
        updated = ngettext("%(n)s mise à jour", "%(n)s mises à jour", self.updated) % {
            "n": self.updated
        }
        return _("%(created)s, %(updated)s.") % {"created": created, "updated": updated}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_profile(value: str) -> str:
    """``"Développeuse"`` → ``"developer"``; raises ValueError for an unknown profile."""
    key = _plain(value).replace("-", " ")
    if key in PROFILES:
        return PROFILES[key]
    raise ValueError(f"profil inconnu « {value} » (developer, designer ou data_scientist)")


def parse_submitted_at(value: str) -> datetime:
    """ISO 8601 with an offset, or ``YYYY-MM-DD HH:MM[:SS]`` in Paris time → aware datetime."""
    value = value.strip()
    if LOCAL_TIME.match(value):
        fmt = "%Y-%m-%d %H:%M:%S" if value.count(":") == 2 else "%Y-%m-%d %H:%M"
        return datetime.strptime(value, fmt).replace(tzinfo=PARIS)
    if OFFSET.search(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(
        f"date « {value} » illisible (ISO 8601 avec décalage, ou AAAA-MM-JJ HH:MM[:SS])"
    )


def _read_rows(content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationImportError([f"ligne 1 : le fichier n'est pas en UTF-8 ({exc})."]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ApplicationImportError(
            [f"ligne 1, colonne {c} : colonne obligatoire absente." for c in missing]
        )
    rows = [
        (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader
    ]
    return header, rows


def _check_choices(value: str, slugs: dict[str, int]) -> list[int]:
    names = [s.strip() for s in value.split("|") if s.strip()]
    if not 1 <= len(names) <= 3:
        raise ValueError("de 1 à 3 défis séparés par « | »")
    if len(set(names)) != len(names):
        raise ValueError("un défi apparaît deux fois")
    unknown = [s for s in names if s not in slugs]
    if unknown:
        raise ValueError(f"défi inconnu dans la promotion : {', '.join(unknown)}")
    return [slugs[s] for s in names]


def _parse_row(row: dict, slugs: dict[str, int]) -> tuple[dict, list[tuple[str, str]]]:
    """One row's clean values and its errors as ``[(column, message)]``."""
    clean, errors = {}, []

    def check(column, parse):
        try:
            clean[column] = parse(row.get(column, ""))
        except (ValueError, ValidationError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            errors.append((column, message))

    def email(value):
        validate_email(value)
        return value.lower()

    def required(value):
        if not value:
            raise ValueError("valeur obligatoire")
        return value

    def status(value):
        if value.lower() not in STATUSES:
            raise ValueError(f"statut inconnu « {value} » ({', '.join(STATUSES)})")
        return STATUSES[value.lower()]

    def interviewed(value):
        if value.lower() not in YES_NO:
            raise ValueError(f"« {value} » : yes, no, oui, non ou vide")
        return YES_NO[value.lower()]

    def selected(value):
        if value and value not in slugs:
            raise ValueError(f"défi inconnu dans la promotion : {value}")
        return slugs.get(value)

    check("email", email)
    check("first_name", required)
    check("last_name", required)
    check("profile", parse_profile)
    check("choices", lambda v: _check_choices(v, slugs))
    check("submitted_at", parse_submitted_at)
    check("status", status)
    check("interviewed", interviewed)
    check("selected_challenge", selected)
    return clean, errors


def _coherence(clean: dict) -> list[tuple[str, str]]:
    errors = []
    chosen = clean.get("selected_challenge")
    if chosen and chosen not in clean.get("choices", [chosen]):
        errors.append(("selected_challenge", "le défi retenu n'est pas parmi les choix"))
    if chosen and clean.get("status") not in (None, Status.SELECTED):
        errors.append(("selected_challenge", "un défi retenu demande le statut selected"))
    if clean.get("status") == Status.INTERVIEW and clean.get("interviewed") is False:
        errors.append(("interviewed", "le statut interviewed demande interviewed = yes"))
    return errors


def parse_applications(content: bytes, promotion: Promotion) -> list[dict]:
    """Check the whole file; the clean rows, or ``ApplicationImportError`` listing all errors."""
    _header, rows = _read_rows(content)
    slugs = dict(promotion.challenges.values_list("slug", "pk"))
    errors, clean_rows, seen = [], [], {}
    for line, row in rows:
        clean, row_errors = _parse_row(row, slugs)
        row_errors += _coherence(clean)
        email = clean.get("email")
        if email in seen:
            row_errors.append(("email", f"adresse déjà présente ligne {seen[email]}"))
        elif email:
            seen[email] = line
        errors += [f"ligne {line}, colonne {column} : {message}" for column, message in row_errors]
        clean_rows.append({"line": line, **clean})
    if not rows:
        errors.append("ligne 2 : le fichier ne contient aucune candidature.")
    if errors:
        raise ApplicationImportError(errors)
    return clean_rows


def _call_for(promotion: Promotion, rows: list[dict]) -> CallForApplications:
    call = CallForApplications.objects.filter(promotion=promotion).first()
    if call is not None:
        return call
    dates = [r["submitted_at"] for r in rows]
    call = CallForApplications(
        promotion=promotion,
        title=f"Appel à candidatures {promotion.code}",
        slug=slugify(f"candidatures-{promotion.code}"),
        opens_at=min(dates),
        closes_at=max(dates) + timezone.timedelta(seconds=1),
        is_published=False,
    )
    call.full_clean()
    call.save()
    return call


def _write_row(call, row: dict, existing: dict[str, Application], result: ImportResult) -> None:
    application = existing.get(row["email"])
    before = application.status if application else ""
    if application is None:
        application = Application(call=call, email=row["email"])
        result.created += 1
    else:
        result.updated += 1
    application.first_name = row["first_name"]
    application.last_name = row["last_name"]
    application.profile = row["profile"]
    application.submitted_at = row["submitted_at"]
    application.status = row["status"]
    application.interviewed = row["interviewed"]
    application.selected_challenge_id = row.get("selected_challenge")
    application.save()
    application.choices.all().delete()
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, challenge_id=challenge_id, rank=rank)
        for rank, challenge_id in enumerate(row["choices"], start=1)
    )
    if before != application.status:
        ApplicationStatusChange.objects.create(
            application=application,
            at=timezone.now(),
            from_status=before,
            to_status=application.status,
            message="Import d'une campagne passée",
        )


def import_applications(*, promotion_code: str, content: bytes) -> ImportResult:
    """Import the CSV ``content`` into the promotion's call (created closed if absent).

    Raises ``ApplicationImportError`` (nothing written) for an unknown promotion or any bad row.
    """
    promotion = Promotion.objects.filter(code__iexact=promotion_code.strip()).first()
    if promotion is None:
        raise ApplicationImportError([f"promotion inconnue : « {promotion_code} »."])
    rows = parse_applications(content, promotion)
    with transaction.atomic():
        call = _call_for(promotion, rows)
        existing = {a.email.lower(): a for a in Application.objects.filter(call=call)}
        result = ImportResult(call=call, rows=rows)
        for row in rows:
            _write_row(call, row, existing, result)
    return result
