"""Template tags of the call for candidates: the « Candidater » link of an open défi."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.simple_tag
def open_opening(challenge):
    """The défi's opening if its call accepts applications now (open défi, published call
    within its dates), else None. No query when ``opening__call`` is selected with the défi."""
    from challenges.recruitment.services import call_is_open

    try:
        opening = challenge.opening
    except ObjectDoesNotExist:
        return None
    if not opening.is_open or not call_is_open(call=opening.call):
        return None
    return opening
