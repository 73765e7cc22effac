"""Read and validate every data file of the EIG import before anything is written.

Each reader returns plain, typed records; any malformed value raises ``ImportDataError`` naming
the file (relative to the data folder), the record (index, slug or pseudonym) and the field.
File layout (relative to ``settings.DATA_DIR``)::

    reference/report-2019-figures.json
    eig-public/{promos,themes,expertises,defis,personnes,defis-2017-2020}.json
    eig-public/site-eig-v3/site/content/defis/<slug>.md
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .report import ImportDataError

REPORT_FILE = "reference/report-2019-figures.json"
PROMOS_FILE = "eig-public/promos.json"
THEMES_FILE = "eig-public/themes.json"
EXPERTISES_FILE = "eig-public/expertises.json"
CHALLENGES_FILE = "eig-public/defis.json"
PEOPLE_FILE = "eig-public/personnes.json"
OLD_CHALLENGES_FILE = "eig-public/defis-2017-2020.json"
MARKDOWN_DIR = "eig-public/site-eig-v3/site/content/defis"

#: Year of each promotion (the public site gives none; from the programme's history).
PROMOTION_YEARS = {
    "EIG 1": 2017,
    "EIG 2": 2018,
    "EIG 3": 2019,
    "DIG": 2019,
    "EIG 4": 2020,
    "EIG 5": 2021,
    "EIG 6": 2022,
    "EIG 7": 2024,
}
#: The section index page of the public site's défis folder: not a défi.
INDEX_SLUG = "_index"
#: Cost categories of the report's budget (``total`` is their sum, never stored as a line).
BUDGET_KEYS = ("pia_envelope", "salaries", "communication", "support_programme", "research_links")
COST_KEYS = ("salaries", "communication", "support_programme", "research_links")
#: DeclaredFigure metric ← key in a promotion of the report (``profiles.<k>`` for profiles).
REPORT_METRICS = {
    "fellows": "fellows",
    "mentors": "mentors",
    "challenges": "challenges",
    "new_host_organisations": "new_host_organisations",
    "candidates": "candidates",
    "challenges_proposed": "challenges_proposed",
    "developers": "profiles.developers",
    "designers": "profiles.designers",
    "data_scientists": "profiles.data_scientists",
    "candidates_interviewed": "candidates_interviewed_by_jury",
}
PRINTED_COUNT_KEYS = (
    "fellows",
    "mentors",
    "challenges",
    "new_host_organisations",
    "candidates",
    "challenges_proposed",
)

_TAG_EIG = re.compile(r"^Promotion\s+(\d+)$")
_TAG_DIG = re.compile(r"^Promotion\s+(\d+)\s*-\s*DIG$", re.IGNORECASE)
_REPORT_CODE = re.compile(r"^EIG (\d+)$")


def promotion_code_from_tag(tag: str) -> str | None:
    """« Promotion 4 » → « EIG 4 »; « Promotion 3 - DIG » → « DIG »; anything else → None."""
    tag = tag.strip()
    if _TAG_DIG.match(tag):
        return "DIG"
    m = _TAG_EIG.match(tag)
    return f"EIG {int(m.group(1))}" if m else None


@dataclass(frozen=True)
class ReportPromotion:
    """One promotion of the 2019 report: declared counts, budget (euros) and their sources."""

    code: str
    year: int
    figures: dict[str, int]
    profiles_source: str
    budget: dict[str, Decimal]
    printed_budget_total: Decimal | None
    is_forecast: bool


@dataclass(frozen=True)
class ReportData:
    """The 2019 report's figures (``reference/report-2019-figures.json``)."""

    as_of: str
    promotions: list[ReportPromotion]
    #: metric (``fellows`` … or ``budget_eur.<key>``) → printed value.
    printed_totals: dict[str, Decimal]
    inconsistencies: list[str]


@dataclass(frozen=True)
class ChallengeRecord:
    """A défi of the public site (``defis.json`` + its markdown page)."""

    index: int
    source_slug: str
    title: str
    summary: str
    administration: str
    town: str
    themes: list[str]
    expertises: list[str]
    promotion_code: str | None
    published_at: datetime | None
    is_public: bool
    startup_url: str
    description: str | None  # None: no markdown page


@dataclass(frozen=True)
class OldChallengeRecord:
    """A défi of the older site (``defis-2017-2020.json``)."""

    index: int
    title: str
    promotion_code: str
    administration: str
    administration_website: str
    source_code_url: str
    website: str
    fellows: list[str]
    mentors: list[str]
    key_figures: list[tuple[Decimal, str]]


