"""A document's parse kept with it, so that `recode` never parses it again.

`pack()` turns what the stages after parsing read of a spaCy Doc into bytes:
each token's length and trailing space (its text is a slice of the
document's text, which the database keeps anyway), its part of speech, tag,
dependency label, head and lemma. Strings go into one table per document
and the columns hold their numbers, each in the narrowest integer type its
values fit; the whole is zlib-compressed (about half the size of the text).
`unpack()` makes the Doc again from those bytes and the text: the same
tokens, tree, sentences (spaCy derives them from the tree, as its parser
does) and lemmas, so every later stage reads what it read after the parse.
Named entities, morphology and vectors are not kept: no stage reads them.
"""

from __future__ import annotations

import json
import struct
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from faultline.errors import StoreError

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: The first bytes of every packed parse, with the layout's version: a later layout
#: gets a new one, and unpack() refuses what it does not know.
MAGIC = b"FLP1"
#: The columns, in the order they are packed.
_COLUMNS = ("length", "pos", "tag", "dep", "head", "lemma")
#: Numpy types a column may be packed in, narrowest first, by their one-letter code.
_TYPES = {"B": "uint8", "H": "uint16", "I": "uint32", "b": "int8", "h": "int16",
          "i": "int32"}
#: Lemma numbers below this say how the lemma follows from the token's text.
_SAME_TEXT, _SAME_LOWER, _TABLE = 0, 1, 2
#: The header: magic, tokens, strings table bytes, one type code per column.
_HEADER = struct.Struct(f"<4sII{len(_COLUMNS)}s")


class ParseError(StoreError):
    """A stored parse cannot be read back (damaged, or of another layout)."""


def pack(doc: Doc, text: str) -> bytes | None:
    """Return the parse of doc as bytes, or None when its tokens do not join to text
    (the document's text, which unpack() slices the tokens from)."""
    import numpy as np
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SPACY, TAG

    from faultline.extract.tree import doc_text

    if doc_text(doc) != text:
        return None
    n = len(doc)
    array = doc.to_array([POS, TAG, DEP, HEAD, LEMMA, IDX, SPACY, ORTH, LOWER]) if n else \
        np.zeros((0, 9), "uint64")
    starts = array[:, 5].astype("int64")
    spaces = array[:, 6].astype("int64")
    ends = np.append(starts[1:], len(text)) - spaces
    lengths = (ends - starts) * 2 + spaces
    # a lemma that is the word, or the word in lower case, is told by its code alone
    lemma = array[:, 4]
    same_text = lemma == array[:, 7]
    same_lower = ~same_text & (lemma == array[:, 8])
    other = ~(same_text | same_lower)
    # tags, labels and the other lemmas are numbers into one table of their strings
    hashes, numbers = np.unique(np.concatenate([array[:, 1], array[:, 2], lemma[other]]),
                                return_inverse=True)
    lemmas = np.where(same_text, _SAME_TEXT, _SAME_LOWER).astype("int64")
    lemmas[other] = numbers[2 * n:] + _TABLE
    # heads are offsets from the token, stored unsigned: read them back signed
    columns = [lengths, array[:, 0].astype("int64"), numbers[:n], numbers[n:2 * n],
               array[:, 3].astype("int64"), lemmas]
    strings = doc.vocab.strings
    table = [strings[h] for h in hashes.tolist()]
    codes, blobs = [], []
    for column in columns:
        code = _narrowest(column)
        codes.append(code)
        blobs.append(column.astype(_TYPES[code]).tobytes())
    names = json.dumps(table, ensure_ascii=False).encode()
    header = _HEADER.pack(MAGIC, n, len(names), "".join(codes).encode())
    return zlib.compress(header + names + b"".join(blobs), 6)


def _narrowest(column: Any) -> str:
    """Return the code of the narrowest integer type that holds every value of column."""
    import numpy as np

    low, high = (int(column.min()), int(column.max())) if len(column) else (0, 0)
    for code in ("B", "H", "I") if low >= 0 else ("b", "h", "i"):
        info = np.iinfo(_TYPES[code])
        if info.min <= low and high <= info.max:
            return code
    raise ValueError(f"a parse column holds {low}..{high}, beyond 32 bits")


def unpack(data: bytes, text: str, vocab: Vocab) -> Doc:
    """Return the Doc that pack() packed, its tokens sliced from text; ParseError when
    the bytes are not such a parse of this text."""
    try:
        return _unpack(data, text, vocab)
    except (zlib.error, struct.error, ValueError, UnicodeDecodeError, IndexError,
            KeyError) as exc:
        raise ParseError(f"stored parse cannot be read: {exc}") from None


@lru_cache(maxsize=1)
def _pos_ids() -> list[int]:
    """Return the numbers of spaCy's parts of speech (a POS column holds nothing else)."""
    from spacy.parts_of_speech import IDS

    return [0, *(int(v) for v in IDS.values())]


def _unpack(data: bytes, text: str, vocab: Vocab) -> Doc:
    import numpy as np
    from spacy.attrs import DEP, HEAD, LEMMA, LOWER, ORTH, POS, TAG
    from spacy.tokens import Doc

    raw = zlib.decompress(data)
    magic, n, size, codes = _HEADER.unpack_from(raw)
    if magic != MAGIC:
        raise ValueError(f"unknown layout {magic!r}")
    start = _HEADER.size
    names: list[str] = json.loads(raw[start:start + size])
    start += size
    columns = []
    for code in codes.decode():
        dtype = np.dtype(_TYPES[code])
        columns.append(np.frombuffer(raw, dtype, n, start).astype("int64"))
        start += n * dtype.itemsize
    if start != len(raw):
        raise ValueError("its length does not match its header")
    lengths, pos, tags, deps, heads, lemma_codes = columns
    if n and (min(int(c.min()) for c in (lengths, tags, deps, lemma_codes)) < 0
              or not np.isin(pos, _pos_ids()).all()):
        raise ValueError("it holds numbers out of range")
    # each token's text is a slice of the text: its end, then its trailing space
    chars, gaps = lengths >> 1, lengths & 1
    ends = np.cumsum(chars + gaps) - gaps
    if (int(ends[-1] + gaps[-1]) if n else 0) != len(text) or (n and int(chars.min()) < 1):
        raise ValueError("its tokens do not join to the document's text")
    words = [text[a:b] for a, b in zip((ends - chars).tolist(), ends.tolist(), strict=True)]
    doc = Doc(vocab, words=words, spaces=(gaps == 1).tolist())
    if not n:
        return doc
    add = vocab.strings.add
    table = np.array([add(s) for s in names] or [0], "uint64")
    # a lemma that is the word, or the word in lower case, is the token's own string
    own = doc.to_array([ORTH, LOWER])
    lemmas = np.where(lemma_codes == _SAME_TEXT, own[:, 0],
                      np.where(lemma_codes == _SAME_LOWER, own[:, 1],
                               table[np.maximum(lemma_codes - _TABLE, 0)]))
    array = np.empty((n, 5), "uint64")
    array[:, 0] = pos
    array[:, 1] = table[tags]
    array[:, 2] = table[deps]
    array[:, 3] = heads.astype("uint64")  # spaCy reads the offsets back as signed
    array[:, 4] = lemmas
    doc.from_array([POS, TAG, DEP, HEAD, LEMMA], array)  # type: ignore[arg-type]
    return doc
