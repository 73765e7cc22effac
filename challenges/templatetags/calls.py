"""Template filters of the call for projects: deadlines in Paris time and the countdown."""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

PARIS = ZoneInfo("Europe/Paris")
#: The countdown is shown when the deadline is this close (days).
COUNTDOWN_DAYS = 7


@register.filter
def paris_deadline(value, now=None) -> str:
    """« jusqu'au 7 mars 2027 à 23 h 59, heure de Paris » for an aware datetime, or once it has
    passed « clos depuis le 7 mars 2027 à 23 h 59, heure de Paris »."""
    if not value:
        return ""
    local = value.astimezone(PARIS)
    if has_passed(value, now):
        return _("clos depuis le %(date)s à %(time)s, heure de Paris") % {
            "date": formats.date_format(local, "j F Y"),
            "time": _("%(h)s h %(m)s") % {"h": local.hour, "m": f"{local.minute:02d}"},
        }
    return _("jusqu'au %(date)s à %(time)s, heure de Paris") % {
        "date": formats.date_format(local, "j F Y"),
        "time": _("%(h)s h %(m)s") % {"h": local.hour, "m": f"{local.minute:02d}"},
    }


@register.filter
def has_passed(value, now=None) -> bool:
    """True once the aware datetime ``value`` is in the past (a call's closing time)."""
    return bool(value) and value < (now or timezone.now())


@register.filter
def paris_datetime(value) -> str:
    """« 7 mars 2027 à 23 h 59 » in Paris time (history, versions)."""
    if not value:
        return "—"
    local = value.astimezone(PARIS)
    return _("%(date)s à %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": _("%(h)s h %(m)s") % {"h": local.hour, "m": f"{local.minute:02d}"},
    }


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
def countdown(value, now=None) -> str:
    """« Plus que 3 jours » / « Plus que 5 heures » in the last COUNTDOWN_DAYS days, else ""."""
    if not value:
        return ""
    now = now or timezone.now()
    remaining = value - now
    seconds = int(remaining.total_seconds())
    if seconds < 0 or remaining.days >= COUNTDOWN_DAYS:
        return ""
    if seconds >= 86400:
        days = seconds // 86400
        return ngettext("Plus que %(n)s jour", "Plus que %(n)s jours", days) % {"n": days}
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("Plus que %(n)s heure", "Plus que %(n)s heures", hours) % {"n": hours}
    minutes = max(seconds // 60, 1)
    return ngettext("Plus que %(n)s minute", "Plus que %(n)s minutes", minutes) % {"n": minutes}


@register.filter
def safe_markdown(value: str) -> str:
    """Markdown rendered to HTML and sanitised with nh3 (no scripts, no inline handlers)."""
    import markdown
    import nh3
    from django.utils.safestring import mark_safe

    html = markdown.markdown(value or "", extensions=["extra", "sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 — sanitised just above
