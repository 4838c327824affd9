"""The code stage: clauses + lexicon + actors -> PLOVER events.

For each clause the coder finds the lexicon entry its predicate chain
matches, decides who is the source and who the target, applies PLOVER's
rules for intentions (a promised cooperative act is AGREE, a promised hostile
one THREATEN), and sets aside what did not happen: negated, hypothetical and
conditional statements are kept as `Skipped` records with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.coder.lexicon import Entry, Lexicon
from faultline.extract import Clause, extract_clauses
from faultline.models import Actor, Document, Event
from faultline.resolve.actors import DocActors
from faultline.resolve.gazetteer import Gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CODER_VERSION = "coder-0.1.0"

#: Base confidence by where the clause sits in the sentence.
POSITION_CONFIDENCE = {
    "root": 0.9, "conj": 0.85, "reported": 0.8, "complement": 0.7, "embedded": 0.6,
}
OBLIGATION_MODALS = frozenset({"must", "should", "ought"})


@dataclass(frozen=True)
class Match:
    """The lexicon entry a clause matched, and the verb that carried it."""

    entry: Entry
    verb: Token
    #: An event named by the complement of a control verb ("threatened to cut").
    complement: Entry | None = None
    complement_verb: Token | None = None


@dataclass(frozen=True)
class Skipped:
    """A clause that names an event which did not happen, and why."""

    doc_id: str
    event: str
    reason: str
    event_text: str
    text: str


def _particle(verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "prt":
            return child.lemma_.lower()
    return None


def _objects(verb: Token) -> list[Token]:
    out = []
    for child in verb.children:
        if child.dep_ in {"dobj", "dative", "attr", "oprd", "nsubjpass"}:
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    return out


def noun_keys(token: Token) -> list[str]:
    """Return the lexicon keys a noun can match: with compounds, bare, with "of X"."""
    lemma = token.lemma_.lower()
    mods = [c.lemma_.lower() for c in token.children
            if c.dep_ in {"compound", "amod"} and c.i < token.i]
    keys = []
    if mods:
        keys.append(" ".join([*mods[-2:], lemma]))
        keys.append(" ".join([mods[-1], lemma]))
    keys.append(lemma)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    keys.insert(0, f"{lemma} of {grand.lemma_.lower()}")
    return keys


def _verb_entry(verb: Token, lexicon: Lexicon, specific: bool) -> Entry | None:
    entries = lexicon.verbs.get(verb.lemma_.lower())
    if not entries:
        return None
    particle = _particle(verb)
    object_lemmas: set[str] = set()
    for obj in _objects(verb):
        object_lemmas.update(noun_keys(obj))
    preps = {c.lower_ for c in verb.children if c.dep_ == "prep"}
    for entry in entries:
        if (entry.specificity > 0) != specific:
            continue
        if entry.particle and entry.particle != particle:
            continue
        if entry.objects and not (entry.objects & object_lemmas):
            continue
        if entry.with_prep and not (entry.with_prep & preps):
            continue
        return entry
    return None


def _noun_entry(verb: Token, lexicon: Lexicon) -> Entry | None:
    if verb.lemma_.lower() not in lexicon.light_verbs:
        return None
    for obj in _objects(verb):
        for key in noun_keys(obj):
            entry = lexicon.nouns.get(key)
            if entry is not None:
                return entry
    return None


def _entry_for(verb: Token, lexicon: Lexicon) -> Entry | None:
    return (
        _verb_entry(verb, lexicon, specific=True)
        or _noun_entry(verb, lexicon)
        or _verb_entry(verb, lexicon, specific=False)
    )


def match_clause(clause: Clause, lexicon: Lexicon) -> Match | None:
    """Return the lexicon match of a clause's predicate chain, or None."""
    for k, verb in enumerate(clause.chain):
        entry = _entry_for(verb, lexicon)
        if entry is None:
            continue
        for later in clause.chain[k + 1:]:
            inner = _entry_for(later, lexicon)
            if inner is not None:
                return Match(entry, verb, inner, later)
        return Match(entry, verb)
    return None


