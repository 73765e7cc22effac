"""Questionnaire definition files (YAML or JSON): parsing, validation, import and export.

Format (issue 4, item 2)::

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

from .models import Choice, Question, Section, Survey

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
        raise DefinitionError([f"{path}: syntaxe invalide : {exc}"]) from exc


def _is_number(value):
    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def validate_definition(data):
    """Return the list of errors (``"path: message"``) of a definition; empty when valid."""
    errors = []

    def err(path, message):
        errors.append(f"{path}: {message}")

    if not isinstance(data, dict):
        return ["(racine): un objet est attendu (code, title, audience, sections)"]
    for key in sorted(set(data) - _TOP_KEYS):
        err(key, "clé inconnue")
    code = data.get("code")
    if not isinstance(code, str) or not _SLUG.match(code):
        err("code", "obligatoire ; lettres, chiffres, « - » et « _ » uniquement")
    if not isinstance(data.get("title"), str) or not data.get("title", "").strip():
        err("title", "obligatoire")
    if "description" in data and not isinstance(data["description"], str):
        err("description", "texte attendu")
    audience = data.get("audience")
    if isinstance(audience, str):
        audience = [audience]
    if not isinstance(audience, list) or not audience:
        err("audience", "obligatoire : fellows et/ou mentors")
    else:
        for i, value in enumerate(audience):
            if value not in _AUDIENCES:
                err(f"audience[{i}]", f"« {value} » inconnu ; attendu fellows ou mentors")
    if "anonymous" in data and not isinstance(data["anonymous"], bool):
        err("anonymous", "true ou false attendu")
    promotions = data.get("promotions", [])
    if not isinstance(promotions, list) or not all(isinstance(p, str) for p in promotions):
        err("promotions", "liste de codes de promotion attendue")
    else:
        from promotions.models import Promotion

        known = set(Promotion.objects.filter(code__in=promotions).values_list("code", flat=True))
        for i, value in enumerate(promotions):
            if value not in known:
                err(f"promotions[{i}]", f"promotion « {value} » inconnue")

    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        err("sections", "au moins une section est attendue")
        return errors

    seen = {}  # question code -> (type, choice codes), in order of appearance
    for s_index, section in enumerate(sections):
        s_path = f"sections[{s_index}]"
        if not isinstance(section, dict):
            err(s_path, "un objet est attendu (title, questions)")
            continue
        for key in sorted(set(section) - _SECTION_KEYS):
            err(f"{s_path}.{key}", "clé inconnue")
        if not isinstance(section.get("title"), str) or not section.get("title", "").strip():
            err(f"{s_path}.title", "obligatoire")
        questions = section.get("questions")
        if not isinstance(questions, list) or not questions:
            err(f"{s_path}.questions", "au moins une question est attendue")
            continue
        for q_index, question in enumerate(questions):
            _validate_question(question, f"{s_path}.questions[{q_index}]", seen, err)
    return errors


def _validate_question(question, path, seen, err):
    if not isinstance(question, dict):
        err(path, "un objet est attendu (code, text, type)")
        return
    for key in sorted(set(question) - _QUESTION_KEYS):
        err(f"{path}.{key}", "clé inconnue")
    code = question.get("code")
    if not isinstance(code, str) or not _SLUG.match(code):
        err(f"{path}.code", "obligatoire ; lettres, chiffres, « - » et « _ » uniquement")
        code = None
    elif code in seen:
        err(f"{path}.code", f"« {code} » est déjà utilisé par une autre question")
    if not isinstance(question.get("text"), str) or not question.get("text", "").strip():
        err(f"{path}.text", "obligatoire")
    qtype = question.get("type")
    if qtype not in _TYPES:
        err(f"{path}.type", f"« {qtype} » inconnu ; attendu l'un de {', '.join(sorted(_TYPES))}")
        qtype = None
    if "pinned_choice" in question and not isinstance(question["pinned_choice"], str):
        err(f"{path}.pinned_choice", "texte attendu (code de choix ou yes)")
    for key in ("required", "pinned"):
        if key in question and not isinstance(question[key], bool):
            err(f"{path}.{key}", "true ou false attendu")
    if "help" in question and not isinstance(question["help"], str):
        err(f"{path}.help", "texte attendu")

    choice_codes = set()
    choices = question.get("choices")
    if qtype in ("single", "multiple"):
        if not isinstance(choices, list) or len(choices) < 2:
            err(f"{path}.choices", "au moins deux choix {code, label} sont attendus")
        else:
            for c_index, choice in enumerate(choices):
                c_path = f"{path}.choices[{c_index}]"
                if not isinstance(choice, dict):
                    err(c_path, "un objet {code, label} est attendu")
                    continue
                for key in sorted(set(choice) - {"code", "label"}):
                    err(f"{c_path}.{key}", "clé inconnue")
                c_code = choice.get("code")
                if not isinstance(c_code, str) or not _SLUG.match(c_code):
                    err(f"{c_path}.code", "obligatoire ; lettres, chiffres, « - » et « _ »")
                elif c_code in choice_codes:
                    err(f"{c_path}.code", f"« {c_code} » est déjà utilisé dans cette question")
                else:
                    choice_codes.add(c_code)
                if not isinstance(choice.get("label"), str) or not choice["label"].strip():
                    err(f"{c_path}.label", "obligatoire")
    elif choices is not None and qtype:
        err(f"{path}.choices", f"interdit pour le type {qtype}")

    scale = question.get("scale")
    if qtype == "scale":
        if not isinstance(scale, dict):
            err(f"{path}.scale", "obligatoire : {min, max, min_label, max_label}")
        else:
            for key in sorted(set(scale) - {"min", "max", "min_label", "max_label"}):
                err(f"{path}.scale.{key}", "clé inconnue")
            lo, hi = scale.get("min"), scale.get("max")
            ok = True
            for key, value in (("min", lo), ("max", hi)):
                if not isinstance(value, int) or isinstance(value, bool):
                    err(f"{path}.scale.{key}", "nombre entier attendu")
                    ok = False
            if ok and lo >= hi:
                err(f"{path}.scale.max", "doit être supérieur au minimum")
            elif ok and hi - lo > 20:
                err(f"{path}.scale", "au plus 21 graduations")
            for key in ("min_label", "max_label"):
                if key in scale and not isinstance(scale[key], str):
                    err(f"{path}.scale.{key}", "texte attendu")
    elif scale is not None and qtype:
        err(f"{path}.scale", f"interdit pour le type {qtype}")

    number = question.get("number")
    if qtype == "number" and number is not None:
        if not isinstance(number, dict):
            err(f"{path}.number", "un objet {min, max, unit} est attendu")
        else:
            for key in sorted(set(number) - {"min", "max", "unit"}):
                err(f"{path}.number.{key}", "clé inconnue")
            for key in ("min", "max"):
                if number.get(key) is not None and not _is_number(number[key]):
                    err(f"{path}.number.{key}", "nombre attendu")
            lo, hi = number.get("min"), number.get("max")
            if _is_number(lo) and _is_number(hi) and Decimal(str(lo)) > Decimal(str(hi)):
                err(f"{path}.number.max", "doit être supérieur ou égal au minimum")
            if "unit" in number and not isinstance(number["unit"], str):
                err(f"{path}.number.unit", "texte attendu")
    elif number is not None and qtype:
        err(f"{path}.number", f"interdit pour le type {qtype}")

    show_if = question.get("show_if")
    if show_if is not None:
        _validate_show_if(show_if, f"{path}.show_if", seen, err)

    if code and code not in seen:
        seen[code] = (qtype, choice_codes)


def _validate_show_if(show_if, path, seen, err):
    if not isinstance(show_if, dict) or set(show_if) != {"question", "equals"}:
        err(path, "un objet {question, equals} est attendu")
        return
    target, value = show_if["question"], show_if["equals"]
    if target not in seen:
        err(f"{path}.question", f"« {target} » n'est pas une question précédente")
        return
    ttype, tchoices = seen[target]
    if ttype in ("long_text",):
        err(f"{path}.question", "une question à texte long ne peut pas servir de condition")
    elif ttype in ("single", "multiple") and str(value) not in tchoices:
        err(f"{path}.equals", f"« {value} » n'est pas un choix de « {target} »")
    elif ttype == "yesno" and _yesno_value(value) is None:
        err(f"{path}.equals", "yes ou no attendu")
    elif ttype in ("scale", "number") and not _is_number(value):
        err(f"{path}.equals", "nombre attendu")


def _yesno_value(value):
    """``"yes"``/``"no"`` from yes/no/oui/non/true/false, else None."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    value = str(value).strip().lower()
    if value in ("yes", "oui", "true"):
        return "yes"
    if value in ("no", "non", "false"):
        return "no"
    return None


def _condition_value(value, ttype):
    if ttype == "yesno":
        return _yesno_value(value)
    if ttype in ("scale", "number"):
        return str(Decimal(str(value)).normalize())
    return str(value)


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
        raise DefinitionError([f"code: le questionnaire « {data['code']} » existe déjà"])
    if survey:
        if survey.responses.exists():
            raise DefinitionError(
                [f"code: « {data['code']} » a déjà des réponses ; dupliquez-le plutôt"]
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
        show_if_value=_condition_value(show_if["equals"], target.type) if show_if else "",
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
