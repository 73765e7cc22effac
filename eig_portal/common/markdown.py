"""Markdown → HTML, sanitised: the only way markdown (défi descriptions, call descriptions)
reaches a page.

Markdown allows raw HTML, so its output is cleaned by nh3 (Rust ``ammonia``): scripts, styles,
event-handler attributes, ``javascript:`` URLs and unknown tags are removed; links get
``rel="noopener noreferrer"``.
"""

import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

#: Tags kept by the sanitiser: nh3's defaults minus landmarks and tags descriptions never need.
ALLOWED_TAGS = nh3.ALLOWED_TAGS - {
    # landmarks inside a page's <main> would confuse assistive technologies
    *("nav", "header", "footer", "aside", "article"),
    # the source pages' images are not part of the data (relative paths); no third-party loads
    "img",
    *("map", "area", "bdo", "data", "dfn", "rp", "rt", "rtc", "ruby"),
}

_EMPTY_LINK = re.compile(r"<a\b[^>]*>\s*</a>")


def render_markdown(text: str | None) -> SafeString:
    """Render ``text`` (markdown, may hold raw HTML) to sanitised HTML safe for templates."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS)
    # Links without text (« [](url) » in the source pages) are unusable with a screen reader.
    clean = _EMPTY_LINK.sub("", clean)
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3
