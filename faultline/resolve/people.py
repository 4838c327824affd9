"""Well-known political people: who a bare name in the news stands for on a given day.

"Aliyev demanded...", "President Bush said...", "Mugabe accused...": the name carries
no country, and the same name may belong to several people or several offices over
time. ``people.csv`` in ``faultline/data/actors/`` lists people with the offices they
held, each dated; :meth:`People.match` finds the longest name starting at a token and
returns the row that was true on the article's date (Medvedev is president in 2009 and
prime minister in 2015; Obama is a former president in 2020).

Names match token spans as spaCy splits them, with the gazetteer's key (accents dropped,
dashes read as spaces, "'s" re-attached) but keeping capitals: "Bush" is a person, "bush"
is not. Titles ("President", "Foreign Minister") are left to the caller, and so is a
possessive "'s" after the name.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from faultline.errors import InputError, LexiconError
from faultline.resolve.gazetteer import _CODE, _FIRST_PIECE, _PUNCT_ONLY, _TOKEN_PIECES, surface_key
from faultline.resolve.phrases import WordMemo, file_stamps, read_user_file

log = logging.getLogger(__name__)

#: The bundled table, in ``faultline/data/actors/``.
PEOPLE_FILE = "people.csv"
#: Sector of a row that says the person no longer holds office.
FORMER = "ELI"
#: Sector of the offices after which a person counts as a former leader.
OFFICE = "GOV"

_REQUIRED = ("name", "code", "sector", "role", "start")
_COLUMNS = frozenset(_REQUIRED) | {"aliases", "end", "org", "note"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Inside a name, a space or a dash separates two words ("al-Sisi" is two).
_WORD_BREAK = re.compile(r"[\s\-\u2010-\u2015\u2212]")
# Letters that Unicode decomposition leaves alone, so that "Wałęsa" matches "Walesa"
# and "Đukanović" matches "Dukanovic".
_LETTERS = str.maketrans({
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ø": "o", "Ø": "O", "ð": "d",
    "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss",
})
# Day numbers for rows without a start or an end.
_OPEN_START = dt.date.min.toordinal()
_OPEN_END = dt.date.max.toordinal()


@dataclass(frozen=True)
class Person:
    """One person in one role over one period."""

    #: The person's usual full name (the same for all their rows).
    name: str
    #: ISO 3166 alpha-3 code, or IGO / IMG / KOS.
    code: str
    #: PLOVER sector of the role: GOV, ELI (former office holder), OPP, REB, MIL...
    sector: str
    #: The office or position, in words ("Prime Minister", "former President").
    role: str
    #: First day in the role as written in the table (YYYY, YYYY-MM or YYYY-MM-DD).
    start: str | None
    #: Last day in the role, None while the person still holds it.
    end: str | None
    #: For international bodies and armed groups: which one (UN, NATO, Hamas...).
    org: str | None = None


class _Span(NamedTuple):
    """A row with its period as day numbers, first and last day included."""

    person: Person
    first: int
    last: int


def name_key(text: str) -> str:
    """Return the matching key of a name or a joined token span: folded, case kept."""
    if not text.isascii():
        text = text.translate(_LETTERS)
    return surface_key(text, keep_case=True)


def _first_piece(key: str) -> str:
    return _FIRST_PIECE.split(key, maxsplit=1)[0]


def _token_count(name: str) -> int:
    """Return how many spaCy tokens a name can span at most."""
    return max(1, len(_TOKEN_PIECES.findall(name)))


class People:
    """Dated people, looked up on token sequences."""

    def __init__(self, rows: Iterable[Person], aliases: Mapping[str, Iterable[str]]) -> None:
        self._rows = tuple(rows)
        spans = [_Span(p, _day(p.start, last=False), _day(p.end, last=True)) for p in self._rows]
        by_name: dict[str, list[_Span]] = {}
        for span in spans:
            by_name.setdefault(span.person.name, []).append(span)
        index: dict[str, list[_Span]] = {}
        # first piece of a key -> most tokens any name starting with it can span
        self._first: dict[str, int] = {}
        self._aliases: dict[str, tuple[str, ...]] = {}
        for name, own in by_name.items():
            surfaces = dict.fromkeys([name, *aliases.get(name, ())])
            self._aliases[name] = tuple(surfaces)
            for key, surface in {name_key(s): s for s in surfaces}.items():
                index.setdefault(key, []).extend(own)
                first = _first_piece(key)
                self._first[first] = max(self._first.get(first, 0), _token_count(surface))
        self._index = {key: tuple(found) for key, found in index.items()}
        #: The latest day the table names: where open rows end for a text with no date.
        self._horizon = max((d for s in spans for d in (s.first, s.last)
                             if d not in {_OPEN_START, _OPEN_END}), default=_OPEN_END)
        # word -> most tokens a name beginning with it spans, 0 for none: it is
        # asked of every capitalised word
        self._limits = WordMemo(self._limit)
        #: Longest name, in tokens.
        self.max_len: int = max(self._first.values(), default=0)

    def __len__(self) -> int:
        """Return the number of rows (person, role, period)."""
        return len(self._rows)

    def __iter__(self) -> Iterator[Person]:
        """Yield every row in table order."""
        return iter(self._rows)

    def aliases(self, name: str) -> tuple[str, ...]:
        """Return every surface of a person (the name first), or () for an unknown name."""
        return self._aliases.get(name, ())

    def lookup(self, text: str, date: str | None = None) -> Person | None:
        """Return the row a whole name stands for on a date, or None if it is no known name."""
        spans = self._index.get(name_key(text))
        return _pick(spans, _day_of(date), self._horizon) if spans else None

    def may_start(self, word: str) -> bool:
        """Return True if some name can begin with this word (a cheap test before match)."""
        return self._limits[word] > 0

    def beginnings(self, words: Sequence[str], positions: Iterable[int]) -> list[int]:
        """Return those of the positions at which some name may begin (see may_start)."""
        limits = self._limits
        return [i for i in positions if limits[words[i]]]

    def _limit(self, word: str) -> int:
        """Return the most tokens a name beginning with word spans, 0 for none."""
        if _PUNCT_ONLY.match(word):
            return 0
        return self._first.get(_first_piece(name_key(word)), 0)

    def match(
        self, words: Sequence[str], start: int, date: str | None
    ) -> tuple[int, Person] | None:
        """Return (token count, row) of the longest name starting at words[start], or None.

        words are spaCy token texts in their original case. Among the rows of that name
        (several people may share a surname, one person holds several offices), the row
        whose period contains ``date`` (ISO YYYY-MM-DD; YYYY and YYYY-MM are read as the
        middle of the year or month) wins; see :func:`_pick` for the rest. Without a
        date, the office the person held longest (:func:`_pick_undated`).
        """
        if not 0 <= start < len(words):
            return None
        limit = self._limits[words[start]]
        if not limit:
            return None
        day = _day_of(date)
        for length in range(min(limit, len(words) - start), 0, -1):
            span = words[start : start + length]
            if _PUNCT_ONLY.match(span[-1]):
                continue
            found = self._index.get(name_key(" ".join(span)))
            if found:
                return length, _pick(found, day, self._horizon)
        return None


def _pick(spans: Sequence[_Span], day: int | None, horizon: int = _OPEN_END) -> Person:
    """Return the row of a name that holds on a day.

    Rows containing the day win, an office over an ELI row, then the latest start (the
    newer office, the newer holder of a shared surname). A day outside every row takes
    the nearest row in time, except that a head of state or government (or minister)
    whose term ended before the day becomes the former-office (ELI) row, when the
    person has one. Without a day, see _pick_undated.
    """
    if day is None:
        return _pick_undated(spans, horizon)
    inside = [s for s in spans if s.first <= day <= s.last]
    if inside:
        return max(inside, key=lambda s: (s.person.sector != FORMER, s.first)).person

    def distance(span: _Span) -> int:
        return span.first - day if day < span.first else day - span.last

    nearest = min(spans, key=lambda s: (distance(s), s.person.sector == FORMER, -s.first))
    if nearest.last < day and nearest.person.sector == OFFICE:
        former = [
            s for s in spans
            if s.person.name == nearest.person.name and s.person.sector == FORMER
            and s.first <= day
        ]
        if former:
            return max(former, key=lambda s: s.first).person
    return nearest.person


def _pick_undated(spans: Sequence[_Span], horizon: int) -> Person:
    """Return the row of a name for a text with no date: the office held longest.

    A name whose rows all act for one country is unambiguous over all dates and
    resolves to it; one that acted for several (a prime minister who later headed an
    international body) resolves to the code of the offices held longest in all. Of
    that code's rows, the longest office wins (the latest on a tie): an undated text
    about a former president is most often about the president. Rows still open
    count up to `horizon` (the latest date the table names); ELI rows count only
    when the name has nothing else.
    """
    offices = [s for s in spans if s.person.sector != FORMER] or list(spans)

    def days(span: _Span) -> int:
        return min(span.last, horizon) - max(span.first, _OPEN_START) + 1

    held: dict[str, int] = {}
    for span in offices:
        held[span.person.code] = held.get(span.person.code, 0) + days(span)
    code = max(held, key=lambda c: held[c])
    return max((s for s in offices if s.person.code == code),
               key=lambda s: (days(s), s.first)).person


@lru_cache(maxsize=1 << 15)
def _day(text: str | None, *, last: bool) -> int:
    """Return the day number of a table date: a period's first day, or with last=True its last."""
    if not text:
        return _OPEN_END if last else _OPEN_START
    parts = _parse(text)
    if parts is None:
        raise LexiconError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = parts
    if day is not None:
        return dt.date(year, month or 1, day).toordinal()
    if month is not None:
        if not last:
            return dt.date(year, month, 1).toordinal()
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following.toordinal() - 1
    return dt.date(year, 12, 31).toordinal() if last else dt.date(year, 1, 1).toordinal()


