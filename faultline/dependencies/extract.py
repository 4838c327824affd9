"""Statements of dependence from the dependency parse: who needs whom, for what.

For each word the dependency lexicon knows ("supplies", "relies", "dependent",
"dependence", "owned", "trading partner"), the finder locates the two parties
in the places the lexicon names (subject, object, possessive of the good, a
preposition), resolves them to actors with the same resolver as event coding
(so "its" and "the country" take their antecedent's code, "Gazprom" is
Russia's), finds the good ("85 percent of its natural gas" -> gas, 0.85) and
drops what is negated or hypothetical, as the event coder does.

It reads the ParsedDoc the event coder read: the same Words, clauses, subject
finding (extract.clauses), test of what did not happen (extract.irrealis),
resolver and discourse. Cheap by design: a document whose lemmas include no
trigger word costs one pass over its words; only sentences with a trigger are
looked at.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.coder.lexicon import Lexicon, load_lexicon
from faultline.dependencies.goods import (
    Found,
    GoodsReader,
    lemma,
    of_object,
)
from faultline.dependencies.lexicon import DependencyLexicon, Pattern, load_dependency_lexicon
from faultline.extract.clauses import Clause, span_text, subjects_of
from faultline.extract.irrealis import Irrealis
from faultline.extract.parsed import ParsedDoc
from faultline.extract.tree import Word, conjuncts
from faultline.models import Actor, Dependency
from faultline.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Span

DEPENDENCY_VERSION = "depend-0.1.0"

#: Relations in which a noun or adjective completes a verb: "is Armenia's
#: main supplier", "remains dependent".
COMPLEMENT_DEPS = frozenset({"attr", "acomp", "oprd"})
WORD_CLASS = {"VERB": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adjective"}
#: Heads whose actors are worth resolving before a pronoun is: its antecedents.
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "dative", "attr",
                          "appos", "conj", "ROOT"})
PREP_DEPS = frozenset({"prep", "agent"})


def _cased(words: frozenset[str]) -> frozenset[str]:
    """Return words as written in the lexicon and capitalised."""
    return frozenset(w for t in words for w in (t, t.capitalize()))


@dataclass
class _Statement:
    """A trigger word in its sentence, with the verb it belongs to."""

    token: Word
    pattern: Pattern
    #: The verb the word is or completes ("remains" for "remains dependent"); None
    #: for a noun standing alone ("its dependence on X").
    verb: Word | None
    passive: bool
    subjects: list[Word]
    objects: list[Word]


class DependencyFinder:
    """Finds the statements of dependence in one parsed document."""

    def __init__(self, parsed: ParsedDoc, extractor: DependencyExtractor):
        self.parsed = parsed
        self.words = parsed.words
        self.document = parsed.document
        self.lexicon = extractor.lexicon
        self.goods = extractor.goods
        self.grammar = extractor.events.grammar
        self.cessation = extractor.events.cessation
        self.irrealis = extractor.irrealis
        self.actors = parsed.actors
        self.coder = extractor.version
        self._clauses: dict[int, Clause] = {}
        #: The index of the sentence being read; the sentences whose antecedents are known.
        self._where = 0
        self._antecedents_of: set[int] = set()

    # -- the document ----------------------------------------------------------------
    def find(self, hits: Sequence[int], goods: Sequence[int]) -> list[Dependency]:
        """Return the statements of dependence at the trigger tokens `hits`, in text
        order; `goods` are the tokens that may name a good."""
        out: list[Dependency] = []
        seen: set[str] = set()
        sents = self.parsed.sentences
        done: set[int] = set()
        for i in hits:
            token = self.words[i]
            word_class = WORD_CLASS.get(token.pos_)
            if word_class == "noun" and any(c.dep_ == "dobj" for c in token.children):
                # "Georgia imports 90% of its wheat": a "noun" with an object is a verb
                # the tagger missed
                word_class = "verb"
            k = self.parsed.sentence_index(i)
            sent = sents[k]
            has_good = _any_between(goods, sent.start, sent.end)
            patterns = [p for p in (self.lexicon.find(word_class, lemma(token))
                                    if word_class else ())
                        if self._plausible(token, p, has_good)]
            if not patterns:
                continue
            if k not in done:
                done.add(k)
                self._prepare(k)
            self._where = k
            for dependency in self._statements(sent, token, patterns):
                if dependency.id not in seen:
                    seen.add(dependency.id)
                    out.append(dependency)
        return out

    def _plausible(self, token: Word, pattern: Pattern, has_good: bool) -> bool:
        """Return False when a pattern cannot apply, by checks that cost no resolution."""
        if pattern.needs_good and not has_good:
            return False
        if pattern.modifiers and not any(
            c.dep_ in {"compound", "amod"} and (lemma(c) in pattern.modifiers
                                                or c.lower_ in pattern.modifiers)
            for c in token.children
        ):
            return False
        if pattern.objects and not any(
            c.dep_ in {"dobj", "nsubjpass"} and lemma(c) in pattern.objects
            for c in token.children
        ):
            return False
        return not pattern.with_prep or any(
            t.dep_ in PREP_DEPS and t.lower_ in pattern.with_prep for t in token.subtree
        )

    def _prepare(self, k: int) -> None:
        """Scan a sentence's names and find its clauses."""
        self.parsed.scan(k)
        for clause in self.parsed.clauses(k):
            for verb in clause.chain:
                self._clauses.setdefault(verb.i, clause)
            self._clauses.setdefault(clause.verb.i, clause)

    # -- one trigger -----------------------------------------------------------------
    def _statements(
        self, sent: Span, token: Word, patterns: Sequence[Pattern]
    ) -> Iterator[Dependency]:
        for pattern in patterns:
            statement = self._statement(token, pattern)
            if statement is None or self._unreal(statement):
                continue
            found = list(self._dependencies(sent, statement))
            if found:
                yield from found
                return

    def _statement(self, token: Word, pattern: Pattern) -> _Statement | None:
        verb: Word | None = token if pattern.word_class == "verb" else None
        if verb is None and token.dep_ in COMPLEMENT_DEPS:
            verb = token.head
        passive = verb is not None and verb == token and any(
            c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children
        )
        subjects = self._subjects(verb, passive) if verb is not None else []
        objects = self._objects(verb, passive) if verb is not None and verb == token else []
        if pattern.objects and not any(lemma(o) in pattern.objects for o in objects):
            return None
        statement = _Statement(token, pattern, verb, passive, subjects, objects)
        if pattern.with_prep and not any(
            p in pattern.with_prep for p, _ in self._preps(statement)
        ):
            return None
        return statement

    def _subjects(self, verb: Word, passive: bool) -> list[Word]:
        """Return who does it: the subject, or the "by" phrase of a passive."""
        if passive:
            return [g for c in verb.children if c.dep_ == "agent"
                    for g in c.children if g.dep_ == "pobj" for g in conjuncts(g)]
        if verb.pos_ in {"NOUN", "PROPN"} and not any(
            c.dep_ in {"nsubj", "csubj"} for c in verb.children
        ):
            # the missed verb's subject was taken for its modifier: "Georgia imports"
            heads = [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i]
            if heads:
                return [h for head in heads for h in conjuncts(head)]
        # as for any clause: its own subject, or the one it shares ("began to supply")
        subjects, passive_subject = subjects_of(verb)
        return [] if passive_subject else subjects

    def _objects(self, verb: Word, passive: bool) -> list[Word]:
        """Return what it is done to: the object, or the subject of a passive."""
        if not passive:
            return [o for c in verb.children if c.dep_ == "dobj" for o in conjuncts(c)]
        heads = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if not heads:
            # "X and the country's grid is controlled by Y": the parser may hang the
            # grid on X; the noun just before the auxiliary is what is controlled
            aux = next((c for c in verb.children if c.dep_ == "auxpass"), None)
            k = aux.i - 1 if aux is not None else -1
            while k >= 0 and self.words[k].pos_ == "ADV":
                k -= 1
            if k >= 0 and self.words[k].pos_ in {"NOUN", "PROPN"}:
                heads = [self.words[k]]
        return [h for head in heads for h in conjuncts(head)]

    def _unreal(self, st: _Statement) -> bool:
        """Return True when the statement is negated, hypothetical or conditional."""
        token, verb = st.token, st.verb
        # "no dependence", "the risk of dependence on X", "ended its dependence on X"
        if self.irrealis.noun(token) is not None:
            return True
        if verb is None and token.dep_ == "dobj" and lemma(token.head) in self.lexicon.states:
            verb = token.head  # "has a dependence on X" shares the verb's negation
        if verb is None:
            return False
        if verb.dep_ in {"xcomp", "pcomp"} and lemma(verb.head) in self.cessation:
            # "stopped buying gas from X": no longer so
            return True
        if any(c.dep_ == "neg" for c in (*token.children, *verb.children)):
            return True
        clause = self._clauses.get(verb.i)
        if clause is None:
            return any(c.dep_ == "aux" and c.lower_ in self.grammar.hypothetical_modals
                       for c in verb.children)
        return self.irrealis.clause(clause.negated, clause.modality) is not None

    # -- places ----------------------------------------------------------------------
    def _holders(self, st: _Statement) -> list[Word]:
        """Return the tokens whose prepositions belong to the statement."""
        holders = [st.token]
        if st.verb is not None and st.verb != st.token:
            holders.append(st.verb)
        for obj in st.objects:
            holders.extend(self._descend(obj))
        return holders

    def _descend(self, token: Word) -> list[Word]:
        """Return token and the heads of its partitive "of" phrases ("85% of its gas")."""
        out = [token]
        current = token
        for _ in range(3):
            if not (lemma(current) in self.lexicon.partitives or current.like_num):
                break
            inner = of_object(current)
            if inner is None:
                break
            out.extend(conjuncts(inner))
            current = inner
        return out

    def _preps(self, st: _Statement) -> list[tuple[str, Word]]:
        out: list[tuple[str, Word]] = []
        for holder in self._holders(st):
            for child in holder.children:
                if child.dep_ in PREP_DEPS or (child.dep_ == "dative" and child.pos_ == "ADP"):
                    for grand in child.children:
                        if grand.dep_ == "pobj":
                            out.extend((child.lower_, g) for g in conjuncts(grand))
        return out

    def _heads_at(self, place: str, st: _Statement, goods: Sequence[Found]) -> list[Word]:
        """Return the noun-phrase heads at one place of a statement."""
        if place == "subject":
            return st.subjects
        if place == "object":
            return st.objects
        if place == "dative":
            verb = st.verb
            return [] if verb is None else [c for c in verb.children
                                            if c.dep_ == "dative" and c.pos_ != "ADP"]
        if place == "owner":
            owners = [c for c in st.token.children if c.dep_ == "poss"]
            for found in goods:
                node: Word | None = found.token
                # the good and the partitives above it: "85 percent of its gas"
                for _ in range(4):
                    if node is None:
                        break
                    owners.extend(c for c in node.children if c.dep_ == "poss")
                    owners.extend(self._consumers(node))
                    node = node.head.head if node.dep_ == "pobj" and node.head.lower_ == "of" \
                        else None
            return owners
        return [tok for p, tok in self._preps(st) if p == place]

    def _consumers(self, good: Word) -> list[Word]:
        """Return who uses a good, by a clause on it: "the oil that Israel consumes",
        "the gas used in Armenia"."""
        out: list[Word] = []
        for clause in good.children:
            if clause.dep_ == "relcl":
                out.extend(c for c in clause.children if c.dep_ == "nsubj" and c.pos_ != "PRON")
            elif clause.dep_ == "acl":
                out.extend(g for c in clause.children if c.dep_ in PREP_DEPS
                           and c.lower_ in {"in", "by"} for g in c.children if g.dep_ == "pobj")
        return out

    def _party(
        self, places: Sequence[str], st: _Statement, goods: Sequence[Found],
        other: frozenset[str] = frozenset(),
    ) -> list[Actor]:
        """Return the coded actors at the first place that names one (not of `other`)."""
        for place in places:
            actors = [a for head in self._heads_at(place, st, goods)
                      for a in self._resolve(head, other) if a.code]
            if any(a.code not in other for a in actors):
                return actors
        return []

    def _antecedents(self) -> None:
        """Before a pronoun or "the country" is resolved: remember the subject of an
        earlier sentence and resolve this sentence's noun phrases in order, so that
        "its" finds the actor named last before it."""
        k = self._where
        if k in self._antecedents_of:
            return
        self._antecedents_of.add(k)
        parsed, actors = self.parsed, self.actors
        sents = parsed.sentences
        for j in reversed(range(max(0, k - 3), k)):
            prev = sents[j]
            parsed.scan(j)
            root = self.words[prev.root.i]
            subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
            coded = [a for s in subjects for a in actors.resolve(s) if a.code]
            if coded:
                parsed.discourse.observe(coded)
                break
        for tok in self.words[sents[k].start:sents[k].end]:
            if tok.dep_ in NOMINAL_DEPS and tok.pos_ in {"PROPN", "NOUN"}:
                actors.resolve(tok)

    def _referring(self, token: Word) -> bool:
        """Return True for "it", "its" and "the country", which stand for an actor named
        before."""
        return token.pos_ == "PRON" or lemma(token) in self.lexicon.anaphors

    def _resolve(self, head: Word, other: frozenset[str]) -> list[Actor]:
        if self._referring(head) or any(
            c.dep_ == "poss" and self._referring(c) for c in head.children
        ):
            self._antecedents()
        actors = self.actors.resolve(head)
        if any(a.code for a in actors) or lemma(head) not in self.lexicon.anaphors:
            return actors
        # "the country's grid": the country named last before it, not the other side
        discourse = self.parsed.discourse
        start = self.parsed.sentences[self.parsed.sentence_index(head.i)].start
        before = discourse.named_between(start, head.i, other)
        source = before[-1:] or [a for a in discourse.last if a.code not in other]
        return [Actor(text=head.text, code=a.code, sector=a.sector, start=head.i,
                      end=head.i + 1, borrowed=True, org=a.org) for a in source]

    # -- goods and shares ------------------------------------------------------------
    def _goods(self, st: _Statement) -> list[Found]:
        """Return the goods the statement is about, with the shares stated for them."""
        if st.pattern.good is not None:
            return [Found(st.pattern.good, st.token, None, [])]
        preps = self._preps(st)
        candidates = [
            *st.objects,
            *(t for p, t in preps if p in {"for", "with"}),
            *(t for p, t in preps if p == "of" and t.head.head == st.token),
        ]
        found: list[Found] = []
        for head in candidates:
            found.extend(self.goods.goods_in(head))
            if found:
                return found
        # "a gas supplier", "depends on Russian gas", "Armenia's gas comes from X"
        own = self.goods.modifier_good(st.token)
        if own is not None:
            return [Found(own, st.token, None, [])]
        for head in [*(t for p, t in preps if p in {"on", "upon", "from", "to"}),
                     *st.subjects]:
            found.extend(self.goods.goods_in(head))
            if found:
                return found
        return []

    # -- the records -----------------------------------------------------------------
    def _dependencies(self, sent: Span, st: _Statement) -> Iterator[Dependency]:
        goods = self._goods(st)
        if not goods and st.pattern.needs_good:
            return
        suppliers = self._party(st.pattern.supplier, st, goods)
        if not suppliers:
            return
        codes = frozenset(a.code for a in suppliers if a.code)
        dependents = self._party(st.pattern.dependent, st, goods, other=codes)
        # the word's own, then its verb's ("is largely dependent", "largely relies")
        holders = [st.token] if st.verb is None or st.verb is st.token else [st.token, st.verb]
        adverbs = [c.lower_ for t in holders for c in t.children
                   if c.dep_ == "advmod" and c.lower_ in self.lexicon.qualifiers]
        options: list[Found | None] = [*goods] or [None]
        for found in options:
            for supplier in suppliers:
                for dependent in dependents:
                    if dependent.code == supplier.code:
                        continue
                    yield self._record(sent, st, found, supplier, dependent, adverbs)

    def _record(
        self, sent: Span, st: _Statement, found: Found | None, supplier: Actor,
        dependent: Actor, adverbs: list[str],
    ) -> Dependency:
        doc = self.document
        good = found.good if found is not None else None
        words = [*(found.qualifier if found is not None else []), *adverbs]
        key = "|".join([doc.doc_hash, str(sent.start_char), str(st.token.i), st.pattern.kind,
                        str(supplier.code), str(dependent.code), good.name if good else ""])
        return Dependency(
            id=hashlib.sha1(key.encode()).hexdigest()[:16],
            doc_id=doc.doc_id,
            doc_hash=doc.doc_hash,
            date=doc.date,
            kind=st.pattern.kind,
            good=good.name if good else None,
            good_sector=good.sector if good else None,
            supplier=supplier,
            dependent=dependent,
            share=found.share if found is not None else None,
            qualifier=" ".join(dict.fromkeys(words)) or None,
            trigger=st.token.text,
            text=" ".join(span_text(sent).split()),
            span=(sent.start_char, sent.start_char + len(span_text(sent).rstrip())),
            rule=st.pattern.rule,
            coder=self.coder,
        )


