"""Walking a parsed document's tree without rebuilding tokens.

spaCy creates a new Token object for every child each time `Token.children`
is iterated, and the coder walks the same few hundred tokens of a sentence
many times over. `children()` lists the children of every token once per
document (kept in doc.user_data) and hands back those lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_KEY = "faultline.children"


def children(token: Token) -> list[Token]:
    """Return token's syntactic children in document order, like Token.children.

    The list is shared: do not modify it.
    """
    doc = token.doc
    table = doc.user_data.get(_KEY)
    if table is None:
        table = doc.user_data[_KEY] = _children_table(doc)
    result: list[Token] = table[token.i]
    return result


def _children_table(doc: Doc) -> list[list[Token]]:
    tokens = list(doc)
    table: list[list[Token]] = [[] for _ in tokens]
    for tok in tokens:
        head = tok.head.i
        if head != tok.i:
            table[head].append(tok)
    return table