@lru_cache(maxsize=1 << 14)
def _parse(text: str) -> tuple[int, int | None, int | None] | None:
    """Return (year, month, day) of YYYY, YYYY-MM or YYYY-MM-DD, None if it is not one."""
    found = _DATE.match(text)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        # validates month and day
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return int(year), int(month) if month else None, int(day) if day else None


@lru_cache(maxsize=4096)
def _day_of(date: str | None) -> int | None:
    """Return the day number of an article date; a year or month stands for its middle."""
    if date is None:
        return None
    parts = _parse(date[:10]) if len(date) >= 10 else _parse(date)
    if parts is None:
        raise InputError(f"date {date!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = parts
    if day is None:
        # the middle of a year or a month is the best guess for "sometime in"
        return dt.date(year, month or 7, 15 if month else 1).toordinal()
    return dt.date(year, month or 1, day).toordinal()


def load_people(extra_files: Sequence[Path] = ()) -> People:
    """Return the bundled people table plus the user's files (cached per file version).

    Each ``.csv`` file has the columns of ``people.csv`` (name, code, sector, role,
    start and optionally aliases, end, org, note); each ``.yaml``/``.yml`` file has a
    top-level ``people`` list of mappings with the same keys (aliases as a list or a
    "|"-separated string). A row with the same name, role and start as an earlier one
    replaces it; aliases add up. Files in other formats of the ``lexicons`` setting
    (actor CSVs with a ``surface`` column, event lexicons) are skipped.
    """
    stamps = file_stamps(extra_files, "people file")
    return _load(stamps)


@lru_cache(maxsize=8)
def _load(stamps: tuple[tuple[str, int], ...]) -> People:
    """Build the table from the bundled file, then the given files (mtime only keys the cache)."""
    rows: dict[tuple[str, str, str], Person] = {}
    aliases: dict[str, dict[str, None]] = {}
    text = resources.files("faultline").joinpath("data", "actors", PEOPLE_FILE).read_text("utf-8")
    bundled = _csv_rows(text, PEOPLE_FILE)
    if bundled is None:
        raise LexiconError(f"{PEOPLE_FILE} has no people header")
    _add(rows, aliases, bundled, PEOPLE_FILE)
    for raw, _mtime in stamps:
        path = Path(raw)
        text = read_user_file(path, "people file")
        suffix = path.suffix.lower()
        if suffix == ".csv":
            found = _csv_rows(text, str(path))
        elif suffix in {".yaml", ".yml"}:
            found = _yaml_rows(text, str(path))
        else:
            raise LexiconError(f"people file {path} must be a .csv or .yaml file")
        if found is None:
            log.debug("%s holds no people table; skipped", path)
            continue
        _add(rows, aliases, found, str(path))
    return People(rows.values(), {person: list(own) for person, own in aliases.items()})


def _csv_rows(text: str, name: str) -> Iterator[tuple[int, dict[str, str]]] | None:
    """Return (line number, row) pairs of CSV text, or None if it is not a people table."""
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return iter(())
    try:
        header = [h.strip() for h in next(csv.reader([numbered[0][1]]))]
    except (csv.Error, StopIteration):
        raise LexiconError(f"{name}: the first line is not a CSV header") from None
    if "surface" in header and "name" not in header:
        return None  # an actor dictionary for the gazetteer
    unknown = set(header) - _COLUMNS
    missing = [c for c in _REQUIRED if c not in header]
    if unknown or missing:
        raise LexiconError(
            f"{name}: the header must name columns {', '.join(_REQUIRED)} and optionally "
            f"{', '.join(sorted(_COLUMNS - set(_REQUIRED)))}; got {', '.join(header)}"
        )
    return _csv_body(numbered, header, name)


def _csv_body(
    numbered: list[tuple[int, str]], header: list[str], name: str
) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(header)
    reader = csv.reader(line for _, line in numbered[1:])
    try:
        for row in reader:
            # line_num counts the body lines read so far; numbered[0] is the header
            number = numbered[reader.line_num][0]
            if len(row) != width:
                raise LexiconError(
                    f"{name}, line {number}: expected {width} fields, found {len(row)}"
                    " (quote a field that contains a comma)"
                )
            yield number, dict(zip(header, map(str.strip, row), strict=True))
    except csv.Error as exc:
        raise LexiconError(f"{name}: not valid CSV: {exc}") from None


def _yaml_rows(text: str, name: str) -> Iterator[tuple[int, dict[str, str]]] | None:
    """Return (entry number, row) pairs of a YAML people list, or None if there is none."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "people" not in data:
        return None
    entries = data["people"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise LexiconError(f"{name}: 'people' must be a list of mappings")
    return ((n, _yaml_row(entry, f"{name}, entry {n}")) for n, entry in enumerate(entries, 1))


def _yaml_row(entry: dict[Any, Any], where: str) -> dict[str, str]:
    """Return a YAML entry as CSV-like strings (YAML reads 2019-05-20 as a date)."""
    unknown = {str(k) for k in entry} - _COLUMNS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    row: dict[str, str] = {}
    for key, value in entry.items():
        if value is None:
            row[key] = ""
        elif isinstance(value, list):
            row[key] = "|".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            row[key] = value.isoformat()
        else:
            row[key] = str(value)
    return row


def _add(
    rows: dict[tuple[str, str, str], Person],
    aliases: dict[str, dict[str, None]],
    found: Iterable[tuple[int, dict[str, str]]],
    name: str,
) -> None:
    """Add checked rows; a row with an earlier file's name, role and start replaces that row."""
    seen: set[tuple[str, str, str]] = set()
    for number, row in found:
        try:
            person = _person(row)
            key = (person.name, person.role, person.start or "")
            if key in seen:
                raise LexiconError(
                    f"{person.name} already has a row for {person.role!r} from "
                    f"{person.start or 'the start'} in this file; keep one of the two"
                )
            seen.add(key)
            rows[key] = person
            own = aliases.get(person.name)
            if own is None:
                _check_alias(person.name)
                own = aliases[person.name] = {}
            for alias in row.get("aliases", "").split("|"):
                # aliases may repeat on each row of a person: check each once
                alias = alias.strip()
                if alias and alias not in own:
                    _check_alias(alias)
                    own[alias] = None
        except LexiconError as exc:
            raise LexiconError(f"{name}, line {number}: {exc}") from None


def _person(row: dict[str, str]) -> Person:
    """Return a checked row (the caller adds the file and line to errors)."""
    name, code, sector, role = row["name"], row["code"], row["sector"], row["role"]
    if not (name and code and sector and role):
        empty = next(c for c in ("name", "code", "sector", "role") if not row[c])
        raise LexiconError(f"the {empty} is empty")
    if not _CODE.match(code):
        raise LexiconError(f"code {code!r} is not three capital letters")
    if not _CODE.match(sector):
        raise LexiconError(f"sector {sector!r} is not a PLOVER sector like GOV")
    start, end = row.get("start") or None, row.get("end") or None
    if _day(start, last=False) > _day(end, last=True):
        raise LexiconError(f"the role ends ({end}) before it starts ({start})")
    return Person(name, code, sector, role, start, end, row.get("org") or None)


def _check_alias(alias: str) -> None:
    """Refuse names that cannot match, or that would match ordinary lowercase words."""
    if not any(c.isalpha() for c in alias):
        raise LexiconError(f"name {alias!r} has no letters to match")
    if not _WORD_BREAK.search(alias) and not alias[0].isupper():
        raise LexiconError(
            f"the one-word name {alias!r} must begin with a capital letter, or it would "
            "match an ordinary word"
        )
