"""Statements that judge: a speaker's words of blame or praise about someone.

"X said the decision was a grave mistake" and a quotation such as "It is a
cynical farce." after "Y said" report no act but the speaker's view of
another actor: PLOVER codes it as an ACCUSE (disapprove) or a SUPPORT of whom
the words are about. The words that judge are grammar.yaml's `blame_words` and
`praise_words`; whoever says them is the subject of a verb of saying in the
sentence, or the speaker of the quotation the sentence stands in
(extract.quotes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from faultline.coder.lexicon import Entry, Lexicon
from faultline.extract.subjects import subjects_of
from faultline.extract.tree import Word

_LEMMA = attrgetter("lemma_")
#: Dependencies of the noun phrases a judgement can be about.
ABOUT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "attr", "dative"})


@dataclass(frozen=True)
class Statement:
    """What one sentence says in someone's voice: who says it and the words said."""

    speaker: tuple[Word, ...]
    content: tuple[Word, ...]
    #: The verb of saying, when the sentence has one.
    verb: Word | None = None


def statement(words: Sequence[Word], speech: frozenset[str],
              lemmas: Iterable[str] | None = None) -> Statement | None:
    """Return what a sentence says in someone's voice: the words around its first verb
    of saying that has a subject ("X said ...", "..., X added"), less the speaker's.
    `lemmas` are the words' lemmas in lower case, when the caller has them."""
    if speech.isdisjoint(map(str.lower, map(_LEMMA, words)) if lemmas is None else lemmas):
        # the usual case, told in C: no verb of saying at all
        return None
    verb = next((w for w in words if w.pos_ == "VERB" and w.lemma_.lower() in speech
                 and any(c.dep_ == "nsubj" for c in w.children) and not _asked(w, speech)),
                None)
    if verb is None:
        return None
    speaker = tuple(c for c in verb.children if c.dep_ == "nsubj")
    own = {w.i for s in speaker for w in s.subtree} | {verb.i}
    return Statement(speaker, tuple(w for w in words if w.i not in own), verb)


def _asked(verb: Word, speech: frozenset[str]) -> bool:
    """Return True for a verb of saying that is what another act asks or intends, not a
    statement made: "demanded that Russia admit guilt"."""
    head = verb.head
    return verb.dep_ == "ccomp" and head is not verb and head.pos_ == "VERB" \
        and head.lemma_.lower() not in speech


def attributed(verb: Word) -> Statement:
    """Return the statement of a verb of saying that attributes a quotation in other
    sentences (extract.quotes): its subjects speak, the words are the quotation's."""
    speaker = tuple(c for c in verb.children if c.dep_ == "nsubj") or tuple(subjects_of(verb)[0])
    return Statement(speaker, (), verb)


def judgement(content: Sequence[Word], lexicon: Lexicon) -> Entry | None:
    """Return the construction a statement's words make: blame (ACCUSE) when they hold
    a word of blame that no "not" denies, else praise (SUPPORT), else None."""
    found = {"blame": False, "praise": False}
    for word in content:
        forms = {word.lower_, word.lemma_.lower()}
        kind = ("blame" if forms & lexicon.blame_words
                else "praise" if forms & lexicon.praise_words else None)
        if kind is None or _denied(word) or _topic(word, lexicon.kinds) or (
                word.dep_ in {"amod", "compound"} and forms & lexicon.classifying):
            # ("a terrorist attack", "an extremist group": a kind, not a judgement)
            continue
        found[kind] = True
    if found["blame"]:
        return lexicon.blame
    if found["praise"]:
        return lexicon.praise
    return None


def _topic(word: Word, kinds: frozenset[str]) -> bool:
    """Return True for a word of blame that names what a noun is about, not a judgement:
    "victims of sexual abuse", "claims of voter fraud" (but "a form of blackmail", "an
    act of aggression": what something is, of a noun of `kinds`)."""
    prep = word.head
    return (word.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ in {"NOUN", "PROPN"}
            and not (prep.lower_ == "of" and prep.head.lemma_.lower() in kinds))


def _denied(word: Word) -> bool:
    """Return True when a "not" or "no" bears on a word: "is not a mistake"."""
    holders = [word, word.head, word.head.head]
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no")
               for h in holders for c in h.children)


def about(content: Sequence[Word]) -> list[Word]:
    """Return the heads of the noun phrases a statement's words speak of, in order."""
    return [w for w in content if w.dep_ in ABOUT_DEPS and w.pos_ in {"PROPN", "NOUN", "PRON"}]
