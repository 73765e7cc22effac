"""History entries that still hold erased values (django-simple-history, the admin's log).

When a person's data is erased from a live row, older copies remain in the row's historical
table (``HistoricalX``) and in the admin log's ``object_repr``. This rule overwrites the
registered personal fields of those copies with the live (erased) values,
``HISTORY_SCRUB_DAYS`` after the erasure (default 0: at the next daily run). When a row was
deleted (a coordinator removed an EIG record, say), its history keeps the values the row no
longer holds: those text fields are blanked the same delay after the deletion.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.db.models import Q

from .models import ErasureRecord
from .register import HISTORICAL_PREFIX, load_register
from .rules import setting


def _historical_model(model):
    try:
        return apps.get_model(model._meta.app_label, HISTORICAL_PREFIX + model.__name__)
    except LookupError:
        return None


def _scrub_one(record: ErasureRecord, *, dry_run: bool) -> int:
    """Overwrite the personal fields of ``record``'s object in its history; rows changed."""
    model = record.content_type.model_class()
    live = model._default_manager.filter(pk=record.object_id).first() if model else None
    if live is None:
        return 0
    changed = 0
    historical = _historical_model(model)
    fields = load_register().fields_of(model)
    if historical is not None and fields:
        values = {f: getattr(live, f) for f in fields}
        differs = Q()
        for name, value in values.items():
            differs |= ~Q(**{name: value})
        rows = historical.objects.filter(Q(id=record.object_id) & differs)
        changed += rows.count() if dry_run else rows.update(**values)
    logs = LogEntry.objects.filter(
        content_type_id=record.content_type_id, object_id=str(record.object_id)
    ).exclude(object_repr=str(live)[:200])
    changed += logs.count() if dry_run else logs.update(object_repr=str(live)[:200])
    return changed


TEXT_TYPES = ("CharField", "EmailField", "TextField")


def _scrub_deleted(*, cutoff: datetime, dry_run: bool) -> int:
    """Blank the registered text fields in the history of rows deleted before ``cutoff``."""
    register = load_register()
    models_ = {apps.get_model(e.app_label, e.model_name) for e in register.entries}
    changed = 0
    for model in sorted(models_, key=lambda m: m._meta.label):
        historical = _historical_model(model)
        fields = [
            f
            for f in register.fields_of(model)
            if model._meta.get_field(f).get_internal_type() in TEXT_TYPES
        ]
        if historical is None or not fields:
            continue
        deleted = (
            historical.objects.filter(history_type="-", history_date__lte=cutoff)
            .exclude(id__in=model._default_manager.values("pk"))
            .values("id")
        )
        holding = Q()
        for name in fields:
            holding |= ~Q(**{name: ""})
        rows = historical.objects.filter(Q(id__in=deleted) & holding)
        changed += rows.count() if dry_run else rows.update(**{name: "" for name in fields})
    return changed


def history_scrub(*, now: datetime, dry_run: bool = False) -> int:
    """Scrub the history of every erasure older than ``HISTORY_SCRUB_DAYS``; returns the number
    of history entries overwritten (or that would be, with ``dry_run``)."""
    cutoff = now - relativedelta(days=setting("HISTORY_SCRUB_DAYS"))
    records = ErasureRecord.objects.filter(
        history_scrubbed_at__isnull=True, erased_at__lte=cutoff
    ).select_related("content_type")
    total = 0
    for record in records:
        total += _scrub_one(record, dry_run=dry_run)
        if not dry_run:
            record.history_scrubbed_at = now
            record.save(update_fields=["history_scrubbed_at"])
    return total + _scrub_deleted(cutoff=cutoff, dry_run=dry_run)
