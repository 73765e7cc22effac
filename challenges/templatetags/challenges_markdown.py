"""``{% load challenges_markdown %}{{ text|markdown }}``: markdown rendered and sanitised."""

from django import template

from eig_portal.common.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """Markdown → sanitised HTML (see ``eig_portal.common.markdown``)."""
    return render_markdown(value)
