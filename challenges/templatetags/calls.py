"""Template filters of the call for projects: deadlines in Paris time, the countdown, proposal
values and the call's description (the rules live in ``eig_portal.common``)."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import formats
from django.utils.translation import gettext as _

from eig_portal.common import deadlines
from eig_portal.common.markdown import render_markdown

register = template.Library()


@register.filter
def paris_deadline(value, now=None) -> str:
    """The deadline's wording (see ``eig_portal.common.deadlines.deadline_wording``)."""
    return deadlines.deadline_wording(value, now)


@register.filter
def has_passed(value, now=None) -> bool:
    """True once the aware datetime ``value`` is in the past (a call's closing time)."""
    return deadlines.has_passed(value, now)


@register.filter
def paris_datetime(value) -> str:
    """« 7 mars 2027 à 23 h 59 » in Paris time (history, versions)."""
    return deadlines.paris_datetime(value)


@register.filter
def countdown(value, now=None) -> str:
    """« Plus que 3 jours » … in the last days before the deadline (see ``deadlines``)."""
    return deadlines.countdown(value, now)


@register.filter
def proposal_value(value) -> str:
    """A proposal field for reading: Oui / Non, « — » when empty, numbers in the page's locale
    (« 30,00 » in French), text escaped with its line breaks."""
    if value is True:
        return _("Oui")
    if value is False:
        return _("Non")
    if value is None or value == "":
        return "—"
    if isinstance(value, int | float | Decimal):
        return formats.localize(value)
    return linebreaksbr(value, autoescape=True)


@register.filter
def safe_markdown(value: str) -> str:
    """The call's description: the same markdown rendering as a défi's page."""
    return render_markdown(value)


@register.simple_tag
def proposals_left_without_juror() -> list:
    """Proposals whose every juror declared a conflict (admin home): a list, one query."""
    from challenges.calls.selectors import proposals_left_without_juror as left

    return list(left().only("pk", "title"))
