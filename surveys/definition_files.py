"""Questionnaire definition files (YAML or JSON): parsing, validation, import and export.

Format::

    code: eig-2019-fellows            # slug, unique
    title: "…"
    description: "…"                  # optional
    audience: [fellows, mentors]      # or a single string
    anonymous: false                  # optional, default false
    promotions: ["EIG 1", "EIG 2"]    # optional, promotion codes that must exist
    sections:
      - title: "…"
        description: "…"              # optional
        questions:
          - code: tech_env_adapted     # slug, unique in the questionnaire
            text: "…"
            type: single|multiple|scale|yesno|number|short_text|long_text
            required: false            # optional
            help: "…"                  # optional
            pinned: false              # optional: headline on « Le programme en chiffres »
            pinned_choice: "yes"       # optional: the choice code (or yes) whose share is shown
            choices: [{code, label}]   # single and multiple only (at least two)
            scale: {min, max, min_label, max_label}   # scale only (min < max, integers)
            number: {min, max, unit}   # number only, all optional
            show_if: {question: <earlier code>, equals: <choice code | yes | no | number>}

Every error names its path, e.g. ``sections[2].questions[5].type``; nothing is written when
there is any error.
"""

import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .conditions import ON_QUESTION, ConditionTarget, condition_value
from .limits import section_field_count, section_max_fields
from .models import Choice, Question, Section, Survey
from .services import survey_definition_changed

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
SHIPPED_2019 = ("eig-2019-fellows.yaml", "eig-2019-mentors.yaml")

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_TYPES = {t.value for t in Question.Type}
_TOP_KEYS = {"code", "title", "description", "audience", "anonymous", "promotions", "sections"}
_SECTION_KEYS = {"title", "description", "questions"}
_QUESTION_KEYS = {
    "code",
    "text",
    "type",
    "required",
    "help",
    "pinned",
    "pinned_choice",
    "choices",
    "scale",
    "number",
    "show_if",
}
_AUDIENCES = {"fellows", "mentors"}


class DefinitionError(ValidationError):
    """A definition file is invalid; ``errors`` lists ``"path: message"`` strings."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__(self.errors)


def load_definition_file(path):
    """Read a YAML (``.yaml``/``.yml``) or JSON file and return the raw data.

    Raises ``DefinitionError`` when the file cannot be read or parsed.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([f"{path}: {exc}"]) from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(raw)
        return yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DefinitionError(
            [_("%(path)s: syntaxe invalide : %(error)s") % {"path": path, "error": exc}]
        ) from exc


def _is_number(value):
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


class _Errors(list):
    """The ``"path: message"`` errors of one definition, with the checks shared by every level."""

    def add(self, path: str, message: str) -> None:
        """Record ``message`` at ``path`` (e.g. ``sections[2].questions[5].type``)."""
        self.append(f"{path}: {message}")

    def unknown_keys(self, data: dict, allowed, path: str = "") -> None:
        """Refuse the keys of ``data`` outside ``allowed`` (in alphabetical order)."""
        for key in sorted(set(data) - set(allowed)):
            self.add(f"{path}.{key}" if path else key, _("clé inconnue"))

    def check_fields(self, data: dict, schema: dict, path: str = "") -> None:
        """Check ``data``'s fields against ``schema`` (``{key: (kind, required)}``).

        Kinds: ``"slug"`` (letters, digits, - and _), ``"text"`` (a string; a required one must
        not be blank), ``"bool"``.
        """
        for key, (kind, required) in schema.items():
            where = f"{path}.{key}" if path else key
            if key not in data and not required:
                continue
            value = data.get(key)
            if kind == "slug" and not (isinstance(value, str) and _SLUG.match(value)):
                self.add(where, _("obligatoire ; lettres, chiffres, « - » et « _ » uniquement"))
            elif kind == "text" and not isinstance(value, str):
                self.add(where, _("obligatoire") if required else _("texte attendu"))
            elif kind == "text" and required and not value.strip():
                self.add(where, _("obligatoire"))
            elif kind == "bool" and not isinstance(value, bool):
                self.add(where, _("true ou false attendu"))


