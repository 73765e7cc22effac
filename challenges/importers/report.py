"""What an import did: counts per model, skipped records, alias matches and unmatched links."""

from collections import Counter
from dataclasses import dataclass, field


class ImportDataError(Exception):
    """A data file is malformed: names the file, the record (index, slug or pseudonym) and field."""

    def __init__(self, *, file: str, record: str = "", field: str = "", message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        parts = [file]
        if record:
            parts.append(f"record {record}")
        if field:
            parts.append(f"field « {field} »")
        super().__init__(f"{', '.join(parts)}: {message}")


@dataclass
class ImportReport:
    """Counts per model label (``created``, ``updated``, ``unchanged``) and lists to review.

    ``skipped``, ``aliased``, ``unmatched``, ``notes`` and ``kept`` hold one human-readable line each,
    prefixed by the file they come from.
    """

    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    aliased: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Fields edited on the portal since the previous import: kept, not overwritten.
    kept: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, label: str, outcome: str, n: int = 1) -> None:
        """Add ``n`` to ``outcome`` (created / updated / unchanged) of ``label``."""
        self.counts.setdefault(label, Counter())[outcome] += n

    @property
    def changed(self) -> int:
        """Number of records created or updated, all models together."""
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def as_text(self) -> str:
        """The report as printed by ``manage.py import_eig_data``."""
        lines = ["Import of the EIG data" + (" (dry run, rolled back)" if self.dry_run else "")]
        width = max((len(label) for label in self.counts), default=10)
        for label, c in self.counts.items():
            lines.append(
                f"  {label:<{width}}  created {c['created']:>4}  updated {c['updated']:>4}"
                f"  unchanged {c['unchanged']:>4}"
            )
        for title, items in (
            ("Skipped", self.skipped),
            ("Matched through the alias table", self.aliased),
            ("Unmatched (not linked, to review)", self.unmatched),
            ("Notes", self.notes),
            ("Edited on the portal, kept (not overwritten)", self.kept),
        ):
            lines.append(f"{title}: {len(items)}")
            lines.extend(f"  - {item}" for item in items)
        return "\n".join(lines)