class DocumentCoder:
    """Codes the clauses of one parsed document into events."""

    def __init__(self, doc: Doc, document: Document, lexicon: Lexicon, gazetteer: Gazetteer):
        self.doc = doc
        self.document = document
        self.lexicon = lexicon
        self.actors = DocActors.index(doc, gazetteer, lexicon.partitives)
        self.skipped: list[Skipped] = []

    def events(self) -> Iterator[Event]:
        """Yield the events of the document, sentence by sentence."""
        seen: set[str] = set()
        for clause in extract_clauses(self.doc, self.lexicon.grammar):
            event = self._code(clause)
            if event is not None and event.id not in seen:
                seen.add(event.id)
                yield event

    # -- one clause ------------------------------------------------------------------
    def _code(self, clause: Clause) -> Event | None:
        lexicon = self.lexicon
        speaker = self._resolve_all(clause.speaker)
        subjects = self._resolve_all(clause.subjects, speaker)
        match = match_clause(clause, lexicon)
        if match is None:
            self.actors.remember(subjects)
            return None
        entry = match.entry
        event, mode = entry.event, entry.mode
        modality = clause.modality
        onto = lexicon.ontology
        complement = match.complement
        if complement is not None:
            if match.verb.lemma_.lower() in lexicon.commissive and not onto.is_cooperative(
                complement.event
            ):
                event, mode = "THREATEN", None
            if mode is None:
                mode = onto.complement_modes.get(event, {}).get(complement.event)
        sources, targets = self._roles(clause, match, subjects)
        if modality and modality.startswith("hypothetical:") and clause.speech_verb is not None:
            modal = modality.split(":", 1)[1]
            if modal in OBLIGATION_MODALS:
                # "X said Y must withdraw": X asks Y for it
                targets, sources = (sources or targets), speaker
                inner_event = event
                event = "REQUEST"
                mode = onto.complement_modes["REQUEST"].get(inner_event)
                modality = None
        event_text = " ".join(t.text for t in clause.chain)
        if clause.negated or (modality and modality.split(":")[0] in {"hypothetical",
                                                                     "conditional"}):
            reason = "negated" if clause.negated else modality or ""
            self.skipped.append(Skipped(self.document.doc_id, event, reason, event_text,
                                        clause.sent.text))
            self.actors.remember(subjects)
            return None
        if modality in {"future", "intention"} and not onto.is_verbal(event):
            if onto.is_cooperative(event):
                event, mode = "AGREE", None
            else:
                mode = onto.complement_modes["THREATEN"].get(event)
                event = "THREATEN"
        if entry.reverse:
            sources, targets = targets, sources
        self.actors.remember(subjects)
        return self._event(clause, match, event, mode, sources, targets, speaker)

    def _resolve_all(self, heads: Sequence[Token], speaker: Sequence[Actor] = ()) -> list[Actor]:
        out: list[Actor] = []
        for head in heads:
            for actor in self.actors.resolve(head, speaker):
                if actor not in out:
                    out.append(actor)
        return out

    def _roles(
        self, clause: Clause, match: Match, subjects: list[Actor]
    ) -> tuple[list[Actor], list[Actor]]:
        """Return (sources, targets) for a matched clause."""
        verbs = [match.complement_verb, match.verb] if match.complement_verb else [match.verb]
        if clause.passive:
            agents = [tok for prep, tok in clause.preps if prep == "by"]
            return self._first_with_code(agents), subjects
        candidates: list[Token] = []
        for verb in verbs:
            candidates.extend(o for o in _objects(verb) if o.dep_ != "nsubjpass")
        candidates.extend(clause.complement_subjects)
        wanted = list(match.entry.preps) + [
            p for p in self.lexicon.target_preps if p not in match.entry.preps
        ]
        by_prep = sorted(
            (pair for pair in clause.preps if pair[0] in wanted),
            key=lambda pair: wanted.index(pair[0]),
        )
        candidates.extend(tok for _, tok in by_prep)
        subject_ids = {a.start for a in subjects}
        candidates = [c for c in candidates if c.i not in subject_ids]
        return subjects, self._first_with_code(candidates)

    def _first_with_code(self, heads: Sequence[Token]) -> list[Actor]:
        fallback: list[Actor] = []
        for head in heads:
            actors = self.actors.resolve(head)
            if any(a.code for a in actors):
                return actors
            if actors and not fallback:
                fallback = actors
        return fallback

    def _event(
        self,
        clause: Clause,
        match: Match,
        event: str,
        mode: str | None,
        sources: list[Actor],
        targets: list[Actor],
        speaker: list[Actor],
    ) -> Event:
        etype = self.lexicon.ontology.types[event]
        cameo, quad, intensity = etype.figures(mode)
        confidence = POSITION_CONFIDENCE.get(clause.position, 0.6)
        if match.entry.specificity:
            confidence += 0.05
        if not any(a.code for a in sources):
            confidence -= 0.15
        if not any(a.code for a in (*sources, *targets)):
            confidence -= 0.3
        sent = clause.sent
        doc = self.document
        key = "|".join([
            doc.doc_hash, str(sent.start_char), str(match.verb.i), event,
            ",".join(sorted(str(a.code) for a in sources)),
            ",".join(sorted(str(a.code) for a in targets)),
        ])
        date = doc.date
        return Event(
            id=hashlib.sha1(key.encode()).hexdigest()[:16],
            doc_id=doc.doc_id,
            doc_hash=doc.doc_hash,
            date=date,
            date_precision=("day" if date and len(date) == 10 else None),
            event=event,
            mode=mode,
            context=match.entry.context,
            source=tuple(sources),
            target=tuple(targets),
            event_text=" ".join(t.text for t in clause.chain),
            text=sent.text,
            span=(sent.start_char, sent.end_char),
            cameo=cameo,
            quad_class=quad,
            intensity=intensity,
            confidence=round(max(0.05, min(confidence, 1.0)), 3),
            rule=match.entry.rule,
            coder=f"{CODER_VERSION}+{self.lexicon.version}",
            attribution=", ".join(a.text for a in speaker) or None,
        )


def code_parsed(
    doc: Doc, document: Document, lexicon: Lexicon, gazetteer: Gazetteer
) -> tuple[list[Event], list[Skipped]]:
    """Return the events of a parsed document and the clauses set aside."""
    coder = DocumentCoder(doc, document, lexicon, gazetteer)
    events = list(coder.events())
    return events, coder.skipped
