"""The parsed document every extractor reads, built once right after spaCy's parse.

A ParsedDoc holds one document's words (extract.tree), its sentences and their
clauses (extract.clauses, found the first time an extractor asks for a
sentence), the names and sector phrases the dictionaries find in it
(resolve.mentions), the resolver that turns noun phrases into actors with its
reference memory (resolve.actors, resolve.discourse) and the dates of its
narrative (resolve.dates). It is the one object extract hands on: it is
assembled here from the extract and resolve stages, since every extractor
needs both and none should build its own.

An extractor is anything with `extract(parsed) -> list of records`; the
pipeline runs the registered ones in turn over each ParsedDoc (events first,
whose resolutions and clauses the later ones share).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from faultline.extract.clauses import Clause, Grammar, clauses_in_sentence
from faultline.extract.quotes import Quotations
from faultline.extract.repair import repair
from faultline.extract.tree import Word, doc_text, doc_words, release, repair_lemmas
from faultline.models import Document

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from faultline.resolve.actors import DocActors, ResolverRules
    from faultline.resolve.dates import DateTracker
    from faultline.resolve.discourse import Discourse
    from faultline.resolve.gazetteer import Gazetteer
    from faultline.resolve.mentions import Mentions
    from faultline.resolve.people import People
    from faultline.resolve.places import Places
    from faultline.resolve.registry import Registry
    from faultline.resolve.territories import Territories


@dataclass(frozen=True)
class Knowledge:
    """The word lists and dictionaries a ParsedDoc is built with, loaded once per run."""

    grammar: Grammar
    #: Every word the event lexicon names, to repair the lemmatiser's slips.
    words: frozenset[str]
    #: The resolver's word lists and conventions.
    resolver: ResolverRules
    gazetteer: Gazetteer
    places: Places | None = None
    people: People | None = None
    territories: Territories | None = None


class ParsedDoc:
    """One parsed document: words, sentences, clauses, mentions, resolver, dates."""

    def __init__(self, doc: Doc, document: Document, knowledge: Knowledge,
                 registry: Registry | None = None) -> None:
        """Build the ParsedDoc of a spaCy Doc; `registry` holds the people seen in
        earlier documents."""
        # resolve comes after extract (it reads the Words): its parts are made here
        from faultline.resolve.actors import DocActors
        from faultline.resolve.dates import DateTracker
        from faultline.resolve.discourse import Discourse
        from faultline.resolve.mentions import Mentions
        from faultline.resolve.scenes import Scenes

        self.doc = doc
        self.document = document
        self.grammar = knowledge.grammar
        #: One Word per token (see extract.tree), lemmas and known misparses repaired.
        self.words: list[Word] = doc_words(doc)
        repair_lemmas(self.words, knowledge.words)
        repair(self.words)
        #: The document's text, as spaCy's tokens join it.
        self.text = doc_text(doc)
        self.sentences: list[Span] = list(doc.sents)
        self._starts = [s.start for s in self.sentences]
        self._clauses: dict[int, list[Clause]] = {}
        #: The dictionary matches, scanned a sentence at a time (see scan()).
        bounds = [(s.start, s.end) for s in self.sentences]
        mentions = Mentions(self.words, knowledge.gazetteer, knowledge.places, knowledge.people,
                            document.date, bounds, knowledge.territories,
                            divisions=knowledge.grammar.divisions)
        self.mentions: Mentions = mentions
        #: The quotations and who says them, for clauses quoted across sentences; the
        #: sentence of a verb that attributes one is scanned (no reference back to self,
        #: so that the document is freed without the garbage collector).
        self.quotations = Quotations(self.words, self.sentences, self.text,
                                     knowledge.grammar.speech | knowledge.grammar.quoting,
                                     reach=lambda k: mentions.scan(*bounds[k]))
        #: Whom the document has named so far, for pronouns, titles and surnames.
        rules = knowledge.resolver
        self.discourse: Discourse = Discourse(
            rules.object_pronouns, rules.title_numbers,
            first_person=knowledge.grammar.first_person, quoted=self.quotations.holds,
            personal=knowledge.grammar.personal_pronouns, bodies=knowledge.grammar.bodies)
        paragraphs = _paragraph_starts(self.sentences, self.text)
        scenes = Scenes(self.words, self.mentions, rules.scene_preps, rules.generic_codes,
                        reporting=rules.reporting_sectors,
                        place_preps=rules.place_preps,
                        title=document.title,
                        sentences=bounds,
                        # the lead: the sentences of the first paragraph
                        lead=paragraphs[1] if len(paragraphs) > 1 else len(self.sentences),
                        paragraphs=paragraphs)
        self.actors: DocActors = DocActors(self.words, self.text, self.mentions,
                                           self.discourse, rules, registry, scenes)
        #: The dates of the narrative, read up to the sentence an event is asked about.
        self.dates: DateTracker = DateTracker(document.date, sentences=self.sentences,
                                              quoted=self.quotations.quoted)

    def sentence_index(self, i: int) -> int:
        """Return the index of the sentence that holds token i."""
        return bisect_right(self._starts, i) - 1

    def scan(self, k: int) -> None:
        """Find the names and sector phrases of sentence k (once)."""
        sent = self.sentences[k]
        self.mentions.scan(sent.start, sent.end)

    def clauses(self, k: int) -> list[Clause]:
        """Return the clauses of sentence k, found on the first call."""
        found = self._clauses.get(k)
        if found is None:
            found = self._clauses[k] = list(
                clauses_in_sentence(self.sentences[k], self.grammar, self.quotations))
        return found

    def release(self) -> None:
        """Free the per-token Words once every extractor has read the document."""
        release(self.doc)


def _paragraph_starts(sentences: Sequence[Span], text: str) -> list[int]:
    """Return the index of the first sentence of each paragraph (after a blank line)."""
    starts = [0]
    for k in range(1, len(sentences)):
        # the blank line ends the span of the sentence before it
        if "\n\n" in text[sentences[k - 1].start_char:sentences[k].start_char]:
            starts.append(k)
    return starts


class Extractor(Protocol):
    """Makes one kind of record (events, statements of dependence...) from a ParsedDoc.

    Made once per run from the settings (loading its lexicon there), then asked
    about each document in turn.
    """

    def extract(self, parsed: ParsedDoc) -> Sequence[Any]:
        """Return the records the document states, in text order."""
        ...
