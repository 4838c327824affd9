"""The nlp stage and what the coder makes of its parse: texts longer than spaCy takes at
once, stray symbols stuck to names, and spans that point into the text as read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import run

from faultline.nlp import load_pipeline, mark_boundaries, pieces
from faultline.pipeline import code_text, ingest
from faultline.settings import Settings
from faultline.store import open_store

PARAGRAPHS = [
    "Azerbaijan expelled two Russian diplomats from Baku on Monday.",
    "Armenia recalled its ambassador from Moscow on Tuesday, the foreign ministry said.",
    "Russian police detained seven Azerbaijani citizens in Yekaterinburg on Wednesday.",
]


@pytest.fixture
def small_limit(settings: Settings) -> object:
    """The real pipeline, told to take no more than 2,000 characters at once (spaCy's
    E088 limit, a million characters, lowered so the test stays small)."""
    nlp = load_pipeline(settings.model)
    before = nlp.max_length
    nlp.max_length = 2_000
    yield nlp
    nlp.max_length = before


def _long_text(paragraphs: int) -> str:
    return "\n\n".join(f"{PARAGRAPHS[n % 3]} Report {n}." for n in range(paragraphs))


def test_pieces_are_the_text_again_and_end_at_paragraphs() -> None:
    text = _long_text(100)
    cut = list(pieces(text, 1_000))
    assert "".join(piece for piece, _ in cut) == text
    assert [last for _, last in cut] == [False] * (len(cut) - 1) + [True]
    assert all(len(piece) <= 1_000 and piece.endswith("\n\n") for piece, _ in cut[:-1])
    assert list(pieces("short", 1_000)) == [("short", True)]
    assert "".join(p for p, _ in pieces("x" * 2_500, 1_000)) == "x" * 2_500


def test_text_longer_than_spacy_takes_is_coded_in_pieces(
    small_limit: object, settings: Settings
) -> None:
    text = _long_text(120)
    assert len(text) > 5 * 2_000
    events = code_text(text, settings, date="2025-07-01")
    assert {e.event for e in events} >= {"SANCTION", "COERCE"}
    # spans still point into the whole text, also in its last piece
    assert max(e.span[1] for e in events) > len(text) - 200
    for event in events:
        assert " ".join(text[event.span[0]:event.span[1]].split()) == event.text


def test_folder_with_one_long_document_stores_every_document(
    small_limit: object, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    (folder / "b.txt").write_text(_long_text(30), encoding="utf-8")
    (folder / "c.txt").write_text(PARAGRAPHS[1], encoding="utf-8")
    db = tmp_path / "news.duckdb"
    report = ingest([str(folder)], settings.with_(db=db, write_batch=1))
    assert (report.new_documents, report.skipped) == (3, [])
    with open_store(db, read_only=True) as store:
        assert store.counts()["documents"] == 3


@pytest.mark.parametrize(
    ("text", "event", "sources"),
    [
        ("@Iran warned Israel.", "THREATEN", ["IRN"]),
        ("Azerbaijan protested. @Iran warned Israel.", "THREATEN", ["IRN"]),
        ("Yerevan protested.\n\n+Russia threatened Moldova", "THREATEN", ["RUS"]),
        ("Armenia protested. It said so.\n\n+Russia threatened Moldova.", "THREATEN", ["RUS"]),
    ],
)
def test_stray_symbols_never_become_actors(
    settings: Settings, text: str, event: str, sources: list[str]
) -> None:
    [coded] = [e for e in code_text(text, settings, date="2025-07-01") if e.event == event]
    assert [a.code for a in coded.source] == sources
    assert all(any(ch.isalnum() for ch in a.text) for a in (*coded.source, *coded.target))


def test_code_writes_the_documents_its_spans_count_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "news.txt"
    source.write_text("Border clash\n\n" + "\n\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    out, documents = tmp_path / "events.jsonl", tmp_path / "documents.jsonl"
    assert run(["code", str(source), "-o", str(out), "--documents", str(documents)],
               monkeypatch) == 0
    read = {d["doc_hash"]: d for d in map(json.loads, documents.read_text().splitlines())}
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(events) >= 3 and list(read.values())[0]["title"] == "Border clash"
    for event in events:
        start, end = event["span"]
        sentence = read[event["doc_hash"]]["text"][start:end]
        assert sentence == event["text"]  # the sentence exactly, no paragraph break after it


@pytest.mark.parametrize("text, starts", [
    # a quotation that ends a sentence, then a capitalised word; not after a comma
    ('The envoy spoke. "Abandoning them is a grave error." Maria Santos later resigned.',
     ["Maria"]),
    ('"Abandoning them is a grave error," Maria Santos said. "We stay."', []),
    # a paragraph break, even without a full stop before it
    ("Talks in Geneva ended without a deal\n\nThe Kenyan delegation left.", ["The"]),
    # an agency's dateline opening the text or a paragraph; a dash inside a sentence,
    # or after words not in capitals, starts nothing
    ("NAIROBI, Kenya (AP) \u2014 Kenyan police detained six activists.", ["Kenyan"]),
    ("Talks ended.\n\nADDIS ABABA - Ethiopia reopened its border.", ["ADDIS", "Ethiopia"]),
    ("Kenya - not Uganda - hosted the talks.", []),
    ("Nairobi \u2014 Kenyan police detained six activists.", []),
])
def test_sentence_starts_the_parser_tends_to_miss_are_marked(
    settings: Settings, text: str, starts: list[str]
) -> None:
    doc = mark_boundaries(load_pipeline(settings.model).make_doc(text))
    assert [t.text for t in doc[1:] if t.is_sent_start] == starts


def test_a_dateline_names_no_actor_of_its_sentence(settings: Settings) -> None:
    # the place the story was filed from is no subject: Sudan did not shell anyone
    [event] = code_text("KHARTOUM, SUDAN - Ethiopian troops shelled a Sudanese border "
                        "post on Sunday.", settings)
    assert [a.code for a in event.source] == ["ETH"]


def test_sentences_end_at_a_paragraph_break_without_a_full_stop(settings: Settings) -> None:
    doc = load_pipeline(settings.model)("Talks in Geneva ended without a deal\n\nThe "
                                        "Kenyan delegation left on Friday.")
    assert "Talks in Geneva ended without a deal" in [s.text.strip() for s in doc.sents]
