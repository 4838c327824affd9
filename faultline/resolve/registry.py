"""People met in the text, remembered across documents.

The bundled people table knows leaders and ministers; the news names many
more people, once with a description ("Georgian opposition leader Nika
Melia") and later by surname alone ("Melia said ..."). Within a document the
actor resolver carries the description to the surname; this registry carries
it to later documents. Each coded document adds its sightings (who, as what,
on which date); the store keeps them (table person_sightings), so a database
accumulates people over every ingest.

A name the registry knows resolves only when it is unambiguous: a surname
seen for people of two countries or sectors stays unresolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from faultline.resolve.people import name_key

#: Where a sighting came from: the bundled/user people table, or a description in text.
FROM_TABLE = "people table"
FROM_TEXT = "text"


@dataclass(frozen=True)
class Sighting:
    """One person seen in one document: name, what they were coded as, and when."""

    name: str
    code: str | None
    sector: str | None
    #: The words the text described them with ("Georgian opposition leader"), if any.
    role: str | None
    #: The document's publication date (YYYY, YYYY-MM or YYYY-MM-DD), if known.
    date: str | None
    doc_hash: str
    source: str = FROM_TEXT
    #: The organisation they act for (UN, NATO, Hamas...), if any.
    org: str | None = None


@dataclass(frozen=True)
class Known:
    """What the registry says a name stands for."""

    name: str
    code: str
    sector: str | None
    role: str | None
    #: Date of the sighting chosen (nearest the asking document's date).
    seen: str | None
    org: str | None = None


class Registry:
    """Sightings indexed by full name and surname; add to it as documents are coded."""

    def __init__(self, sightings: Iterable[Sighting] = ()) -> None:
        self._by_key: dict[str, list[Sighting]] = {}
        # what is held: one sighting per name, coding, role and date, however many
        # documents repeat it, so memory grows with people and days, not articles
        self._held: set[tuple[str | None, ...]] = set()
        self.add(sightings)

    def __len__(self) -> int:
        """Return the number of distinct sightings held (name, coding, role, date)."""
        return len(self._held)

    def add(self, sightings: Iterable[Sighting]) -> None:
        """Remember sightings with a country code; repeats on the same day count once."""
        for s in sightings:
            key = (s.name, s.code, s.sector, s.org, s.role, s.date)
            if not s.code or key in self._held:
                continue
            self._held.add(key)
            full = name_key(s.name)
            self._by_key.setdefault("=" + full, []).append(s)
            words = full.split()
            if len(words) > 1:
                self._by_key.setdefault("~" + words[-1], []).append(s)

    def lookup(self, name: str, date: str | None = None) -> Known | None:
        """Return who a full name or a lone surname stands for, as seen nearest `date`.

        None when the registry never saw the name, or saw it for people of
        different countries or sectors (ambiguous).
        """
        key = name_key(name)
        found = self._by_key.get("=" + key)
        if not found and " " not in key:
            found = self._by_key.get("~" + key)
        if not found:
            return None
        if len({s.name for s in found}) > 1 and len({(s.code, s.sector, s.org)
                                                      for s in found}) > 1:
            # two people share the surname and are coded differently: do not guess
            return None
        best = min(found, key=lambda s: _distance(s.date, date))
        return Known(name=best.name, code=best.code or "", sector=best.sector, role=best.role,
                     seen=best.date, org=best.org)


def _distance(seen: str | None, wanted: str | None) -> tuple[int, int]:
    """Order sightings: nearest in time to `wanted` first, then the latest."""
    if seen is None:
        return (_FAR, 0)
    if wanted is None:
        return (_FAR, -_days(seen))
    return (abs(_days(seen) - _days(wanted)), -_days(seen))


_FAR = 1 << 30


@lru_cache(maxsize=1 << 12)
def _days(date: str) -> int:
    """Return a day number for YYYY, YYYY-MM or YYYY-MM-DD (a year or month: its middle).

    Cached: every lookup of a name reads the dates of all its sightings.
    """
    parts = [int(p) for p in date.split("-")[:3]]
    if len(parts) == 1:
        parts += [7, 1]
    elif len(parts) == 2:
        parts.append(15)
    year, month, day = parts
    return year * 372 + (month - 1) * 31 + (day - 1)
