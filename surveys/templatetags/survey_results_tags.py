"""Template filters of the survey results pages."""

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


@register.inclusion_tag("surveys/includes/_pinned_results.html")
def pinned_survey_results():
    """The key results pinned on « Le programme en chiffres », grouped by questionnaire."""
    from surveys.results import pinned_results

    surveys: dict[str, dict] = {}
    for item in pinned_results():
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
    return {"surveys": list(surveys.values())}
