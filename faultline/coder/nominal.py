"""Events named by nouns: "the arrest of X", "responded with detentions", "the
attack, reportedly conducted by the Taliban".

A noun of the lexicon is an event when it happened ("an explosion occurred", "the
bill sparked protests", "came under attack") or its entry stands alone, and only
with its doer; not when it is what someone is blamed for or judged to be. One in
prospect ("faces a life sentence"), a standing state or in a clause that did not
happen is set aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from faultline.coder import readings
from faultline.coder.lexicon import NO_EVENT, Lexicon
from faultline.coder.match import entry_of_noun, judged_as
from faultline.coder.records import Records
from faultline.coder.roles import Roles
from faultline.extract import Clause
from faultline.extract.irrealis import Irrealis
from faultline.extract.parsed import ParsedDoc
from faultline.extract.tree import Word
from faultline.models import Event

if TYPE_CHECKING:
    from spacy.tokens import Span


class NominalCoder:
    """Codes the event nouns of one parsed document."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon, irrealis: Irrealis, roles: Roles,
                 records: Records) -> None:
        self.parsed = parsed
        self.lexicon = lexicon
        self.irrealis = irrealis
        self.roles = roles
        self.records = records

    def events(
        self, sent: Span, by_verb: dict[int, Clause], consumed: set[int]
    ) -> Iterator[Event]:
        """Yield events named by nouns: "the arrest of X", "responded with detentions"."""
        heads = self.lexicon.noun_heads
        for tok in self.parsed.words[sent.start:sent.end]:
            if tok.pos_ != "NOUN" or tok.i in consumed or tok.lemma_.lower() not in heads:
                continue
            entry = entry_of_noun(tok, self.lexicon)
            if entry is None or entry.event == NO_EVENT or self._judging_word(tok) \
                    or self._blamed_act(tok):
                continue
            happened = (tok.dep_ in {"nsubj", "nsubjpass"} and (
                tok.head.lemma_.lower() in self.lexicon.occurrence
            )) or readings.cause(tok, self.lexicon.causing) is not None or (
                readings.undergoer(tok, self.lexicon.undergoing) is not None) or (
                readings.accompanying(tok, self.lexicon.meeting_preps) is not None)
            if not entry.alone and not happened:
                continue
            reason = self.irrealis.noun(tok)
            if reason is None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in \
                    self.lexicon.facing and not self.lexicon.ontology.is_verbal(entry.event):
                # "faces a life sentence": in prospect
                reason = f"hypothetical:{tok.head.lemma_.lower()}"
            if reason is None and readings.standing_noun(tok):
                # "Belarus is under EU sanctions": a state it is in
                reason = "standing"
            if reason is not None:
                self.records.set_aside(entry.event, reason, tok.text, sent)
                continue
            governor = next((a for a in tok.ancestors if a.i in by_verb), None)
            clause = by_verb.get(governor.i) if governor is not None else None
            reason = self.irrealis.clause(clause.negated, clause.modality) \
                if clause is not None else None
            if reason is not None:
                self.records.set_aside(entry.event, reason, tok.text, sent)
                continue
            speaker = self.roles.resolve_all(clause.speaker) if clause is not None else []
            sources, targets = self.roles.of_noun(tok, entry, clause, speaker)
            if not any(a.code for a in sources):
                # a noun alone ("the invasion of Ukraine") is evidence only with its doer
                continue
            if entry.event in self.lexicon.ontology.coding.constructions["peacekeeping"].acts \
                    and readings.peacekeeping(tok, self.lexicon.peacekeepers):
                entry = self.lexicon.peacekeeping
            if (tok.lemma_.lower() in self.lexicon.crowd_verbs
                    and entry.event == self.lexicon.demonstration.event and sources
                    and all((a.sector or "").lower() in self.lexicon.authorities
                            for a in sources)):
                # "drew protests from Baku": a state's protest is a note, not a march
                entry = self.lexicon.complaint
            yield self.records.event(sent, entry, tok, [tok], "nominal", entry.event,
                                     entry.mode, sources, targets, speaker)

    def _blamed_act(self, tok: Word) -> bool:
        """Return True for an act someone is blamed for ("blamed Pakistan for the attack",
        "accused Israel of the shelling", "was responsible for the bombing"): what the
        accusation is about, whose doer only the accuser names."""
        if tok.dep_ == "dobj" and tok.head.dep_ == "pcomp":
            # "accused Moscow of plotting a coup": the act of the gerund blamed for
            tok = tok.head
        prep = tok.head
        if tok.dep_ not in {"pobj", "pcomp"} or prep.dep_ != "prep" \
                or prep.lower_ not in {"for", "of"}:
            return False
        holder = prep.head.lemma_.lower()
        return holder in self.lexicon.blaming

    def _judging_word(self, tok: Word) -> bool:
        """Return True for a noun that a judging verb says something is ("called it an
        aggression", "described the arrests as an attack on the press"): a judgement,
        not an act of its own."""
        judging = self.lexicon.judging
        for word in [tok, *tok.ancestors]:
            head = word.head
            if head is word:
                return False
            if head.lemma_.lower() in judging and judged_as(word):
                return True
        return False
