"""The POST forms of an HTML page, read with the standard library's parser (bad-input tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """One ``<form method="post">``: its action (``""`` = the page), its field names by kind and
    its hidden values."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name → input type / select / textarea
    hidden: dict[str, str] = field(default_factory=dict)  # name → value of hidden inputs


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            is_post = (attrs.get("method") or "get").lower() == "post"
            self._current = Form(attrs.get("action") or "") if is_post else None
            if self._current is not None:
                self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            kind = attrs.get("type", "text") if tag == "input" else tag
            if name and kind == "hidden":
                self._current.hidden.setdefault(name, attrs.get("value") or "")
            elif name and kind not in ("submit", "button", "image", "reset"):
                self._current.fields.setdefault(name, kind)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str) -> list[Form]:
    """The POST forms of ``html`` with their named fields."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
