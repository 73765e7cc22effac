"""Template tags of the call for candidates: the « Candidater » link of an open défi."""

from django import template

register = template.Library()


@register.simple_tag
def open_opening(challenge):
    """The défi's opening if its call accepts applications now (published, open), else None.
    One query."""
    from challenges.recruitment.models import ChallengeOpening
    from challenges.recruitment.services import call_is_open

    opening = (
        ChallengeOpening.objects.filter(challenge=challenge, is_open=True)
        .select_related("call")
        .first()
    )
    if opening is None or not call_is_open(call=opening.call):
        return None
    return opening
