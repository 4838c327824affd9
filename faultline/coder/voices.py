"""Who speaks in each sentence, and the judgements they voice.

"He said ...", "X told reporters ...": the speaker of a statement is resolved
once per verb of saying, when its sentence is coded or when a sentence of a
quotation it attributes (extract.quotes) first needs it. A sentence that blames
or praises in someone's voice (coder.statements) is an ACCUSE or a SUPPORT by
that speaker of whom the words are about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from faultline.coder.lexicon import Lexicon
from faultline.coder.match import phrase_objects
from faultline.coder.records import Records
from faultline.coder.roles import Roles, filled
from faultline.coder.statements import Statement, about, attributed, judgement
from faultline.extract.parsed import ParsedDoc
from faultline.extract.tree import Word
from faultline.models import Actor, Event

if TYPE_CHECKING:
    from spacy.tokens import Span


class Voices:
    """The speakers of one document's statements, and what their words of blame or
    praise code to."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon, roles: Roles,
                 records: Records) -> None:
        self.parsed = parsed
        self.lexicon = lexicon
        self.roles = roles
        self.records = records
        self._found: dict[int, list[Actor]] = {}

    def of(self, k: int, said: Statement | None) -> list[Actor]:
        """Return who says statement `said` of sentence k (nobody when it is None)."""
        if said is None or said.verb is None:
            return []
        found = self._found.get(said.verb.i)
        if found is None:
            found = self._found[said.verb.i] = self._resolve(k, said)
        return found

    def _resolve(self, k: int, said: Statement) -> list[Actor]:
        """Return who speaks in sentence k ("He said ..."), for its own words and for a
        quotation that goes on after it."""
        self.parsed.scan(k)
        subjects = list(said.speaker)
        found = self.roles.resolve_all(subjects)
        if k and not any(a.code or a.sector for a in found) and all(
                s.pos_ == "PRON" for s in subjects):
            # "X spoke to reporters. He said ...": the subject the sentence before named
            before = self.parsed.sentences[k - 1]
            self.parsed.scan(k - 1)
            root = self.parsed.words[before.root.i]
            found = self.roles.resolve_all([c for c in root.children
                                            if c.dep_ in {"nsubj", "nsubjpass"}]) or found
        return found

    def judgement(self, sent: Span, said: Statement | None, speaker: list[Actor],
                  tokens: Sequence[Word], found: Sequence[Event]) -> Event | None:
        """Return the ACCUSE or SUPPORT of a sentence that blames or praises in someone's
        voice (coder.statements), unless its own events already say so."""
        if said is None:
            # a sentence of a quotation whose speaker another sentence names
            # (extract.quotes): before it, after it, or earlier in its paragraph
            verb = self.parsed.quotations.voice(first_word(tokens))
            if verb is None:
                return None
            said = Statement((), tuple(tokens))
            speaker = self.of(self.parsed.sentence_index(verb.i), attributed(verb))
        if not any(a.code or a.sector for a in speaker):
            return None
        if said.verb is not None and said.verb.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in self.lexicon.grammar.conditional_marks
                for m in said.verb.children):
            # "may act if its judges find that the law violates the charter": nobody
            # has said so yet
            return None
        entry = judgement(said.content, self.lexicon)
        if entry is None:
            return None
        voiced = {a.code for a in speaker if a.code}
        onto = self.lexicon.ontology
        if any(onto.is_verbal(e.event) and voiced & {a.code for a in e.source} for e in found):
            # "X condemned the attack as a crime": the lexicon said it already
            return None
        # the speaker, or a pronoun or earlier mention standing for the speaker
        own = {(a.start, a.end) for a in speaker}
        same = {a.code for a in speaker}

        def other(a: Actor, borrowed: bool) -> bool:
            return (a.start, a.end) not in own and not (borrowed and a.code in same)

        # "said of the Japanese move", "said about the deal": what it is said of first
        topic = [] if said.verb is None else phrase_objects(said.verb, ["of", "about"])
        heads = [w for w in [*topic, *about(said.content)]
                 if w.lower_ not in self.lexicon.first_person]
        targets = [a for a in self.roles.first_with_code(heads) if other(a, a.borrowed)]
        if not any(a.code for a in targets):
            # "recalled its envoy from Somalia over a disgraceful breach": about whom
            # the speaker's own act in the sentence was aimed at
            targets = [a for e in found if voiced & {s.code for s in e.source}
                       for a in e.target if a.code and a.code not in voiced
                       and not filled(a)] or targets
        if not any(a.code for a in targets):
            # "It is a big mistake.": about whoever the text spoke of last
            targets = [a for a in self.parsed.discourse.last if other(a, True)] or targets
        anchor = said.verb or next(w for w in said.content if w.lower_ in
                                   self.lexicon.blame_words | self.lexicon.praise_words
                                   or w.lemma_.lower() in self.lexicon.blame_words
                                   | self.lexicon.praise_words)
        return self.records.event(sent, entry, anchor, [anchor], "statement", entry.event,
                                  entry.mode, list(speaker), targets, [])


def first_word(tokens: Sequence[Word]) -> Word:
    """Return the first word of a sentence that is not white space."""
    return next((t for t in tokens if not t.text.isspace()), tokens[0])
