"""Every URL pattern of the portal, walked from the root URLconf (for the access and bad-input
tests)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: its namespaced name (``"survey_results:index"``), the view's module and
    the names of its parameters."""

    name: str
    module: str
    params: tuple[str, ...]


def _walk(patterns, namespace: str, params: tuple[str, ...]):
    for pattern in patterns:
        found = tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns, params + found)
        elif isinstance(pattern, URLPattern) and pattern.name:
            callback = pattern.callback
            module = getattr(callback, "__module__", "") or ""
            view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            if view_class is not None:
                module = view_class.__module__
            yield Route(f"{namespace}{pattern.name}", module, params + found)


def all_routes() -> list[Route]:
    """Every named URL pattern of the root URLconf, nested includes flattened."""
    return list(_walk(get_resolver().url_patterns, "", ()))
