"""Mentions: the names and sector phrases the dictionaries find in a document.

Four scans run over the words of a sentence, in this order, and an earlier
mark wins: names of countries, organisations, capitals and seats of power
(the gazetteer), sector phrases ("foreign ministry", "police"), known people
(the people table, as of the document's date) and cities and towns (the place
table). A sentence is scanned the first time an extractor reads it; sentences
no extractor reads are never scanned.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache, partial
from typing import NamedTuple

from faultline.extract.tree import Word
from faultline.resolve.gazetteer import Entry, Gazetteer
from faultline.resolve.people import People, Person
from faultline.resolve.places import Place, Places
from faultline.resolve.territories import Territories

#: Kinds of name (gazetteer Entry.kind) that say where something happened: a
#: country, region, capital, or a city or town of the place table.
PLACE_KINDS = frozenset({"place", "capital", "name", "region"})
#: Of those, the kinds of a town or a region, not of a country or its capital.
TOWN_KINDS = frozenset({"place", "region"})


class Mention(NamedTuple):
    """A dictionary name in the text: tokens [start, end) and the entry they name."""

    start: int
    end: int
    entry: Entry


class SectorMention(NamedTuple):
    """A sector phrase in the text ("foreign ministry"): tokens [start, end), its sector."""

    start: int
    end: int
    sector: str


class Mentions:
    """The dictionary matches of one document, found a sentence at a time."""

    def __init__(
        self,
        words: list[Word],
        gazetteer: Gazetteer,
        places: Places | None = None,
        people: People | None = None,
        date: str | None = None,
        sentences: Sequence[tuple[int, int]] = (),
        territories: Territories | None = None,
        *,
        divisions: frozenset[str] = frozenset(),
    ) -> None:
        """`sentences` are the token bounds of the document's sentences, for the
        questions about everything before a word (person_named_before); `territories`
        recode the names of contested territories by their convention; a place before
        a noun of `divisions` ("Kandahar Province") is that place."""
        self.gazetteer = gazetteer
        self.place_table = places
        self.people = people
        #: The document's date, for people whose office depends on it.
        self.date = date
        self._divisions = divisions
        #: Names by token: every token of a name points at its mention.
        self.names: dict[int, Mention] = {}
        #: Sector phrases by token.
        self.sectors: dict[int, SectorMention] = {}
        # the known people named with more than one word, by their last word (surname),
        # and how many of the first sentences person_named_before has scanned
        self._full_names: dict[str, list[Mention]] = {}
        self._scanned = 0
        self._tokens = words
        texts = [t.text for t in words]
        # lower-cased words, not lemmas: spaCy lemmatises "media" to "medium";
        # the gazetteer reduces plurals itself
        lower = [t.lower_ for t in words]
        self._words = texts
        self._lower = lower
        #: The first token of each token's sentence, -1 until the sentence is scanned.
        self._sent_start = [-1] * len(words)
        self._sent_end: dict[int, int] = {}
        self._sentences = sentences
        self._territories = territories
        #: Entries as the territories' conventions code them on the document's date.
        self._recoded: dict[Entry, Entry] = {}
        # the scans look only where something can begin: names have a capital
        # ("Armenia", "U.S.") or begin a hyphenated compound ("al-Qaeda")
        capitals = [i for i, w in enumerate(texts) if not w.islower()
                    or (i + 1 < len(texts) and texts[i + 1] == "-")]
        #: Positions of the words that may begin a name of the gazetteer, of the people
        #: table and of the place table, and a sector phrase, in order.
        self._name_starts = gazetteer.beginnings(texts, capitals)
        self._person_starts = people.beginnings(texts, capitals) if people is not None else []
        self._place_starts = places.beginnings(texts, capitals) if places is not None else []
        self._sector_starts = gazetteer.sector_beginnings(lower)

    def scan(self, start: int, end: int) -> None:
        """Find the names, places and sector phrases of tokens [start, end), once."""
        if self._sent_start[start] >= 0:
            return
        self._sent_start[start:end] = [start] * (end - start)
        self._sent_end[start] = end
        words = self._words
        self._mark(_between(self._name_starts, start, end),
                   partial(self._gazetteer_match, words))
        self._scan_sectors(_between(self._sector_starts, start, end))
        if self.people is not None:
            self._scan_people(self.people, _between(self._person_starts, start, end))
        if self.place_table is not None:
            self._scan_places(self.place_table, _between(self._place_starts, start, end))

    def person_named_before(self, i: int, surname: str) -> Entry | None:
        """Return the known person (people table) the text named in full before token i
        whose name ends in `surname`, scanning the sentences before it; None when there
        is none, or several of different countries."""
        sentences = self._sentences
        while self._scanned < len(sentences) and sentences[self._scanned][0] < i:
            self.scan(*sentences[self._scanned])
            self._scanned += 1
        found: dict[str, Entry] = {}
        for mention in sorted(self._full_names.get(surname, ()), key=_start):
            if mention.start < i:
                found.setdefault(mention.entry.code, mention.entry)
        return next(iter(found.values())) if len(found) == 1 else None

    def recode(self, entry: Entry) -> Entry:
        """Return a dictionary entry or place with the code its territory's convention
        gives it on the document's date (data/actors/territories.csv), else as it is."""
        territory = self._territories.of(entry.surface) if self._territories is not None \
            else None
        if territory is None:
            return entry
        found = self._recoded.get(entry)
        if found is None:
            code = territory.code(self.date)
            found = self._recoded[entry] = entry if code == entry.code \
                else replace(entry, code=code)
        return found

    def _gazetteer_match(self, words: Sequence[str], i: int) -> tuple[int, Entry] | None:
        found = self.gazetteer.longest_match(words, i)
        return (found[0], self.recode(found[1])) if found is not None else None

    def sentence_before(self, i: int) -> tuple[int, int] | None:
        """Return the token bounds of the sentence before token i's (scanned), or None."""
        k = bisect_right([start for start, _ in self._sentences], i) - 2
        if k < 0:
            return None
        start, end = self._sentences[k]
        self.scan(start, end)
        return start, end

    def sentence_start(self, i: int) -> int:
        """Return the first token of token i's sentence, or -1 if it is not scanned."""
        return self._sent_start[i]

    def sentence_end(self, start: int) -> int:
        """Return the end of the scanned sentence that begins at token `start`."""
        return self._sent_end[start]

    def _mark(self, starts: list[int], find: Callable[[int], tuple[int, Entry] | None]) -> None:
        """Mark the names find() sees at the given positions, in order; earlier marks win.

        Names in news text have a capital ("Armenia", "U.S."), or begin a
        hyphenated compound ("al-Qaeda"): only those words are tried, and of
        them only those a name of the dictionary at hand can begin with.
        """
        names = self.names
        after = 0  # the first position not covered by a mark made here
        for i in starts:
            if i < after or i in names:
                continue
            hit = find(i)
            if hit is None:
                continue
            length, entry = hit
            span = range(i, i + length)
            if length > 1 and not names.keys().isdisjoint(span):
                continue
            mention = Mention(i, i + length, entry)
            names.update(dict.fromkeys(span, mention))
            if entry.kind == "person" and length > 1:
                self._full_names.setdefault(self._words[i + length - 1], []).append(mention)
            after = i + length

    def _scan_people(self, people: People, starts: list[int]) -> None:
        """Mark known people ("Aliyev", "Sergey Lavrov"), coded as of the document's date."""
        words, tokens = self._words, self._tokens
        calendar = _calendar()

        def find(i: int) -> tuple[int, Entry] | None:
            before = tokens[i - 1] if i > 0 else None
            # "Jeb Bush" is not George W. Bush: a name goes from its first word, but
            # a title before it ("President Bush") is no part of the name, nor is a
            # day ("on Tuesday Mitsotakis met ...")
            if before is not None and before.pos_ == "PROPN" and not (
                before.i in self.sectors or before.i in self.names
                or before.lower_ in calendar
            ):
                return None
            found = people.match(words, i, self.date)
            if found is None:
                return None
            length, person = found
            return length, _person_entry(person)

        self._mark(starts, find)

    def _scan_places(self, places: Places, starts: list[int]) -> None:
        """Mark cities and towns; "Ehud Barak" and "Kenzo Oshima" are people, not towns."""
        words, tokens = self._words, self._tokens

        def find(i: int) -> tuple[int, Entry] | None:
            located = places.longest_match(words, i)
            if located is None or _inside_name(tokens, i, i + located[0], self._divisions):
                return None
            length, place = located
            return length, self.recode(_place_entry(place))

        self._mark(starts, find)

    def _scan_sectors(self, starts: list[int]) -> None:
        lower, texts = self._lower, self._words
        after = 0
        for i in starts:
            if i < after:
                continue
            found = self.gazetteer.sector_match(lower, i)
            if found is None or _acronym_of_word(texts[i], lower[i]):
                continue
            length, sector = found
            mention = SectorMention(i, i + length, sector)
            for j in range(i, i + length):
                self.sectors[j] = mention
            after = i + length


