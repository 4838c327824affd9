"""Goods and shares in a noun phrase: "85 percent of its natural gas" is gas, 0.85.

Words come from the dependency lexicon: goods (and the modifiers that name
them: "gas imports", "energy infrastructure"), partitives that lead to the
good ("most of", "the bulk of"), percent and fraction words, and degree words
kept as the qualifier ("about", "nearly all").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.dependencies.lexicon import DependencyLexicon, Good

if TYPE_CHECKING:
    from spacy.tokens import Token

MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})


@dataclass(frozen=True)
class Found:
    """A good named in a phrase, the token that names it, and the share stated for it."""

    good: Good
    token: Token
    share: float | None
    qualifier: list[str]


class GoodsReader:
    """Reads goods and shares out of noun phrases with one dependency lexicon."""

    def __init__(self, lexicon: DependencyLexicon):
        self.lexicon = lexicon

    def modifier_good(self, token: Token) -> Good | None:
        """Return the good a noun's modifiers name: "gas imports", "gas distribution network"."""
        stack = [c for c in token.children if c.dep_ in MODIFIER_DEPS and c.i < token.i]
        while stack:
            child = stack.pop(0)
            good = self.lexicon.goods.get(lemma(child)) or self.lexicon.goods.get(child.lower_)
            if good is not None:
                return good
            stack.extend(c for c in child.children if c.dep_ in MODIFIER_DEPS)
        return None

    def goods_in(self, head: Token, depth: int = 0) -> list[Found]:
        """Return the goods a phrase names: "gas", "gas imports", "most of its gas and
        wheat", "85 percent of Armenia's imports of grain"."""
        out: list[Found] = []
        for tok in conjuncts(head):
            good = self.modifier_good(tok)
            if good is None and depth < 3 and (
                lemma(tok) in self.lexicon.partitives or tok.like_num
            ):
                inner = of_object(tok)
                if inner is not None:
                    share, qualifier = self.share(tok)
                    for item in self.goods_in(inner, depth + 1):
                        out.append(Found(item.good, item.token,
                                          item.share if item.share is not None else share,
                                          [*qualifier, *item.qualifier]))
                    if out:
                        continue
            # "arms" is lemmatised to "arm": try the word as written too
            good = good or self.lexicon.goods.get(lemma(tok)) or self.lexicon.goods.get(
                tok.lower_)
            if good is not None:
                out.append(Found(good, tok, None, []))
        return out

    def share(self, token: Token) -> tuple[float | None, list[str]]:
        """Return the share a partitive word states ("85 percent", "two-thirds", "most")."""
        lex = self.lexicon
        word = lemma(token)
        number = next((c for c in token.children if c.dep_ == "nummod"), None)
        qualifier = [w.lower_ for n in ([number] if number is not None else []) + [token]
                     for w in n.children if w.dep_ in {"advmod", "quantmod", "amod"}
                     and w.lower_ in lex.qualifiers]
        share: float | None = None
        if word in lex.percent and number is not None:
            share = _number(number.text)
            share = share / 100 if share is not None else None
        elif word in lex.fractions:
            top = number or next((c for c in token.children if c.dep_ == "det"), None)
            numerator = lex.numerators.get(top.lower_, 1) if top is not None else 1
            share = numerator / lex.fractions[word]
        elif word in lex.qualifiers:
            qualifier.append(token.lower_)
        if share is not None and not 0 < share <= 1:
            share = None
        return (round(share, 4) if share is not None else None), qualifier


def conjuncts(token: Token) -> list[Token]:
    """Return token and the nouns coordinated with it ("gas and wheat")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(conjuncts(child))
    return out


def lemma(token: Token) -> str:
    """Return a token's lemma in lower case."""
    return token.lemma_.lower()


def of_object(token: Token) -> Token | None:
    """Return the head of a token's "of" phrase, if it has one."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None
