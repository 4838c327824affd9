"""A running count of what the ingest stage read and skipped, for progress and reports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from faultline.ingest.checks import skip_category
from faultline.models import Document, Skip


@dataclass
class IngestSummary:
    """Counts of documents read and inputs skipped, by short reason category.

    Categories: empty, binary, encoding, too_large, malformed, not_english,
    duplicate, missing, unreadable (and "other" for anything unforeseen).
    """

    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, item: Document | Skip) -> Document | Skip:
        """Count one item and return it, so the call can sit inside a generator."""
        if isinstance(item, Skip):
            self.skipped[skip_category(item.reason)] += 1
        else:
            self.read += 1
        return item

    @property
    def duplicates(self) -> int:
        """Return how many documents were dropped as copies of earlier ones."""
        return self.skipped["duplicate"]

    @property
    def total_skipped(self) -> int:
        """Return how many inputs were skipped for any reason."""
        return sum(self.skipped.values())

    def describe(self) -> str:
        """Return one line for people: "12 documents read, 3 skipped (2 empty, 1 binary)"."""
        noun = "document" if self.read == 1 else "documents"
        line = f"{self.read} {noun} read, {self.total_skipped} skipped"
        if self.skipped:
            parts = ", ".join(f"{n} {cat}" for cat, n in sorted(self.skipped.items()))
            line += f" ({parts})"
        return line