@lru_cache(maxsize=1)
def _calendar() -> frozenset[str]:
    """Return the names of months and weekdays (data/dates/words.yaml), lowercase."""
    from faultline.resolve.datetext import load_date_words

    words = load_date_words()
    return frozenset(words.months) | frozenset(words.weekdays)


@lru_cache(maxsize=1 << 12)
def _person_entry(person: Person) -> Entry:
    """Return the dictionary entry a known person stands for (made once per row)."""
    return Entry(code=person.code, kind="person", sector=person.sector, surface=person.name,
                 org=person.org)


@lru_cache(maxsize=1 << 14)
def _place_entry(place: Place) -> Entry:
    """Return the dictionary entry a place stands for: its country, with no sector."""
    return Entry(code=place.code, kind="place", sector=None, surface=place.name)


def _start(mention: Mention) -> int:
    return mention.start


def _between(positions: list[int], start: int, end: int) -> list[int]:
    """Return the positions (sorted) that lie in [start, end)."""
    return positions[bisect_left(positions, start):bisect_left(positions, end)]


def _inside_name(tokens: Sequence[Word], start: int, end: int,
                 divisions: frozenset[str] = frozenset()) -> bool:
    """Return True when tokens [start, end) continue or begin a longer proper name
    (a noun of `divisions` after them ends the name: "Kandahar Province")."""
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    return bool(
        (before is not None and before.pos_ == "PROPN" and before.dep_ == "compound")
        or (after is not None and after.pos_ == "PROPN" and tokens[start].dep_ == "compound"
            and after.lower_ not in divisions)
    )


def _acronym_of_word(text: str, lemma: str) -> bool:
    """Return True for an all-capitals token that spells a common noun ("COP 29")."""
    return len(text) > 1 and text.isupper() and text.lower() == lemma and len(text) <= 4