def _any_between(positions: Sequence[int], start: int, end: int) -> bool:
    """Return True when a sorted list of token positions has one in [start, end)."""
    k = bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


def dependency_irrealis(lexicon: DependencyLexicon, events: Lexicon) -> Irrealis:
    """Return what makes a statement of dependence unreal: a negated clause or one in
    a mood of the lexicon's unreal_moods; talk of it ("the risk of dependence"), "no
    dependence", a verb that ends it ("ended its dependence")."""
    return Irrealis(lexicon.unreal_moods, events.hypothetical_nouns, {"no": "negated"},
                    events.cessation)


class DependencyExtractor:
    """The dependency finder as an extractor: statements of dependence."""

    def __init__(self, settings: Settings) -> None:
        self.lexicon = load_dependency_lexicon(tuple(settings.dependency_lexicons))
        self.goods = GoodsReader(self.lexicon)
        #: The event lexicon lends the grammar words that decide negation and mood.
        self.events = load_lexicon(tuple(settings.lexicons))
        self.irrealis = dependency_irrealis(self.lexicon, self.events)
        self._triggers = _cased(self.lexicon.triggers)
        self._goods = _cased(self.lexicon.good_words)

    @property
    def version(self) -> str:
        """Return the finder and dependency lexicon versions stored with every statement."""
        return f"{DEPENDENCY_VERSION}+{self.lexicon.version}"

    def extract(self, parsed: ParsedDoc) -> list[Dependency]:
        """Return the statements of dependence in a parsed document, in text order.

        Cheap for most documents: one pass over the lemmas finds no trigger word.
        """
        triggers = self._triggers
        hits = [w.i for w in parsed.words if w.lemma_ in triggers]
        if not hits:
            return []
        goods = self._goods
        # a pattern that needs a good applies only in a sentence that names one
        # (by lemma or as written: "arms")
        named = [w.i for w in parsed.words if w.lemma_ in goods or w.lower_ in goods]
        return DependencyFinder(parsed, self).find(hits, named)