@dataclass(frozen=True)
class PersonRecord:
    """A person of ``personnes.json`` (pseudonymised)."""

    index: int
    pseudonym: str
    job: str
    role: str
    promotion_codes: list[str]
    challenge_titles: list[str]


@dataclass
class EigData:
    """Everything the import needs, validated."""

    report: ReportData
    promotion_codes: list[str]
    themes: list[str]
    expertises: list[str]
    challenges: list[ChallengeRecord]
    old_challenges: list[OldChallengeRecord]
    people: list[PersonRecord]
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _File:
    """One JSON file being validated; ``get`` checks a field and raises a precise error."""

    def __init__(self, data_dir: Path, rel: str):
        self.rel = rel
        self.path = data_dir / rel

    def load(self) -> Any:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ImportDataError(file=self.rel, message="file not found") from None
        except UnicodeDecodeError as exc:
            raise ImportDataError(file=self.rel, message=f"not UTF-8 ({exc.reason})") from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportDataError(
                file=self.rel,
                message=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            ) from None

    def error(self, record: str, fld: str, message: str) -> ImportDataError:
        return ImportDataError(file=self.rel, record=record, field=fld, message=message)

    def get(self, obj: Any, key: str, kind: str, *, record: str = "", required: bool = True):
        """Return ``obj[key]`` checked against ``kind``: str, int, bool, number, decimal,
        list[str], list, dict, datetime. A missing optional field (or null) gives None."""
        if not isinstance(obj, dict):
            raise self.error(record, key, f"expected an object, got {_type_name(obj)}")
        if key not in obj or obj[key] is None:
            if required:
                raise self.error(record, key, "required field is missing")
            return None
        value = obj[key]
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "decimal": isinstance(value, str | int) and not isinstance(value, bool),
            "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "list": isinstance(value, list),
            "dict": isinstance(value, dict),
            "datetime": isinstance(value, str),
        }[kind]
        if not ok:
            raise self.error(record, key, f"expected {kind}, got {_type_name(value)}")
        if kind == "decimal":
            try:
                amount = Decimal(str(value))
            except InvalidOperation:
                raise self.error(record, key, f"not a decimal amount: {value!r}") from None
            if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise self.error(record, key, f"not a positive amount with 2 decimals: {value!r}")
            return amount.quantize(Decimal("0.01"))
        if kind == "datetime":
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise self.error(record, key, f"not an ISO 8601 date-time: {value!r}") from None
        return value


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _read_report(data_dir: Path) -> ReportData:
    f = _File(data_dir, REPORT_FILE)
    root = f.load()
    as_of = f.get(root, "as_of", "str")
    promos = f.get(root, "promotions", "dict")
    promotions = []
    for code, p in promos.items():
        m = _REPORT_CODE.match(code)
        if not m:
            raise f.error(code, "promotions", "promotion keys look like « EIG 1 »")
        figures = {}
        for metric, path in REPORT_METRICS.items():
            if "." in path:
                outer, inner = path.split(".")
                block = f.get(p, outer, "dict", record=code)
                figures[metric] = f.get(block, inner, "int", record=f"{code} {outer}")
            else:
                figures[metric] = f.get(p, path, "int", record=code)
            if figures[metric] < 0:
                raise f.error(code, path, "must be positive")
        budget_block = f.get(p, "budget_eur", "dict", record=code)
        budget = {
            k: f.get(budget_block, k, "decimal", record=f"{code} budget_eur") for k in BUDGET_KEYS
        }
        note = f.get(budget_block, "note", "str", record=f"{code} budget_eur", required=False)
        profiles = f.get(p, "profiles", "dict", record=code)
        promotions.append(
            ReportPromotion(
                code=code,
                year=f.get(p, "year", "int", record=code),
                figures=figures,
                profiles_source=f.get(profiles, "source", "str", record=f"{code} profiles") or "",
                budget=budget,
                printed_budget_total=f.get(
                    budget_block, "total", "decimal", record=f"{code} budget_eur", required=False
                ),
                is_forecast=bool(note)
                and ("forecast" in note.lower() or "prévisionnel" in note.lower()),
            )
        )
    totals = f.get(root, "totals_as_printed", "dict")
    printed: dict[str, Decimal] = {}
    for key in PRINTED_COUNT_KEYS:
        printed[key] = Decimal(f.get(totals, key, "int", record="totals_as_printed"))
    budget_totals = f.get(totals, "budget_eur", "dict", record="totals_as_printed")
    for key in (*BUDGET_KEYS, "total"):
        printed[f"budget_eur.{key}"] = f.get(
            budget_totals, key, "decimal", record="totals_as_printed budget_eur"
        )
    inconsistencies = f.get(root, "known_inconsistencies", "list[str]", required=False) or []
    return ReportData(
        as_of=as_of, promotions=promotions, printed_totals=printed, inconsistencies=inconsistencies
    )


