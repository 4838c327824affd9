"""Actors from noun phrases: a country or organisation code and a sector.

For the head of an argument ("police" in "Russian police") the resolver looks
at the head itself, its modifiers ("Russian", "Russia's", "foreign ministry"),
an "of" phrase ("the government of Armenia"), partitives ("dozens of
Azerbaijanis") and, for pronouns, whoever the text last named. Names,
demonyms, capitals and seats of power come from the gazetteer; sectors from
the agent nouns in sectors.yaml. spaCy's entity labels are not trusted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from faultline.extract.tree import Word, opposed, prep_object
from faultline.models import Actor, Location
from faultline.resolve.discourse import Discourse
from faultline.resolve.gazetteer import Entry
from faultline.resolve.mentions import PLACE_KINDS, Mentions
from faultline.resolve.registry import Registry
from faultline.resolve.scenes import Home, Scenes

#: Dependents that belong to the noun phrase itself.
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod", "nummod", "appos"})
#: Dependents of a modifier that belong to the noun phrase too ("Russian and Turkish").
_NOUN_PHRASE_DEPS = MODIFIER_DEPS | {"conj"}
#: Kinds of name (gazetteer Entry.kind) a document may be named after ("the Paris
#: Agreement"), and those that stand for the government ("Moscow said", "the Kremlin").
_SIGNING_PLACES = frozenset({"capital", "place", "seat"})
_SEATS = frozenset({"capital", "seat"})
#: Kinds of dictionary entries that name a state or one of its people ("Greece",
#: "Greek", "Athens", "Mitsotakis").
_STATE_KINDS = frozenset({"name", "demonym", "capital", "person"})
#: Kinds of name that say where a thing is ("the Kabul bombing", "Omsk's hospital").
_LOCATIVE = frozenset({"place", "capital", "region"})


@dataclass(frozen=True)
class ResolverRules:
    """What the resolver knows of English and of the ontology (data/lexicon/grammar.yaml,
    data/ontology/plover.yaml): read once with the lexicon."""

    #: Nouns for a part of a group: "dozens of Azerbaijanis" are Azerbaijanis.
    partitives: frozenset[str] = frozenset()
    #: Participles that tie an organisation to its owner: "Moscow-funded".
    ownership: frozenset[str] = frozenset()
    #: Of those, the ones of backing from outside: "Kenyan-backed Somali forces" are
    #: Somali, whoever backs them; a phrase with no nationality of its own keeps its
    #: owner.
    backing: frozenset[str] = frozenset()
    #: Participles of a third party's part: the broker of "a French-brokered truce"
    #: is no party to it.
    brokering: frozenset[str] = frozenset()
    #: Nouns of a statement, whose issuer says what "the statement" says: "the
    #: ministry issued a statement ... The statement called for calm".
    statements: frozenset[str] = frozenset()
    #: Nouns naming documents: "the Rome Statute" has no Italian actor.
    documents: frozenset[str] = frozenset()
    #: Pronouns, which stand for an actor named before; as objects, those of
    #: `object_pronouns` stand for the last event's targets.
    pronouns: frozenset[str] = frozenset()
    object_pronouns: frozenset[str] = frozenset()
    #: Prepositions that tie an event to a place, and those of the country a whole
    #: sentence happens in.
    place_preps: frozenset[str] = frozenset()
    scene_preps: frozenset[str] = frozenset()
    #: Sectors of the press, whose country is not the story's (grammar.yaml).
    reporting_sectors: frozenset[str] = frozenset()
    #: "the two ministers": number words of titles that refer back.
    title_numbers: Mapping[str, int] = field(default_factory=dict)
    #: "the two countries": nouns for a state that, counted, refer back.
    state_nouns: frozenset[str] = frozenset()
    #: The sector capitals and seats of power stand for.
    capital_sector: str = "GOV"
    #: Codes that name a kind of actor, not a country (IGO, NGO...): no country for
    #: an actor known only by its sector to belong to (plover.yaml generic_codes).
    generic_codes: frozenset[str] = frozenset()
    #: Codes of armed groups that fight across borders (IMG), also coded by the country
    #: they fight in (plover.yaml fighting_codes).
    fighting_codes: frozenset[str] = frozenset()
    #: Sectors of groups that act at home, whose named members are of the country
    #: their domestic act concerns, and of groups usually foreign to where an event
    #: happens (plover.yaml sectors).
    domestic_sectors: frozenset[str] = frozenset()
    foreign_sectors: frozenset[str] = frozenset()
    #: The sectors of a state's authorities (grammar.yaml authorities).
    authorities: frozenset[str] = frozenset()
    #: Nouns of someone in the same post elsewhere: "her counterparts in the two nations".
    counterparts: frozenset[str] = frozenset()


class DocActors:
    """The resolver of one document: noun-phrase heads -> actors.

    It reads the dictionary matches of `mentions` (sentences are scanned by the
    extractors as they read them) and the reference memory of `discourse`.
    """

    def __init__(
        self,
        words: list[Word],
        text: str,
        mentions: Mentions,
        discourse: Discourse,
        rules: ResolverRules,
        registry: Registry | None = None,
        scenes: Scenes | None = None,
    ) -> None:
        self.mentions = mentions
        self.discourse = discourse
        self.rules = rules
        self.partitives = rules.partitives
        self.ownership = rules.ownership
        self.documents = rules.documents
        self.pronouns = rules.pronouns
        #: People seen in earlier documents, for names this document does not explain.
        self.registry = registry
        #: The document's date, for people whose office depends on it.
        self.date = mentions.date
        #: Where its sentences are set and what country it is about.
        self.scenes = scenes or Scenes(words, mentions, rules.scene_preps, rules.generic_codes,
                                         reporting=rules.reporting_sectors,
                                         place_preps=rules.place_preps)
        self.place_table = mentions.place_table
        self._tokens = words
        #: The document's text, which actor texts are sliced from.
        self._doc_text = text
        self._names = mentions.names
        self._sectors = mentions.sectors
        #: Resolutions of non-pronoun heads, which do not change within a document.
        self._cache: dict[tuple[int, bool], list[Actor]] = {}
        #: Whether a place follows a preposition in a sentence, by its first token.
        self._sentence_places: dict[int, bool] = {}

    # -- noun phrases -----------------------------------------------------------------
    def text_of(self, start: int, end: int) -> str:
        """Return the text of tokens [start, end) sliced from the document's string."""
        first, last = self._tokens[start], self._tokens[end - 1]
        return self._doc_text[first.idx:last.idx + len(last.text)]

    def _sector(self, tokens: Sequence[Word]) -> str | None:
        # the sector phrase nearest the head wins ("Russian police official" -> official)
        for tok in reversed(tokens):
            hit = self._sectors.get(tok.i)
            if hit:
                return hit.sector
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
        if head.pos_ == "PRON" or head.lower_ in self.pronouns or depth:
            return self._resolve_one(head, speaker, depth, follow_of)
        key = (head.i, follow_of)
        if key not in self._cache:
            self._cache[key] = self._resolve_one(head, speaker, depth, follow_of)
        return self._cache[key]

    def _counted_states(self, head: Word, skip: AbstractSet[str | None] = frozenset()
                        ) -> list[Actor]:
        """Return the states a counted plural refers back to ("the two countries", "both
        sides"): as many as it counts, of those last named (but the codes of `skip`);
        none without a count."""
        numbers = self.rules.title_numbers
        count = next((numbers[c.lower_] for c in head.children
                      if c.dep_ in {"nummod", "det", "predet"} and c.lower_ in numbers), None)
        if count is None:
            return []
        # (the names of this sentence and the one before count as the latest, even
        # when nothing there was coded: "Turkey and Greece had poor relations, but
        # the leaders of the two countries spoke")
        before = self.mentions.sentence_before(head.i)
        start = before[0] if before is not None else self.mentions.sentence_start(head.i)
        here = [Actor(text=hit.entry.surface, code=hit.entry.code, sector=None, start=i,
                      end=i + 1) for i in range(max(start, 0), head.i)
                if (hit := self._names.get(i)) is not None and hit.entry.kind in _STATE_KINDS]
        return self.discourse.states_before(
            head.i, count, self.rules.generic_codes | {c for c in skip if c}, here)

    def _resolve_one(
        self, head: Word, speaker: Sequence[Actor], depth: int, follow_of: bool = True
    ) -> list[Actor]:
        if depth > 3 or not any(ch.isalnum() for ch in head.text):
            return []  # a stray "+" or "*" tagged a pronoun stands for nobody
        lemma = head.lemma_.lower()
        if head.pos_ == "PRON" or lemma in self.pronouns:
            start = max(self.mentions.sentence_start(head.i), 0)
            source = []
            if head.dep_ in {"nsubj", "nsubjpass"} and self.discourse.impersonal(head) \
                    and not speaker and not self.discourse.quoted(head) \
                    and not self.discourse.named_between(start, head.i):
                # "Al-Shabaab is based in Somalia. They attacked a police post": the
                # subject of the sentence just before, though it coded nothing
                source = self._subject_before(head, speaker, depth, reach=1)
            if head.dep_ == "poss" and not self.discourse.named_between(start, head.i):
                # "the Tanzanian minister commenced his visit": the subject named
                # before the possessive is whose it is, though nothing coded it yet
                for subject in self._subjects_above(head):
                    self.resolve(subject, speaker, depth + 1)
            source = source or self.discourse.antecedents(head, start, speaker)
            if not source and head.dep_ in {"nsubj", "nsubjpass"}:
                # "The Kenyan opposition leader spoke in Nairobi. He said ...": the
                # subject of the sentence before, which coded nothing the discourse saw
                source = self._subject_before(head, speaker, depth)
            # in a digest of separate stories nothing points back into another story
            story = self.scenes.story_start(head.i)
            source = [a for a in source if a.start >= story]
            return [Actor(text=head.text, code=a.code, sector=a.sector,
                          start=head.i, end=head.i + 1, borrowed=True, named=a.named,
                          org=a.org)
                    for a in source]
        if lemma in self.rules.state_nouns and head.tag_ == "NNS":
            # "the leaders of the two countries": the states last named
            states = self._counted_states(head)
            if states:
                return [Actor(text=self.text_of(min(c.i for c in [head, *head.children]
                                                    if c.i <= head.i), head.i + 1),
                              code=a.code, sector=None, start=head.i, end=head.i + 1,
                              borrowed=True) for a in states]
        if follow_of and (lemma in self.partitives or head.like_num):
            of_object = prep_object(head, _OF)
            if of_object is not None:
                return self.resolve(of_object, speaker, depth + 1)
        mods = self._own_modifiers(head)
        owner = self._owner(mods) if mods else None
        if owner is not None:
            own: Entry | None = owner[0]
        else:
            head_hit = self._names.get(head.i)
            own = head_hit.entry if head_hit else None
        if own is not None and own.kind == "place" and any(
            (hit := self._names.get(m.i)) is not None and hit.entry.kind != "place" for m in mods
        ):
            # "Israeli ... Barak": the nationality beats a town of the same name
            own = None
        sector = None
        codes: list[tuple[Entry, Word]] = []
        borrowed = where = False
        if own is not None and own.kind == "demonym":
            # "ethnic Albanians in south Serbia": people are coded where they live
            home = prep_object(head, {"in"})
            hit = self._names.get(home.i) if home is not None else None
            if hit is not None and hit.entry.kind in {"name", "region"} \
                    and hit.entry.code != own.code:
                own = Entry(code=hit.entry.code, kind="name", sector="CVL", surface=own.surface)
        if own is not None:
            codes.append((own, head))
            sector = own.sector or (self.rules.capital_sector if own.kind in _SEATS else None)
            if own.kind == "person":
                # a title in the text ("Foreign Minister Lavrov") is more precise
                sector = self._sector(mods) or own.sector
        else:
            seen: set[tuple[int, int]] = set()
            named_document = head.lemma_.lower() in self.documents
            for tok in mods:
                hit = self._names.get(tok.i)
                if hit and opposed(self._tokens, hit.start):
                    # "an anti-Syria journalist" is no Syrian
                    continue
                if hit and named_document and hit.entry.kind in _SIGNING_PLACES:
                    # "the Rome Statute", "the Washington Agreement": where, not who
                    continue
                if hit and (hit.start, hit.end) not in seen:
                    seen.add((hit.start, hit.end))
                    codes.append((hit.entry, tok))
            head_sector = self._sectors.get(head.i)
            sector = head_sector.sector if head_sector else self._sector(mods)
            # "a Kabul car bombing", "Omsk's hospital square": a city or region that
            # says where a thing is does not make it somebody of that country
            where = bool(codes) and sector is None and head.pos_ != "PROPN" and all(
                (tok.dep_ == "compound" and entry.kind in _LOCATIVE)
                or (tok.dep_ == "poss" and entry.kind in _LOCATIVE - _SEATS)
                for entry, tok in codes)
            # ("her counterparts in the two nations": not of the country "her" is)
            counterpart = lemma in self.rules.counterparts
            if not codes and mods and not counterpart:
                pron = next((t for t in mods if t.lemma_.lower() in self.pronouns), None)
                if pron is not None:
                    antecedents = self._resolve_one(pron, speaker, depth + 1)
                    codes.extend((Entry(code=a.code or "", kind="name", sector=None,
                                        surface=a.text, org=a.org), pron)
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
                                                    surface=actor.text, org=actor.org), member))
            if not codes and follow_of and sector:
                # "refugees fleeing the war in Liberia": where the group comes from
                for clause in (c for c in head.children if c.dep_ == "acl"):
                    for tok in clause.subtree:
                        hit = self._names.get(tok.i)
                        if hit and tok.dep_ == "pobj" and tok.head.lower_ in {"in", "from"}:
                            codes.append((hit.entry, tok))
                            break
            if not codes and head.tag_ in {"NNS", "NNPS"}:
                # "allies such as Germany", "countries including France and Italy": the
                # group stands for the members it names
                for example in _examples(head):
                    for actor in self.resolve(example, speaker, depth + 1):
                        if actor.code:
                            codes.append((Entry(code=actor.code, kind="name", sector=None,
                                                surface=actor.text, org=actor.org), example))
            if not codes and follow_of:
                # "the government of Sudan", "officials from Baku", "rebels in the Ivory
                # Coast", "a spokesman for the Interior Ministry"
                inner = prep_object(head, _MEMBER_PREPS if sector or counterpart
                                    else _ORIGIN_PREPS)
                if inner is None:
                    # "Bruno Rodriguez, the foreign minister of Cuba": the apposition's
                    inner = next((found for a in head.children if a.dep_ == "appos"
                                  and a.i in self._sectors
                                  and (found := prep_object(a, _MEMBER_PREPS)) is not None),
                                 None)
                # (a counterpart is of another country than whose counterpart it is)
                mine = {a.code for t in mods if counterpart and t.lemma_.lower() in
                        self.pronouns for a in self._resolve_one(t, speaker, depth + 1)}
                if inner is not None:
                    inside = self._counted_states(inner, mine) if mine and (
                        inner.lemma_.lower() in self.rules.state_nouns) else []
                    for actor in inside or self.resolve(inner, speaker, depth + 1):
                        if actor.code and actor.code not in mine:
                            codes.append((Entry(code=actor.code, kind="name", sector=None,
                                                surface=actor.text, org=actor.org), inner))
        # (the tagger may take a surname for a common noun, a plural of some word)
        known = self.discourse.described(head.text) \
            if not codes and (head.pos_ == "PROPN" or head.text[:1].isupper()) else None
        if known is not None:
            # "Simonyan" after "the Russian propagandist Margarita Simonyan"
            return [Actor(text=head.text, code=known.code, sector=sector or known.sector,
                          start=head.i, end=head.i + 1, named=True, org=known.org)]
        listed = self.mentions.person_named_before(head.i, head.text) \
            if not codes and head.pos_ == "PROPN" else None
        if listed is not None:
            # "Johnson" after "British Prime Minister Boris Johnson" in a sentence that
            # coded nothing: the people table knows the full name, not the surname
            return [Actor(text=head.text, code=listed.code, sector=sector or listed.sector,
                          start=head.i, end=head.i + 1, named=True, org=listed.org)]
        if not codes and head.pos_ == "PROPN" and self.registry is not None:
            # "Melia" in an article after another described "opposition leader Nika Melia"
            first = min([m.i for m in mods if m.i < head.i and m.pos_ == "PROPN"
                         and m.i not in self._sectors] + [head.i])
            person = self.registry.lookup(self.text_of(first, head.i + 1), self.date)
            if person is not None:
                start = min([m.i for m in mods if m.i < head.i] + [head.i])
                return [Actor(text=" ".join(self.text_of(start, head.i + 1).split()),
                              code=person.code, sector=sector or person.sector,
                              start=start, end=head.i + 1, named=True, org=person.org)]
        antecedents = (
            self.discourse.titled_as(lemma, head)
            if not codes and sector is not None
            and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
            and not any(m.pos_ == "PROPN" for m in mods)
            else []
        )
        # (in a digest, "the minister" of one story is no minister of another)
        antecedents = [a for a in antecedents if a.start >= self.scenes.story_start(head.i)]
        if not antecedents and not codes and sector is not None and not mods and (
                any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
                or (head.tag_ == "NNS" and not any(c.dep_ == "det" for c in head.children))):
            antecedents = self._same_noun_before(head)
        if antecedents:
            # "the minister" after "Armenia's Foreign Minister Ararat Mirzoyan"
            start = min([m.i for m in mods if m.i < head.i] + [head.i])
            text = " ".join(self.text_of(start, head.i + 1).split())
            return [Actor(text=text, code=known.code, sector=sector, start=start,
                          end=head.i + 1, borrowed=True, named=known.named, org=known.org)
                    for known in antecedents]
        if not codes and sector is None:
            if head.pos_ == "PROPN":
                # a name we cannot place yet is still somebody
                start = min([m.i for m in mods if m.i < head.i and m.pos_ == "PROPN"] + [head.i])
                return [Actor(text=self.text_of(start, head.i + 1), code=None, sector=None,
                              start=start, end=head.i + 1, named=True)]
            if lemma in self.rules.statements and depth == 0 and any(
                    c.dep_ == "det" and c.lower_ == "the" for c in head.children):
                return self._issuer_before(head, speaker)
            return []
        start = (
            min([m.i for m in mods if m.i < head.i and m.dep_ != "appos"] + [head.i])
            if mods else head.i
        )
        text = " ".join(self.text_of(start, head.i + 1).split())
        if not codes:
            # "President Bush", "the Bush administration": somebody with a name
            # ("the Senate", "Congress" are institutions: their head is a sector noun)
            named = (head.pos_ == "PROPN" and head.i not in self._sectors) or any(
                m.pos_ == "PROPN" and m.i not in self._names and m.i not in self._sectors
                for m in mods
            )
            # "the Third Way Forum": a named group nobody knows, of no country
            group = self.mentions.gazetteer.named_groups.get(sector) \
                if head.pos_ == "PROPN" and sector is not None else None
            return [Actor(text=text, code=group, sector=sector, start=start, end=head.i + 1,
                          named=named)]
        # an entry that names an organisation or region may carry its own sector
        actors = [
            Actor(text=text, code=entry.code, sector=sector or entry.sector,
                  start=start, end=head.i + 1, borrowed=borrowed, org=entry.org,
                  home="place" if where else None)
            for entry, _ in codes
        ]
        if not borrowed:
            sectors, tokens = self._sectors, self._tokens
            self.discourse.named(
                actors,
                [tokens[i].lemma_.lower() for i in range(start, head.i + 1) if i in sectors]
                if len(actors) == 1 else (),
                # "Johnson" after "Prime Minister Boris Johnson", even where the
                # people table does not know the surname alone
                head.text if head.pos_ == "PROPN" and (own is None or own.kind == "person")
                else None,
            )
        return actors

    def _same_nouns_before(self, head: Word) -> Iterator[Word]:
        """Yield the earlier nouns of head's lemma in its story, nearest first, their
        sentences scanned for names."""
        lemma = head.lemma_.lower()
        story = self.scenes.story_start(head.i)
        for i in range(head.i - 1, story - 1, -1):
            earlier = self._tokens[i]
            if earlier.lemma_.lower() != lemma or earlier.pos_ != "NOUN":
                continue
            bounds = self.scenes.sentence_of(i)
            if bounds is not None:
                self.mentions.scan(*bounds)
            yield earlier

    def _issuer_before(self, head: Word, speaker: Sequence[Actor]) -> list[Actor]:
        """Return who made "the statement" that says or calls for something: whoever
        issued the statement named before in the story ("the ministry issued a
        statement", "a statement by the ministry", "the ministry's statement")."""
        for earlier in self._same_nouns_before(head):
            agent = prep_object(earlier, {"by", "from"})
            issuers = [*(c for c in earlier.children if c.dep_ in {"poss", "compound", "amod"}),
                       *([agent] if agent is not None else [])]
            if earlier.dep_ == "dobj":
                issuers += [s for s in earlier.head.children if s.dep_ == "nsubj"]
            found = [a for w in issuers for a in self.resolve(w, speaker, 1) if a.code]
            if found:
                return [replace(a, text=head.text, start=head.i, end=head.i + 1, borrowed=True)
                        for a in found]
        return []

    def _same_noun_before(self, head: Word) -> list[Actor]:
        """Return the country of "the soldiers" after "Kenyan soldiers": that
        of the nearest earlier phrase of the same noun in the story with a nationality
        of its own, though no event of it was coded."""
        for earlier in self._same_nouns_before(head):
            if not any(m.dep_ in MODIFIER_DEPS for m in earlier.children):
                continue
            # its own words say whose it is ("UN-led troops" too), not a
            # country borrowed from elsewhere
            own = [a for a in self.resolve(earlier) if a.code and not a.borrowed
                   and a.home is None]
            if own:
                return own
        return []

    def _own_modifiers(self, head: Word) -> list[Word]:
        """Return the modifiers of head that say who it is: not a broker's ("a
        French-brokered truce"), nor a backer's beside a nationality of its own
        ("Kenyan-backed Somali forces")."""
        # "an anti-Japan rally": whom it is against, not who holds it
        mods = [m for m in _modifiers(head) if not opposed(self._tokens, m.i)]
        third = [m for m in mods if m.dep_ == "amod" and m.tag_ == "VBN" and (
            m.lower_ in self.rules.brokering or (
                m.lower_ in self.rules.backing and any(
                    (hit := self._names.get(o.i)) is not None and hit.entry.kind == "demonym"
                    and o.head is head for o in mods if o.i > m.i)))]
        if not third:
            return mods
        dropped = {w.i for m in third for w in m.subtree}
        return [m for m in mods if m.i not in dropped]

    def _owner(self, mods: Sequence[Word]) -> tuple[Entry, Word] | None:
        """Return the place in an ownership modifier: "Moscow-funded", "Kremlin-backed"."""
        for tok in mods:
            hit = self._names.get(tok.i)
            tokens = self._tokens
            if hit is None or hit.end >= len(tokens):
                continue
            nxt = tokens[hit.end]
            if nxt.text == "-" and hit.end + 1 < len(tokens):
                nxt = tokens[hit.end + 1]
            if nxt.lower_ in self.ownership:
                return hit.entry, tok
        return None

    def _subjects_above(self, word: Word) -> list[Word]:
        """Return the subjects before `word` of the verbs above it in its sentence,
        nearest verb first (no pronouns)."""
        return [s for verb in word.ancestors for s in verb.children
                if s.dep_ in {"nsubj", "nsubjpass"} and s.i < word.i and s.pos_ != "PRON"]

    def _subject_before(self, head: Word, speaker: Sequence[Actor], depth: int,
                        reach: int = 3) -> list[Actor]:
        """Return the coded actors of the nearest subject, in the `reach` sentences
        before the one of `head`, that names someone (a quotation's own sentences name
        none)."""
        i = head.i
        for _ in range(reach):
            bounds = self.mentions.sentence_before(i)
            if bounds is None:
                return []
            start, end = bounds
            i = start
            root = next((w for w in self._tokens[start:end] if w.head is w), None)
            if root is None:
                continue
            found = [a for s in root.children if s.dep_ in {"nsubj", "nsubjpass"}
                     and s.pos_ != "PRON" for a in self.resolve(s, speaker, depth + 1)
                     if a.code]
            if found:
                return found
        return []

    def place_of(self, heads: Sequence[Word]) -> Location | None:
        """Return the place an event's words tie it to ("detained in Goris", "the arrest
        of dozens in the city of Yekaterinburg"), or None."""
        if not any(self._has_place(head) for head in heads):
            return None
        for head in heads:
            for tok in head.subtree:
                if tok.dep_ != "pobj" or tok.head.lower_ not in self.rules.place_preps:
                    continue
                for place in [tok, *_of_objects(tok)]:
                    hit = self._names.get(place.i)
                    if hit is None or hit.entry.kind not in PLACE_KINDS:
                        continue
                    entry = hit.entry
                    if entry.kind in {"place", "capital"} and self.place_table is not None:
                        found = self.place_table.lookup([entry.surface])
                        if found is not None:
                            # the entry's code: a territory's convention may recode it
                            return Location(found.name, entry.code, found.lat, found.lon)
                    return Location(self.text_of(hit.start, hit.end), entry.code)
        return None

    def _has_place(self, word: Word) -> bool:
        """Return False when no place follows a preposition anywhere in word's sentence,
        so that place_of need not walk the tree (worked out once per sentence)."""
        start = self.mentions.sentence_start(word.i)
        if start < 0:
            return True  # not scanned: place_of looks for itself
        known = self._sentence_places.get(start)
        if known is None:
            end = self.mentions.sentence_end(start)
            # a sentence without any name in it needs no walk
            known = self._sentence_places[start] = not self._names.keys().isdisjoint(
                range(start, end)
            ) and any(
                tok.dep_ == "pobj" and tok.head.lower_ in self.rules.place_preps and any(
                    (hit := self._names.get(place.i)) is not None
                    and hit.entry.kind in PLACE_KINDS for place in [tok, *_of_objects(tok)]
                )
                for tok in self._tokens[start:end]
            )
        return known

    def complete(
        self, sentence: tuple[int, int], sources: list[Actor], targets: list[Actor]
    ) -> tuple[list[Actor], list[Actor]]:
        """Return an event's sources and targets with a country for every actor known
        only by its sector ("the president", "police", "Governor Kay Ivey").

        Such an actor belongs to the country the sentence is set in ("in Alabama,
        the governor ..."); else, domestic by default, to the country of the other
        side when that side has one code (but a named source, "President Bush
        threatened Russia", is not presumed the target's countryman, nor is any source
        when the target is a state or its government: "the minister blamed Ankara",
        "met Turkish officials"); else to the
        country the document is about. The first and the last are marked
        (Actor.home) so that the event weighs less. Groups usually foreign to where
        they act (refugees) stay uncoded.
        """
        # a place is where, never who: "a Kabul car bombing killed five" names no doer
        sources = [a for a in sources if a.home != "place"]
        return (self._fighting(sentence, self._fill(sentence, sources, targets, named=False)),
                self._fighting(sentence, self._fill(sentence, targets, sources, named=True)))

    def _fighting(self, sentence: tuple[int, int], side: list[Actor]) -> list[Actor]:
        """Return one side of an event with a transnational armed group ("Islamic State
        claimed the bombing") also given the country it fights in, as annotators code
        militants: the country the sentence is set in, else the document's
        (plover.yaml fighting_codes)."""
        fighters = [a for a in side if a.code in self.rules.fighting_codes]
        if not fighters:
            return side
        home = self.home(sentence)
        if home is None or home.code in self.rules.generic_codes or any(
                a.code == home.code for a in side):
            return side
        return [*side, *(replace(a, code=home.code, home=home.source, org=None)
                         for a in fighters[:1])]

    def _fill(self, sentence: tuple[int, int], side: list[Actor], other: list[Actor],
              named: bool) -> list[Actor]:
        rules = self.rules
        wanting = [a.code is None and (a.sector is not None or a.named)
                   and a.sector not in rules.foreign_sectors for a in side]
        if not any(wanting):
            return side
        # an organisation (IGO, NGO...) is no country to belong to
        other_codes = {a.code for a in other if a.code and a.code not in rules.generic_codes}
        domestic = next(iter(other_codes)) if len(other_codes) == 1 else None
        if domestic is not None and not named and all(
                a.sector in {None, rules.capital_sector} for a in other if a.code):
            # "the minister blamed Ankara", "met Turkish officials": a state or its
            # government on the other side says nothing of the official's own country
            domestic = None
        home: Home | None = None
        scene = self.scenes.scene(*sentence)
        out = []
        for actor, wants in zip(side, wanting, strict=True):
            if wants and scene is not None:
                actor = replace(actor, code=scene.code, home="scene")
            elif wants and domestic is not None and (
                named or not actor.named or actor.sector in rules.domestic_sectors
            ):
                actor = replace(actor, code=domestic)
            elif wants:
                home = home or self.home(sentence)
                # "Senator Smith blamed the opposition" in a text about the opposition's
                # country: a named source refused the other side's country stays
                # unplaced; one facing a state or its government (no presumption made
                # above) takes the sentence's or the document's country, as
                # annotators place an unknown speaker
                if home is not None and home.code != domestic:
                    actor = replace(actor, code=home.code, home=home.source)
            out.append(actor)
        return out

    def authority(self, word: Word, sector: str | None) -> list[Actor]:
        """Return the authority (in `sector`) that did an act nobody is named for, when
        no place in its words says where ("71 people were arrested"): that of the
        country the sentence is set in, else of the one the document is about."""
        start = self.mentions.sentence_start(word.i)
        if start < 0:
            return []
        sentence = (start, self.mentions.sentence_end(start))
        home = None if self.scenes.scene(*sentence) is not None else self._authorities(
            start, word.i)
        home = home or self.home(sentence)
        if home is None:
            return []
        return [Actor(text="", code=home.code, sector=sector, start=word.i, end=word.i,
                      home=home.source)]

    def _authorities(self, start: int, end: int) -> Home | None:
        """Return the country whose authorities the words [start, end) named, when
        they named one: "Azerbaijani police detained the editor of an outlet that had
        been ordered to close" (by Azerbaijan's authorities)."""
        subjects = [w for w in self._tokens[start:end]
                    if w.dep_ == "nsubj" and w.pos_ in {"NOUN", "PROPN"}]
        codes = {a.code for w in subjects for a in self.resolve(w)
                 if a.code and not a.org and (a.sector or "").lower() in self.rules.authorities
                 and a.code not in self.rules.generic_codes}
        return Home(codes.pop(), "scene") if len(codes) == 1 else None

    def home(self, sentence: tuple[int, int]) -> Home | None:
        """Return the country of the place the sentence is set in, else the country
        the document is about, else None."""
        place = self.scenes.scene(*sentence)
        if place is not None:
            return Home(place.code, "scene")
        main = self.scenes.local(sentence[0])
        return Home(main, "document") if main is not None else None


_OF = frozenset({"of"})
#: Prepositions of the country a group or a titled person belongs to ("officials from
#: Baku", "a spokesman for the ministry"), and of any actor's origin.
_MEMBER_PREPS = frozenset({"of", "from", "in", "for"})
_ORIGIN_PREPS = frozenset({"of", "from"})


def _examples(head: Word) -> list[Word]:
    """Return the members a plural names by example: "allies such as Germany and Japan",
    "countries including France", "states like Iran"."""
    found: list[Word] = []
    for prep in (c for c in head.children if c.dep_ == "prep"):
        if prep.lower_ in {"including", "like"} or (prep.lower_ == "as" and any(
                c.lower_ == "such" for c in [*head.children, *prep.children])):
            for obj in (g for g in prep.children if g.dep_ == "pobj"):
                found += [obj, *(c for c in obj.children if c.dep_ == "conj")]
    return found


def _of_objects(token: Word) -> list[Word]:
    return [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj"]


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
            if tok.dep_ == "appos" and tok.like_num:
                # "Pavel Ivanov, one of Russia's richest men": whom the one is of
                stack.extend(g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                             for g in c.children if g.dep_ == "pobj")
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