#: Fields of a questionnaire, of a section and of a question: ``{key: (kind, required)}``.
_TOP_FIELDS = {"code": ("slug", True), "title": ("text", True), "description": ("text", False)}
_TOP_FIELDS |= {"anonymous": ("bool", False)}
_SECTION_FIELDS = {"title": ("text", True), "description": ("text", False)}
_QUESTION_FIELDS = {
    "text": ("text", True),
    "help": ("text", False),
    "required": ("bool", False),
    "pinned": ("bool", False),
}


def validate_definition(data):
    """Return the list of errors (``"path: message"``) of a definition; empty when valid.

    Checks the questionnaire's fields, then each section and each question in order (a
    condition may only test an earlier question). Reads the promotions' codes (one query).
    """
    errors = _Errors()
    if not isinstance(data, dict):
        return [_("(racine): un objet est attendu (code, title, audience, sections)")]
    errors.unknown_keys(data, _TOP_KEYS)
    errors.check_fields(data, _TOP_FIELDS)
    _validate_audience(data.get("audience"), errors)
    _validate_promotions(data.get("promotions", []), errors)
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        errors.add("sections", _("au moins une section est attendue"))
        return list(errors)
    seen: dict[str, ConditionTarget] = {}  # earlier questions, by code
    for s_index, section in enumerate(sections):
        _validate_section(section, f"sections[{s_index}]", seen, errors)
    return list(errors)


def _validate_audience(audience, errors: _Errors) -> None:
    if isinstance(audience, str):
        audience = [audience]
    if not isinstance(audience, list) or not audience:
        errors.add("audience", _("obligatoire : fellows et/ou mentors"))
        return
    for i, value in enumerate(audience):
        if value not in _AUDIENCES:
            errors.add(
                f"audience[{i}]",
                _("« %(value)s » inconnu ; attendu fellows ou mentors") % {"value": value},
            )


def _validate_promotions(promotions, errors: _Errors) -> None:
    if not isinstance(promotions, list) or not all(isinstance(p, str) for p in promotions):
        errors.add("promotions", _("liste de codes de promotion attendue"))
        return
    from promotions.models import Promotion

    known = set(Promotion.objects.filter(code__in=promotions).values_list("code", flat=True))
    for i, value in enumerate(promotions):
        if value not in known:
            errors.add(f"promotions[{i}]", _("promotion « %(code)s » inconnue") % {"code": value})


def _validate_section(section, path: str, seen: dict, errors: _Errors) -> None:
    if not isinstance(section, dict):
        errors.add(path, _("un objet est attendu (title, questions)"))
        return
    errors.unknown_keys(section, _SECTION_KEYS, path)
    errors.check_fields(section, _SECTION_FIELDS, path)
    questions = section.get("questions")
    if not isinstance(questions, list) or not questions:
        errors.add(f"{path}.questions", _("au moins une question est attendue"))
        return
    for q_index, question in enumerate(questions):
        _validate_question(question, f"{path}.questions[{q_index}]", seen, errors)
    count, limit = section_field_count(questions), section_max_fields()
    if count > limit:
        errors.add(
            f"{path}.questions",
            _(
                "cette section enverrait jusqu'à %(count)s champs (un par option cochée), plus "
                "que les %(limit)s qu'une page accepte : répartissez ses questions en plusieurs "
                "sections"
            )
            % {"count": count, "limit": limit},
        )