def _read_string_list(data_dir: Path, rel: str, key: str) -> list[str]:
    f = _File(data_dir, rel)
    values = f.get(f.load(), key, "list[str]")
    return [v.strip() for v in values if v.strip()]


def _promotion_code(f: _File, tag: str, record: str, fld: str) -> str:
    code = promotion_code_from_tag(tag)
    if code is None:
        raise f.error(record, fld, f"unknown promotion tag {tag!r}")
    if code not in PROMOTION_YEARS:
        raise f.error(record, fld, f"no year known for promotion {code!r}")
    return code


def _read_markdown_body(data_dir: Path, slug: str) -> str | None:
    rel = f"{MARKDOWN_DIR}/{slug}.md"
    path = data_dir / rel
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = re.search(r"^---[ \t]*$", text[4:], flags=re.MULTILINE)
        if end is None:
            raise ImportDataError(
                file=rel, record=slug, field="front matter", message="no closing « --- » line"
            )
        text = text[4 + end.end() :]
    return text.strip()


def _published_at(f: _File, item: dict, rec: str, notes: list[str]) -> datetime | None:
    """The page's date; some pages give a bare year (2022): kept empty rather than invented."""
    value = item.get("date")
    if isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2100:
        notes.append(f"{CHALLENGES_FILE}: {rec} date is a bare year ({value}): left empty")
        return None
    return f.get(item, "date", "datetime", record=rec, required=False)


def _read_challenges(data_dir: Path, skipped: list[str], notes: list[str]) -> list[ChallengeRecord]:
    f = _File(data_dir, CHALLENGES_FILE)
    items = f.get(f.load(), "defis", "list")
    records = []
    for i, item in enumerate(items):
        slug = f.get(item, "slug", "str", record=f"#{i}")
        rec = f"#{i} (slug « {slug} »)"
        title = f.get(item, "title", "str", record=rec).strip()
        if not title:
            raise f.error(rec, "title", "empty title")
        if slug == INDEX_SLUG:
            skipped.append(f"{CHALLENGES_FILE}: « {slug} » ({title}) is the section index page")
            continue
        tags = f.get(item, "promos", "list[str]", record=rec)
        if len(tags) > 1:
            raise f.error(rec, "promos", f"a défi belongs to one promotion, got {tags}")
        url = _url(
            f.get(item, "urlSET", "str", record=rec, required=False),
            f"{CHALLENGES_FILE}: {rec} urlSET",
            notes,
        )
        records.append(
            ChallengeRecord(
                index=i,
                source_slug=slug,
                title=title,
                summary=(
                    f.get(item, "description", "str", record=rec, required=False) or ""
                ).strip(),
                administration=(
                    f.get(item, "who", "str", record=rec, required=False) or ""
                ).strip(),
                town=(f.get(item, "town", "str", record=rec, required=False) or "").strip(),
                themes=[
                    t.strip()
                    for t in f.get(item, "themes", "list[str]", record=rec, required=False) or []
                    if t.strip()
                ],
                expertises=[
                    t.strip()
                    for t in f.get(item, "expertises", "list[str]", record=rec, required=False)
                    or []
                    if t.strip()
                ],
                promotion_code=_promotion_code(f, tags[0], rec, "promos") if tags else None,
                published_at=_published_at(f, item, rec, notes),
                is_public=f.get(item, "visible", "bool", record=rec),
                startup_url=url,
                description=_read_markdown_body(data_dir, slug),
            )
        )
    return records


