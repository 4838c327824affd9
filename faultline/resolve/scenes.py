"""Scenes: the country a sentence is set in, and the country a document is about.

An actor the dictionaries do not know ("the governor", "police", "a federal
judge") takes its country from the text, as PLOVER's coders do: from its own
words first ("Serbian police"), else from the country the sentence is set in
("in the US state of Alabama, Governor Kay Ivey ..."), else from the document's
main country. This module finds the last two.

- The scene of a sentence is the first country, region, city or town named
  after a preposition of place (`scene_preps` in grammar.yaml: "in", "inside",
  "across"), also inside that phrase ("in the US state of Alabama", "in the
  city of Omsk", "in the Brazilian state"). A city or region gives its country
  (places.csv).
- The main country of a document is the country named most in its title and
  its lead (the first paragraph, at most `LEAD_SENTENCES` sentences): a
  country named in the title counts `TITLE_WEIGHT`, the first one named there
  (the headline's subject) one more, and each sentence of the lead counts each
  country it names once. People of the people table count for their country,
  cities and regions for theirs; organisations and other codes that name no
  country (IGO, NGO...) do not count. On a tie, the country named first wins.
  When title and lead name no country, the rest of the document is read the
  same way.
- A digest of separate stories (the day's news in brief, one story a paragraph)
  is told apart from a story by its main country: a story names it again in most
  of its later paragraphs, a digest moves on. In a digest, a paragraph after the
  first that names countries but not the main one is about the first it names:
  its sentences take that country where they would take the main one, and no
  pronoun of a story stands for someone of another (`story_start`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from faultline.extract.tree import Word
from faultline.resolve.gazetteer import Entry
from faultline.resolve.mentions import PLACE_KINDS, Mentions

#: How many times a name in the title counts against one in the lead.
TITLE_WEIGHT = 2
#: The lead: the first paragraph, but no more than this many sentences.
LEAD_SENTENCES = 3
#: Kinds of name that never say which country a text is about.
_NOT_COUNTRIES = frozenset({"block", "org"})
# Title words as spaCy splits them: "U.S." whole, "Iran's" as "Iran" + "'s",
# dashes on their own ("Nagorno-Karabakh" is three words).
_TITLE_WORDS = re.compile(r"(?:[A-Z]\.){2,}|['\u2019]s\b|[^\W_]+|[^\w\s]")


class Home(NamedTuple):
    """A country an actor was given from outside its own words, and from where:
    "scene" (the sentence's place) or "document" (the document's main country)."""

    code: str
    source: str


class Scenes:
    """Where the sentences of one document are set, and what the document is about."""

    def __init__(
        self,
        words: Sequence[Word],
        mentions: Mentions,
        scene_preps: frozenset[str],
        generic_codes: frozenset[str],
        *,
        title: str | None = None,
        reporting: frozenset[str] = frozenset(),
        place_preps: frozenset[str] = frozenset(),
        sentences: Sequence[tuple[int, int]] = (),
        lead: int = 0,
        paragraphs: Sequence[int] = (),
    ) -> None:
        """`sentences` are the token bounds of every sentence, `lead` how many of the
        first ones make up the first paragraph, `paragraphs` the index of the first
        sentence of each paragraph; names of the `reporting` sectors (the press,
        lower case as the lexicon keeps them) never say which country the text is
        about."""
        self._words = words
        self._mentions = mentions
        self._scene_preps = scene_preps
        self._generic = generic_codes
        self._reporting = reporting
        self._place_preps = place_preps
        self._title = title
        self._sentences = sentences
        self._lead = max(1, min(lead, LEAD_SENTENCES)) if sentences else 0
        self._scenes: dict[int, Entry | None] = {}
        self._main: str | None = None
        self._main_known = False
        self._paragraphs = sorted(paragraphs) or [0]
        self._digest: bool | None = None
        self._starts = [start for start, _ in sentences]

    # -- a sentence -----------------------------------------------------------------
    def scene(self, start: int, end: int) -> Entry | None:
        """Return the place the scanned sentence of tokens [start, end) is set in, or None.

        The first object of a preposition of place that is, or holds, a country,
        region, city or town: "in Serbia", "in the US state of Alabama", "across
        the city of Omsk".
        """
        if start not in self._scenes:
            names = self._mentions.names
            found = None
            for tok in self._words[start:end]:
                if tok.dep_ != "pobj" or tok.head.lower_ not in self._scene_preps:
                    continue
                found = next((hit.entry for place in place_words(tok, self._place_preps)
                              if (hit := names.get(place.i)) is not None
                              and (hit.entry.kind in PLACE_KINDS
                                   or (place is not tok and hit.entry.kind == "demonym"))
                              and hit.entry.code not in self._generic), None)
                if found is not None:
                    break
            self._scenes[start] = found
        return self._scenes[start]

    # -- the document ---------------------------------------------------------------
    def main(self) -> str | None:
        """Return the code of the country the document is about, or None (worked out once)."""
        if not self._main_known:
            self._main_known = True
            weights: dict[str, float] = {}
            order: dict[str, int] = {}
            for k, code in enumerate(dict.fromkeys(self._title_codes())):
                # the headline's subject comes first: "Iraqi parliament votes to expel US troops"
                _count(weights, order, code, TITLE_WEIGHT + (k == 0))
            for codes in self._sentence_codes(self._sentences[:self._lead]):
                for code in codes:
                    _count(weights, order, code, 1)
            if not weights:
                for codes in self._sentence_codes(self._sentences[self._lead:]):
                    for code in codes:
                        _count(weights, order, code, 1)
            if weights:
                self._main = max(weights, key=lambda c: (weights[c], -order[c]))
        return self._main

    def local(self, start: int) -> str | None:
        """Return the code of the country the text is about around the sentence that
        starts at token `start`: the document's main country, unless the document is a
        digest of separate stories (`digest`) and the sentence's paragraph, up to that
        sentence, names countries and not that one; then the first country the
        paragraph names."""
        main = self.main()
        where = self._paragraph(start)
        if where is None or not self.digest():
            return main
        first, k = where
        if first == 0:
            # the first paragraph is what the main country was read from (with the title)
            return main
        named = [c for codes in self._sentence_codes(
            self._sentences[first:k + 1]) for c in codes]
        while not named and first > 0:
            # a paragraph that names no country goes on with the story of the one
            # before it that does ("Kazakh prosecutors charge a journalist." then
            # "Police detain two of his colleagues.")
            later = first
            first = self._paragraphs[bisect_right(self._paragraphs, first - 1) - 1]
            named = [c for codes in self._sentence_codes(self._sentences[first:later])
                     for c in codes]
            if first == 0:
                return main
        if not named or main in named:
            return main
        return named[0]

    def digest(self) -> bool:
        """Return True for a digest of separate stories, one a paragraph (the day's news
        in brief): a text whose main country fewer than half of the later paragraphs
        that name a country name (at least two do). A story stays on its country from
        paragraph to paragraph; a digest moves on."""
        if self._digest is None:
            main = self.main()
            bounds = [*self._paragraphs, len(self._sentences)]
            named = [codes for a, b in zip(bounds[1:-1], bounds[2:], strict=True)
                     if (codes := {c for cs in self._sentence_codes(self._sentences[a:b])
                                   for c in cs})]
            self._digest = len(named) >= 2 and 2 * sum(main in c for c in named) < len(named)
        return self._digest

    def story_start(self, i: int) -> int:
        """Return the first token of the story token i belongs to: in a digest, of its
        paragraph; otherwise the document's (0)."""
        where = self._paragraph(i) if self.digest() else None
        return self._starts[where[0]] if where is not None else 0

    def sentence_of(self, i: int) -> tuple[int, int] | None:
        """Return the token bounds of the sentence that holds token i, or None."""
        k = bisect_right(self._starts, i) - 1
        return self._sentences[k] if 0 <= k < len(self._sentences) else None

    def _paragraph(self, i: int) -> tuple[int, int] | None:
        """Return the index of the first sentence of the paragraph that holds token i,
        and of the sentence that does; None before the first sentence."""
        k = bisect_right(self._starts, i) - 1
        if k < 0:
            return None
        return self._paragraphs[bisect_right(self._paragraphs, k) - 1], k

    def named(self, start: int, end: int, skip: AbstractSet[int] = frozenset()) -> list[str]:
        """Return the country codes the sentence of tokens [start, end) names, in order,
        but names that start at a token of `skip`."""
        return self._sentence_codes([(start, end)], skip)[0]

    def _title_codes(self) -> list[str]:
        """Return the country codes the title names, in order."""
        if not self._title:
            return []
        words = _TITLE_WORDS.findall(self._title)
        out: list[str] = []
        i = 0
        while i < len(words):
            length, code = self._title_name(words, i)
            if code is not None and code not in self._generic:
                out.append(code)
            i += length
        return out

    def _title_name(self, words: Sequence[str], i: int) -> tuple[int, str | None]:
        """Return (token count, country code or None) of the name at words[i]: a
        country or organisation, else a known person, else a city or region."""
        mentions = self._mentions
        found = mentions.gazetteer.longest_match(words, i)
        if found is not None:
            entry = mentions.recode(found[1])
            return found[0], None if entry.kind in _NOT_COUNTRIES else entry.code
        person = mentions.people.match(words, i, mentions.date) \
            if mentions.people is not None else None
        if person is not None:
            return person[0], person[1].code
        place = mentions.place_table.longest_match(words, i) \
            if mentions.place_table is not None else None
        if place is not None:
            return place[0], mentions.recode(
                Entry(code=place[1].code, kind="place", sector=None, surface=place[1].name)).code
        return 1, None

    def _sentence_codes(self, sentences: Iterable[tuple[int, int]],
                        skip: AbstractSet[int] = frozenset()) -> list[list[str]]:
        """Return the country codes each of the given sentences names, in order and each
        once (scanning the sentences), but names that start at a token of `skip`."""
        mentions = self._mentions
        out: list[list[str]] = []
        for start, end in sentences:
            mentions.scan(start, end)
            codes: dict[str, None] = {}
            for i in range(start, end):
                hit = mentions.names.get(i)
                if hit is not None and hit.start == i and i not in skip \
                        and hit.entry.kind not in _NOT_COUNTRIES \
                        and hit.entry.code not in self._generic \
                        and (hit.entry.sector or "").lower() not in self._reporting:
                    codes[hit.entry.code] = None
            out.append(list(codes))
        return out


