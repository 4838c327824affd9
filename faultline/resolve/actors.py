"""Actors from noun phrases: a country or organisation code and a sector.

For the head of an argument ("police" in "Russian police") the resolver looks
at the head itself, its modifiers ("Russian", "Russia's", "foreign ministry"),
an "of" phrase ("the government of Armenia"), partitives ("dozens of
Azerbaijanis") and, for pronouns, whoever the text last named. Names,
demonyms, capitals and seats of power come from the gazetteer; sectors from
the agent nouns in sectors.yaml. spaCy's entity labels are not trusted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from faultline.extract.tree import Word, doc_text, doc_words
from faultline.models import Actor, Location
from faultline.resolve.gazetteer import Entry, Gazetteer
from faultline.resolve.people import People, Person
from faultline.resolve.places import Place, Places
from faultline.resolve.registry import FROM_TABLE, Registry, Sighting

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: Dependents that belong to the noun phrase itself.
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod", "nummod", "appos"})
#: Dependents of a modifier that belong to the noun phrase too ("Russian and Turkish").
_NOUN_PHRASE_DEPS = MODIFIER_DEPS | {"conj"}
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "its", "their", "his", "her", "our",
                      "them", "him", "itself", "themselves"})
#: Kinds of place a document may be named after ("the Paris Agreement").
_SIGNING_PLACES = frozenset({"capital", "place", "seat"})
#: Seats of power and capitals used as metonyms stand for the government.
CAPITAL_SECTOR = "GOV"


@dataclass
class DocActors:
    """Gazetteer and sector matches over one parsed document, plus pronoun memory."""

    doc: Doc
    gazetteer: Gazetteer
    partitives: frozenset[str]
    ownership: frozenset[str]
    #: Nouns naming documents: "the Rome Statute" has no Italian actor.
    documents: frozenset[str] = frozenset()
    places: dict[int, tuple[int, int, Entry]] = field(default_factory=dict)
    sectors: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: The actors most recently named as a subject, for "it", "they", "its".
    last: list[Actor] = field(default_factory=list)
    #: The targets of the last event, for object pronouns ("released them").
    last_targets: list[Actor] = field(default_factory=list)
    #: Every coded actor resolved so far, for pronouns inside a sentence.
    seen: list[Actor] = field(default_factory=list)
    _locations: dict[int, Entry | None] = field(default_factory=dict)
    #: Surnames of people the text described ("Russian Foreign Minister X"), by word.
    learned: dict[str, Actor] = field(default_factory=dict)
    #: The last coded actor each title or sector noun was said of ("Foreign Minister
    #: X" -> "minister"), for a later "the minister".
    titled: dict[str, list[Actor]] = field(default_factory=dict)
    place_table: Places | None = None
    people: People | None = None
    #: People seen in earlier documents, for names this document does not explain.
    registry: Registry | None = None
    #: The document's date, for people whose office depends on it.
    date: str | None = None
    _tokens: list[Word] = field(default_factory=list)
    #: The document's text, which actor texts are sliced from.
    _doc_text: str = ""
    _words: list[str] = field(default_factory=list)
    _lower: list[str] = field(default_factory=list)
    _scanned: set[int] = field(default_factory=set)
    #: Positions of the words that may begin a name of the gazetteer, of the people
    #: table and of the place table, in order.
    _name_starts: list[int] = field(default_factory=list)
    _person_starts: list[int] = field(default_factory=list)
    _place_starts: list[int] = field(default_factory=list)
    #: Positions of the words some sector phrase begins with, in order.
    _sector_starts: list[int] = field(default_factory=list)
    #: Resolutions of non-pronoun heads, which do not change within a document.
    _cache: dict[tuple[int, bool], list[Actor]] = field(default_factory=dict)
    #: (start, end, code, sector, text) of every actor in `seen`: a tuple hashes
    #: faster than the Actor it stands for (all of them are neither borrowed nor named).
    _seen_keys: set[tuple[int, int, str | None, str | None, str]] = field(default_factory=set)
    #: The first token of each token's sentence, -1 until the sentence is scanned.
    _sent_start: list[int] = field(default_factory=list)
    _sent_end: dict[int, int] = field(default_factory=dict)
    #: Whether a place follows a preposition in a sentence, by its first token.
    _sentence_places: dict[int, bool] = field(default_factory=dict)

    @classmethod
    def index(
        cls,
        doc: Doc,
        gazetteer: Gazetteer,
        partitives: frozenset[str],
        ownership: frozenset[str] = frozenset(),
        places: Places | None = None,
        people: People | None = None,
        date: str | None = None,
        registry: Registry | None = None,
        documents: frozenset[str] = frozenset(),
    ) -> DocActors:
        """Prepare a document for actor resolution; sentences are scanned on demand.

        Cities and towns (from `places`) stand for their country, with no sector:
        "clashes near Goris" are in Armenia; but not before a noun of `documents`:
        "the Paris Agreement" is no French actor.
        """
        tokens = doc_words(doc)
        words = [t.text for t in tokens]
        # lower-cased words, not lemmas: spaCy lemmatises "media" to "medium";
        # the gazetteer reduces plurals itself
        lower = [t.lower_ for t in tokens]
        # the scans look only where something can begin: names have a capital
        # ("Armenia", "U.S.") or begin a hyphenated compound ("al-Qaeda")
        capitals = [i for i, w in enumerate(words) if not w.islower()
                    or (i + 1 < len(words) and words[i + 1] == "-")]
        return cls(
            doc=doc, gazetteer=gazetteer, partitives=partitives, ownership=ownership,
            place_table=places, people=people, date=date, registry=registry,
            documents=documents,
            _tokens=tokens, _doc_text=doc_text(doc), _words=words,
            _sent_start=[-1] * len(tokens),
            _lower=lower,
            _name_starts=gazetteer.beginnings(words, capitals),
            _person_starts=people.beginnings(words, capitals) if people is not None else [],
            _place_starts=places.beginnings(words, capitals) if places is not None else [],
            _sector_starts=gazetteer.sector_beginnings(lower),
        )

    def scan(self, start: int, end: int) -> None:
        """Find the names, places and sector phrases of tokens [start, end), once."""
        if start in self._scanned:
            return
        self._scanned.add(start)
        self._sent_start[start:end] = [start] * (end - start)
        self._sent_end[start] = end
        self._scan_names(self._words, _between(self._name_starts, start, end))
        self._scan_sectors(self._lower, _between(self._sector_starts, start, end))
        if self.people is not None:
            self._scan_people(self._words, self.people, _between(self._person_starts, start, end))
        if self.place_table is not None:
            self._scan_places(
                self._words, self.place_table, _between(self._place_starts, start, end)
            )

    def _mark(self, starts: list[int], find: Callable[[int], tuple[int, Entry] | None]) -> None:
        """Mark the names find() sees at the given positions, in order; earlier marks win.

        Names in news text have a capital ("Armenia", "U.S."), or begin a
        hyphenated compound ("al-Qaeda"): only those words are tried, and of
        them only those a name of the dictionary at hand can begin with.
        """
        after = 0  # the first position not covered by a mark made here
        for i in starts:
            if i < after or i in self.places:
                continue
            hit = find(i)
            if hit is None:
                continue
            length, entry = hit
            span = range(i, i + length)
            if length > 1 and not self.places.keys().isdisjoint(span):
                continue
            self.places.update(dict.fromkeys(span, (i, i + length, entry)))
            after = i + length

    def _scan_names(self, words: list[str], starts: list[int]) -> None:
        self._mark(starts, partial(self.gazetteer.longest_match, words))

    def _scan_people(self, words: list[str], people: People, starts: list[int]) -> None:
        """Mark known people ("Aliyev", "Sergey Lavrov"), coded as of the document's date."""

        def find(i: int) -> tuple[int, Entry] | None:
            before = self._tokens[i - 1] if i > 0 else None
            # "Jeb Bush" is not George W. Bush: a name goes from its first word, but
            # a title before it ("President Bush") is no part of the name
            if before is not None and before.pos_ == "PROPN" and not (
                before.i in self.sectors or before.i in self.places
            ):
                return None
            found = people.match(words, i, self.date)
            if found is None:
                return None
            length, person = found
            return length, _person_entry(person)

        self._mark(starts, find)

    def _scan_places(self, words: list[str], places: Places, starts: list[int]) -> None:
        """Mark cities and towns; "Ehud Barak" and "Kenzo Oshima" are people, not towns."""

        def find(i: int) -> tuple[int, Entry] | None:
            located = places.longest_match(words, i)
            if located is None or _inside_name(self._tokens, i, i + located[0]):
                return None
            length, place = located
            return length, _place_entry(place)

        self._mark(starts, find)

    def _scan_sectors(self, words: list[str], starts: list[int]) -> None:
        after = 0
        for i in starts:
            if i < after:
                continue
            found = self.gazetteer.sector_match(words, i)
            if found is None or _acronym_of_word(self._words[i], words[i]):
                continue
            length, sector = found
            for j in range(i, i + length):
                self.sectors[j] = (i, i + length, sector)
            after = i + length

    # -- noun phrases -----------------------------------------------------------------
    def _text(self, start: int, end: int) -> str:
        """Return the text of tokens [start, end) sliced from the document's string."""
        first, last = self._tokens[start], self._tokens[end - 1]
        return self._doc_text[first.idx:last.idx + len(last.text)]

    def _sector(self, tokens: Sequence[Word]) -> str | None:
        # the sector phrase nearest the head wins ("Russian police official" -> official)
        for tok in reversed(tokens):
            hit = self.sectors.get(tok.i)
            if hit:
                return hit[2]
        return None

    def resolve(
        self,
        head: Word,
        speaker: Sequence[Actor] = (),
        depth: int = 0,
        *,
        follow_of: bool = True,
    ) -> list[Actor]:
        """Return the actors a noun-phrase head stands for (several for "X and Y").

        follow_of=False keeps "of" phrases out: for event nouns ("the arrest of
        X"), X is a participant, not the noun's nationality.
        """
        out: list[Actor] = []
        for tok in _conjuncts(head):
            for actor in self._resolve_cached(tok, speaker, depth, follow_of):
                if not out or all((a.code, a.start) != (actor.code, actor.start) for a in out):
                    out.append(actor)
        return out

    def _resolve_cached(
        self, head: Word, speaker: Sequence[Actor], depth: int, follow_of: bool
    ) -> list[Actor]:
        # pronouns depend on what came before and who speaks; other heads do not
        if head.pos_ == "PRON" or head.lower_ in PRONOUNS or depth:
            return self._resolve_one(head, speaker, depth, follow_of)
        key = (head.i, follow_of)
        if key not in self._cache:
            self._cache[key] = self._resolve_one(head, speaker, depth, follow_of)
        return self._cache[key]

    def _resolve_one(
        self, head: Word, speaker: Sequence[Actor], depth: int, follow_of: bool = True
    ) -> list[Actor]:
        if depth > 3:
            return []
        lemma = head.lemma_.lower()
        if head.pos_ == "PRON" or lemma in PRONOUNS:
            sent_start = max(self._sent_start[head.i], 0)
            before = [a for a in self.seen if sent_start <= a.start and a.end <= head.i]
            # the speaker, else the nearest actor named earlier in the sentence
            # ("Pashinyan and his government"), else the last subject
            if head.lower_ in OBJECT_PRONOUNS and head.dep_ in {"dobj", "dative", "pobj"}:
                # "police detained two journalists ... later released them": an object
                # pronoun is not the subject of its own verb but whom the last event hit
                subject = {c.i for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}}
                before = [a for a in before if not any(a.start <= i < a.end for i in subject)]
                source = list(speaker) or before[-1:] or self.last_targets
            else:
                source = list(speaker) or before[-1:] or self.last
            return [Actor(text=head.text, code=a.code, sector=a.sector,
                          start=head.i, end=head.i + 1, borrowed=True, named=a.named)
                    for a in source]
        if follow_of and (lemma in self.partitives or head.like_num):
            of_object = _prep_object(head, _OF)
            if of_object is not None:
                return self.resolve(of_object, speaker, depth + 1)
        mods = _modifiers(head)
        owner = self._owner(mods) if mods else None
        if owner is not None:
            own: Entry | None = owner[0]
        else:
            head_hit = self.places.get(head.i)
            own = head_hit[2] if head_hit else None
        if own is not None and own.kind == "place" and any(
            (hit := self.places.get(m.i)) is not None and hit[2].kind != "place" for m in mods
        ):
            # "Israeli ... Barak": the nationality beats a town of the same name
            own = None
        sector = None
        codes: list[tuple[Entry, Word]] = []
        borrowed = False
        if own is not None and own.kind == "demonym":
            # "ethnic Albanians in south Serbia": people are coded where they live
            home = _prep_object(head, {"in"})
            hit = self.places.get(home.i) if home is not None else None
            if hit is not None and hit[2].kind in {"name", "region"} and hit[2].code != own.code:
                own = Entry(code=hit[2].code, kind="name", sector="CVL", surface=own.surface)
        if own is not None:
            codes.append((own, head))
            sector = own.sector or (CAPITAL_SECTOR if own.kind in {"capital", "seat"} else None)
            if own.kind == "person":
                # a title in the text ("Foreign Minister Lavrov") is more precise
                sector = self._sector(mods) or own.sector
        else:
            seen: set[tuple[int, int]] = set()
            named_document = head.lemma_.lower() in self.documents
            for tok in mods:
                hit = self.places.get(tok.i)
                if hit and _opposed(self._tokens, hit[0]):
                    # "an anti-Syria journalist" is no Syrian
                    continue
                if hit and named_document and hit[2].kind in _SIGNING_PLACES:
                    # "the Rome Statute", "the Washington Agreement": where, not who
                    continue
                if hit and (hit[0], hit[1]) not in seen:
                    seen.add((hit[0], hit[1]))
                    codes.append((hit[2], tok))
            head_sector = self.sectors.get(head.i)
            sector = head_sector[2] if head_sector else self._sector(mods)
            if not codes and mods:
                pron = next((t for t in mods if t.lemma_.lower() in PRONOUNS), None)
                if pron is not None:
                    antecedents = self._resolve_one(pron, speaker, depth + 1)
                    codes.extend((Entry(code=a.code or "", kind="name", sector=None,
                                        surface=a.text, org=None), pron)
                                 for a in antecedents if a.code)
                    borrowed = bool(codes)
            if not codes and follow_of and sector:
                # "workers affiliated with the Serbian union": whom they belong to
                for clause in (c for c in head.children if c.dep_ == "acl"
                               and c.lower_ in self.ownership):
                    for member in (g for p in clause.children if p.dep_ == "prep"
                                   for g in p.children if g.dep_ == "pobj"):
                        for actor in self.resolve(member, speaker, depth + 1):
                            if actor.code:
                                codes.append((Entry(code=actor.code, kind="name", sector=None,
                                                    surface=actor.text, org=None), member))
            if not codes and follow_of and sector:
                # "refugees fleeing the war in Liberia": where the group comes from
                for clause in (c for c in head.children if c.dep_ == "acl"):
                    for tok in clause.subtree:
                        hit = self.places.get(tok.i)
                        if hit and tok.dep_ == "pobj" and tok.head.lower_ in {"in", "from"}:
                            codes.append((hit[2], tok))
                            break
            if not codes and follow_of:
                # "the government of Sudan", "officials from Baku", "rebels in the Ivory Coast"
                inner = _prep_object(head, {"of", "from", "in"} if sector else {"of", "from"})
                if inner is not None:
                    for actor in self.resolve(inner, speaker, depth + 1):
                        if actor.code:
                            codes.append((Entry(code=actor.code, kind="name", sector=None,
                                                surface=actor.text, org=None), inner))
        if not codes and head.pos_ == "PROPN" and head.text in self.learned:
            # "Simonyan" after "the Russian propagandist Margarita Simonyan"
            known = self.learned[head.text]
            return [Actor(text=head.text, code=known.code, sector=sector or known.sector,
                          start=head.i, end=head.i + 1, named=True)]
        if not codes and head.pos_ == "PROPN" and self.registry is not None:
            # "Melia" in an article after another described "opposition leader Nika Melia"
            first = min([m.i for m in mods if m.i < head.i and m.pos_ == "PROPN"
                         and m.i not in self.sectors] + [head.i])
            person = self.registry.lookup(self._text(first, head.i + 1), self.date)
            if person is not None:
                start = min([m.i for m in mods if m.i < head.i] + [head.i])
                return [Actor(text=" ".join(self._text(start, head.i + 1).split()),
                              code=person.code, sector=sector or person.sector,
                              start=start, end=head.i + 1, named=True)]
        antecedents = (
            _antecedents(self.titled[lemma], head)
            if not codes and sector is not None and lemma in self.titled
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
            and not any(m.pos_ == "PROPN" for m in mods)
            else []
        )
        if antecedents:
            # "the minister" after "Armenia's Foreign Minister Ararat Mirzoyan"
            start = min([m.i for m in mods if m.i < head.i] + [head.i])
            text = " ".join(self._text(start, head.i + 1).split())
            return [Actor(text=text, code=known.code, sector=sector, start=start,
                          end=head.i + 1, borrowed=True, named=known.named)
                    for known in antecedents]
        if not codes and sector is None:
            if head.pos_ == "PROPN":
                # a name we cannot place yet is still somebody
                start = min([m.i for m in mods if m.i < head.i and m.pos_ == "PROPN"] + [head.i])
                return [Actor(text=self._text(start, head.i + 1), code=None, sector=None,
                              start=start, end=head.i + 1, named=True)]
            return []
        start = (
            min([m.i for m in mods if m.i < head.i and m.dep_ != "appos"] + [head.i])
            if mods else head.i
        )
        text = " ".join(self._text(start, head.i + 1).split())
        if not codes:
            # "President Bush", "the Bush administration": somebody with a name
            named = head.pos_ == "PROPN" or any(
                m.pos_ == "PROPN" and m.i not in self.places for m in mods
            )
            return [Actor(text=text, code=None, sector=sector, start=start, end=head.i + 1,
                          named=named)]
        # an entry that names an organisation or region may carry its own sector
        actors = [
            Actor(text=text, code=entry.code, sector=sector or entry.sector,
                  start=start, end=head.i + 1, borrowed=borrowed)
            for entry, _ in codes
        ]
        if not borrowed:
            for actor in actors:
                key = (actor.start, actor.end, actor.code, actor.sector, actor.text)
                if key not in self._seen_keys:
                    self._seen_keys.add(key)
                    self.seen.append(actor)
        if len(actors) == 1 and not borrowed:
            for i in range(start, head.i + 1):
                if i in self.sectors:
                    self.titled.setdefault(self._tokens[i].lemma_.lower(), []).append(actors[0])
        if head.pos_ == "PROPN" and own is None and len(actors) == 1 and not borrowed:
            # a person described once is known by their surname for the rest of the text
            self.learned.setdefault(head.text, actors[0])
        return actors

    def people_seen(self, doc_hash: str) -> list[Sighting]:
        """Return the people this document named: known ones and those it described."""
        out: dict[str, Sighting] = {}
        for start, _end, entry in self.places.values():
            if entry.kind == "person" and entry.surface not in out:
                out[entry.surface] = Sighting(entry.surface, entry.code, entry.sector,
                                              self._title_before(start), self.date, doc_hash,
                                              FROM_TABLE)
        for actor in self.learned.values():
            first = actor.end - 1
            while (first > actor.start and self.doc[first - 1].pos_ == "PROPN"
                   and first - 1 not in self.places and first - 1 not in self.sectors):
                first -= 1
            name = self._text(first, actor.end)
            if actor.end - first < 2 or actor.end - 1 in self.sectors:
                # a person has a first name and a surname; "the Apostolic Church" is no one
                continue
            role = [t.text for t in self.doc[actor.start:first] if t.dep_ != "det"]
            out.setdefault(name, Sighting(name, actor.code, actor.sector,
                                          " ".join(role) or None, self.date, doc_hash))
        return list(out.values())

    def _title_before(self, start: int) -> str | None:
        """Return the title written before a name ("Russian propagandist"), or None."""
        first = start
        while first > 0:
            tok = self.doc[first - 1]
            hit = self.places.get(first - 1)
            if first - 1 in self.sectors or (hit is not None and hit[2].kind != "person") or (
                tok.dep_ in {"amod", "compound"} and tok.pos_ in {"ADJ", "NOUN", "PROPN"}
            ):
                first -= 1
            else:
                break
        return " ".join(self._text(first, start).split()) if first < start else None

    def _owner(self, mods: Sequence[Word]) -> tuple[Entry, Word] | None:
        """Return the place in an ownership modifier: "Moscow-funded", "Kremlin-backed"."""
        for tok in mods:
            hit = self.places.get(tok.i)
            tokens = self._tokens
            if hit is None or hit[1] >= len(tokens):
                continue
            nxt = tokens[hit[1]]
            if nxt.text == "-" and hit[1] + 1 < len(tokens):
                nxt = tokens[hit[1] + 1]
            if nxt.lower_ in self.ownership:
                return hit[2], tok
        return None

    def place_of(self, heads: Sequence[Word]) -> Location | None:
        """Return the place an event's words tie it to ("detained in Goris", "the arrest
        of dozens in the city of Yekaterinburg"), or None."""
        if not any(self._has_place(head) for head in heads):
            return None
        for head in heads:
            for tok in head.subtree:
                if tok.dep_ != "pobj" or tok.head.lower_ not in _PLACE_PREPS:
                    continue
                for place in [tok, *_of_objects(tok)]:
                    hit = self.places.get(place.i)
                    if hit is None or hit[2].kind not in _PLACE_KINDS:
                        continue
                    entry = hit[2]
                    if entry.kind in {"place", "capital"} and self.place_table is not None:
                        found = self.place_table.lookup([entry.surface])
                        if found is not None:
                            return Location(found.name, found.code, found.lat, found.lon)
                    return Location(self._text(hit[0], hit[1]), entry.code)
        return None

    def _has_place(self, word: Word) -> bool:
        """Return False when no place follows a preposition anywhere in word's sentence,
        so that place_of need not walk the tree (worked out once per sentence)."""
        start = self._sent_start[word.i]
        if start < 0:
            return True  # not scanned: place_of looks for itself
        known = self._sentence_places.get(start)
        if known is None:
            end = self._sent_end[start]
            # a sentence without any name in it needs no walk
            known = self._sentence_places[start] = not self.places.keys().isdisjoint(
                range(start, end)
            ) and any(
                tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS and any(
                    (hit := self.places.get(place.i)) is not None
                    and hit[2].kind in _PLACE_KINDS for place in [tok, *_of_objects(tok)]
                )
                for tok in self._tokens[start:end]
            )
        return known

    def location(self, sent: Span) -> Entry | None:
        """Return the first country or place named after "in" in a sentence."""
        if sent.start not in self._locations:
            found = None
            for tok in self._tokens[sent.start:sent.end]:
                hit = self.places.get(tok.i)
                if hit is not None and tok.dep_ == "pobj" and tok.head.lower_ in {
                    "in", "inside", "across"
                }:
                    found = hit[2]
                    break
            self._locations[sent.start] = found
        return self._locations[sent.start]

    def remember(self, actors: Sequence[Actor]) -> None:
        """Remember the coded actors of a subject for later pronouns."""
        coded = [a for a in actors if a.code]
        if coded:
            self.last = coded

    def remember_targets(self, actors: Sequence[Actor]) -> None:
        """Remember the coded targets of an event, for a later "them" or "him"."""
        coded = [a for a in actors if a.code and not a.borrowed]
        if coded:
            self.last_targets = coded


