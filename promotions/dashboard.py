"""« Le programme en chiffres »: what the staff dashboard shows and downloads.

The figures come from ``promotions.figures``; this module turns them into the page's context
(filter, charts, notes) and into the CSV/XLSX tables (``eig_portal.common.cells``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from eig_portal.common.cells import Sheet, csv_response, csv_separator_from_request, xlsx_response

from .charts import budget_rows, composition_rows, stacked_bar_chart
from .figures import SHARE, ProgrammeFigures
from .models import Promotion
from .templatetags.figures_tags import format_figure

EXPORT_BASENAME = "programme-eig-en-chiffres"


def selected_promotions(request, promotions: list[Promotion]) -> list[Promotion]:
    """The promotions ticked in ``?promotion=<slug>`` (unknown slugs ignored); [] = no filter."""
    slugs = set(request.GET.getlist("promotion"))
    return [p for p in promotions if p.slug in slugs]


def figures_table(figures: ProgrammeFigures) -> tuple[list[str], list[list[Any]]]:
    """The dashboard table for spreadsheets: per metric, headline and records of each column.

    Counts are ``int``, money ``Decimal`` (euros), shares ``float`` between 0 and 1.
    """
    header = [_("Indicateur"), _("Clé")]
    for column in figures.columns:
        header += [column.label, _("%(column)s — registres") % {"column": column.label}]
    rows = []
    for metric, cells in figures.rows():
        row: list[Any] = [str(metric.label), metric.key]
        for cell in cells:
            row += [cell.headline, cell.records]
        rows.append(row)
    return header, rows


def printed_totals_table(figures: ProgrammeFigures) -> tuple[list[str], list[list[Any]]]:
    """Printed totals against the true sums: source, metric, promotions, printed, sum, differs."""
    header = [
        _("Source"),
        _("Indicateur"),
        _("Promotions"),
        _("Total imprimé"),
        _("Somme des lignes"),
        _("Écart"),
    ]
    rows = [
        [c.source, c.metric, ", ".join(c.promotion_codes), c.printed_display, c.true_sum, c.differs]
        for c in figures.printed_totals
    ]
    return header, rows


def dashboard_export(request, figures: ProgrammeFigures, export: str):
    """The CSV (``?sep=;`` for French spreadsheets) or XLSX download of the table."""
    header, rows = figures_table(figures)
    if export == "xlsx":
        printed_header, printed_rows = printed_totals_table(figures)
        return xlsx_response(
            sheets=[
                Sheet(title=_("Chiffres"), header=header, rows=rows),
                Sheet(title=_("Totaux imprimés"), header=printed_header, rows=printed_rows),
            ],
            filename=f"{EXPORT_BASENAME}.xlsx",
        )
    return csv_response(
        header=header,
        rows=rows,
        filename=f"{EXPORT_BASENAME}.csv",
        sep=csv_separator_from_request(request),
    )


def printed_total_text(check) -> str:
    """« Le rapport 2019 imprime 85 (EIG 1, EIG 2, EIG 3) ; la somme des lignes est 94. »"""
    from .figures import METRICS_BY_KEY

    kind = METRICS_BY_KEY[check.metric].kind
    return _(
        "%(source)s imprime %(printed)s (%(promotions)s) ; la somme des lignes est %(sum)s."
    ) % {
        "source": check.source,
        "printed": format_figure(check.printed_display, kind),
        "promotions": ", ".join(check.promotion_codes),
        "sum": format_figure(check.true_sum, kind),
    }


def dashboard_context(
    figures: ProgrammeFigures, promotions: list[Promotion], selected: list[Promotion]
) -> dict[str, Any]:
    """The template context of ``promotions/dashboard.html``."""
    profile_labels, profile_rows = composition_rows(figures)
    budget_labels, budget_table_rows = budget_rows(figures)
    composition = stacked_bar_chart(
        chart_id="chart-composition",
        title=_("Composition des promotions par profil"),
        description=_(
            "Barres empilées : nombre d'EIG de chaque profil par promotion (chiffres officiels "
            "lorsqu'ils existent, sinon les registres). Les mêmes nombres sont dans le tableau qui "
            "suit le graphique."
        ),
        categories=profile_labels,
        bars=profile_rows,
        fmt=lambda v: format_figure(v, "count"),
    )
    budget = stacked_bar_chart(
        chart_id="chart-budget",
        title=_("Budget par promotion"),
        description=_(
            "Barres empilées : coût de chaque promotion en euros par poste (salaires, "
            "communication, programme d'accompagnement, liens avec la recherche) ; l'enveloppe "
            "PIA, plafond de financement, n'y figure pas. Les montants sont dans le tableau qui "
            "suit le graphique."
        ),
        categories=budget_labels,
        bars=budget_table_rows,
        fmt=lambda v: format_figure(v, "money0"),
    )
    rows = []
    for metric, cells in figures.rows():
        rows.append(
            {
                "metric": metric,
                "is_share": metric.kind == SHARE,
                "cells": [
                    {
                        "cell": cell,
                        "column": column,
                        "printed_text": printed_total_text(cell.printed) if cell.printed else "",
                    }
                    for cell, column in zip(cells, figures.columns, strict=True)
                ],
            }
        )
    return {
        "figures": figures,
        "rows": rows,
        "promotions": promotions,
        "selected_slugs": {p.slug for p in selected},
        "printed_notes": [
            {"check": c, "text": printed_total_text(c)} for c in figures.printed_totals if c.differs
        ],
        "composition_chart": composition,
        "composition_table": {"header": profile_labels, "rows": profile_rows},
        "budget_chart": budget,
        "budget_table": {"header": budget_labels, "rows": budget_table_rows},
        "declared_sources": sorted(
            {cell.declared_source for _m, cells in figures.rows() for cell in cells} - {""}
        ),
        "has_differences": any(cell.differs for _m, cells in figures.rows() for cell in cells),
    }
