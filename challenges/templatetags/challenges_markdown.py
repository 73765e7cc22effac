"""``{% load challenges_markdown %}{{ text|markdown }}``: markdown rendered and sanitised."""

from django import template

from challenges.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value):
    """Markdown → sanitised HTML (see ``challenges.markdown``)."""
    return render_markdown(value)
