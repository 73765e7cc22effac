"""``{% followup_figures %}``: the follow-up section of « Le programme en chiffres »."""

from django import template

register = template.Library()


@register.inclusion_tag("challenges/includes/_followup_figures.html", takes_context=True)
def followup_figures(context):
    """The section for the promotions shown by the dashboard (its ``figures`` columns)."""
    from challenges.followup.dashboard import followup_section

    promotions = [c.promotion for c in context["figures"].promotion_columns]
    return followup_section(promotions)