def _validate_question(question, path: str, seen: dict, errors: _Errors) -> None:
    """Check one question; record it in ``seen`` (code → ConditionTarget) for later conditions."""
    if not isinstance(question, dict):
        errors.add(path, _("un objet est attendu (code, text, type)"))
        return
    errors.unknown_keys(question, _QUESTION_KEYS, path)
    code = question.get("code")
    if not isinstance(code, str) or not _SLUG.match(code):
        errors.add(f"{path}.code", _("obligatoire ; lettres, chiffres, « - » et « _ » uniquement"))
        code = None
    elif code in seen:
        errors.add(
            f"{path}.code",
            _("« %(code)s » est déjà utilisé par une autre question") % {"code": code},
        )
    errors.check_fields(question, _QUESTION_FIELDS, path)
    qtype = question.get("type")
    if qtype not in _TYPES:
        errors.add(
            f"{path}.type",
            _("« %(type)s » inconnu ; attendu l'un de %(types)s")
            % {"type": qtype, "types": ", ".join(sorted(_TYPES))},
        )
        qtype = None
    if "pinned_choice" in question and not isinstance(question["pinned_choice"], str):
        errors.add(f"{path}.pinned_choice", _("texte attendu (code de choix ou yes)"))
    choice_codes = _validate_type_parts(question, qtype, path, errors)
    if question.get("show_if") is not None:
        _validate_show_if(question["show_if"], f"{path}.show_if", seen, errors)
    if code and code not in seen:
        scale = question.get("scale") if isinstance(question.get("scale"), dict) else {}
        seen[code] = ConditionTarget(
            code=code,
            type=qtype or "",
            choice_codes=tuple(choice_codes),
            scale_min=scale.get("min") if isinstance(scale.get("min"), int) else None,
            scale_max=scale.get("max") if isinstance(scale.get("max"), int) else None,
        )


def _validate_type_parts(question: dict, qtype, path: str, errors: _Errors) -> list[str]:
    """The parts that belong to some types only (``_TYPE_PARTS``): checked for those types,
    refused for the others. Returns the valid choice codes (single and multiple)."""
    choice_codes: list[str] = []
    for key, (types, required, check) in _TYPE_PARTS.items():
        value = question.get(key)
        if qtype in types and (required or value is not None):
            found = check(value, f"{path}.{key}", errors)
            if key == "choices":
                choice_codes = found
        elif value is not None and qtype:
            errors.add(f"{path}.{key}", _("interdit pour le type %(type)s") % {"type": qtype})
    return choice_codes


def _validate_choices(choices, path: str, errors: _Errors) -> list[str]:
    if not isinstance(choices, list) or len(choices) < 2:
        errors.add(path, _("au moins deux choix {code, label} sont attendus"))
        return []
    codes: list[str] = []
    for c_index, choice in enumerate(choices):
        c_path = f"{path}[{c_index}]"
        if not isinstance(choice, dict):
            errors.add(c_path, _("un objet {code, label} est attendu"))
            continue
        errors.unknown_keys(choice, {"code", "label"}, c_path)
        c_code = choice.get("code")
        if not isinstance(c_code, str) or not _SLUG.match(c_code):
            errors.add(f"{c_path}.code", _("obligatoire ; lettres, chiffres, « - » et « _ »"))
        elif c_code in codes:
            errors.add(
                f"{c_path}.code",
                _("« %(code)s » est déjà utilisé dans cette question") % {"code": c_code},
            )
        else:
            codes.append(c_code)
        errors.check_fields(choice, {"label": ("text", True)}, c_path)
    return codes


def _validate_scale(scale, path: str, errors: _Errors) -> None:
    if not isinstance(scale, dict):
        errors.add(path, _("obligatoire : {min, max, min_label, max_label}"))
        return
    errors.unknown_keys(scale, {"min", "max", "min_label", "max_label"}, path)
    lo, hi = scale.get("min"), scale.get("max")
    ok = True
    for key, value in (("min", lo), ("max", hi)):
        if not isinstance(value, int) or isinstance(value, bool):
            errors.add(f"{path}.{key}", _("nombre entier attendu"))
            ok = False
    if ok and lo >= hi:
        errors.add(f"{path}.max", _("doit être supérieur au minimum"))
    elif ok and hi - lo > 20:
        errors.add(path, _("au plus 21 graduations"))
    errors.check_fields(scale, {"min_label": ("text", False), "max_label": ("text", False)}, path)


