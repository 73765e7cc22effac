"""The ledger of imported values: what ``import_eig_data`` last wrote into each field.

Read once at the start of an import (one query), written once at its end (one bulk upsert),
so that re-importing never undoes a person's edit (``promotions.models.ImportedValue``).
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from promotions.models import ImportedValue

_MISSING = object()


def as_json(value: Any) -> Any:
    """``value`` as stored in ``ImportedValue.value``: a row → its id, a Decimal → text,
    a date → ISO text, a choice → its value; lists and dicts element by element."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, enum.Enum):
        return as_json(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    return value


class ImportedValues:
    """The ledger during one import: ``holds`` answers from memory, ``record`` stages writes,
    ``save`` writes the staged values (created or updated) in one query."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int, str], Any] | None = None
        self._staged: dict[tuple[int, int, str], Any] = {}
        self._types: dict[type, int] = {}

    def _key(self, obj: Model, field: str) -> tuple[int, int, str]:
        model = type(obj)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model).pk
        return self._types[model], obj.pk, field

    def _ledger(self) -> dict[tuple[int, int, str], Any]:
        if self._known is None:
            self._known = {
                (ct, pk, field): value
                for ct, pk, field, value in ImportedValue.objects.values_list(
                    "content_type_id", "object_id", "field", "value"
                )
            }
        return self._known

    def holds(self, obj: Model, field: str, current: Any) -> bool:
        """True when ``obj.field`` still holds what the previous import wrote (``current`` is
        its present value); False when edited since or never recorded."""
        last = self._ledger().get(self._key(obj, field), _MISSING)
        return last is not _MISSING and last == as_json(current)

    def record(self, obj: Model, values: dict[str, Any]) -> None:
        """Stage ``values`` (field → value) as what the import wrote into ``obj`` (saved)."""
        ledger = self._ledger()
        for field, value in values.items():
            key = self._key(obj, field)
            stored = as_json(value)
            if ledger.get(key, _MISSING) != stored:
                self._staged[key] = ledger[key] = stored

    def save(self) -> None:
        """Write the staged values (insert or update), in one query."""
        if not self._staged:
            return
        ImportedValue.objects.bulk_create(
            [
                ImportedValue(content_type_id=ct, object_id=pk, field=field, value=value)
                for (ct, pk, field), value in self._staged.items()
            ],
            update_conflicts=True,
            unique_fields=["content_type", "object_id", "field"],
            update_fields=["value", "imported_at"],
        )
        self._staged.clear()
