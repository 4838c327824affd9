"""The ParsedDoc every extractor reads, and the registry of extractors."""

from __future__ import annotations

import gc
from collections import Counter

from faultline.extract.parsed import ParsedDoc
from faultline.models import Document
from faultline.nlp import load_pipeline
from faultline.pipeline import EXTRACTORS, Coder
from faultline.resolve.mentions import Mention

TEXT = ("Azerbaijan detained two Russian journalists in Baku on Monday. "
        "Russia supplies about 85 percent of Armenia's gas.")


class CountryCounter:
    """A third extractor, as a user would write one: how often each country is named."""

    def extract(self, parsed: ParsedDoc) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        for k in range(len(parsed.sentences)):
            parsed.scan(k)
        for mention in dict.fromkeys(parsed.mentions.names.values()):
            if mention.entry.kind in {"name", "demonym"}:
                counts[mention.entry.code] += 1
        return sorted(counts.items())


def test_registry_runs_events_then_people_then_dependencies() -> None:
    assert list(EXTRACTORS) == ["events", "people", "dependencies"]


def test_a_new_extractor_is_one_more_entry(coder: Coder) -> None:
    coder.extractors["countries"] = CountryCounter()
    try:
        [coded] = list(coder.code([Document.from_text(TEXT, date="2025-07-01")]))
    finally:
        del coder.extractors["countries"]
    assert coded.records["countries"] == [("ARM", 1), ("AZE", 1), ("RUS", 2)]
    # the built-in extractors read the same document as before
    assert [(e.event, e.source[0].code, e.target[0].code) for e in coded.events] == [
        ("COERCE", "AZE", "RUS")]
    [dep] = coded.dependencies
    assert (dep.supplier.code, dep.dependent.code, dep.good, dep.share) == (
        "RUS", "ARM", "gas", 0.85)


def test_mentions_are_typed_records(coder: Coder) -> None:
    doc = load_pipeline(coder.settings.model)(TEXT)
    parsed = ParsedDoc(doc, Document.from_text(TEXT), coder.knowledge)
    assert parsed.mentions.names == {}  # nothing is scanned before an extractor asks
    parsed.scan(0)
    found = {(m.entry.kind, m.entry.code, " ".join(w.text for w in parsed.words[m.start:m.end]))
             for m in parsed.mentions.names.values()}
    assert found == {("name", "AZE", "Azerbaijan"), ("demonym", "RUS", "Russian"),
                     ("capital", "AZE", "Baku")}
    assert all(isinstance(m, Mention) for m in parsed.mentions.names.values())
    sectors = {m.sector for m in parsed.mentions.sectors.values()}
    assert sectors == {"JRN"}


def test_clauses_are_found_once_per_sentence(coder: Coder) -> None:
    doc = load_pipeline(coder.settings.model)(TEXT)
    parsed = ParsedDoc(doc, Document.from_text(TEXT), coder.knowledge)
    first = parsed.clauses(1)
    assert [c.verb.text for c in first] == ["supplies"]
    assert parsed.clauses(1) is first
    assert parsed.sentence_index(parsed.words[-1].i) == 1


def test_a_coded_document_is_freed_without_the_garbage_collector(coder: Coder) -> None:
    text = ('Azerbaijan detained two Russian journalists in Baku on Monday. "It is a '
            'provocation. We will answer it," the Russian foreign ministry said on Tuesday.')
    doc = load_pipeline(coder.settings.model)(text)
    document = Document.from_text(text, date="2025-07-01")
    gc.collect()
    gc.disable()
    try:
        coded = coder.code_parsed(doc, document)
        del doc
        # what the garbage collector would have to find: nothing the document left
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert coded.events and unreachable == 0