_OF = frozenset({"of"})
_PLACE_PREPS = frozenset({"in", "near", "at", "outside", "inside", "around", "into"})
#: Pronouns that stand for whom something was done to, when they are objects.
OBJECT_PRONOUNS = frozenset({"them", "him", "her"})
_PLACE_KINDS = frozenset({"place", "capital", "name", "region"})


def _antecedents(named: list[Actor], head: Word) -> list[Actor]:
    """Return whom "the minister" (the last one named) or "the (two) ministers" stand for.

    A plural with a number ("the two ministers") takes that many distinct countries
    of the last few named with the title; without one, their country if they share
    one. Otherwise nobody: the text does not say which.
    """
    if head.tag_ != "NNS":
        return named[-1:]
    distinct: list[Actor] = []
    for actor in reversed(named[-3:]):
        if all(a.code != actor.code for a in distinct):
            distinct.append(actor)
    count = next((_NUMBERS.get(c.lower_) for c in head.children if c.dep_ == "nummod"), None)
    if count is not None:
        return distinct[:count][::-1] if len(distinct) >= count else []
    # "the ministers" after ministers of several countries: which of them is unclear
    return distinct if len(distinct) == 1 else []


_NUMBERS = {"two": 2, "three": 3, "four": 4, "both": 2, "2": 2, "3": 3, "4": 4}


