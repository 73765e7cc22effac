"""Server-rendered charts of « Le programme en chiffres » (inline SVG, no JavaScript, no CDN).

``stacked_bar_chart`` computes the geometry of a horizontal stacked bar chart; the template
``templates/includes/_stacked_bar_chart.html`` draws it as an accessible SVG (``role="img"``,
``<title>`` and ``<desc>``) and the page shows the same numbers in a data table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .figures import SHARES, ProgrammeFigures

#: DSFR colours with a contrast of at least 3:1 on white (WCAG 1.4.11, graphical objects).
PALETTE = ("#000091", "#b34000", "#18753c", "#666666", "#6e445a", "#ce0500")

LABEL_WIDTH = 90
PLOT_WIDTH = 560
RIGHT_MARGIN = 120
BAR_HEIGHT = 22
BAR_GAP = 12
TOP = 10
AXIS_HEIGHT = 24


@dataclass(frozen=True)
class Segment:
    """One stacked piece: category ``label``, raw ``value``, ``display`` text; x/width in SVG px."""

    label: str
    value: Any
    display: str
    x: float
    width: float
    color: str


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: ``label``, top ``y``, ``segments``, total label at ``total_x``."""

    label: str
    y: float
    text_y: float
    segments: list[Segment]
    total_display: str
    total_x: float


@dataclass(frozen=True)
class Tick:
    """One axis tick: ``x`` in SVG units and its formatted ``display`` value."""

    x: float
    display: str


@dataclass(frozen=True)
class StackedBarChart:
    """Geometry and labels of one chart (``chart_id`` prefixes the SVG's element ids)."""

    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_bottom: float
    bars: list[Bar]
    legend: list[tuple[str, str]]  # (label, colour)
    ticks: list[Tick]


def _nice_step(maximum: float, steps: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^n) covering ``maximum`` in about ``steps`` steps."""
    if maximum <= 0:
        return 1
    raw = maximum / steps
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: list[str],
    bars: list[tuple[str, list[Any]]],
    fmt,
) -> StackedBarChart:
    """Lay out bars of stacked values: ``bars`` = [(bar label, [value per category])].

    ``fmt`` formats a value for labels and tooltips. ``None`` values count as 0 in the bar.
    """
    totals = [sum((v or 0) for v in values) for _label, values in bars]
    maximum = float(max(totals, default=0)) or 1.0
    step = _nice_step(maximum)
    axis_max = step * -(-maximum // step)
    scale = PLOT_WIDTH / axis_max
    laid_out = []
    for index, ((label, values), total) in enumerate(zip(bars, totals, strict=True)):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for cat_index, (category, value) in enumerate(zip(categories, values, strict=True)):
            width = float(value or 0) * scale
            segments.append(
                Segment(
                    label=category,
                    value=value,
                    display=fmt(value),
                    x=round(x, 2),
                    width=round(width, 2),
                    color=PALETTE[cat_index % len(PALETTE)],
                )
            )
            x += width
        laid_out.append(
            Bar(
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT / 2,
                segments=[s for s in segments if s.width > 0],
                # No value at all is unknown (« — »), not zero.
                total_display=fmt(None if all(v is None for v in values) else total),
                total_x=round(x + 6, 2),
            )
        )
    plot_bottom = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP)
    ticks = []
    value = 0.0
    while value <= axis_max + 1e-9:
        ticks.append(Tick(x=round(LABEL_WIDTH + value * scale, 2), display=fmt(value)))
        value += step
    return StackedBarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN,
        height=int(plot_bottom + AXIS_HEIGHT),
        plot_left=LABEL_WIDTH,
        plot_bottom=plot_bottom,
        bars=laid_out,
        legend=[(c, PALETTE[i % len(PALETTE)]) for i, c in enumerate(categories)],
        ticks=ticks,
    )


def composition_rows(figures: ProgrammeFigures) -> tuple[list[str], list[tuple[str, list[Any]]]]:
    """Headline EIG per profile and promotion: (profile labels, [(promotion, [counts])]).

    The counts are those behind the headline shares (declared where declared, else records);
    « autre ou non renseigné » is the rest of the promotion's headline number of EIG.
    """
    labels = [str(_("Designers")), str(_("Développeurs")), str(_("Data scientists"))]
    labels.append(str(_("Autre ou non renseigné")))
    rows = []
    for column in figures.promotion_columns:
        counts = [column.share_parts[key][0][0] for key in SHARES]
        fellows = column.cells["fellows"].headline or 0
        counts.append(max(fellows - sum(c or 0 for c in counts), 0))
        rows.append((column.label, counts))
    return labels, rows


BUDGET_CHART_KEYS = ("salaries", "communication", "support_programme", "research_links")


def budget_rows(figures: ProgrammeFigures) -> tuple[list[str], list[tuple[str, list[Decimal]]]]:
    """Headline cost lines per promotion: (category labels, [(promotion, [amounts])])."""
    from .figures import METRICS_BY_KEY

    labels = [str(METRICS_BY_KEY[k].label) for k in BUDGET_CHART_KEYS]
    rows = [
        (column.label, [column.cells[k].headline for k in BUDGET_CHART_KEYS])
        for column in figures.promotion_columns
    ]
    return labels, rows
