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
  ``bulk_create``): a response submitted, responses imported, a proposal's status changed, a
  roll call recorded.

What changes with the clock alone (an event is « held » once ended) is not a write: the apps
register it with :func:`register_clock` (``promotions.events.figures.events_held_count``).

A section saved in an unsent response bumps nothing: results count submitted responses only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

#: Data family → the apps whose models it covers.
FAMILIES = {"programme": ("promotions", "challenges"), "surveys": ("surveys",)}
#: How long a stored value may stay unread: values of old versions are never read again and
#: must not pile up in a shared cache (a day; a value of the current version is simply
#: recomputed after that).
STORED_SECONDS = 24 * 3600
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


#: Text values (rendered pages) most recently read by this process, by full key: the key holds
#: the versions, so a value kept here is never stale either; it saves the shared cache's round
#: trip and the copy of a page of about 100 KB. Only ``str`` values are kept (immutable: safe to
#: share between the process's threads); at most ``LOCAL_ENTRIES``, the oldest dropped first.
LOCAL_ENTRIES = 32
_local: OrderedDict[str, str] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> str | None:
    with _local_lock:
        value = _local.get(key)
        if value is not None:
            _local.move_to_end(key)
        return value


def _local_set(key: str, value: Any) -> None:
    if not isinstance(value, str):
        return
    with _local_lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def clear_local() -> None:
    """Forget the values kept in this process (tests, where each test's database starts its
    versions again; a database restored from a backup also needs the processes restarted and
    the shared cache cleared, since its versions go back)."""
    with _local_lock:
        _local.clear()


#: Family → what its data also depend on without any write (the clock), as callables whose
#: values join the key of every value of that family. Registered by the apps that know
#: (``register_clock``), so that this module imports none of them.
CLOCKS: dict[str, list[Callable[[], Any]]] = {}


def register_clock(key: str, part: Callable[[], Any]) -> None:
    """Add ``part()`` (a string or number, cheap: it runs at every read) to the key of every
    stored value of family ``key`` — e.g. the number of events ended by now, since an event
    counts as held once it has ended."""
    if part not in CLOCKS.setdefault(key, []):
        CLOCKS[key].append(part)


def cached(name: str, keys: Iterable[str], compute: Callable[[], Any], *parts: Any) -> Any:
    """``compute()``, stored in the cache under ``name``, ``parts`` and the versions of ``keys``
    (with their ``CLOCKS``).

    ``parts``: what else the value depends on (selected promotions, language…), as strings or
    numbers. One query (the versions) when the value is stored, plus one per registered clock;
    a text value that this process read or computed last is also kept in memory
    (``LOCAL_ENTRIES``), with no cache round trip.
    """
    keys = list(keys)
    families = [
        ":".join([f"{k}{v}", *(str(clock()) for clock in CLOCKS.get(k, ()))])
        for k, v in zip(keys, versions(keys), strict=True)
    ]
    key = ":".join(["dv", name, *families] + [str(p) for p in parts])
    value = _local_get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=STORED_SECONDS)
    _local_set(key, value)
    return value


#: Models whose writes never change a stored figure: answers of unsent responses are saved at
#: every page (results count submitted responses; imports bump explicitly), invitations move
#: at every email, the jury's work and the email log are not in the figures. Listening to them
#: would also make Django read each row before deleting it.
IGNORED = {
    "surveys.answer",
    "surveys.answer_choices",
    # Stored counts of answers: derived from submitted responses, which bump on their own.
    "surveys.answercount",
    "surveys.answercountstate",
    "surveys.invitation",
    "challenges.juryassignment",
    "challenges.review",
    "challenges.reviewscore",
    "challenges.proposalattachment",
    # Proposed teams of the call for candidates: replaced in bulk by each matching run and never
    # counted (a confirmed team creates Fellows, which are).
    "challenges.placement",
}


def _on_change(sender, **kwargs) -> None:
    bump(_FAMILY_OF_APP[sender._meta.app_label])


def watched_models() -> list:
    """The models whose saves, deletes and many-to-many changes bump their family."""
    from django.apps import apps

    return [
        model
        for app in _FAMILY_OF_APP
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if model._meta.label_lower not in IGNORED
        and not model._meta.model_name.startswith("historical")  # saved with their model
    ]


def connect_signals() -> None:
    """Bump a family on every save, delete and many-to-many change of its watched models."""
    for model in watched_models():
        uid = f"data_versions_{model._meta.label_lower}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}_delete")
        m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"{uid}_m2m")