def _validate_number(number, path: str, errors: _Errors) -> None:
    if not isinstance(number, dict):
        errors.add(path, _("un objet {min, max, unit} est attendu"))
        return
    errors.unknown_keys(number, {"min", "max", "unit"}, path)
    for key in ("min", "max"):
        if number.get(key) is not None and not _is_number(number[key]):
            errors.add(f"{path}.{key}", _("nombre attendu"))
    lo, hi = number.get("min"), number.get("max")
    if _is_number(lo) and _is_number(hi) and Decimal(str(lo)) > Decimal(str(hi)):
        errors.add(f"{path}.max", _("doit être supérieur ou égal au minimum"))
    errors.check_fields(number, {"unit": ("text", False)}, path)


#: Parts of a question that only some types have: ``{key: (types, required, check)}``.
_TYPE_PARTS = {
    "choices": ({"single", "multiple"}, True, _validate_choices),
    "scale": ({"scale"}, True, _validate_scale),
    "number": ({"number"}, False, _validate_number),
}


def _validate_show_if(show_if, path: str, seen: dict, errors: _Errors) -> None:
    """A condition names an earlier question and a value it can take (:mod:`surveys.conditions`)."""
    if not isinstance(show_if, dict) or set(show_if) != {"question", "equals"}:
        errors.add(path, _("un objet {question, equals} est attendu"))
        return
    target = seen.get(show_if["question"])
    if target is None:
        errors.add(
            f"{path}.question",
            _("« %(code)s » n'est pas une question précédente") % {"code": show_if["question"]},
        )
        return
    try:
        condition_value(target=target, value=show_if["equals"])
    except ValidationError as exc:
        where = "question" if exc.code == ON_QUESTION else "equals"
        errors.add(f"{path}.{where}", exc.messages[0])


@transaction.atomic
def survey_import_definition(*, data, replace=False):
    """Create (or with ``replace`` rebuild) a ``Survey`` from definition data; return it.

    Raises ``DefinitionError`` (nothing written) when the data is invalid, when the code already
    exists without ``replace``, or when replacing a survey that already has responses.
    """
    errors = validate_definition(data)
    if errors:
        raise DefinitionError(errors)
    audience = data["audience"]
    audience = [audience] if isinstance(audience, str) else audience
    fields = {
        "title": data["title"].strip(),
        "description": data.get("description", "").strip(),
        "audience_fellows": "fellows" in audience,
        "audience_mentors": "mentors" in audience,
        "is_anonymous": data.get("anonymous", False),
    }
    survey = Survey.objects.select_for_update().filter(code=data["code"]).first()
    if survey and not replace:
        raise DefinitionError(
            [_("code: le questionnaire « %(code)s » existe déjà") % {"code": data["code"]}]
        )
    if survey:
        if survey.responses.exists():
            raise DefinitionError(
                [
                    _("code: « %(code)s » a déjà des réponses ; dupliquez-le plutôt")
                    % {"code": data["code"]}
                ]
            )
        survey.sections.all().delete()
        for key, value in fields.items():
            setattr(survey, key, value)
        survey.full_clean()
        survey.save()
    else:
        survey = Survey(code=data["code"], **fields)
        survey.full_clean()
        survey.save()
    if data.get("promotions"):
        from promotions.models import Promotion

        survey.promotions.set(Promotion.objects.filter(code__in=data["promotions"]))

    by_code = {}
    for s_order, s_data in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            survey=survey,
            title=s_data["title"].strip(),
            description=s_data.get("description", "").strip(),
            order=s_order,
        )
        for q_order, q_data in enumerate(s_data["questions"], start=1):
            question = _build_question(survey, section, q_order, q_data, by_code)
            by_code[question.code] = question
    survey_definition_changed(survey=survey)  # choices were written in bulk
    return survey


