"""Template filters of the survey results pages."""

from django import template

from surveys.rounding import format_percent

register = template.Library()


@register.filter
def pct(value):
    """« 71 % » or « — » (see surveys.rounding)."""
    return format_percent(value)


@register.filter
def dash(value):
    """The value, or « — » when it is None."""
    return "—" if value is None else value


@register.filter
def column(groups, index):
    """The ``index``-th choice stat of every group (one row of a breakdown table)."""
    return [g.choices[index] for g in groups]
