"""Scores as the coordinators read them in the admin: two decimals, half up, French comma."""

from decimal import ROUND_HALF_UP, Decimal


def round2(value):
    """A score to two decimals, half up (as ``floatformat`` on the comparison page: 4.125 → 4.13
    everywhere, not 4.12 in the list and 4.13 side by side); None stays None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score_text(value) -> str:
    """« 4,13 », or « — » when there is no score."""
    return "—" if value is None else str(round2(value)).replace(".", ",")
