"""Walking a parsed document's tree without spaCy's per-access costs.

spaCy makes a new Token object every time one is asked for (`doc[i]`,
`token.head`, iterating a span) and looks each string attribute up in its
string store, while the later stages read the same few hundred tokens of a
sentence many times over. `doc_words()` reads the attributes those stages use
once per document, into one plain `Word` per token linked to its head and
children, and keeps them with the document (in doc.user_data) until `release()`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_KEY = "faultline.words"
_TEXT = "faultline.text"
#: Strings by their hash, as the StringStore has them: a dict is three times faster,
#: and a hash stands for the same string in every vocabulary.
_STRINGS: dict[int, str] = {}
_MAX_STRINGS = 1 << 20
#: The columns _read asks spaCy for, in this order; filled on first use, so that
#: importing faultline does not import spaCy.
_ATTRIBUTES: list[int | str] = []


class Word:
    """One token of a parsed document, with the attributes of spaCy's Token that
    faultline reads, under the same names.

    There is one Word per token and document, so `==`, `is` and `in` compare
    positions. `children` lists the children in document order, like
    Token.children.
    """

    __slots__ = ("doc", "i", "text", "lower_", "lemma_", "pos_", "tag_", "dep_", "idx",
                 "like_num", "head", "children")

    doc: Doc
    i: int
    text: str
    lower_: str
    lemma_: str
    pos_: str
    tag_: str
    dep_: str
    #: Character offset in the document's text.
    idx: int
    like_num: bool
    #: The syntactic head; the word itself at the root of a sentence.
    head: Word
    children: Sequence[Word]

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.i})"

    @property
    def token(self) -> Token:
        """Return spaCy's Token for this word."""
        return self.doc[self.i]

    @property
    def left_edge(self) -> Word:
        """Return the leftmost word of the subtree."""
        return doc_words(self.doc)[self.doc[self.i].left_edge.i]

    @property
    def right_edge(self) -> Word:
        """Return the rightmost word of the subtree."""
        return doc_words(self.doc)[self.doc[self.i].right_edge.i]

    @property
    def subtree(self) -> list[Word]:
        """Return the word and its descendants, in the order Token.subtree gives them."""
        out: list[Word] = []
        _collect(self, out)
        return out

    @property
    def ancestors(self) -> Iterator[Word]:
        """Yield the head, its head and so on up to the root, like Token.ancestors."""
        node = self
        while node.head is not node:
            node = node.head
            yield node


def _collect(word: Word, out: list[Word]) -> None:
    kids = word.children
    i = word.i
    for child in kids:
        if child.i < i:
            _collect(child, out)
    out.append(word)
    for child in kids:
        if child.i > i:
            _collect(child, out)


def doc_words(doc: Doc) -> list[Word]:
    """Return the Words of a parsed document, made on the first call.

    The list is shared: do not modify it.
    """
    table = doc.user_data.get(_KEY)
    if table is None:
        table = doc.user_data[_KEY] = _read(doc)
    result: list[Word] = table
    return result


def doc_text(doc: Doc) -> str:
    """Return the document's text (Doc.text joins every token again on each call)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        doc_words(doc)
        text = doc.user_data[_TEXT]
    return str(text)


def release(doc: Doc) -> None:
    """Drop the Words kept with a document once it is coded, unlinked.

    Linked to each other, Words would wait for the garbage collector, and as
    long as they are kept every collection walks them all: unlinked, each goes
    as soon as nothing else holds it.
    """
    words = doc.user_data.pop(_KEY, None)
    doc.user_data.pop(_TEXT, None)
    for w in words or ():
        del w.head
        w.children = ()


def sentence_words(sent: Span) -> list[Word]:
    """Return the Words of a sentence (or any span), in order."""
    return doc_words(sent.doc)[sent.start:sent.end]


def word_of(token: Token) -> Word:
    """Return the Word of a spaCy token."""
    return doc_words(token.doc)[token.i]


#: Parts of speech a noun phrase is coordinated with: "Armenia and Azerbaijan",
#: "gas and wheat", "they and their allies".
NOMINALS = frozenset({"NOUN", "PROPN", "PRON"})


def conjuncts(word: Word, pos: AbstractSet[str] = NOMINALS) -> list[Word]:
    """Return word and the words of the parts of speech `pos` coordinated with it."""
    out = [word]
    for child in word.children:
        if child.dep_ == "conj" and child.pos_ in pos:
            out.extend(conjuncts(child, pos))
    return out


def opposed(words: Sequence[Word], start: int) -> bool:
    """Return True for a name written as "anti-X" (starting at token `start`): "an
    anti-Japan rally" is against Japan, held by someone else."""
    return start >= 2 and words[start - 1].text == "-" and words[start - 2].lower_ == "anti"


