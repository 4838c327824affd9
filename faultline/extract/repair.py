"""Known slips of spaCy's small model on news prose, mended in the Word tree.

The parse of news prose goes wrong in a few regular ways that would give a
clause the wrong subject or the wrong head. Each repair here is a pattern that
holds wherever it appears, not a fix for one sentence; it changes the
dependency labels and heads of faultline's Words (extract.tree), never spaCy's
Doc, before any clause is found, so that every later stage reads the same
mended tree.
"""

from __future__ import annotations

from collections.abc import Sequence

from faultline.extract.subjects import PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS
from faultline.extract.tree import Word
from faultline.resolve.datetext import calendar_words


def repair(words: Sequence[Word]) -> None:
    """Mend the known slips in a document's Words (see the functions below)."""
    repair_verbless_sentences(words)
    repair_subjects(words)
    repair_conjuncts(words)
    repair_objects(words)
    repair_named_objects(words)
    repair_object_complements(words)


#: Tags of a verb with a tense (or a modal): a sentence has one, a headline may not.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def repair_verbless_sentences(words: Sequence[Word]) -> None:
    """Read the plural noun at the root of a sentence with no verb as the verb it is.

    "Benin severs ties with Taiwan", "The navy clashes with pirates", "Riot police
    fire on marchers": in the present tense of a headline or a news summary
    the model takes the verb for a noun and its subject for a modifier of it, and the
    sentence has no verb with a tense, which no sentence of news prose lacks. When
    the noun has such a modifier before it, it becomes a verb in the present tense
    and the modifier its subject (with the determiner and adjectives before it).
    """
    for root in words:
        if root.head is not root or root.tag_ not in {"NNS", "NN"}:
            continue
        before = [c for c in root.children if c.i < root.i]
        # (a name may be read as an adjective: "Senegal severs ties ...")
        subjects = [c for c in before if c.dep_ in {"compound", "amod", "nmod"}
                    and (c.pos_ in {"PROPN", "NOUN"} or c.text[:1].isupper())]
        # (a verb coordinated with the noun, "fire on marchers and arrest dozens", is
        # the second verb of the same subject)
        if not subjects or any(w.tag_ in _FINITE and not (w.dep_ == "conj" and w.head is root)
                               for w in root.subtree):
            continue
        subject = subjects[-1]
        root.pos_, root.tag_ = "VERB", "VBZ"
        subject.dep_ = "nsubj"
        for child in before:
            if child.i < subject.i:
                _relink(child, subject)
        # what the noun was said to be is what the verb was done to
        after = [c for c in root.children if c.i > root.i]
        if not any(c.dep_ == "dobj" for c in after):
            for child in after[:1]:
                if child.dep_ == "appos":
                    child.dep_ = "dobj"


def repair_subjects(words: Sequence[Word]) -> None:
    """Relabel as subjects the words spaCy's small model reads as something else.

    "Turkey bombs Kurdish positions": the subject of a verb in the present tense
    is read as a modifier (compound) of the verb. `"We will retaliate," warned
    the foreign minister`: after a quotation the verb comes first, and its
    subject is read as its object. A verb without a subject takes the nearest
    such word as its subject; nothing else in the parse changes.
    """
    deps = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
    for verb in words:
        if verb.pos_ != "VERB" or any(c.dep_ in deps for c in verb.children):
            continue
        kids = verb.children
        before = [c for c in kids if c.dep_ == "compound" and c.i < verb.i
                  and c.pos_ in {"PROPN", "NOUN"}]
        if before:
            before[-1].dep_ = "nsubj"
        elif any(c.dep_ == "ccomp" and c.i < verb.i for c in kids):
            after = [c for c in kids if c.dep_ in {"dobj", "attr"} and c.i > verb.i]
            if after:
                after[0].dep_ = "nsubj"


def repair_conjuncts(words: Sequence[Word]) -> None:
    """Hang a finite verb coordinated with an infinitive on the finite verb above it.

    "The Kremlin said it had no plans to attack NATO and blamed the West": the
    model makes "blamed" a conjunct of "attack", but a past tense cannot go on
    a "to" infinitive; it goes on "had", the nearest verb above with a tense
    (or an auxiliary) of its own.
    """
    for verb in words:
        if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.tag_ not in {"VBD", "VBZ"}:
            continue
        if any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
            continue
        head = verb.head
        if head.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to"
                                        for c in head.children):
            continue
        for above in head.ancestors:
            if above.pos_ in {"VERB", "AUX"} and (above.tag_ in {"VBD", "VBZ", "VBP"} or any(
                    c.dep_ in {"aux", "auxpass"} and c.lower_ != "to" for c in above.children)):
                _relink(verb, above)
                break


def repair_objects(words: Sequence[Word]) -> None:
    """Read "wants Stockholm to extradite the activists" as "told Minsk to withdraw" is
    read: an object and an infinitive it is to carry out.

    The model makes the object the subject of an infinitive clause (a ccomp) when
    the verb is one of wanting or expecting, but its object with an open complement
    (xcomp) when it is one of telling; one shape for both lets the coder read a
    demand or an expectation the same way wherever it appears.
    """
    for verb in words:
        if verb.dep_ != "ccomp" or verb.tag_ != "VB" or not any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            continue
        head = verb.head
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and head.i < c.i < verb.i]
        if head is verb or head.pos_ != "VERB" or len(subjects) != 1:
            continue
        subjects[0].dep_ = "dobj"
        _relink(subjects[0], head)
        verb.dep_ = "xcomp"


def repair_named_objects(words: Sequence[Word]) -> None:
    """Read a name right after a verb that has no object as its object.

    "Russian jets bombed Aleppo on Monday": the model reads the city as an adverbial
    noun (npadvmod) of the verb, as it does "Monday" in "met Monday"; a name that is
    not a day or a month is what the verb was done to.
    """
    calendar = calendar_words()
    for verb in words:
        if verb.pos_ != "VERB" or any(c.dep_ in {"dobj", "auxpass", "nsubjpass"}
                                      for c in verb.children):
            continue
        for child in verb.children:
            if (child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.i == verb.i + 1
                    and child.lower_ not in calendar):
                child.dep_ = "dobj"


def repair_object_complements(words: Sequence[Word]) -> None:
    """Read an adjective after a verb's object as what the verb says of it.

    "called the detentions unacceptable", "deemed the vote illegitimate": the model
    often hangs the adjective on the object as a modifier after it (amod), which
    English puts before its noun; it is the object's complement (oprd), as in the
    parses the model gets right.
    """
    for verb in words:
        if verb.pos_ != "VERB":
            continue
        for obj in [c for c in verb.children if c.dep_ == "dobj"]:
            after = [c for c in obj.children if c.dep_ == "amod" and c.pos_ == "ADJ"
                     and c.i > obj.i]
            if len(after) == 1 and after[0].i == obj.right_edge.i:
                after[0].dep_ = "oprd"
                _relink(after[0], verb)


def _relink(word: Word, head: Word) -> None:
    """Move `word` (and its subtree) under `head`, keeping its label."""
    old = word.head
    old.children = [c for c in old.children if c is not word]
    head.children = sorted([*head.children, word], key=lambda w: w.i)
    word.head = head
