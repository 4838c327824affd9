"""The code stage: clauses + lexicon + actors -> PLOVER events.

For each clause the coder finds the lexicon entry its predicate chain
matches (coder.match), decides who is the source and who the target, applies PLOVER's
rules for intentions (a promised cooperative act is AGREE, a promised hostile
one THREATEN), and sets aside what did not happen: negated, hypothetical and
conditional statements are kept as `Skipped` records with the reason.

This module walks a document sentence by sentence; the parts it calls are
coder.clauses (one clause), coder.nominal (event nouns), coder.voices
(speakers and their judgements), coder.roles (who did it to whom) and
coder.records (the records made).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from operator import attrgetter

from faultline.coder.clauses import ClauseCoder
from faultline.coder.lexicon import Lexicon, load_lexicon
from faultline.coder.nominal import NominalCoder
from faultline.coder.records import Records, Skipped
from faultline.coder.roles import Roles, filled
from faultline.coder.statements import statement
from faultline.coder.voices import Voices, first_word
from faultline.extract.irrealis import Irrealis
from faultline.extract.parsed import ParsedDoc
from faultline.models import Event
from faultline.settings import Settings

CODER_VERSION = "coder-0.1.0"


def coder_version(lexicon: Lexicon, settings: Settings | None = None) -> str:
    """Return the version stored with every event: the coder's, the lexicon's (a digest of
    the bundled and the user's lexicon files) and, when the settings add dictionaries of
    actors, people, places or territories, a digest of those files ("+data-...")."""
    version = f"{CODER_VERSION}+{lexicon.version}"
    files = [] if settings is None else [
        *settings.actors, *settings.people, *settings.places, *settings.territories]
    if not files:
        return version
    digest = hashlib.sha256()
    for path in files:
        try:
            digest.update(path.read_bytes())
        except OSError:  # its loader has said why; the name stands in for it
            digest.update(str(path).encode())
        digest.update(b"\0")
    return f"{version}+data-{digest.hexdigest()[:8]}"


class EventExtractor:
    """The event coder as an extractor: PLOVER events, and the clauses set aside."""

    def __init__(self, settings: Settings) -> None:
        self.lexicon = load_lexicon(tuple(settings.lexicons))
        self.irrealis = event_irrealis(self.lexicon)
        self._version = coder_version(self.lexicon, settings)

    @property
    def version(self) -> str:
        """Return the coder and lexicon versions stored with every event."""
        return self._version

    def extract(self, parsed: ParsedDoc) -> list[Event | Skipped]:
        """Return the document's events, then the events it names that did not happen."""
        coder = DocumentCoder(parsed, self.lexicon, self.irrealis, self._version)
        events: list[Event | Skipped] = list(coder.events())
        return events + coder.skipped


class DocumentCoder:
    """Codes the clauses of one parsed document into events."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon, irrealis: Irrealis | None = None,
                 version: str | None = None):
        self.parsed = parsed
        self.document = parsed.document
        self.lexicon = lexicon
        self.irrealis = irrealis or event_irrealis(lexicon)
        self.roles = Roles(parsed, lexicon)
        self.records = Records(parsed, lexicon, self.roles, version or coder_version(lexicon))
        #: What the document names that did not happen (filled as events are coded).
        self.skipped = self.records.skipped
        self.clauses = ClauseCoder(parsed, lexicon, self.irrealis, self.roles, self.records)

    def events(self) -> Iterator[Event]:
        """Yield the events of the document, sentence by sentence."""
        parsed = self.parsed
        seen: set[str] = set()
        triggers = self.lexicon.triggers
        judging = self.lexicon.blame_words | self.lexicon.praise_words
        words = parsed.words
        observe = parsed.discourse.observe
        voices = Voices(parsed, self.lexicon, self.roles, self.records)
        nouns = NominalCoder(parsed, self.lexicon, self.irrealis, self.roles, self.records)
        history: list[Event] = []
        for k, sent in enumerate(parsed.sentences):
            tokens = words[sent.start:sent.end]
            # most sentences name no event: skip them before any parsing work (the
            # words looked up in C, by map and isdisjoint)
            lemmas = list(map(str.lower, map(_LEMMA, tokens)))
            triggered = not triggers.isdisjoint(lemmas)
            worded = not judging.isdisjoint(lemmas) or not judging.isdisjoint(map(_LOWER, tokens))
            if not triggered and not worded:
                continue
            said = statement(tokens, self.lexicon.grammar.speech, lemmas)
            # words of blame or praise count only in someone's voice: a statement's,
            # or a quotation's the sentence begins in
            judges = worded and (
                said is not None or parsed.quotations.holds(first_word(tokens)))
            if not judges and not triggered:
                continue
            parsed.scan(k)
            clauses = parsed.clauses(k)
            if not clauses:
                continue
            by_verb = {c.chain[0].i: c for c in clauses}
            by_verb.update({c.verb.i: c for c in clauses})
            consumed: set[int] = set()
            found: list[Event] = []
            for clause in clauses:
                outcome = self.clauses.code(clause, by_verb, consumed)
                if outcome is None:
                    continue
                # whom "it", "they" and "them" will mean next
                observe(outcome.subjects, outcome.targets)
                if outcome.event is not None:
                    found.append(outcome.event)
                    # "Israeli strikes hit Gaza City": the doer named by an event noun is
                    # that same event, not a second one
                    consumed.update(s.i for s in clause.subjects)
            found.extend(nouns.events(sent, by_verb, consumed))
            speaker = voices.of(k, said)
            if judges:
                judged = voices.judgement(sent, said, speaker, tokens, found)
                if judged is not None:
                    found.append(judged)
            for event in _distinct(found):
                if event.id in seen:
                    continue
                seen.add(event.id)
                if not any(a.code for a in event.source):
                    # nobody to pair with anybody: no analysis can use it
                    self.skipped.append(Skipped(self.document.doc_id, event.event, "no source",
                                                event.event_text, event.text))
                    continue
                event = self._answering(event, history, sent.start)
                history.append(event)
                yield event

    def _answering(self, event: Event, history: Sequence[Event], start: int) -> Event:
        """Return an answering event (plover.yaml coding: answers) with no target of its
        own, told in the sentence that starts at token `start`, aimed at the doer of the
        last earlier act by someone else: a denial answers the accuser."""
        about = self.clauses.about.get(event.id)
        if any(a.code and not filled(a) for a in event.target):
            return event
        own = {a.code for a in event.source if a.code}
        story = self.parsed.actors.scenes.story_start(start)
        if story:
            # (in a digest of separate stories, only what the event's own story told)
            floor = self.parsed.words[story].idx
            history = [e for e in history if e.span[0] >= floor]
        if event.id in self.clauses.apologies:
            # "Erdogan apologised": to whom the apologiser's own last act was done
            for earlier in reversed(history[-10:]):
                wronged = [a for a in earlier.target if a.code and a.code not in own]
                if {a.code for a in earlier.source if a.code} & own and wronged:
                    return replace(event, target=tuple(wronged))
            return event
        if (event.event not in self.lexicon.ontology.coding.answers and about is None
                and event.id not in self.clauses.responses):
            return event
        # "condemned the air strike": the strike told of before in the same word (whatever
        # type each reading gave it: "raided" and "the raid"), else the last act of its
        # kind, else (no act named) the last act of another
        earlier_acts: list[Event] = list(reversed(history[-10:]))
        if about is not None:
            kind, word = about
            earlier_acts = [
                *(e for e in reversed(history) if any(
                    _same_word(w, word)
                    for w in _WORD.findall(f"{e.event_text} {e.rule}".lower()))),
                # "condemned the attack": whoever attacked, not whoever spoke last
                *(e for e in earlier_acts if e.event == kind)]
        for earlier in earlier_acts:
            doers = [a for a in earlier.source if a.code]
            if doers and not {a.code for a in doers} <= own:
                return replace(event, target=tuple(doers))
        return event


def _same_word(told: str, word: str) -> bool:
    """Return True when a word of an earlier event's trigger or rule names what `word`
    names: "airstrike" and "strike", "bombed" and "bombing", "shell" and "shelling"."""
    return told.endswith(word) or told.startswith(word) or (
        len(told) >= 4 and word.startswith(told))


_LEMMA = attrgetter("lemma_")
#: The words of an event's trigger and rule ("carried out", "nouns.yaml:181:air strike").
_WORD = re.compile(r"[a-z]+")
_LOWER = attrgetter("lower_")


def event_irrealis(lexicon: Lexicon) -> Irrealis:
    """Return what sets an event aside: a negated or hypothetical, conditional,
    purpose or question clause; talk of an event, "any" before it, a verb that
    breaches it or that it undergoes coming undone, an adjective that makes it a
    prospect."""
    return Irrealis(
        lexicon.unreal_moods, lexicon.hypothetical_nouns,
        dict.fromkeys(lexicon.hypothetical_determiners, "hypothetical"),
        lexicon.breaching, lexicon.hypothetical_adjectives, lexicon.grammar.intention,
        lexicon.collapsing,
    )


def _distinct(found: Sequence[Event]) -> list[Event]:
    """Return a sentence's events with each act once: "the attack killed twelve and
    injured twelve more" is one attack by one doer on one target, the surest reading
    kept, in the order of the text."""
    best: dict[tuple[str, frozenset[str | None], frozenset[str | None]], Event] = {}
    for event in found:
        key = (event.event, frozenset(a.code for a in event.source),
               frozenset(a.code for a in event.target))
        kept = best.get(key)
        if kept is None or event.confidence > kept.confidence:
            best[key] = event
    chosen = {id(e) for e in best.values()}
    return [e for e in found if id(e) in chosen]