def _build_question(survey, section, order, q_data, by_code):
    scale = q_data.get("scale") or {}
    number = q_data.get("number") or {}
    show_if = q_data.get("show_if")
    target = by_code[show_if["question"]] if show_if else None
    question = Question(
        survey=survey,
        section=section,
        code=q_data["code"],
        text=q_data["text"].strip(),
        help_text=q_data.get("help", "").strip(),
        type=q_data["type"],
        required=q_data.get("required", False),
        pinned=q_data.get("pinned", False),
        pinned_choice=q_data.get("pinned_choice", ""),
        order=order,
        scale_min=scale.get("min"),
        scale_max=scale.get("max"),
        min_label=scale.get("min_label", ""),
        max_label=scale.get("max_label", ""),
        number_min=Decimal(str(number["min"])) if number.get("min") is not None else None,
        number_max=Decimal(str(number["max"])) if number.get("max") is not None else None,
        unit=number.get("unit", "") or "",
        show_if_question=target,
        show_if_value=(
            condition_value(target=ConditionTarget.of_question(target), value=show_if["equals"])
            if show_if
            else ""
        ),
    )
    question.full_clean()
    question.save()
    Choice.objects.bulk_create(
        Choice(question=question, code=c["code"], label=c["label"].strip(), order=i)
        for i, c in enumerate(q_data.get("choices") or [], start=1)
    )
    return question


def _number_out(value):
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def survey_export_definition(*, survey):
    """Return the definition data of ``survey`` (the format read by ``survey_import_definition``)."""
    audience = [
        r
        for r, on in (("fellows", survey.audience_fellows), ("mentors", survey.audience_mentors))
        if on
    ]
    data = {"code": survey.code, "title": survey.title}
    if survey.description:
        data["description"] = survey.description
    data["audience"] = audience
    data["anonymous"] = survey.is_anonymous
    promotions = list(survey.promotions.values_list("code", flat=True))
    if promotions:
        data["promotions"] = promotions
    questions_by_section = {}
    for question in (
        Question.objects.filter(survey=survey)
        .select_related("show_if_question")
        .prefetch_related("choices")
        .order_by("order", "pk")
    ):
        questions_by_section.setdefault(question.section_id, []).append(question)
    data["sections"] = []
    for section in survey.sections.order_by("order", "pk"):
        s_data = {"title": section.title}
        if section.description:
            s_data["description"] = section.description
        s_data["questions"] = [
            _export_question(q) for q in questions_by_section.get(section.pk, [])
        ]
        data["sections"].append(s_data)
    return data


def _export_question(question):
    q = {"code": question.code, "text": question.text, "type": question.type}
    if question.required:
        q["required"] = True
    if question.help_text:
        q["help"] = question.help_text
    if question.pinned:
        q["pinned"] = True
    if question.pinned_choice:
        q["pinned_choice"] = question.pinned_choice
    if question.has_choices:
        q["choices"] = [{"code": c.code, "label": c.label} for c in question.choices.all()]
    if question.type == Question.Type.SCALE:
        q["scale"] = {
            "min": question.scale_min,
            "max": question.scale_max,
            "min_label": question.min_label,
            "max_label": question.max_label,
        }
    if question.type == Question.Type.NUMBER:
        number = {
            "min": _number_out(question.number_min),
            "max": _number_out(question.number_max),
            "unit": question.unit,
        }
        number = {k: v for k, v in number.items() if v not in (None, "")}
        if number:
            q["number"] = number
    if question.show_if_question_id:
        q["show_if"] = {
            "question": question.show_if_question.code,
            "equals": question.show_if_value,
        }
    return q


def dump_definition(data, fmt="yaml"):
    """Serialise definition data as YAML (default) or JSON text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def load_shipped_2019_surveys(*, replace=False):
    """Import the shipped 2019 questionnaires (EIG and mentors) unless they exist; return them."""
    surveys = []
    for name in SHIPPED_2019:
        data = load_definition_file(DEFINITIONS_DIR / name)
        existing = Survey.objects.filter(code=data["code"]).first()
        if existing and not replace:
            surveys.append(existing)
        else:
            surveys.append(survey_import_definition(data=data, replace=replace))
    return surveys
