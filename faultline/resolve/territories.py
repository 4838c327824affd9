"""Territories: which code a contested territory, or one with its own ISO code, gets.

``territories.csv`` in ``faultline/data/actors/`` lists each territory with the
names that stand for it (in the actor dictionaries and the place table), its own
code if it has one, the sovereign state and the state that governs it in fact,
both with the dates they changed, and the convention faultline follows for it:
``own``, ``parent`` or ``authority``. The mentions stage recodes every name of a
territory by that convention on the document's date, so actors and places agree
("the Crimean authorities" and "detained in Simferopol" get the same code).
The file's header says which conventions are chosen and why; a user's file with
the same columns replaces the rows of the territories it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from faultline.errors import LexiconError
from faultline.resolve.gazetteer import surface_key
from faultline.resolve.phrases import CODE, WordMemo, csv_rows, file_stamps, read_user_file

#: The bundled table, in ``faultline/data/actors/``.
TERRITORIES_FILE = "territories.csv"
#: What a row may say to follow.
CONVENTIONS = ("own", "parent", "authority")
_COLUMNS = ("territory", "names", "own", "parent", "authority", "convention")
_OPTIONAL = frozenset({"note"})


@dataclass(frozen=True)
class Territory:
    """One territory and the convention its names are coded by."""

    name: str
    #: The surfaces that name it, its people or its main places.
    names: tuple[str, ...]
    #: Its own code, if it has one.
    own: str | None
    #: (first day YYYY-MM-DD or "", code) of the sovereign state, in time order.
    parent: tuple[tuple[str, str], ...]
    #: (first day, code) of whoever governs it in fact, in time order.
    authority: tuple[tuple[str, str], ...]
    #: own, parent or authority.
    convention: str

    def code(self, date: str | None) -> str:
        """Return the code of the territory's names on a date (ISO; None = today)."""
        if self.convention == "own" and self.own:
            return self.own
        periods = self.authority if self.convention == "authority" else self.parent
        if date is None:
            return periods[-1][1]
        day = date[:10]
        found = periods[0][1]
        for start, code in periods:
            if start <= day:
                found = code
        return found


class Territories:
    """The territories, looked up by the surface of a dictionary entry or place."""

    def __init__(self, rows: Iterable[Territory]) -> None:
        self._rows = tuple(rows)
        by_key = {surface_key(n): t for t in self._rows for n in t.names}
        # by surface as written: every document asks for the same few again and again
        self._of: WordMemo[Territory | None] = WordMemo(lambda s: by_key.get(surface_key(s)))

    def __len__(self) -> int:
        """Return the number of territories."""
        return len(self._rows)

    def __iter__(self) -> Iterator[Territory]:
        """Yield every territory in table order."""
        return iter(self._rows)

    def of(self, surface: str) -> Territory | None:
        """Return the territory a name stands for, or None."""
        return self._of[surface]


def load_territories(extra_files: Sequence[Path] = ()) -> Territories:
    """Return the bundled territories table, with the rows of the user's CSV files
    replacing those of the same territory (cached per file version)."""
    return _load(file_stamps(extra_files, "territories file", (".csv",)))


@lru_cache(maxsize=8)
def _load(stamps: tuple[tuple[str, int], ...]) -> Territories:
    text = resources.files("faultline").joinpath("data", "actors", TERRITORIES_FILE) \
        .read_text("utf-8")
    rows = {t.name: t for t in _read(text, TERRITORIES_FILE)}
    for raw, _mtime in stamps:
        path = Path(raw)
        for territory in _read(read_user_file(path, "territories file"), str(path)):
            rows[territory.name] = territory
    return Territories(rows.values())


def _read(text: str, name: str) -> Iterator[Territory]:
    """Yield the checked rows of a territories CSV."""

    def check(header: list[str]) -> None:
        missing = [c for c in _COLUMNS if c not in header]
        unknown = set(header) - set(_COLUMNS) - _OPTIONAL
        if missing or unknown:
            raise LexiconError(f"{name}: the header must name the columns "
                               f"{', '.join(_COLUMNS)} (and optionally note)")

    for number, row in csv_rows(text, name, check):
        try:
            yield _territory(row)
        except LexiconError as exc:
            raise LexiconError(f"{name}, line {number}: {exc}") from None


def _territory(row: dict[str, str]) -> Territory:
    """Return a checked row (the caller adds the file and line to errors)."""
    territory = row["territory"]
    if not territory:
        raise LexiconError("the territory is empty")
    names = tuple(n.strip() for n in row["names"].split("|") if n.strip())
    if not names:
        raise LexiconError(f"{territory} has no names")
    own = row["own"] or None
    if own is not None and not CODE.match(own):
        raise LexiconError(f"own code {own!r} is not three capital letters")
    convention = row["convention"]
    if convention not in CONVENTIONS:
        raise LexiconError(f"convention {convention!r} is not one of {', '.join(CONVENTIONS)}")
    if convention == "own" and own is None:
        raise LexiconError(f"{territory} has no code of its own to follow")
    return Territory(territory, names, own, _periods(row["parent"], "parent"),
                     _periods(row["authority"], "authority"), convention)


def _periods(text: str, column: str) -> tuple[tuple[str, str], ...]:
    """Return (first day, code) pairs of CODE or CODE:YYYY-MM-DD items, in time order."""
    out: list[tuple[str, str]] = []
    for item in (i.strip() for i in text.split("|") if i.strip()):
        code, _, start = item.partition(":")
        if not CODE.match(code):
            raise LexiconError(f"{column}: {code!r} is not three capital letters")
        if start:
            try:
                dt.date.fromisoformat(start)
            except ValueError:
                raise LexiconError(f"{column}: {start!r} is not a date YYYY-MM-DD") from None
        if out and start <= out[-1][0]:
            raise LexiconError(f"{column}: periods must be in time order, each with its date")
        out.append((start, code))
    if not out:
        raise LexiconError(f"the {column} is empty")
    return tuple(out)