def _url(value: str | None, where: str, notes: list[str]) -> str:
    """A valid http(s) URL or ""; the typo « hhttp:// » is repaired; other invalid URLs are
    left out and reported (they are not worth stopping the import)."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.startswith("hhttp"):
        notes.append(f"{where}: « {value} » repaired as « {value[1:]} »")
        value = value[1:]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        notes.append(f"{where}: invalid URL « {value} » left out")
        return ""
    return value


def _read_old_challenges(data_dir: Path, notes: list[str]) -> list[OldChallengeRecord]:
    f = _File(data_dir, OLD_CHALLENGES_FILE)
    items = f.get(f.load(), "defis", "list")
    records = []
    for i, item in enumerate(items):
        title = f.get(item, "title", "str", record=f"#{i}").strip()
        rec = f"#{i} (« {title} »)"
        promo = item.get("promotion") if isinstance(item, dict) else None
        if isinstance(promo, int) and not isinstance(promo, bool):
            code = f"EIG {promo}"
        elif isinstance(promo, str) and promo.strip().lower() == "dig":
            code = "DIG"
        elif promo is None:
            raise f.error(rec, "promotion", "required field is missing")
        else:
            raise f.error(rec, "promotion", f"expected a number or « dig », got {promo!r}")
        if code not in PROMOTION_YEARS:
            raise f.error(rec, "promotion", f"no year known for promotion {code!r}")
        figures = []
        for j, kf in enumerate(
            f.get(item, "key_figures", "list", record=rec, required=False) or []
        ):
            amount = f.get(kf, "amount", "number", record=f"{rec} key_figures[{j}]")
            desc = f.get(kf, "description", "str", record=f"{rec} key_figures[{j}]").strip()
            figures.append((Decimal(str(amount)).quantize(Decimal("0.01")), desc))
        records.append(
            OldChallengeRecord(
                index=i,
                title=title,
                promotion_code=code,
                administration=f.get(item, "administration", "str", record=rec).strip(),
                administration_website=_url(
                    f.get(item, "administration_website", "str", record=rec, required=False),
                    f"{OLD_CHALLENGES_FILE}: {rec} administration_website",
                    notes,
                ),
                source_code_url=_url(
                    f.get(item, "source_code", "str", record=rec, required=False),
                    f"{OLD_CHALLENGES_FILE}: {rec} source_code",
                    notes,
                ),
                website=_url(
                    f.get(item, "website", "str", record=rec, required=False),
                    f"{OLD_CHALLENGES_FILE}: {rec} website",
                    notes,
                ),
                fellows=[p.strip() for p in f.get(item, "eigs", "list[str]", record=rec)],
                mentors=[p.strip() for p in f.get(item, "mentors", "list[str]", record=rec)],
                key_figures=figures,
            )
        )
    return records


def _read_people(data_dir: Path) -> list[PersonRecord]:
    f = _File(data_dir, PEOPLE_FILE)
    items = f.get(f.load(), "personnes", "list")
    records = []
    for i, item in enumerate(items):
        pseudonym = f.get(item, "pseudonym", "str", record=f"#{i}").strip()
        if not pseudonym:
            raise f.error(f"#{i}", "pseudonym", "empty pseudonym")
        rec = f"#{i} (« {pseudonym} »)"
        role = f.get(item, "role", "str", record=rec).strip()
        tags = f.get(item, "promos", "list[str]", record=rec)
        codes = []
        if role in ("participant", "agent-public"):
            codes = [_promotion_code(f, t, rec, "promos") for t in tags]
        records.append(
            PersonRecord(
                index=i,
                pseudonym=pseudonym,
                job=f.get(item, "job", "str", record=rec).strip(),
                role=role,
                promotion_codes=list(dict.fromkeys(codes)),
                challenge_titles=[t for t in f.get(item, "defis", "list[str]", record=rec)],
            )
        )
    return records


def read_eig_data(*, data_dir: Path) -> EigData:
    """Read and validate all data files under ``data_dir``; raise ``ImportDataError`` if any is
    malformed. Nothing is written."""
    skipped: list[str] = []
    notes: list[str] = []
    f = _File(data_dir, PROMOS_FILE)
    codes = [
        _promotion_code(f, tag, f"#{i}", "promos")
        for i, tag in enumerate(_read_string_list(data_dir, PROMOS_FILE, "promos"))
    ]
    challenges = _read_challenges(data_dir, skipped, notes)
    for c in challenges:
        if c.description is None:
            notes.append(f"{MARKDOWN_DIR}/{c.source_slug}.md: no page, long description left empty")
    return EigData(
        report=_read_report(data_dir),
        promotion_codes=codes,
        themes=_read_string_list(data_dir, THEMES_FILE, "themes"),
        expertises=_read_string_list(data_dir, EXPERTISES_FILE, "expertises"),
        challenges=challenges,
        old_challenges=_read_old_challenges(data_dir, notes),
        people=_read_people(data_dir),
        skipped=skipped,
        notes=notes,
    )
