"""Template filters of « Le programme en chiffres »: figures formatted in the active language."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from eig_portal.common.shares import format_percent, share_percent

register = template.Library()

EMPTY = "—"


def format_figure(value, kind: str = "count") -> str:
    """A figure as text: ``—`` when unknown; counts grouped (``1 288``); shares as a percentage
    of the 2-decimal share (0.16 → ``16 %``); money with cents (``756 553,38 €``); ``money0``
    rounded half up to the euro (charts)."""
    if value is None:
        return EMPTY
    if kind == "share":
        return format_percent(share_percent(value))
    if kind == "money":
        return f"{number_format(Decimal(value), 2, force_grouping=True)}\u00a0€"
    if kind == "money0":
        rounded = Decimal(str(value)).quantize(Decimal("1"), ROUND_HALF_UP)
        return f"{number_format(rounded, 0, force_grouping=True)}\u00a0€"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, 1, force_grouping=True)
    return number_format(int(value), 0, force_grouping=True)


@register.filter
def figure(value, kind="count"):
    """``{{ cell.headline|figure:metric.kind }}``."""
    return format_figure(value, kind)


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dict lookups with a variable key."""
    return mapping.get(key) if mapping is not None else None
