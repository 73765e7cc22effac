"""Shares and percentages, with the portal's one documented rounding rule (programme figures,
survey results, their API and exports).

* **Shares** (0–1 floats) are ``count / total`` rounded *half up*, exactly (integer/Decimal
  arithmetic, no floating-point ties), to the precision of their use: 2 places for the programme
  figures (the 2019 report prints 2-decimal shares: EIG 3 designers 5/32 = 0.15625 → 0.16),
  4 places for survey results returned as data.
* **Percentages** shown are whole numbers, rounded half up (a share: ``share_percent``), written
  « 71 % » with a narrow no-break space (``format_percent``); « — » for an empty population.

Survey results (shown to coordinators on the results page):

* **Single choice** (and yes/no): the percentages of the choices of one question are rounded
  to the unit with the *largest-remainder method* (Hamilton): each choice first gets the integer
  part of ``100 × count / n``; the points still missing to reach 100 go, one each, to the
  choices with the largest remainders (ties: the larger count, then the earlier choice). The
  percentages of one question therefore always add up to exactly 100.
  Example: 17 answers split 12 / 4 / 1 → 70.59 / 23.53 / 5.88 → 71 / 23 / 6 (sum 100), where
  rounding each alone would give 71 / 24 / 6 (sum 101).
* **Multiple choice** (« plusieurs réponses possibles »): each choice's share is rounded alone,
  half up (``count / n`` where ``n`` is the number of respondents who answered the question);
  the sum may exceed 100 %.
* **Shares** returned as data (API, JSON) are not rounded to the unit: ``count / n`` as a float
  rounded half up to 4 decimal places.
* **Empty population** (``n = 0``): no percentage, ``None``, displayed « — », never an error.

Everything here is pure Python on integers (no floating-point ties), so that 12/4/1 → 71/23/6
is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "—"


def percent(count: int, total: int) -> int | None:
    """``count / total`` as a whole percentage, rounded half up; ``None`` when ``total`` is 0."""
    if not total:
        return None
    # (200·c + t) // (2·t) == floor(100·c/t + 1/2): exact half-up rounding on integers.
    return (200 * count + total) // (2 * total)


def largest_remainder_percentages(counts: Sequence[int], total: int | None = None) -> list:
    """Whole percentages of ``counts`` that add up to 100 (largest-remainder method).

    ``counts``: one count per choice, in display order; ``total``: the population (defaults to
    ``sum(counts)``; when it differs, the target is the half-up rounded share of the counted
    part, so an incomplete set never claims 100). Returns a list of ``int`` of the same length,
    or a list of ``None`` when the population is empty.
    """
    counts = [int(c) for c in counts]
    if total is None:
        total = sum(counts)
    if not total:
        return [None] * len(counts)
    if any(c < 0 for c in counts) or sum(counts) > total:
        raise ValueError("counts must be non-negative and not exceed the total")
    target = percent(sum(counts), total)
    floors = [(100 * c) // total for c in counts]
    remainders = [(100 * c) % total for c in counts]
    missing = target - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], -counts[i], i))
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return floors


def share(count: int | None, total: int | None, *, places: int = 4) -> float | None:
    """``count / total`` as a float in [0, 1], rounded half up to ``places`` decimals (exact:
    computed on ``Decimal``); ``None`` when either number is unknown or ``total`` is 0."""
    if count is None or not total:
        return None
    quantum = Decimal(1).scaleb(-places)
    return float((Decimal(count) / Decimal(total)).quantize(quantum, ROUND_HALF_UP))


def share_percent(value: float | None) -> int | None:
    """A share (0–1) as a whole percentage, half up (0.155 → 16, through its decimal text so that
    the float's binary error does not decide); ``None`` stays ``None``."""
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).quantize(Decimal(1), ROUND_HALF_UP))


def format_percent(value: int | None) -> str:
    """« 71 % » (with a narrow no-break space), or « — » for an empty population."""
    if value is None:
        return EMPTY
    return f"{value}\u202f%"
