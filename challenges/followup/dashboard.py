"""The section « Accompagnement, réalisations et alumni » of « Le programme en chiffres ».

Turns ``programme_figures.followup_figures`` into a table (one row per figure, one column per
promotion shown and the total) and two stacked bar charts (outcomes by production status, alumni
by situation), each chart followed by its data table. Shares are 0–1 floats shown as
percentages (``promotions.templatetags.figures_tags.format_figure``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from promotions.alumni.models import AlumniSituation
from promotions.charts import stacked_bar_chart
from promotions.templatetags.figures_tags import format_figure

from .models import Outcome
from .programme_figures import FollowUpFigures, followup_figures

STATUS_KEYS = [s.value for s in Outcome.ProductionStatus]


def _rows(columns: list[tuple[str, FollowUpFigures]]) -> list[dict[str, Any]]:
    """``[{"label", "kind", "values": [...]}]``: the figures in table order."""
    specs = [
        (_("Événements tenus"), "count", lambda f: f.events.held),
        (_("Taux de présence aux événements"), "share", lambda f: f.events.attendance_rate),
        (_("Défis ayant une réalisation"), "count", lambda f: f.outcomes["challenges"]),
        (_("Part en production"), "share", lambda f: f.outcome_shares["in_production"]),
        (_("Part avec mise en production prévue"), "share", lambda f: f.outcome_shares["planned"]),
        (_("Part maintenus"), "share", lambda f: f.outcome_shares["maintained"]),
        (_("Part avec code ouvert"), "share", lambda f: f.outcome_shares["open_source"]),
        (_("Part avec données ouvertes"), "share", lambda f: f.outcome_shares["open_data"]),
        (_("Part réutilisés"), "share", lambda f: f.outcome_shares["reused"]),
        (
            _("Part des EIG ayant demandé une expertise"),
            "share",
            lambda f: f.share_fellows_with_request,
        ),
    ]
    return [
        {"label": label, "kind": kind, "values": [get(figures) for _c, figures in columns]}
        for label, kind, get in specs
    ]


def followup_section(promotions: list) -> dict[str, Any]:
    """The section's context for the promotions shown (``Promotion`` objects, rank order)."""
    figures = followup_figures(promotion_ids=[p.pk for p in promotions], now=timezone.now())
    columns = [(p.code, figures[p.pk]) for p in promotions] + [(_("Total"), figures["total"])]
    status_labels = [str(s.label) for s in Outcome.ProductionStatus]
    status_bars = [(code, [f.outcomes[k] for k in STATUS_KEYS]) for code, f in columns[:-1]]
    situation_labels = [str(s.label) for s in AlumniSituation.Situation]
    situation_bars = [
        (code, [f.alumni[s.value] for s in AlumniSituation.Situation]) for code, f in columns[:-1]
    ]
    count = lambda v: format_figure(v, "count")  # noqa: E731
    return {
        "headers": [code for code, _f in columns],
        "rows": _rows(columns),
        "outcomes_chart": stacked_bar_chart(
            chart_id="chart-outcomes",
            title=_("État des défis selon leur dernière réalisation"),
            description=_(
                "Barres empilées : nombre de défis de chaque promotion par état de production, "
                "d'après leur dernière réalisation. Les nombres sont dans le tableau qui suit."
            ),
            categories=status_labels,
            bars=status_bars,
            fmt=count,
        ),
        "outcomes_table": {"header": status_labels, "rows": status_bars},
        "alumni_chart": stacked_bar_chart(
            chart_id="chart-alumni",
            title=_("Alumni par situation actuelle"),
            description=_(
                "Barres empilées : nombre d'alumni de chaque promotion par situation actuelle. "
                "Les nombres sont dans le tableau qui suit."
            ),
            categories=situation_labels,
            bars=situation_bars,
            fmt=count,
        ),
        "alumni_table": {"header": situation_labels, "rows": situation_bars},
    }
