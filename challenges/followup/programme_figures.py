"""The figures of the programme's ten months and after, per promotion and in total.

Composes, for « Le programme en chiffres » and ``/api/v1/figures/``:

- ``events``: events held (ended), confirmed seats, people present (counts) and
  ``attendance_rate`` (present / confirmed seats, 0–1) — ``promotions.events.figures``;
- ``outcomes``: counts from each défi's latest outcome by ``as_of`` (``OUTCOME_KEYS``) and
  ``outcome_shares``: each count over ``challenges`` (0–1) — ``challenges.followup.figures``;
- ``expertise``: the promotion's EIG, those with at least one request, their share (0–1) and
  requests by topic;
- ``alumni``: alumni by current situation (counts).

Shares are rounded to two decimals half up (``promotions.figures.share``), ``None`` when the
population is empty. Totals are sums of the promotions' counts, shares recomputed from the sums.
Four queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from promotions.alumni.figures import SITUATION_KEYS, alumni_situations_by_promotion
from promotions.events.figures import EventFigures, event_figures_by_promotion
from promotions.figures import share

from .figures import OUTCOME_KEYS, TOPIC_KEYS, expertise_by_promotion, outcome_counts_by_promotion

#: Outcome counts shown as shares of the défis with an outcome.
SHARE_KEYS = [k for k in OUTCOME_KEYS if k != "challenges"]


@dataclass
class FollowUpFigures:
    """One column (a promotion or the total); counts are ``int``, shares 0–1 floats."""

    events: EventFigures = field(default_factory=EventFigures)
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KEYS, 0))
    fellows: int = 0
    fellows_with_request: int = 0
    requests_by_topic: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOPIC_KEYS, 0))
    alumni: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SITUATION_KEYS, 0))

    @property
    def outcome_shares(self) -> dict[str, float | None]:
        """Each outcome count over ``outcomes["challenges"]`` (0–1, two decimals; ``None``: none)."""
        return {k: share(self.outcomes[k], self.outcomes["challenges"]) for k in SHARE_KEYS}

    @property
    def share_fellows_with_request(self) -> float | None:
        """EIG with at least one request over the promotion's EIG (0–1, two decimals)."""
        return share(self.fellows_with_request, self.fellows)

    def add(self, other: FollowUpFigures) -> None:
        """Add ``other``'s counts to this column's (for the total)."""
        self.events = self.events + other.events
        self.fellows += other.fellows
        self.fellows_with_request += other.fellows_with_request
        for mine, theirs in (
            (self.outcomes, other.outcomes),
            (self.requests_by_topic, other.requests_by_topic),
            (self.alumni, other.alumni),
        ):
            for key, value in theirs.items():
                mine[key] += value

    def as_api(self) -> dict[str, Any]:
        """The column as in ``/api/v1/figures/`` (see ``FollowUpFiguresSerializer``)."""
        return {
            "events": {
                "held": self.events.held,
                "confirmed": self.events.confirmed,
                "attended": self.events.attended,
                "attendance_rate": self.events.attendance_rate,
            },
            "outcomes": dict(self.outcomes),
            "outcome_shares": self.outcome_shares,
            "expertise": {
                "fellows": self.fellows,
                "fellows_with_request": self.fellows_with_request,
                "share_fellows_with_request": self.share_fellows_with_request,
                "requests_by_topic": dict(self.requests_by_topic),
            },
            "alumni": dict(self.alumni),
        }


def followup_figures(*, promotion_ids: list[int], now: datetime) -> dict[Any, FollowUpFigures]:
    """``{promotion_id: FollowUpFigures, ..., "total": FollowUpFigures}`` for the promotions."""
    events = event_figures_by_promotion(now=now)
    outcomes = outcome_counts_by_promotion()
    expertise = expertise_by_promotion()
    alumni = alumni_situations_by_promotion()
    result: dict[Any, FollowUpFigures] = {}
    total = FollowUpFigures()
    for pk in promotion_ids:
        column = FollowUpFigures()
        column.events = events.get(pk, EventFigures())
        column.outcomes.update(outcomes.get(pk, {}))
        asked = expertise.get(pk, {})
        column.fellows = asked.get("fellows", 0)
        column.fellows_with_request = asked.get("fellows_with_request", 0)
        column.requests_by_topic.update(asked.get("by_topic", {}))
        column.alumni.update(alumni.get(pk, {}))
        result[pk] = column
        total.add(column)
    result["total"] = total
    return result
