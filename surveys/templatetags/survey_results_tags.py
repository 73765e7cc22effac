"""Template filters of the survey results pages."""

import textwrap

from django import template

from eig_portal.common.shares import format_percent

register = template.Library()


@register.filter
def pct(value):
    """« 71 % » or « — » (see eig_portal.common.shares)."""
    return format_percent(value)


@register.filter
def dash(value):
    """The value, or « — » when it is None."""
    return "—" if value is None else value


@register.filter
def column(groups, index):
    """The ``index``-th choice stat of every group (one row of a breakdown table)."""
    return [g.choices[index] for g in groups]


#: Geometry of ``_bar_chart.html`` (SVG units): characters per label line at 13 px, line height,
#: bar height and width (100 %), gap after a bar.
LABEL_CHARS, LINE_HEIGHT, BAR_HEIGHT, BAR_WIDTH, GAP = 86, 16, 16, 520, 12


def _get(item, name):
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


@register.filter
def bar_chart_layout(items) -> dict:
    """Lay out a horizontal bar chart whose labels are never cut: each label wraps onto as many
    lines as it needs above its bar. ``items`` have ``label`` and ``percent`` (0–100 or None).

    Returns ``{"height": str, "rows": [{"item", "lines": [(text, y)], "bar_y", "value_y",
    "width"}]}``; numbers are strings so that French number formatting never reaches the SVG.
    """
    rows, y = [], 0
    for item in items:
        lines = textwrap.wrap(str(_get(item, "label") or ""), LABEL_CHARS) or [""]
        bar_y = y + 3 + LINE_HEIGHT * len(lines)
        percent = float(_get(item, "percent") or 0)
        rows.append(
            {
                "item": item,
                "lines": [(text, str(y + 13 + LINE_HEIGHT * i)) for i, text in enumerate(lines)],
                "bar_y": str(bar_y),
                "value_y": str(bar_y + 13),
                "width": f"{max(0.0, min(percent, 100.0)) * BAR_WIDTH / 100:.1f}",
            }
        )
        y = bar_y + BAR_HEIGHT + GAP - 3
    return {"height": str(y), "rows": rows}


@register.inclusion_tag("surveys/includes/_pinned_results.html")
def pinned_survey_results():
    """The key results pinned on « Le programme en chiffres », grouped by questionnaire."""
    from django.utils.translation import get_language

    from eig_portal.common import data_versions
    from surveys.results import pinned_results

    surveys: dict[str, dict] = {}
    stored = data_versions.cached("pinned-results", ["surveys"], pinned_results, get_language())
    for item in stored:
        block = surveys.setdefault(
            item["survey_code"],
            {"code": item["survey_code"], "title": item["survey"], "rows": [], "chart": []},
        )
        block["rows"].append(item)
        if len(item["items"]) == 1 and not item["multiple"]:
            headline = item["items"][0]
            block["chart"].append(
                {
                    "label": item["question"],
                    "percent": headline["percent"],
                    "count": headline["count"],
                }
            )
    for block in surveys.values():
        block["has_answers"] = any((row.get("n") or 0) > 0 for row in block["rows"])
    return {"surveys": list(surveys.values())}
