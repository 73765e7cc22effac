"""The register of personal data (« registre des traitements »), read from ``register.yaml``.

``register.yaml`` is the source of truth: ``docs/personal-data.md``, the staff page and the
public « Données personnelles » page are generated from it, and ``personal_data --check``
compares it with the models. Shapes:

- ``entries``: a list of groups; each has ``fields`` (``app_label.Model.field`` strings) and
  ``category``, ``purpose``, ``retention``, ``readers`` (French text), optionally
  ``legal_basis`` (default ``defaults.legal_basis``: mission of public interest, GDPR 6-1-e).
- ``not_personal``: ``{"app_label.Model.field": "why it is not personal"}`` — fields the
  heuristics flag wrongly.

The historical copy of a model (django-simple-history, ``HistoricalX``) is covered by the entry
of ``X``'s field; the generated documents list it beside the live field.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation

REGISTER_PATH = Path(__file__).resolve().parent / "register.yaml"
HISTORICAL_PREFIX = "Historical"

#: Field-name fragments that usually mean personal data (word parts, ``_``-separated).
PERSONAL_NAME = re.compile(
    r"(^|_)(name|username|email|mail|recipients?|phone|telephone|mobile|address|street|"
    r"postcode|position|job_title|ip|birth|birthday|cv|resume|linkedin|portfolio|motivation|"
    r"biography|bio|signature|comment|message)($|_)"
)
PERSONAL_TYPES = (
    models.EmailField,
    models.FileField,
    models.GenericIPAddressField,
    models.TextField,
    models.JSONField,
)


@dataclass(frozen=True)
class Entry:
    """One registered personal field and why it is kept."""

    field: str  # "app_label.Model.field"
    category: str
    purpose: str
    legal_basis: str
    retention: str
    readers: str

    @property
    def app_label(self) -> str:
        return self.field.split(".")[0]

    @property
    def model_name(self) -> str:
        return self.field.split(".")[1]

    @property
    def field_name(self) -> str:
        return self.field.split(".")[2]


@dataclass(frozen=True)
class Register:
    """The parsed register: entries (in file order) and the not-personal allow-list."""

    entries: tuple[Entry, ...]
    not_personal: dict[str, str]

    def groups(self) -> list[list[Entry]]:
        """Entries grouped as in the file (same category, purpose, retention and readers)."""
        groups: dict[tuple, list[Entry]] = {}
        for e in self.entries:
            key = (e.category, e.purpose, e.legal_basis, e.retention, e.readers)
            groups.setdefault(key, []).append(e)
        return list(groups.values())

    def fields(self) -> set[str]:
        return {e.field for e in self.entries}

    def fields_of(self, model) -> list[str]:
        """Registered personal field names of ``model`` (a live, not historical, model)."""
        prefix = f"{model._meta.app_label}.{model.__name__}."
        return [e.field_name for e in self.entries if e.field.startswith(prefix)]


class RegisterError(ValueError):
    """The register file is malformed (the message names the group and the key)."""


def parse_register(text: str) -> Register:
    """Parse the YAML ``text`` of a register; ``RegisterError`` on a missing key or bad field."""
    data = yaml.safe_load(text) or {}
    default_basis = (data.get("defaults") or {}).get("legal_basis", "")
    entries = []
    for number, group in enumerate(data.get("entries") or [], start=1):
        for key in ("fields", "category", "purpose", "retention", "readers"):
            if not group.get(key):
                raise RegisterError(f"entries[{number}]: « {key} » manquant")
        for field in group["fields"]:
            if field.count(".") != 2:
                raise RegisterError(f"entries[{number}]: « {field} » n'est pas app.Modèle.champ")
            entries.append(
                Entry(
                    field=field,
                    category=group["category"],
                    purpose=group["purpose"],
                    legal_basis=group.get("legal_basis", default_basis),
                    retention=group["retention"],
                    readers=group["readers"],
                )
            )
    return Register(entries=tuple(entries), not_personal=dict(data.get("not_personal") or {}))


@lru_cache(maxsize=1)
def load_register() -> Register:
    """The register of ``register.yaml`` (cached for the process)."""
    return parse_register(REGISTER_PATH.read_text(encoding="utf-8"))


def looks_personal(field) -> bool:
    """True if a concrete model field looks like personal data (name or type heuristics)."""
    if isinstance(field, PERSONAL_TYPES):
        return True
    return isinstance(field, models.CharField) and bool(PERSONAL_NAME.search(field.name))


def _label(model, field_name: str) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field_name}"


def _base_label(label: str) -> str:
    """``promotions.HistoricalFellow.name`` → ``promotions.Fellow.name`` (others unchanged)."""
    app_label, model_name, field = label.split(".")
    if model_name.startswith(HISTORICAL_PREFIX):
        model_name = model_name[len(HISTORICAL_PREFIX) :]
    return f"{app_label}.{model_name}.{field}"


def unregistered_fields(register: Register) -> list[str]:
    """Model fields that look personal and are neither registered nor declared not personal.

    Returns ``app_label.Model.field`` labels, sorted. A historical model's field is covered by
    its live model's entry.
    """
    known = register.fields() | set(register.not_personal)
    missing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            label = _label(model, field.name)
            if not looks_personal(field) or label in known or _base_label(label) in known:
                continue
            missing.append(label)
    return sorted(missing)


def stale_entries(register: Register) -> list[str]:
    """Register or allow-list labels naming a model or field that does not exist (sorted)."""
    stale = []
    for label in sorted(register.fields() | set(register.not_personal)):
        app_label, model_name, field_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
            model._meta.get_field(field_name)
        except (LookupError, FieldDoesNotExist):
            stale.append(label)
    return stale


def historical_label(entry: Entry) -> str | None:
    """The label of the entry's historical copy (``app.HistoricalModel.field``), if tracked."""
    try:
        apps.get_model(entry.app_label, HISTORICAL_PREFIX + entry.model_name)
    except LookupError:
        return None
    return f"{entry.app_label}.{HISTORICAL_PREFIX}{entry.model_name}.{entry.field_name}"