def prep_object(word: Word, preps: AbstractSet[str]) -> Word | None:
    """Return the object of word's first preposition of `preps` that has one, or None."""
    for child in word.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _read(doc: Doc) -> list[Word]:
    """Read every token's attributes in one array, then link heads and children."""
    if len(doc) == 0:
        doc.user_data[_TEXT] = ""
        return []
    if not _ATTRIBUTES:
        from spacy.attrs import DEP, HEAD, IDX, LEMMA, LIKE_NUM, LOWER, ORTH, POS, SPACY, TAG

        _ATTRIBUTES.extend([ORTH, LOWER, LEMMA, POS, TAG, DEP, IDX, SPACY, LIKE_NUM, HEAD])
    array = doc.to_array(_ATTRIBUTES)
    columns: list[list[int]] = array.T.tolist()
    # heads are offsets from the token, stored unsigned: read them back signed
    heads: list[int] = array[:, 9].astype("int64").tolist()
    names = _STRINGS
    try:
        texts, lowers, lemmas, pos, tags, deps = _decode(columns, names)
    except KeyError:
        if len(names) > _MAX_STRINGS:
            names.clear()
        strings = doc.vocab.strings
        for column in columns[:6]:
            for h in column:
                if h not in names:
                    names[h] = strings[h]
        texts, lowers, lemmas, pos, tags, deps = _decode(columns, names)
    idxs, spaces, nums = columns[6], columns[7], columns[8]
    # the text as Doc.text makes it: each token followed by its space, if any
    doc.user_data[_TEXT] = "".join(
        [f"{t} " if space else t for t, space in zip(texts, spaces, strict=True)]
    )
    # by index over lists, made bare and filled in one pass: the fastest form measured
    n = len(heads)
    table = [Word() for _ in range(n)]
    children: dict[int, list[Word]] = {}
    for i in range(n):
        w = table[i]
        w.doc = doc
        w.i = i
        w.text = texts[i]
        w.lower_ = lowers[i]
        w.lemma_ = lemmas[i]
        w.pos_ = pos[i]
        w.tag_ = tags[i]
        w.dep_ = deps[i]
        w.idx = idxs[i]
        w.like_num = nums[i] != 0
        w.children = ()
        offset = heads[i]
        if offset:
            # the head may come later: it exists, but is filled in only then
            head = i + offset
            w.head = table[head]
            kids = children.get(head)
            if kids is None:
                children[head] = [w]
            else:
                kids.append(w)
        else:
            w.head = w
    for i, kids in children.items():
        table[i].children = kids
    return table


def _decode(
    columns: list[list[int]], names: dict[int, str]
) -> tuple[list[str], list[str], list[str], list[str], list[str], list[str]]:
    """Return the strings of the first six columns (text, lower, lemma, pos, tag, dep)."""
    return (
        [names[h] for h in columns[0]], [names[h] for h in columns[1]],
        [names[h] for h in columns[2]], [names[h] for h in columns[3]],
        [names[h] for h in columns[4]], [names[h] for h in columns[5]],
    )


def repair_lemmas(words: Sequence[Word], known: AbstractSet[str]) -> None:
    """Give back the "e" spaCy's lemmatiser takes from some inflected verbs.

    It reads "raped" as "rap", "staged" as "stag", "hopes" as "hop": where the
    word as written begins with the lemma plus "e", the lemma is not a word
    of `known` and the lemma plus "e" is, the Word takes the longer lemma.
    """
    for w in words:
        if w.tag_ in _INFLECTED and w.lower_ != w.lemma_:
            lemma = w.lemma_.lower()
            longer = f"{lemma}e"
            if longer in known and lemma not in known and w.lower_.startswith(longer):
                w.lemma_ = longer


_INFLECTED = frozenset({"VBD", "VBN", "VBZ", "VBG", "NNS"})
