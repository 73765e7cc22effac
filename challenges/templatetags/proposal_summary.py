"""Filters of the proposal summary (emails): what is wanted and committed, as a sentence.

``{% load proposal_summary %}{{ proposal|profiles_wanted }}`` → « 2 développeur·ses et 1 data
scientist » (profiles with a count of 0 left out); ``{{ proposal|commitments }}`` → « matériel
adapté et télétravail »; « — » when there is nothing.
"""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def join_words(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »; « — » for an empty list."""
    if not items:
        return "—"
    if len(items) == 1:
        return items[0]
    return _("%(items)s et %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


@register.filter
def profiles_wanted(proposal) -> str:
    """The profiles wanted with a count above 0, e.g. « 2 développeur·ses et 1 data scientist »."""
    counts = (
        (
            proposal.developers_wanted,
            ngettext(
                "%(n)s développeur·se", "%(n)s développeur·ses", proposal.developers_wanted or 0
            ),
        ),
        (
            proposal.designers_wanted,
            ngettext("%(n)s designer", "%(n)s designers", proposal.designers_wanted or 0),
        ),
        (
            proposal.data_scientists_wanted,
            ngettext(
                "%(n)s data scientist",
                "%(n)s data scientists",
                proposal.data_scientists_wanted or 0,
            ),
        ),
    )
    return join_words([label % {"n": n} for n, label in counts if n])


@register.filter
def commitments(proposal) -> str:
    """What the administration commits to, e.g. « matériel adapté et télétravail »."""
    names = (
        ("commits_equipment", _("matériel adapté")),
        ("commits_internet_access", _("accès internet non filtré")),
        ("commits_servers", _("serveurs")),
        ("commits_remote_work", _("télétravail")),
        ("commits_offsite_work", _("travail hors les murs")),
    )
    return join_words([label for field, label in names if getattr(proposal, field)])
