"""Tests for faultline.store: a real DuckDB file per test, real Documents and Events."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import faultline
from faultline.errors import FaultlineError, NoDatabaseError, SchemaVersionError, StoreError
from faultline.models import Actor, Document, Event
from faultline.store import SCHEMA_VERSION, Store, open_store

RUS_GOV = Actor("the Russian government", "RUS", "GOV")
ARM_GOV = Actor("Yerevan", "ARM", "GOV")
AZE_MIL = Actor("Azerbaijani troops", "AZE", "MIL")
BLR_GOV = Actor("Minsk", "BLR", "GOV")
UNNAMED = Actor("unnamed officials", None, "GOV")


def make_doc(text: str, **meta: str) -> Document:
    """Return a Document built the way the ingest stage builds one."""
    return Document.from_text(text, origin="tests", **meta)


def make_event(doc: Document, n: int, **changes: object) -> Event:
    """Return the n-th event of doc: Russia accuses Armenia unless changed."""
    base = Event(
        id=f"{doc.doc_hash}-{n}",
        doc_id=doc.doc_id,
        doc_hash=doc.doc_hash,
        date=doc.date,
        date_precision="day" if doc.date else None,
        event="ACCUSE",
        mode=None,
        context=("diplomatic",),
        source=(RUS_GOV,),
        target=(ARM_GOV,),
        event_text="accused",
        text=doc.text,
        span=(0, len(doc.text)),
        cameo="11",
        quad_class=3,
        intensity=-2.0,
        confidence=0.75,
        rule="verbs.yaml:accuse",
        coder="test-coder 1",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def sample_batch(tag: str, n_docs: int, per_doc: int = 2) -> tuple[list[Document], list[Event]]:
    """Return n_docs distinct documents with per_doc events each."""
    docs = [
        make_doc(
            f"Report {tag}-{i}: Moscow blamed Yerevan for the border incident.",
            date="2024-06-0" + str(1 + i % 9),
        )
        for i in range(n_docs)
    ]
    events = [make_event(d, k) for d in docs for k in range(per_doc)]
    return docs, events


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "events.duckdb") as s:
        yield s


# -- opening ------------------------------------------------------------------


def test_open_store_creates_schema_and_records_versions(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.duckdb"
    with open_store(path) as s:
        meta = s.meta()
        objects = {row[0] for row in s.query("SELECT table_name FROM duckdb_tables()")}
        views = {
            row[0] for row in s.query("SELECT view_name FROM duckdb_views() WHERE NOT internal")
        }
    assert path.exists()
    assert meta["schema_version"] == str(SCHEMA_VERSION) == "4"
    assert meta["faultline_version"] == faultline.__version__
    assert {"meta", "documents", "events"} <= objects
    assert {"actors", "event_records", "events_flat"} <= views


def test_open_store_keeps_data_across_reopen_and_read_only(tmp_path: Path) -> None:
    path = tmp_path / "kept.duckdb"
    docs, events = sample_batch("keep", 3)
    with open_store(path) as s:
        s.write(docs, events)
    with open_store(path, read_only=True) as s:
        assert s.counts() == {"documents": 3, "events": 6}
        with pytest.raises(StoreError, match="read-only"):
            s.write(*sample_batch("more", 1))
        assert s.counts() == {"documents": 3, "events": 6}


def test_open_store_refuses_other_schema_version_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    open_store(path).close()
    # What a database written by a future faultline would look like.
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaVersionError) as info:
        open_store(path)
    message = str(info.value)
    assert "schema version 99" in message
    assert f"expects schema version {SCHEMA_VERSION}" in message
    assert "re-ingest" in message and "new database file" in message
    assert "\n" not in message


def test_open_store_refuses_file_that_is_not_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are my notes, not a database\n", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "is not a DuckDB database" in str(info.value)
    assert "\n" not in str(info.value)
    assert path.read_text(encoding="utf-8").startswith("these are my notes")


def test_open_store_refuses_duckdb_file_of_another_application(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (amount INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a faultline one"):
        open_store(path)


def test_open_store_read_only_needs_existing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    for options in ({"read_only": True}, {"create": False}):
        with pytest.raises(NoDatabaseError) as info:
            open_store(missing, **options)  # type: ignore[arg-type]
        assert str(info.value) == f"no database at {missing}; run `faultline ingest` first"
    assert not missing.exists()


def test_open_store_in_memory_works() -> None:
    with open_store(":memory:") as s:
        s.write(*sample_batch("mem", 2))
        assert s.counts() == {"documents": 2, "events": 4}


def test_importing_store_package_does_not_load_duckdb() -> None:
    code = "import sys, faultline.store; print('duckdb' in sys.modules, 'pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- writing ------------------------------------------------------------------


def test_write_same_batch_twice_adds_nothing(store: Store) -> None:
    docs, events = sample_batch("twice", 4, per_doc=3)
    first = store.write(docs, events)
    second = store.write(docs, events)
    assert (first.new_documents, first.new_events, first.skipped_documents) == (4, 12, 0)
    assert (second.new_documents, second.new_events, second.skipped_documents) == (0, 0, 4)
    assert store.counts() == {"documents": 4, "events": 12}


def test_write_skips_stored_documents_with_their_events(store: Store) -> None:
    old_docs, old_events = sample_batch("old", 2)
    store.write(old_docs, old_events)
    new_doc = make_doc("Baku and Minsk signed a trade agreement.", date="2024-07-02")
    # The old document comes back with a different (newer coder's) event: the
    # stored version wins and the new event is not added.
    recoded = make_event(old_docs[0], 7, event="THREATEN")
    result = store.write(
        [old_docs[0], new_doc],
        [recoded, make_event(new_doc, 0, event="AGREE", source=(AZE_MIL,), target=(BLR_GOV,))],
    )
    assert result.new_documents == 1 and result.skipped_documents == 1
    assert result.new_events == 1
    assert dict(store.events_by_type()) == {"ACCUSE": 4, "AGREE": 1}


def test_write_counts_a_document_repeated_within_a_batch_once(store: Store) -> None:
    doc = make_doc("Armenia recalled its ambassador from Moscow.")
    twin = dataclasses.replace(doc, origin="another/file.txt")
    result = store.write([doc, twin], [make_event(doc, 0), make_event(twin, 0)])
    assert (result.new_documents, result.new_events, result.skipped_documents) == (1, 1, 1)
    assert store.query("SELECT origin FROM documents") == [("tests",)]


def test_write_refuses_event_whose_document_is_not_in_the_batch(store: Store) -> None:
    doc = make_doc("Police in Yerevan detained two Russian citizens.")
    stray = make_event(make_doc("A different article entirely."), 0)
    with pytest.raises(StoreError, match="not in this batch"):
        store.write([doc], [make_event(doc, 0), stray])
    assert store.counts() == {"documents": 0, "events": 0}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"quad_class": 999}, "rolled back"),  # out of range for TINYINT: Arrow refuses
        ({"intensity": "very hostile"}, "rolled back"),  # wrong type: Arrow refuses
        ({"date": "5 May 2024"}, "not ISO 8601"),  # refused by the store's date parser
        ({"date": "2024-02-30"}, "does not exist"),
    ],
)
def test_failed_event_write_rolls_back_whole_batch(
    store: Store, change: dict[str, object], expected: str
) -> None:
    first_docs, first_events = sample_batch("kept", 3)
    store.write(first_docs, first_events)
    docs, events = sample_batch("doomed", 5)
    # The last event is bad; the batch's documents are inserted before the
    # events are converted, so this fails in the middle of the transaction.
    events[-1] = dataclasses.replace(events[-1], **change)  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=expected):
        store.write(docs, events)
    assert store.counts() == {"documents": 3, "events": 6}
    assert store.known_hashes(d.doc_hash for d in docs) == set()
    # The connection is still usable and the batch can be retried once fixed.
    result = store.write(docs, events[:-1])
    assert (result.new_documents, result.new_events) == (5, 9)


_CRASH_CHILD = textwrap.dedent(
    """
    import os, re, sys
    from faultline.models import Actor, Document, Event
    from faultline.store import open_store

    def batch(tag, n):
        docs, events = [], []
        for i in range(n):
            doc = Document.from_text(f"Item {tag}-{i}: Moscow protested to Yerevan.")
            docs.append(doc)
            for k in range(3):
                events.append(Event(
                    id=f"{doc.doc_hash}-{k}", doc_id=doc.doc_id, doc_hash=doc.doc_hash,
                    date="2024-05-01", event="PROTEST", mode=None, context=(),
                    source=(Actor("Moscow", "RUS", "GOV"),),
                    target=(Actor("Yerevan", "ARM", "GOV"),),
                    event_text="protested", text=doc.text, span=(0, len(doc.text)), cameo="14",
                    quad_class=3, intensity=-4.0, confidence=0.9, rule="t", coder="t"))
        return docs, events

    class DieBeforeEvents:
        # The real DuckDB connection, except that the process dies the moment
        # the store is about to insert the events of a batch.
        def __init__(self, real):
            self._real = real
        def __getattr__(self, name):
            return getattr(self._real, name)
        def execute(self, sql, *args):
            if re.search(r"\\bINSERT\\b.*\\bINTO\\s+events\\b", sql):
                seen = self._real.execute("SELECT count(*) FROM documents").fetchone()[0]
                print("documents-in-open-transaction", seen, flush=True)
                os._exit(1)
            return self._real.execute(sql, *args)

    store = open_store(sys.argv[1])
    store.write(*batch("one", 5))
    print("first-batch-committed", flush=True)
    # this thread's cursor, through which the store writes
    store._local.con = DieBeforeEvents(store._con)
    store.write(*batch("two", 7))
    print("second-batch-committed", flush=True)
    """
)


def test_crash_between_documents_and_events_leaves_no_half_batch(tmp_path: Path) -> None:
    """A process that dies mid-batch leaves only whole, earlier batches behind.

    The child process writes one batch normally, then starts a second one
    through the real Store.write with the DuckDB connection wrapped (DuckDB is
    outside the product, so wrapping it is fair): the wrapper forwards every
    call, but when the store is about to run its events INSERT it prints how
    many documents the open transaction already sees and calls os._exit(1).
    That is an abrupt death with no rollback, no close and no atexit, at the
    worst moment: the second batch's documents are inserted, its events are
    not. The product code has no test hook; if Store.write stopped inserting
    documents before events, the child would not die and the test would fail.
    """
    path = tmp_path / "crash.duckdb"
    child = subprocess.run(
        [sys.executable, "-c", _CRASH_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert child.returncode == 1, child.stderr
    lines = child.stdout.split("\n")
    assert "first-batch-committed" in lines
    assert "documents-in-open-transaction 12" in lines  # 5 committed + 7 uncommitted
    assert "second-batch-committed" not in lines

    with open_store(path) as s:
        assert s.counts() == {"documents": 5, "events": 15}
        per_doc = s.query(
            "SELECT d.doc_hash, count(e.id) FROM documents d "
            "LEFT JOIN events e USING (doc_hash) GROUP BY d.doc_hash"
        )
        assert sorted(n for _, n in per_doc) == [3] * 5
        assert s.query("SELECT count(*) FROM documents WHERE text LIKE 'Item two-%'") == [(0,)]


# -- reading ------------------------------------------------------------------


def test_known_hashes_returns_only_stored_ones(store: Store) -> None:
    docs, events = sample_batch("known", 3)
    store.write(docs, events)
    unseen = make_doc("Nothing like this was stored.").doc_hash
    asked = [docs[0].doc_hash, unseen, docs[2].doc_hash, docs[0].doc_hash]
    assert store.known_hashes(asked) == {docs[0].doc_hash, docs[2].doc_hash}
    assert store.known_hashes([]) == set()


def test_counts_types_and_dyads_on_hand_made_events(store: Store) -> None:
    a = make_doc("Moscow accused Yerevan of sabotage; Yerevan answered the charge.")
    b = make_doc("Azerbaijani troops fired on an Armenian post, Yerevan said.")
    c = make_doc("Minsk and Moscow agreed to hold joint exercises.")
    events = [
        make_event(a, 0),
        make_event(a, 1),
        make_event(a, 2, event="REJECT", source=(ARM_GOV,), target=(RUS_GOV,)),
        make_event(b, 0, event="ASSAULT", source=(AZE_MIL,), target=(ARM_GOV,), quad_class=4),
        make_event(b, 1, event="ACCUSE", source=(ARM_GOV,), target=(AZE_MIL,)),
        make_event(c, 0, event="AGREE", source=(BLR_GOV, RUS_GOV), target=(RUS_GOV,)),
        make_event(c, 1, event="CONSULT", source=(UNNAMED,), target=(BLR_GOV,)),
        make_event(c, 2, event="CONSULT", source=(RUS_GOV,), target=()),
    ]
    result = store.write([a, b, c], events)
    assert (result.new_documents, result.new_events) == (3, 8)
    assert store.counts() == {"documents": 3, "events": 8}
    assert store.events_by_type() == [
        ("ACCUSE", 3),
        ("CONSULT", 2),
        ("AGREE", 1),
        ("ASSAULT", 1),
        ("REJECT", 1),
    ]
    # The AGREE is BLR -> RUS (first source only); CONSULTs lack a code or a target.
    assert store.top_dyads() == [
        ("RUS", "ARM", 2),
        ("ARM", "AZE", 1),
        ("ARM", "RUS", 1),
        ("AZE", "ARM", 1),
        ("BLR", "RUS", 1),
    ]
    assert store.top_dyads(limit=1) == [("RUS", "ARM", 2)]


def test_actors_view_has_one_row_per_actor_mention(store: Store) -> None:
    doc = make_doc("Minsk and Moscow jointly condemned Yerevan and Baku.")
    event = make_event(doc, 0, source=(BLR_GOV, RUS_GOV), target=(ARM_GOV, AZE_MIL))
    store.write([doc], [event])
    rows = store.query(
        "SELECT role, position, text, code, sector FROM actors ORDER BY role, position"
    )
    assert rows == [
        ("source", 1, "Minsk", "BLR", "GOV"),
        ("source", 2, "the Russian government", "RUS", "GOV"),
        ("target", 1, "Yerevan", "ARM", "GOV"),
        ("target", 2, "Azerbaijani troops", "AZE", "MIL"),
    ]


def test_partial_dates_stored_as_first_day_with_precision_kept(store: Store) -> None:
    doc = make_doc("Later that winter, Moscow cancelled the visit.", date="2024-12-20")
    month = make_event(doc, 0, date="2024-12", date_precision="month")
    year = make_event(doc, 1, date="2023", date_precision="year")
    undated = make_event(doc, 2, date=None, date_precision=None)
    store.write([doc], [month, year, undated])
    rows = dict((r[0], r[1:]) for r in store.query("SELECT id, date, date_precision FROM events"))
    assert rows[month.id] == (datetime.date(2024, 12, 1), "month")
    assert rows[year.id] == (datetime.date(2023, 1, 1), "year")
    assert rows[undated.id] == (None, None)
    records = {r["id"]: r for r in store.iter_event_records()}
    assert records[month.id]["date"] == "2024-12"
    assert records[year.id]["date"] == "2023"


def _varied_events() -> tuple[list[Document], list[Event]]:
    """Return documents and events exercising nulls, lists, non-ASCII text and extras."""
    a = make_doc("Ереван заявил протест; Moscow's envoy was summoned.", date="2024-03-15")
    b = make_doc("An undated note: officials said talks would resume.")
    events = [
        make_event(
            a,
            0,
            event="PROTEST",
            context=("diplomatic", "territory"),
            source=(ARM_GOV,),
            target=(RUS_GOV, BLR_GOV),
            event_text="заявил протест",
            span=(0, 24),
            attribution="Armenian foreign ministry",
            extra={"place": {"name": "Yerevan", "country": "ARM"}},
        ),
        make_event(
            a,
            1,
            event="CONSULT",
            mode="summon",
            context=(),
            span=(25, 52),
            intensity=None,
            quad_class=None,
            cameo=None,
            confidence=0.5,
        ),
        make_event(
            b,
            0,
            event="CONSULT",
            date=None,
            date_precision=None,
            source=(UNNAMED,),
            target=(),
            intensity=1.0,
        ),
    ]
    return [a, b], events


def test_iter_event_records_equals_as_record(store: Store) -> None:
    docs, events = _varied_events()
    store.write(docs, events)
    got = {r["id"]: r for r in store.iter_event_records(batch_size=2)}
    assert got == {e.id: e.as_record() for e in events}
    for event in events:  # same keys in the same order, not just equal dicts
        assert list(got[event.id]) == list(event.as_record())
    # Event.extra is not part of the record layout but is kept in the database.
    ((extra,),) = store.query("SELECT extra FROM events WHERE id = ?", [events[0].id])
    assert json.loads(extra) == events[0].extra


# -- export -------------------------------------------------------------------


def test_export_plover_round_trips_as_records(store: Store, tmp_path: Path) -> None:
    docs, events = _varied_events()
    store.write(docs, events)
    out = tmp_path / "events.jsonl"
    assert store.export("plover", out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(records, key=lambda r: r["id"]) == sorted(
        (e.as_record() for e in events), key=lambda r: r["id"]
    )
    assert records[-1]["date"] is None  # undated events come last
    assert list(records[0]) == list(events[0].as_record())


def test_export_csv_has_one_flat_row_per_event(store: Store, tmp_path: Path) -> None:
    docs, events = _varied_events()
    store.write(docs, events)
    out = tmp_path / "events.csv"
    assert store.export("csv", out) == 3
    with out.open(encoding="utf-8", newline="") as f:
        rows = {row["id"]: row for row in csv.DictReader(f)}
    first = rows[events[0].id]
    assert first["context"] == "diplomatic;territory"
    assert (first["source_code"], first["target_code"], first["n_targets"]) == ("ARM", "RUS", "2")
    assert first["event_text"] == "заявил протест"
    assert first["date"] == "2024-03-15"
    assert rows[events[2].id]["target_code"] == ""


def test_export_parquet_reads_back_with_duckdb(store: Store, tmp_path: Path) -> None:
    docs, events = _varied_events()
    store.write(docs, events)
    out = tmp_path / "events.parquet"
    assert store.export("parquet", out) == 3
    con = duckdb.connect()
    rows = con.execute(
        "SELECT id, event, targets, intensity FROM read_parquet(?) ORDER BY id", [str(out)]
    ).fetchall()
    con.close()
    expected = sorted(
        (
            e.id,
            e.event,
            [{"text": a.text, "code": a.code, "sector": a.sector, "org": a.org}
             for a in e.target],
            e.intensity,
        )
        for e in events
    )
    assert rows == expected


def test_export_unknown_format_lists_the_known_ones(store: Store, tmp_path: Path) -> None:
    with pytest.raises(FaultlineError, match="plover, csv, parquet"):
        store.export("xlsx", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_export_handles_awkward_paths_and_reports_missing_folders(
    store: Store, tmp_path: Path
) -> None:
    store.write(*sample_batch("paths", 2))
    awkward = tmp_path / "analyst's events; draft.csv"
    assert store.export("csv", awkward) == 4
    assert awkward.read_text(encoding="utf-8").startswith("id,doc_id,doc_hash,date,")
    with pytest.raises(StoreError, match="cannot export"):
        store.export("parquet", tmp_path / "no such folder" / "events.parquet")


def test_export_empty_database_writes_zero_events(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "none.jsonl"
    assert store.export("plover", out) == 0
    assert out.read_text(encoding="utf-8") == ""