def _of_objects(token: Word) -> list[Word]:
    return [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj"]


def _opposed(tokens: Sequence[Word], start: int) -> bool:
    """Return True for a name written as "anti-X"."""
    return start >= 2 and tokens[start - 1].text == "-" and tokens[start - 2].lower_ == "anti"


@lru_cache(maxsize=1 << 12)
def _person_entry(person: Person) -> Entry:
    """Return the dictionary entry a known person stands for (made once per row)."""
    return Entry(code=person.code, kind="person", sector=person.sector, surface=person.name,
                 org=person.org)


@lru_cache(maxsize=1 << 14)
def _place_entry(place: Place) -> Entry:
    """Return the dictionary entry a place stands for: its country, with no sector."""
    return Entry(code=place.code, kind="place", sector=None, surface=place.name)


def _between(positions: list[int], start: int, end: int) -> list[int]:
    """Return the positions (sorted) that lie in [start, end)."""
    return positions[bisect_left(positions, start):bisect_left(positions, end)]


def _inside_name(tokens: Sequence[Word], start: int, end: int) -> bool:
    """Return True when tokens [start, end) continue or begin a longer proper name."""
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    return bool(
        (before is not None and before.pos_ == "PROPN" and before.dep_ == "compound")
        or (after is not None and after.pos_ == "PROPN" and tokens[start].dep_ == "compound")
    )


def _acronym_of_word(text: str, lemma: str) -> bool:
    """Return True for an all-capitals token that spells a common noun ("COP 29")."""
    return len(text) > 1 and text.isupper() and text.lower() == lemma and len(text) <= 4


def _modifiers(head: Word) -> list[Word]:
    """Return the tokens modifying head inside its noun phrase, recursively, in order."""
    stack = [c for c in head.children if c.dep_ in MODIFIER_DEPS]
    if not stack:
        return stack
    out: list[Word] = []
    while stack:
        tok = stack.pop()
        out.append(tok)
        if tok.children:
            stack.extend([c for c in tok.children if c.dep_ in _NOUN_PHRASE_DEPS])
    return sorted(out, key=_position) if len(out) > 1 else out


def _conjuncts(token: Word) -> list[Word]:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(_conjuncts(child))
        elif child.dep_ == "appos" and token.pos_ == "PROPN" and child.pos_ == "PROPN" and any(
            c.dep_ == "conj" for c in child.children
        ):
            # "Mali, Burkina Faso and Niger" is parsed as Mali with an apposition
            # "Burkina Faso and Niger": a list, not another name for Mali
            out.extend(_conjuncts(child))
    return out


def _position(word: Word) -> int:
    return word.i


def _prep_object(head: Word, preps: AbstractSet[str]) -> Word | None:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None
