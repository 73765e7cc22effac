"""Stored figures that are never stale: a cache keyed by the version of the data they read.

« Le programme en chiffres » (page and ``/api/v1/figures/``) and the survey results pinned on
it are computed from whole tables — about 0.2 s at 100× the real data, more with a large
questionnaire. They are stored in Django's cache under a key holding the current version of
the data they depend on (``DataVersion`` rows, one query to read them all); a write to that
data bumps the version, so the next read misses the cache and recomputes: a write always
shows in the next read, whatever the worker or process (the versions live in the database).

Bumped by:

- ``post_save`` / ``post_delete`` / ``m2m_changed`` of every model of the apps in
  ``FAMILIES`` (admin, imports, services saving instances), in the writer's transaction;
- :func:`bump` called by services that write in bulk without signals (``QuerySet.update``,
  ``bulk_create``): a response submitted, responses imported, a proposal's status changed.

A section saved in an unsent response bumps nothing: results count submitted responses only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

#: Data family → the apps whose models it covers.
FAMILIES = {"programme": ("promotions", "challenges"), "surveys": ("surveys",)}
_FAMILY_OF_APP = {app: family for family, apps in FAMILIES.items() for app in apps}


def bump(key: str) -> None:
    """Mark the ``key`` family (``programme`` or ``surveys``) as changed: its version + 1.

    Inside the writer's transaction: other connections see the new version when the data that
    changed becomes visible to them (at commit), the writer itself at once; a rollback undoes
    both. One ``UPDATE`` (plus an ``INSERT`` the very first time).
    """
    from .models import DataVersion

    if not DataVersion.objects.filter(key=key).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(key=key, defaults={"version": 1})


def versions(keys: Iterable[str]) -> tuple[int, ...]:
    """The current versions of ``keys`` (0 for a family never bumped); one query."""
    from .models import DataVersion

    keys = list(keys)
    found = dict(DataVersion.objects.filter(key__in=keys).values_list("key", "version"))
    return tuple(found.get(k, 0) for k in keys)


def cached(name: str, keys: Iterable[str], compute: Callable[[], Any], *parts: Any) -> Any:
    """``compute()``, stored in the cache under ``name``, ``parts`` and the versions of ``keys``.

    ``parts``: what else the value depends on (selected promotions, language…), as strings or
    numbers. One query (the versions) when the value is stored.
    """
    keys = list(keys)
    key = ":".join(
        ["dv", name, *(f"{k}{v}" for k, v in zip(keys, versions(keys), strict=True))]
        + [str(p) for p in parts]
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=None)
    return value


def _on_change(sender, **kwargs) -> None:
    family = _FAMILY_OF_APP.get(sender._meta.app_label)
    if family:
        bump(family)


def connect_signals() -> None:
    """Bump a family on every save, delete and many-to-many change of its apps' models."""
    post_save.connect(_on_change, dispatch_uid="data_versions_save")
    post_delete.connect(_on_change, dispatch_uid="data_versions_delete")
    m2m_changed.connect(_on_change, dispatch_uid="data_versions_m2m")