def _count(weights: dict[str, float], order: dict[str, int], code: str, weight: float) -> None:
    weights[code] = weights.get(code, 0) + weight
    order.setdefault(code, len(order))


def place_words(token: Word, within: AbstractSet[str] = frozenset()) -> list[Word]:
    """Return the words of a place phrase that may name the place, the most precise
    first: the head, its "of" object ("the state of Alabama"), the places set after
    either with a comma ("Qaraqosh, Iraq", "the town of Kidal, Mali"), the head's
    modifiers ("the US state") and the places it lies in or by, after a preposition
    of `within` ("a village near Mogadishu")."""
    named = [token, *(g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj")]
    return [*named,
            *(a for w in named for a in _appositions(w)),
            *(c for c in token.children if c.dep_ in {"compound", "poss", "amod"}),
            *(g for c in token.children if c.dep_ == "prep" and c.lower_ in within
              for g in c.children if g.dep_ == "pobj")]


def _appositions(word: Word) -> list[Word]:
    """Return the names set after a place with a comma, nearest first ("Kidal, Gao
    Region, Mali": the region, then the country), which the model reads as an
    apposition, a list or an adverbial noun."""
    found: list[Word] = []
    for child in word.children:
        if child.dep_ in {"appos", "conj", "npadvmod"} and child.pos_ == "PROPN":
            found += [child, *_appositions(child)]
    return found
