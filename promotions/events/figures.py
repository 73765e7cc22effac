"""Figures of the support programme per promotion: events held and attendance rate.

An event is « held » once it has ended. The attendance rate of a promotion is the number of
people marked present at its held events divided by the number of confirmed seats (« oui », not
on the waiting list) at those events; a share between 0 and 1 rounded to two decimals half up
(``promotions.figures.share``), ``None`` when no seat was confirmed. One query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from promotions.figures import share

from .models import Event, EventInvitation

Answer = EventInvitation.Answer


@dataclass(frozen=True)
class EventFigures:
    """Events held, confirmed seats and people present (counts); ``attendance_rate`` 0–1."""

    held: int = 0
    confirmed: int = 0
    attended: int = 0

    @property
    def attendance_rate(self) -> float | None:
        """People present over confirmed seats (0–1, two decimals; ``None``: no seat)."""
        return share(self.attended, self.confirmed)

    def __add__(self, other: EventFigures) -> EventFigures:
        return EventFigures(
            self.held + other.held,
            self.confirmed + other.confirmed,
            self.attended + other.attended,
        )


def event_figures_by_promotion(*, now: datetime) -> dict[int, EventFigures]:
    """``{promotion_id: EventFigures}`` for events ended before ``now`` (one query)."""
    rows = (
        Event.objects.filter(ends_at__lte=now)
        .order_by()
        .values("promotion_id")
        .annotate(
            held=Count("pk", distinct=True),
            confirmed=Count(
                "invitations",
                filter=Q(invitations__answer=Answer.YES, invitations__is_waitlisted=False),
            ),
            attended=Count("invitations", filter=Q(invitations__attended=True)),
        )
    )
    return {r["promotion_id"]: EventFigures(r["held"], r["confirmed"], r["attended"]) for r in rows}


def events_held_count(*, now: datetime | None = None) -> int:
    """How many events have ended by ``now`` (default: the current time), one query.

    The figures stored until their data change (``eig_portal.common.data_versions``) also
    depend on the clock: an event counts as held once it has ended, with no write. This count
    is registered as the programme family's clock (``PromotionsConfig.ready``), so an event
    ending shows in the next read.
    """
    from django.utils import timezone

    return Event.objects.filter(ends_at__lte=now or timezone.now()).count()
