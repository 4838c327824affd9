"""Property-based fuzzing (hypothesis): every reader, the clause extractor and the coder
after it, the date resolver and the store's batch writer, fed arbitrary text, Unicode,
control characters, huge lines and deep nesting. No exception escapes, and every input
that is skipped says why. Example counts are bounded so that `make test` stays fast."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import string
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faultline.errors import StoreError
from faultline.ingest import read_inputs, skip_category
from faultline.models import Actor, Document, Event, Skip
from faultline.resolve.datetext import DATE, Stamp, find_mentions, resolve
from faultline.settings import Settings
from faultline.store import open_store

SETTINGS = Settings(max_bytes=200_000)
ISO = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- what to feed ---------------------------------------------------------------------

#: Any Unicode text, control characters and lone surrogates' neighbours included.
any_text = st.text(st.characters(codec="utf-8"), max_size=400)
#: Text that looks like news: words, names, numbers, dates, punctuation, markup, junk.
newsy = st.lists(
    st.one_of(
        st.sampled_from(["Azerbaijan", "Armenia", "Russia", "police", "troops", "the",
                         "expelled", "accused", "met", "signed", "attacked", "said", "on",
                         "Monday", "June 28", "in 2024", "two days later", "last week",
                         "@Iran", "+Russia", "#Baku", "It", "they", "<b>", "&amp;", "**",
                         ".", ",", "\n\n", "\n", "\t", "\x00", "\u200b", "\u00ad", "\ufeff",
                         "ﬁ", "Ⅷ", "٣", "🙂", "\u202e", "\x85"]),
        st.text(string.ascii_letters + string.digits + " .,;:'\"-()[]{}!?", max_size=12),
    ),
    max_size=60,
).map(" ".join)
#: JSON values of any shape, deeply nested ones too.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "text", "date", "title", "url", "source",
                                       "byline", "x"]), children, max_size=6),
    max_leaves=20,
)
iso_or_none = st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(
    dt.date.isoformat))
deep = st.integers(min_value=1, max_value=60_000).map(lambda n: "[" * n)
records = st.one_of(
    json_values.map(json.dumps),
    st.builds(lambda text, date: json.dumps({"id": "r", "text": text, "date": date}),
              newsy, st.one_of(st.none(), any_text, st.sampled_from(["2025-07-04", "2025-13-45",
                                                                        "July 4, 2025"]))),
    deep, any_text, st.text("{}[]\":,0a\\", max_size=80),
)
contents = st.one_of(
    st.binary(max_size=3_000),
    any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    newsy.map(str.encode),
    st.lists(records, max_size=8).map(lambda lines: "\n".join(lines).encode("utf-8",
                                                                           "surrogatepass")),
    st.builds(lambda n, c: (c * n).encode("utf-8", "surrogatepass"),
              st.integers(min_value=1_000, max_value=150_000), st.sampled_from(["a", " ", "é"])),
    deep.map(str.encode),
    st.builds(lambda body: f"<html><body><p>{body}</p></body></html>".encode(
        "utf-8", "surrogatepass"), newsy),
    st.builds(lambda bom, text: bom + text.encode("utf-16-le", "surrogatepass"),
              st.sampled_from([b"\xff\xfe", b""]), newsy),
)


def _check(items: list[Any]) -> None:
    """Every item is a Document with text, or a Skip with a known kind of reason."""
    for item in items:
        assert isinstance(item, Document | Skip), item
        if isinstance(item, Skip):
            assert item.reason.strip() and "\n" not in item.reason, item
            assert skip_category(item.reason) != "other", item.reason
        else:
            assert item.text.strip(), item


# -- readers --------------------------------------------------------------------------


@FAST
@given(data=contents, ending=st.sampled_from([".txt", ".html", ".jsonl", ".json", ".dat"]))
def test_fuzz_every_reader_reads_or_skips_with_a_reason(data: bytes, ending: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{ending}"
        path.write_bytes(data)
        _check(list(read_inputs([str(path)], SETTINGS)))
        _check(list(read_inputs([folder], SETTINGS)))


@FAST
@given(data=contents)
def test_fuzz_standard_input_is_read_or_skipped_with_a_reason(data: bytes) -> None:
    _check(list(read_inputs(["-"], SETTINGS, stdin=io.BytesIO(data))))


# -- the clause extractor and everything after the parse --------------------------------


@SLOW
@given(text=st.one_of(newsy, any_text), date=iso_or_none)
def test_fuzz_clauses_and_coding_never_fail(loaded_coder: Any, text: str,
                                            date: str | None) -> None:
    from faultline.extract.parsed import ParsedDoc
    from faultline.ingest import clean_text
    from faultline.nlp import parse
    from faultline.resolve.registry import Registry

    loaded_coder.registry = Registry()
    cleaned = clean_text(text)
    document = Document.from_text(cleaned, date=date, origin="fuzz")
    [(doc, _)] = list(parse([(cleaned, document)], SETTINGS))
    parsed = ParsedDoc(doc, document, loaded_coder.knowledge)
    try:
        for k in range(len(parsed.sentences)):
            for clause in parsed.clauses(k):
                assert all(clause.sent.start <= word.i < clause.sent.end
                           for word in clause.chain)
                # every reading of the clause the coder may ask for
                _ = (clause.subjects, clause.objects, clause.preps, clause.passive,
                     clause.complement_subjects, clause.negated,
                     clause.modality, clause.position, clause.speaker, clause.speech_verb)
    finally:
        parsed.release()
    coded = loaded_coder.code_parsed(doc, document)
    for event in coded.events:
        start, end = event.span
        assert 0 <= start <= end <= len(cleaned)
        assert event.date is None or ISO.fullmatch(event.date), event.date
        assert event.date_precision in {None, "day", "month", "year"}


# -- the date resolver ----------------------------------------------------------------

date_words = st.lists(st.sampled_from([
    "on", "in", "since", "by", "until", "last", "next", "the", "day", "week", "weekend",
    "month", "year", "later", "earlier", "before", "after", "ago", "two", "three", "a",
    "Monday", "Friday", "June", "Sept.", "December", "28", "1", "31", "30", "2024", "1999",
    "2100", "mid-August", "early", "late", "yesterday", "tomorrow", "today", "this",
    "of", "following", "previous", ",", "29", "February", "2023", "th",
]), max_size=12).map(" ".join)
stamps = st.one_of(
    st.none(),
    st.builds(Stamp, st.integers(1900, 2100)),
    st.builds(lambda y, m: Stamp(y, m), st.integers(1900, 2100), st.integers(1, 12)),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(
        lambda d: Stamp(d.year, d.month, d.day)),
)


@FAST
@given(text=st.one_of(date_words, any_text),
       published=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
       last=stamps, recent=stamps, future=st.booleans())
def test_fuzz_date_resolver_names_real_days_or_nothing(
    text: str, published: dt.date | None, last: Stamp | None, recent: Stamp | None,
    future: bool,
) -> None:
    for mention in find_mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        stamp = resolve(mention, published, last, recent, future)
        if stamp is None:
            continue
        dt.date(stamp.year, stamp.month or 1, stamp.day or 1)  # a day of the calendar
        if mention.kind == DATE and mention.year is not None:
            assert stamp.year == mention.year


# -- the store's batch writer -----------------------------------------------------------

actor = st.builds(Actor, any_text, st.one_of(st.none(), st.text(string.ascii_uppercase,
                                                                min_size=3, max_size=3)),
                  st.one_of(st.none(), st.sampled_from(["GOV", "MIL", "COP"])))
iso_dates = st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(
    dt.date.isoformat), st.integers(1000, 2999).map(str))


@st.composite
def batches(draw: Any) -> tuple[list[Document], list[Event]]:
    texts = draw(st.lists(st.one_of(any_text, newsy, st.text(max_size=5).map(lambda t: t * 5000)
                                    ).filter(str.strip), min_size=1, max_size=4))
    documents = [Document.from_text(text, doc_id=draw(st.one_of(st.none(), any_text)) or None,
                                    date=draw(iso_dates), title=draw(st.one_of(st.none(),
                                                                               any_text)),
                                    origin=draw(any_text)) for text in texts]
    events = []
    for n, doc in enumerate(draw(st.lists(st.sampled_from(documents), max_size=6))):
        events.append(Event(
            id=f"{doc.doc_hash}-{n}", doc_id=doc.doc_id, doc_hash=doc.doc_hash,
            date=draw(iso_dates), event=draw(st.sampled_from(["ACCUSE", "ASSAULT", "AID"])),
            mode=draw(st.one_of(st.none(), any_text)), context=tuple(draw(st.lists(any_text,
                                                                                   max_size=3))),
            source=tuple(draw(st.lists(actor, max_size=3))),
            target=tuple(draw(st.lists(actor, max_size=3))), event_text=draw(any_text),
            text=draw(any_text), span=(0, len(doc.text)), cameo=None, quad_class=None,
            intensity=draw(st.one_of(st.none(), st.floats(-10, 10))),
            confidence=draw(st.floats(0, 1)), rule=draw(any_text), coder="fuzz",
        ))
    return documents, events


@SLOW
@given(batch=batches())
def test_fuzz_store_writes_a_batch_whole_or_refuses_it_in_one_line(
    batch: tuple[list[Document], list[Event]]
) -> None:
    documents, events = batch
    with open_store(":memory:") as store:
        try:
            result = store.write(documents, events)
        except StoreError as exc:
            assert "\n" not in str(exc)
            assert store.counts() == {"documents": 0, "events": 0}
            return
        unique = {d.doc_hash for d in documents}
        assert result.new_documents == len(unique) == store.counts()["documents"]
        stored = {row[0]: row[1] for row in store.query("SELECT doc_hash, text FROM documents")}
        first: dict[str, str] = {}
        for doc in documents:  # texts that differ only in spacing are one document
            first.setdefault(doc.doc_hash, doc.text)
        assert stored == first
        assert store.counts()["events"] == len({e.id for e in events})
        again = store.write(documents, events)
        assert (again.new_documents, again.new_events) == (0, 0)


@pytest.mark.parametrize("format", ["plover", "csv", "parquet"])
def test_fuzzed_text_exports_in_every_format(tmp_path: Path, format: str) -> None:
    text = "".join(chr(c) for c in range(1, 0x3000, 7) if not 0xD800 <= c < 0xE000)
    doc = Document.from_text(f"=cmd {text}\x00", doc_id="=1+1\x00", origin="fuzz")
    event = Event(id="e", doc_id=doc.doc_id, doc_hash=doc.doc_hash, date=None, event="AID",
                  mode=None, context=(), source=(Actor("@x\x00", None),), target=(),
                  event_text="-", text=doc.text, span=(0, 1), cameo=None, quad_class=None,
                  intensity=None, confidence=0.5, rule="fuzz", coder="fuzz")
    with open_store(tmp_path / "f.duckdb") as store:
        store.write([doc], [event])
        assert store.export(format, tmp_path / f"out.{format}") == 1
