"""The stages together: ingest into DuckDB, idempotency, interrupted runs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from faultline import code_text
from faultline.models import Document
from faultline.pipeline import LocalCoding, ingest, sample_corpus
from faultline.settings import Settings

COUNTRIES = ["Armenia", "Azerbaijan", "Georgia", "Turkey", "Iran", "France", "Kazakhstan"]


def _write_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i + 2) % len(COUNTRIES)]
        text = (
            f"Brief {i}\nMay {1 + i % 28}, 2024\n\n"
            f"{a} expelled {i + 2} diplomats of {b}. {b} condemned the expulsion of its "
            f"diplomats and recalled its ambassador from {a}."
        )
        (folder / f"brief{i:03}.txt").write_text(text, encoding="utf-8")


def _state(db: Path) -> tuple[int, int, list[tuple[str, int]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        per_doc = con.execute(
            "SELECT d.doc_id, count(e.id) FROM documents d LEFT JOIN events e "
            "USING (doc_hash) GROUP BY d.doc_id ORDER BY d.doc_id"
        ).fetchall()
    return int(docs), int(events), [(str(a), int(b)) for a, b in per_doc]


def test_public_api_codes_text() -> None:
    events = code_text("Azerbaijan expelled two Russian diplomats.", date="2025-07-01")
    assert [(e.event, e.mode, e.date) for e in events] == [("SANCTION", "expel", "2025-07-01")]


def test_public_api_cleans_text_as_the_readers_do() -> None:
    events = code_text("<u>Azerbaijan</u>\u00a0expelled two&nbsp;Russian <b>diplomats</b>.",
                       date="2025-07-01")
    assert [(e.event, e.source[0].code, e.text) for e in events] == [
        ("SANCTION", "AZE", "Azerbaijan expelled two Russian diplomats.")]


def test_ingest_interrupted_mid_batch_keeps_whole_batches_only(
    tmp_path: Path, settings: Settings
) -> None:
    """A run stopped while a batch is being coded loses that batch and nothing else."""
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 10)
    db = tmp_path / "run.duckdb"
    small = settings.with_(db=db, write_batch=4)
    seen: list[Document] = []

    def stop_in_third_batch(document: Document) -> None:
        seen.append(document)
        if len(seen) == 10:  # the second document of the third batch
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([str(corpus)], small, on_document=stop_in_third_batch)
    docs, events, per_doc = _state(db)
    assert docs == 8, "two whole batches stored, the batch in flight rolled back"
    assert all(n >= 2 for _, n in per_doc), "no document stored without its events"

    report = ingest([str(corpus)], small)
    assert (report.new_documents, report.already_stored) == (2, 8)
    clean = tmp_path / "clean.duckdb"
    ingest([str(corpus)], settings.with_(db=clean))
    assert _state(db) == _state(clean)


class _Grouped(LocalCoding):
    """Coding in this process that looks several batches up in one opening of the
    database, as a Dask ingest does (faultline/parallel)."""

    group = 3


def test_ingest_looking_several_batches_up_an_opening_stores_and_tells_the_same(
    tmp_path: Path, settings: Settings
) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 11)
    told: dict[str, list[str]] = {}
    reports = {}
    for name, coding in (("one", None), ("grouped", _Grouped)):
        db = tmp_path / f"{name}.duckdb"
        small = settings.with_(db=db, write_batch=2)
        # documents stored before, in the first and in the third batch: looked up with
        # the batches of a group, they are passed over and told of as in one batch
        ingest([str(corpus / "brief001.txt"), str(corpus / "brief005.txt")], small)
        told[name] = []
        reports[name] = ingest(
            [str(corpus)], small, coding=coding(small) if coding else None,
            on_document=lambda document, seen=told[name]: seen.append(document.doc_id))
    one, grouped = reports["one"], reports["grouped"]
    assert (grouped.documents, grouped.new_documents, grouped.already_stored) == (11, 9, 2)
    assert (one.documents, one.new_documents, one.already_stored) == (11, 9, 2)
    assert grouped.new_events == one.new_events > 0
    assert told["grouped"] == told["one"] and len(told["one"]) == 11
    assert _state(tmp_path / "grouped.duckdb") == _state(tmp_path / "one.duckdb")


def test_ingest_same_text_twice_is_one_document(tmp_path: Path, settings: Settings) -> None:
    corpus = tmp_path / "c"
    _write_corpus(corpus, 2)
    text = (corpus / "brief000.txt").read_text(encoding="utf-8")
    (corpus / "copy.txt").write_text(text.replace(" ", "  "), encoding="utf-8")
    report = ingest([str(corpus)], settings.with_(db=tmp_path / "d.duckdb"))
    assert report.new_documents == 2
    assert [s.reason.split()[0] for s in report.skipped] == ["duplicate"]


def test_sample_corpus_has_dated_briefs(settings: Settings) -> None:
    from faultline.pipeline import read

    docs = [d for d in read([str(sample_corpus())], settings) if isinstance(d, Document)]
    assert 30 <= len(docs) <= 60
    assert all(d.date and "2020" <= d.date[:4] <= "2025" for d in docs)


def test_user_people_file_overrides_who_a_name_is(tmp_path: Path, settings: Settings) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "name,aliases,code,sector,role,start,end,org\n"
        "Arman Testyan,Testyan,ARM,GOV,Foreign Minister,2020,,\n",
        encoding="utf-8",
    )
    text = "Testyan condemned the shelling of the villages."
    # nobody knows Testyan, and the text names no country: the event is set aside
    assert code_text(text, date="2024-05-01") == []
    custom = settings.with_(people=(people,))
    from faultline.pipeline import code_text as run

    [event] = run(text, custom, date="2024-05-01")
    assert (event.source[0].code, event.source[0].sector) == ("ARM", "GOV")
