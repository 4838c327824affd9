"""The nlp stage: load the spaCy pipeline once per process and parse in batches.

A text longer than PIECE_CHARS characters (spaCy refuses more than
nlp.max_length, a million, with error E088) is parsed in pieces, cut at
paragraph breaks where it can, and the pieces are joined again into one Doc
of the whole text, so every offset still points into it. spaCy's memory
grows with the characters of a batch (some 3 GB for a million), so a batch
holds at most BATCH_CHARS characters as well as batch_size texts or pieces.
A leading "@" is split from the word it is stuck to ("@Iran" is "@" and
"Iran"), as "#" and "+" already are.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from faultline.errors import ModelError
from faultline.settings import MODEL_PACKAGES, Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: Components the coder does not read; disabling them saves parse time.
UNUSED_COMPONENTS = ("ner",)
#: Longer texts are parsed in pieces of at most this many characters (or nlp.max_length,
#: if smaller); a piece ends at a paragraph break, else a sentence's end, else a space.
PIECE_CHARS = 100_000
#: A batch sent to spaCy holds at most this many characters (and batch_size texts).
BATCH_CHARS = 300_000
#: A cut is looked for in the last part of a piece of this share of its length.
_CUT_WINDOW = 0.5
#: Where a piece may end, best first: after a paragraph break, a sentence, a space.
_CUTS = ("\n\n", ". ", " ")

T = TypeVar("T")


def _model_path(name: str) -> str | Path:
    """Return what spacy.load needs for a model short name, package or path."""
    package = MODEL_PACKAGES.get(name, name)
    if Path(package).exists():
        return Path(package)
    try:
        module = importlib.import_module(package)
    except ImportError:
        hint = (
            "run `make model-md`"
            if package == MODEL_PACKAGES["en_core_web_md"]
            else "run `make setup` or pip install it"
        )
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (package {package!r}); {hint}, "
            f"or choose another with FAULTLINE_MODEL ({', '.join(MODEL_PACKAGES)})"
        ) from None
    # Re-packaged pipelines expose their data directory in one of two ways.
    if hasattr(module, "model_path"):
        return Path(module.model_path())
    return package


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """Return the spaCy pipeline for a model name, loaded once per process."""
    import spacy

    target = _model_path(model)
    try:
        nlp = spacy.load(target, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {exc}") from None
    # "@Iran" is one token to spaCy, and tagged a pronoun: a handle's "@" is split off
    # as a prefix, as "#" and "+" already are, so the name is read as a name
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_prefix_regex

    if isinstance(nlp.tokenizer, Tokenizer):
        prefixes = [*list(nlp.Defaults.prefixes or ()), "@"]
        nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    if "parser" in nlp.pipe_names:
        from spacy.language import Language

        if not Language.has_factory(BOUNDARIES):
            Language.component(BOUNDARIES, func=mark_boundaries)
        nlp.add_pipe(BOUNDARIES, before="parser")
    log.info("loaded spaCy pipeline %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


#: The component that marks the sentence starts the parser misses (see mark_boundaries).
BOUNDARIES = "faultline_boundaries"
#: Where a sentence starts that the parser tends to miss: the first word after a
#: paragraph break, and a capitalised word after a quotation that ends a sentence
#: ('... a big mistake." Brett McGurk wrote'). Group 1 starts at that word.
_MISSED_STARTS = re.compile(r'(?:\n[ \t]*\n\s*|[.!?]["\u201d\u2019\']\s+)([A-Z0-9\u201c"])')
#: A news agency's dateline that opens a paragraph ("KHARTOUM, SUDAN - ", "MOSCOW
#: (Reuters) — ", "KYIV, Ukraine (AP) — "): a place in capitals, its country, the agency
#: and a dash. It names where the story was filed, not who did anything: the sentence
#: starts after it (group 1).
_DATELINE = re.compile(
    r"(?:\A|\n[ \t]*\n)\s*[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*(?:, [A-Za-z.'\- ]{2,30}?)?"
    r"(?: ?\([A-Za-z .'\-]{1,30}\))? ?[\u2014\u2013-]+ +([A-Z0-9\u201c\"])")


def mark_boundaries(doc: Doc) -> Doc:
    """Mark the sentence starts of _MISSED_STARTS and those after a dateline, which the
    parser then keeps."""
    text = doc.text
    for found in (*_MISSED_STARTS.finditer(text), *_DATELINE.finditer(text)):
        span = doc.char_span(found.start(1), found.end(1), alignment_mode="expand")
        if span is not None and span.start > 0:
            doc[span.start].is_sent_start = True
    return doc


def parse(
    items: Iterable[tuple[str, T]], settings: Settings
) -> Iterator[tuple[Doc, T]]:
    """Parse (text, context) pairs in batches; yield (Doc, context) in input order, a long
    text parsed in pieces and joined again (see the module)."""
    nlp = load_pipeline(settings.model)
    size = min(PIECE_CHARS, nlp.max_length)
    split = ((piece, (context, last)) for text, context in items
             for piece, last in pieces(text, size))
    parsed: Iterator[tuple[Doc, tuple[T, bool]]] = (
        pair for batch in _batches(split, settings.batch_size, BATCH_CHARS)
        # A batch is taken whole before the caller codes it: coding each document
        # while spaCy's per-document components are mid-batch made the whole run
        # 2-5 % slower, more on a busy machine (bench/bench_e2e.py).
        for pair in list(nlp.pipe(batch, as_tuples=True, batch_size=settings.batch_size,
                                  n_process=settings.processes))
    )
    yield from _joined(parsed)


def _batches(items: Iterable[tuple[str, T]], count: int, chars: int
             ) -> Iterator[list[tuple[str, T]]]:
    """Yield lists of consecutive items, each of at most count items and (unless one item
    alone is longer) chars characters."""
    batch: list[tuple[str, T]] = []
    size = 0
    for item in items:
        if batch and (len(batch) == count or size + len(item[0]) > chars):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch


def pieces(text: str, size: int) -> Iterator[tuple[str, bool]]:
    """Yield the pieces of text, each at most size characters, and whether it is the last;
    joined, they are the text. A piece ends after a paragraph break, else after a
    sentence, else after a space, in its last half, else at size characters."""
    start = 0
    while len(text) - start > size:
        end = start + size
        floor = start + int(size * (1 - _CUT_WINDOW))
        for cut in _CUTS:
            found = text.rfind(cut, floor, end)
            if found >= 0:
                end = found + len(cut)
                break
        yield text[start:end], False
        start = end
    yield text[start:], True


def _joined(parsed: Iterable[tuple[Doc, tuple[T, bool]]]) -> Iterator[tuple[Doc, T]]:
    """Yield (Doc, context) for each text, its pieces' Docs joined into one."""
    from spacy.tokens import Doc

    parts: list[Doc] = []
    for doc, (context, last) in parsed:
        parts.append(doc)
        if last:
            whole = parts[0] if len(parts) == 1 else Doc.from_docs(parts,
                                                                   ensure_whitespace=False)
            parts = []
            yield whole, context
