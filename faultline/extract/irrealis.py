"""Irrealis: whether a clause or a noun states something that did not happen.

A clause is set aside when it is negated or in one of the moods an extractor
does not take as fact (clause.modality: hypothetical, conditional, purpose,
question; the dependency finder also future). A noun that names an event or a
state is set aside when talk surrounds it ("the threat of sanctions"), a
determiner denies it ("any strike", "no dependence"), a verb undoes it
("violated the ceasefire", "ended its dependence") or only intends it ("is
planning an offensive"), it comes undone ("the ceasefire collapsed"), or an
adjective makes it a prospect ("an attack is unlikely"). The rules are the same
for every extractor; the word lists and moods are each extractor's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from faultline.extract.tree import Word


@dataclass(frozen=True)
class Irrealis:
    """What makes a statement unreal for one extractor."""

    #: Moods (clause.modality before its ":") that are not reports of fact.
    moods: AbstractSet[str]
    #: Nouns whose "of" phrase is talk, not fact: "the threat of sanctions".
    nouns: AbstractSet[str] = frozenset()
    #: Determiners of a noun and what they make it: {"any": "hypothetical"} ("would
    #: answer any strike"), {"no": "negated"}.
    determiners: Mapping[str, str] = field(default_factory=dict)
    #: Verbs whose object did not, or no longer, take place: "violated the ceasefire".
    undoing: AbstractSet[str] = frozenset()
    #: Adjectives that make the noun they are said of a prospect: "is unlikely".
    adjectives: AbstractSet[str] = frozenset()
    #: Verbs whose object is only intended: "is planning an offensive", "wants a truce".
    intending: AbstractSet[str] = frozenset()
    #: Verbs whose subject came undone: "the ceasefire collapsed".
    collapsing: AbstractSet[str] = frozenset()

    def clause(self, negated: bool, modality: str | None) -> str | None:
        """Return why a clause (negated, in a mood) states no fact: "negated", its
        modality; None when it does."""
        if negated:
            return "negated"
        if modality and modality.split(":")[0] in self.moods:
            return modality
        return None

    def noun(self, word: Word) -> str | None:
        """Return why a noun names nothing that took place ("hypothetical:threat",
        "negated:violate"), or None."""
        head = word.head
        if head.lower_ == "of" and head.head.lemma_.lower() in self.nouns:
            # "talk of a Russian attack", "the risk of dependence on X"
            return f"hypothetical:{head.head.lemma_.lower()}"
        for child in word.children:
            if child.dep_ == "det" and child.lower_ in self.determiners:
                return f"{self.determiners[child.lower_]}:{child.lower_}"
        if word.dep_ == "dobj" and head.lemma_.lower() in self.undoing and not any(
                c.dep_ == "prt" for c in head.children):
            # "violated the ceasefire": there is no ceasefire to code ("broke up the
            # rally", with a particle, is no breach: the rally took place)
            return f"negated:{head.lemma_.lower()}"
        if word.dep_ == "dobj" and head.lemma_.lower() in self.intending:
            # "Russia is planning a new offensive": the offensive has not happened
            return f"hypothetical:{head.lemma_.lower()}"
        if word.dep_ == "nsubj" and head.lemma_.lower() in self.collapsing:
            # "the ceasefire collapsed": there is no ceasefire to code
            return f"negated:{head.lemma_.lower()}"
        if word.dep_ in {"nsubj", "nsubjpass"}:
            for child in head.children:
                if child.dep_ == "acomp" and child.lower_ in self.adjectives:
                    # "a Russian attack on Finland is unlikely"
                    return f"hypothetical:{child.lower_}"
        return None
