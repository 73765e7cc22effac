"""Display conditions: which answer of an earlier question shows a later question.

One rule for every way a condition is written — questionnaire definition files
(:mod:`surveys.definition_files`) and the admin question form — so that the same condition is
accepted or refused by both, with the same message. A condition must be meetable: a condition
on « Autre » instead of the choice code « other » would hide its question for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Error codes of :func:`condition_value`: which part of the condition is wrong.
ON_QUESTION, ON_VALUE = "question", "value"

_YES = ("yes", "oui", "true")
_NO = ("no", "non", "false")


@dataclass(frozen=True)
class ConditionTarget:
    """The earlier question a condition tests: its code, type (``Question.Type`` value), choice
    codes (single/multiple) and scale range (scale; ``scale_max`` defaults to 5)."""

    code: str
    type: str
    choice_codes: tuple[str, ...] = ()
    scale_min: int | None = None
    scale_max: int | None = None

    @classmethod
    def of_question(cls, question) -> ConditionTarget:
        """The target described by a saved ``Question`` (reads its prefetched choices)."""
        return cls(
            code=question.code,
            type=question.type,
            choice_codes=tuple(c.code for c in question.choices.all()),
            scale_min=question.scale_min,
            scale_max=question.scale_max,
        )


def allowed_condition_values(target: ConditionTarget) -> list[str] | None:
    """The values a condition on ``target`` can test, or None when any number/text goes."""
    if target.type in ("single", "multiple"):
        return list(target.choice_codes)
    if target.type == "yesno":
        return ["yes", "no"]
    if target.type == "scale" and target.scale_min is not None:
        return [str(i) for i in range(target.scale_min, (target.scale_max or 5) + 1)]
    return None


def _number(value) -> str | None:
    """``value`` as a plain decimal string (``"4"``, ``"2.5"``; a comma is a decimal point)."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return format(number.normalize(), "f")


def _normalise(target: ConditionTarget, value) -> str | None:
    """The stored form of ``value`` for ``target``'s type; None when it is not of that type."""
    if target.type == "yesno":
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value).strip().lower()
        return "yes" if text in _YES else "no" if text in _NO else None
    if target.type in ("scale", "number"):
        return _number(value)
    return str(value).strip()


def condition_value(*, target: ConditionTarget, value) -> str:
    """The value to store for « show when ``target`` has the answer ``value`` ».

    Yes/no accepts yes/no/oui/non/true/false (stored ``yes``/``no``); scales and numbers accept
    a number (a comma is a decimal point; stored as ``"4"``, ``"2.5"``); choices their code.
    Raises ``ValidationError`` with code ``ON_QUESTION`` when ``target`` cannot be a condition
    (long text) and ``ON_VALUE`` when the value can never be its answer (empty, not a choice
    code, not a number, outside the scale).
    """
    if target.type == "long_text":
        raise ValidationError(
            _("Une question à texte long ne peut pas servir de condition."), code=ON_QUESTION
        )
    if value is None or str(value).strip() == "":
        raise ValidationError(_("Indiquez la réponse qui affiche cette question."), code=ON_VALUE)
    normalised = _normalise(target, value)
    allowed = allowed_condition_values(target)
    if normalised is None and allowed is None:
        raise ValidationError(
            _("« %(value)s » n'est pas un nombre : indiquez un nombre.") % {"value": value},
            code=ON_VALUE,
        )
    if allowed is not None and normalised not in allowed:
        raise ValidationError(
            _(
                "« %(value)s » n'est pas une réponse possible de « %(code)s » : indiquez %(allowed)s."
            )
            % {"value": value, "code": target.code, "allowed": " | ".join(allowed)},
            code=ON_VALUE,
        )
    return normalised
