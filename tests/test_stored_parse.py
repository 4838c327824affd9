"""The stored parse (nlp/stored.py): packed after spaCy's parse, the same Doc again when
unpacked, and what the coder makes of it the same; a damaged one refused in one line."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from faultline.models import Document
from faultline.nlp import load_pipeline, parse
from faultline.nlp.stored import ParseError, pack, unpack
from faultline.pipeline import Coder, read, sample_corpus
from faultline.settings import Settings

ARTICLES = Path(__file__).resolve().parent.parent / "bench" / "articles"


def _parsed(settings: Settings, paths: list[str]) -> list[tuple[Any, Document]]:
    documents = [d for d in read(paths, settings) if isinstance(d, Document)]
    return list(parse(((d.text, d) for d in documents), settings))


def _tokens(doc: Any) -> list[tuple[Any, ...]]:
    return [(t.text, t.whitespace_, t.idx, t.lemma_, t.lower_, t.pos_, t.tag_, t.dep_,
             t.head.i, t.left_edge.i, t.right_edge.i, t.like_num, t.is_sent_start)
            for t in doc]


def _records(coder: Coder, doc: Any, document: Document) -> str:
    from faultline.resolve.registry import Registry

    coder.registry = Registry()
    coded = coder.code_parsed(doc, document)
    return json.dumps([[e.as_record() for e in coded.events], [str(s) for s in coded.set_aside],
                       [d.as_record() for d in coded.dependencies]], sort_keys=True)


def test_an_unpacked_parse_is_the_parse_and_codes_the_same(
    settings: Settings, loaded_coder: Coder
) -> None:
    vocab = load_pipeline(settings.model).vocab
    pairs = _parsed(settings, [str(sample_corpus()), str(ARTICLES)])
    for doc, document in pairs:
        packed = pack(doc, document.text)
        assert packed is not None
        again = unpack(packed, document.text, vocab)
        assert _tokens(again) == _tokens(doc), document.origin
        assert [(s.start, s.end) for s in again.sents] == [(s.start, s.end) for s in doc.sents]
        assert _records(loaded_coder, again, document) == \
            _records(loaded_coder, doc, document), document.origin


def test_a_text_parsed_in_pieces_is_packed_whole(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faultline.nlp as nlp

    monkeypatch.setattr(nlp, "PIECE_CHARS", 2_000)
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    document = Document.from_text(text, date="2025-07-04")
    [(doc, _)] = list(parse([(text, document)], settings))
    packed = pack(doc, text)
    assert packed is not None
    assert _tokens(unpack(packed, text, load_pipeline(settings.model).vocab)) == _tokens(doc)


def test_long_articles_pack_smaller_than_their_text(settings: Settings) -> None:
    for doc, document in _parsed(settings, [str(ARTICLES)]):
        packed = pack(doc, document.text)
        assert packed is not None and len(packed) < len(document.text.encode())


def test_a_parse_that_is_not_of_the_text_is_refused(settings: Settings) -> None:
    vocab = load_pipeline(settings.model).vocab
    [(doc, document)] = _parsed(settings, [str(sorted(sample_corpus().glob("*.txt"))[0])])
    packed = pack(doc, document.text)
    assert packed is not None
    assert pack(doc, document.text + " More.") is None
    damaged = [b"not a parse", packed[:-9], zlib.compress(b"FLP9" + zlib.decompress(packed)[4:])]
    for data in damaged:
        with pytest.raises(ParseError, match="stored parse cannot be read"):
            unpack(data, document.text, vocab)
    with pytest.raises(ParseError, match="do not join to the document's text"):
        unpack(packed, document.text[:-1], vocab)
