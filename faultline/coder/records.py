"""The records the coder makes: an event, with its id, date, place, contexts and
confidence, and an event set aside (`Skipped`) with the reason it did not happen."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.coder.lexicon import Entry, Lexicon
from faultline.coder.roles import Roles
from faultline.extract.clauses import span_text
from faultline.extract.parsed import ParsedDoc
from faultline.extract.tree import Word
from faultline.models import Actor, Event

if TYPE_CHECKING:
    from spacy.tokens import Span

#: Base confidence by where the clause sits in the sentence.
POSITION_CONFIDENCE = {
    "root": 0.9, "conj": 0.85, "reported": 0.8, "complement": 0.7, "embedded": 0.55,
    "nominal": 0.5, "statement": 0.45, "background": 0.4,
}


@dataclass(frozen=True)
class Skipped:
    """A clause that names an event which did not happen, and why."""

    doc_id: str
    event: str
    reason: str
    event_text: str
    text: str


class Records:
    """Makes the records of one document: its events, and those it names that did not
    happen (`skipped`, in the order they were met)."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon, roles: Roles, version: str) -> None:
        self.parsed = parsed
        self.document = parsed.document
        self.lexicon = lexicon
        self.roles = roles
        self.actors = parsed.actors
        self.skipped: list[Skipped] = []
        self._coder = version
        self._sentence_contexts: dict[int, tuple[str, ...]] = {}

    def set_aside(self, event: str, reason: str, event_text: str, sent: Span) -> None:
        """Record that an event of type `event`, told by `event_text` in sentence `sent`,
        did not happen, and why."""
        self.skipped.append(Skipped(self.document.doc_id, event, reason, event_text,
                                    span_text(sent)))

    def event(
        self,
        sent: Span,
        entry: Entry,
        anchor: Word,
        words: Sequence[Word],
        position: str,
        event: str,
        mode: str | None,
        sources: list[Actor],
        targets: list[Actor],
        speaker: list[Actor],
    ) -> Event:
        """Return the record of an act of type `event` (in `mode`) by `sources` on
        `targets`: told by `words` of sentence `sent` around `anchor`, matched by the
        lexicon's `entry`, in a clause at `position` (POSITION_CONFIDENCE), said by
        `speaker`."""
        sources, targets = self.roles.complete(sent, sources, targets, event)
        etype = self.lexicon.ontology.types[event]
        cameo, quad, intensity = etype.figures(mode)
        confidence = POSITION_CONFIDENCE.get(position, 0.6)
        if entry.specificity:
            confidence += 0.05
        if not any(a.code for a in sources):
            confidence -= 0.15
        elif all(a.home for a in sources if a.code):
            # the source's country was read off the sentence's place or the document
            confidence -= 0.1
        if not any(a.code for a in (*sources, *targets)):
            confidence -= 0.3
        if any(a.code and a.home != "domestic" for a in targets):
            # of two readings of a sentence, prefer the one that says to whom
            confidence += 0.02
        doc = self.document
        # the record's id too: one text read as two records gives each its own events
        key = "|".join([
            doc.doc_hash, doc.doc_id, str(sent.start_char), str(anchor.i), event,
            ",".join(sorted(str(a.code) for a in sources)),
            ",".join(sorted(str(a.code) for a in targets)),
        ])
        heads = list(words) or [anchor]
        when = self.parsed.dates.date_for(heads)
        # the event's own words first, then its objects ("arrested 12 people in Goris")
        where = self.actors.place_of(heads)
        return Event(
            id=hashlib.sha1(key.encode()).hexdigest()[:16],
            doc_id=doc.doc_id,
            doc_hash=doc.doc_hash,
            date=when.date,
            date_precision=when.precision,
            date_fallback=when.fallback,
            event=event,
            mode=mode,
            context=self._contexts(sent, entry),
            source=tuple(sources),
            target=tuple(targets),
            event_text=" ".join(t.text for t in words),
            # whitespace collapsed for reading; span still points into the document,
            # without the paragraph break that may end the sentence
            text=" ".join(span_text(sent).split()),
            span=(sent.start_char, sent.start_char + len(span_text(sent).rstrip())),
            cameo=cameo,
            quad_class=quad,
            intensity=intensity,
            confidence=round(max(0.05, min(confidence, 1.0)), 3),
            rule=entry.rule,
            coder=self._coder,
            attribution=", ".join(a.text for a in speaker) or None,
            location=where,
        )

    def _contexts(self, sent: Span, entry: Entry) -> tuple[str, ...]:
        """Return the entry's own contexts and those the sentence's words signal."""
        if sent.start not in self._sentence_contexts:
            self._sentence_contexts[sent.start] = self.lexicon.ontology.contexts_of(
                span_text(sent))
        return tuple(dict.fromkeys([*entry.context, *self._sentence_contexts[sent.start]]))
