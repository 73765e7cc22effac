"""Défi descriptions of the former public site (Hugo pages) turned into plain markdown.

The pages use two Hugo shortcodes, which the portal would otherwise show raw:

- ``{{< arrow-link url="…" title="…" target="true" >}}`` → the markdown link ``[title](url)``;
- ``{{< dailymotion ID "title" >}}`` → a link to the video, ``[title](https://www.dailymotion.com/video/ID)``
  (no third-party player is embedded in the portal's pages).

Links to pages of the former site (paths starting with « / ») are kept only when the portal has
the page (the caller decides, see ``convert_site_markup``); otherwise a link keeps its text, and
an arrow link, an image or a file link (a line of its own) is dropped. Every drop is returned
so that the import report lists it. Source: ``data/eig-public/site-eig-v3/site/content/defis``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

DAILYMOTION_URL = "https://www.dailymotion.com/video/{id}"

_SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[A-Za-z][\w-]*)(?P<args>.*?)\s*/?\s*>\}\}", re.S)
_ATTRIBUTE = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_VIDEO_ARGS = re.compile(r'^\s*(?P<id>[A-Za-z0-9]+)?\s*(?:"(?P<title>[^"]*)")?\s*$', re.S)
# [text](url "title") or ![alt](url), the url possibly in <…>; text without nested brackets.
_LINK = re.compile(
    r'(?P<image>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?:\s+"[^"]*")?\s*\)'
)

#: Maps an internal path of the former site to the portal's URL for it, or None when the
#: portal has no such page.
InternalLinkResolver = Callable[[str], str | None]


@dataclass
class ConvertedMarkup:
    """The converted markdown and one line per dropped element (for the import report)."""

    text: str
    dropped: list[str] = field(default_factory=list)


def is_internal(url: str) -> bool:
    """True for a path of the former site (« /participer/ »), false for « //host » and URLs."""
    return url.startswith("/") and not url.startswith("//")


def convert_site_markup(text: str, *, resolve_internal: InternalLinkResolver) -> ConvertedMarkup:
    """Replace the shortcodes of ``text`` by markdown links and rewrite or drop its internal links.

    ``resolve_internal(path)`` gives the portal URL of a former site's path, or None to drop it.
    Unknown shortcodes and videos without identifier are dropped (and reported), never shown raw.
    """
    result = ConvertedMarkup(text="")
    converted = _SHORTCODE.sub(lambda m: _own_paragraph(m, _shortcode(m, result.dropped)), text)
    converted = _LINK.sub(lambda m: _link(m, resolve_internal, result.dropped), converted)
    # A shortcode or a link that stood alone on its line leaves an empty line: collapse them.
    result.text = re.sub(r"\n{3,}", "\n\n", converted).strip()
    return result


def _own_paragraph(match: re.Match, replacement: str) -> str:
    """A shortcode alone on its line was a block of the former site: keep it a paragraph."""
    if replacement and _alone_on_its_line(match):
        return f"\n\n{replacement}\n\n"
    return replacement


def _shortcode(match: re.Match, dropped: list[str]) -> str:
    name, args = match["name"], match["args"]
    if name == "arrow-link":
        attrs = dict(_ATTRIBUTE.findall(args))
        url, title = attrs.get("url", "").strip(), attrs.get("title", "").strip()
        if not url:
            dropped.append(f"« {match[0]} »: link without url")
            return ""
        return f"[{title or url}]({url})"
    if name == "dailymotion":
        video = _VIDEO_ARGS.match(args)
        if video is None or not video["id"]:
            dropped.append(f"« {match[0]} »: video without identifier")
            return ""
        title = (video["title"] or "").strip() or "Vidéo"
        return f"[{title}]({DAILYMOTION_URL.format(id=video['id'])})"
    dropped.append(f"« {match[0]} »: unknown shortcode « {name} »")
    return ""


def _link(match: re.Match, resolve_internal: InternalLinkResolver, dropped: list[str]) -> str:
    url = match["url"]
    if not is_internal(url):
        return match[0]
    target = resolve_internal(url)
    if target is not None:
        return f"{match['image']}[{match['text']}]({target})"
    dropped.append(f"link to « {url} » (no such page in the portal)")
    if match["image"] or _alone_on_its_line(match):
        return ""
    return match["text"]


def _alone_on_its_line(match: re.Match) -> bool:
    """A link that is its own line (an arrow link, a file to download) means nothing as text."""
    string = match.string
    start = string.rfind("\n", 0, match.start()) + 1
    end = string.find("\n", match.end())
    line = string[start : end if end != -1 else len(string)]
    return line.strip(" *-\t") == match[0]