def verbose_names(entry: Entry) -> tuple[str, str]:
    """The model's and the field's verbose names (French), for the pages."""
    model = apps.get_model(entry.app_label, entry.model_name)
    return str(model._meta.verbose_name), str(model._meta.get_field(entry.field_name).verbose_name)


def register_markdown(register: Register) -> str:
    """``docs/personal-data.md``: the register as markdown, one section per group of fields."""
    with translation.override("fr"):
        return _markdown(register)


def _markdown(register: Register) -> str:
    lines = [
        "# Données personnelles — registre",
        "",
        "Généré par `python manage.py personal_data --markdown` depuis "
        "`eig_portal/privacy/register.yaml` : ne pas modifier à la main.",
        "",
        f"{len(register.entries)} champs de données personnelles en {len(register.groups())} "
        "groupes. Base légale par défaut : mission d'intérêt public (RGPD, art. 6-1-e).",
        "",
    ]
    for group in register.groups():
        first = group[0]
        lines += [f"## {first.category}", "", "| champ | modèle | historique |", "|---|---|---|"]
        for entry in group:
            model_name, field_name = verbose_names(entry)
            historical = historical_label(entry)
            lines.append(
                f"| `{entry.field}` | {model_name} — {field_name} | "
                + (f"`{historical}` |" if historical else "— |")
            )
        lines += [
            "",
            f"- **Finalité** : {first.purpose}",
            f"- **Base légale** : {first.legal_basis}",
            f"- **Conservation** : {first.retention}",
            f"- **Accès** : {first.readers}",
            "",
        ]
    if register.not_personal:
        lines += ["## Champs examinés et jugés non personnels", ""]
        for label, why in sorted(register.not_personal.items()):
            lines.append(f"- `{label}` : {why}")
        lines.append("")
    return "\n".join(lines)
