"""A database file faultline cannot use: cut short, with a zeroed block, not faultline's,
read-only, or of another schema version. Every command that meets one says so in one
line and changes nothing in it; export reads the whole file first."""

from __future__ import annotations

import csv
import ctypes
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import run

from faultline.errors import DamagedDatabaseError
from faultline.models import Actor, Document, Event
from faultline.resolve.registry import Sighting
from faultline.store import open_store

#: DuckDB's file: three 4 KiB headers, then blocks of 256 KiB numbered from 0.
_HEADERS = 3 * 4096
_BLOCK = 262_144
_WORDS = ("border", "talks", "envoy", "troops", "ceasefire", "sanctions", "village", "shelling",
          "minister", "pipeline", "corridor", "observers", "summit", "treaty", "exchange")


def _document(n: int, rng: random.Random, sentence: str) -> Document:
    filler = " ".join(rng.choice(_WORDS) for _ in range(400))
    return Document.from_text(f"{sentence} Report {n}: {filler}.", doc_id=f"doc-{n}",
                              date=f"2024-05-{1 + n % 28:02d}", origin="tests")


def _event(doc: Document, sentence: str) -> Event:
    return Event(
        id=f"{doc.doc_hash}-0", doc_id=doc.doc_id, doc_hash=doc.doc_hash, date=doc.date,
        event="ACCUSE", mode=None, context=(), source=(Actor("Moscow", "RUS", "GOV"),),
        target=(Actor("Yerevan", "ARM", "GOV"),), event_text="blamed", text=sentence,
        span=(0, len(sentence)), cameo="11", quad_class=3, intensity=-2.0, confidence=0.8,
        rule="tests", coder="tests", date_precision="day",
    )


def _database(path: Path, n: int = 300, sentences: tuple[str, ...] = ()) -> Path:
    """Write a database of n documents (some 3 KB of text each, so the file spans several
    blocks) with an event and a person each; the first ones open with `sentences`."""
    rng = random.Random(7)
    with open_store(path) as store:
        for start in range(0, n, 100):
            docs, events, people = [], [], []
            for k in range(start, min(n, start + 100)):
                sentence = sentences[k] if k < len(sentences) else \
                    f"Moscow blamed Yerevan for incident {k}."
                doc = _document(k, rng, sentence)
                docs.append(doc)
                events.append(_event(doc, sentence))
                people.append(Sighting(f"Envoy Number{k}", "RUS", "GOV", "envoy", doc.date,
                                       doc.doc_hash))
            store.write(docs, events, people=people)
    return path


def _blocks(path: Path, table: str) -> set[int]:
    """Return the numbers of the blocks that hold a table's data."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(f"SELECT DISTINCT block_id FROM pragma_storage_info('{table}') "
                           "WHERE block_id >= 0").fetchall()
    return {row[0] for row in rows}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(err: str) -> str:
    """Return the one line a failing command printed, failing on anything more."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("faultline: error: "), err
    return lines[0]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    path = tmp_path / "news.txt"
    path.write_text("Azerbaijan expelled two Russian diplomats on Monday.", encoding="utf-8")
    return path


def test_database_cut_short_is_named_damaged_by_ingest_export_and_relations(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = _database(tmp_path / "cut.duckdb")
    os.truncate(db, _HEADERS + 2 * _BLOCK)
    before = _digest(db)
    for argv in (["ingest", str(news)], ["export", "-o", str(tmp_path / "out.jsonl")],
                 ["relations"]):
        assert run([*argv, "--db", str(db)], monkeypatch) == 2, argv
        line = _one_error_line(capsys.readouterr().err)
        assert f"{db} is damaged (the file is cut short)" in line, line
        assert "restore it from a backup" in line
        assert _digest(db) == before
    assert not (tmp_path / "out.jsonl").exists()


def test_zeroed_block_of_people_stops_ingest_and_export_not_the_analyses(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = _database(tmp_path / "zeroed.duckdb")
    # the people seen, which ingest reads before it codes (the actor registry)
    damaged = min(_blocks(db, "person_sightings") - _blocks(db, "events") - _blocks(db, "meta"))
    with open(db, "r+b") as file:
        file.seek(_HEADERS + damaged * _BLOCK)
        file.write(bytes(_BLOCK))
    before = _digest(db)
    out = tmp_path / "events.jsonl"
    out.write_text("an earlier export\n", encoding="utf-8")

    assert run(["ingest", str(news), "--db", str(db)], monkeypatch) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "is damaged (part of the file does not match its checksum)" in line
    assert run(["export", "--db", str(db), "-o", str(out)], monkeypatch) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert ("is damaged (table person_sightings: part of the file does not match its "
            "checksum)" in line), line
    assert line.endswith("; nothing was exported")
    assert out.read_text(encoding="utf-8") == "an earlier export\n"
    # the events themselves are whole: what only reads them still answers
    assert run(["relations", "--db", str(db), "--json"], monkeypatch) == 0
    assert json.loads(capsys.readouterr().out)[0]["actors"] == ["ARM", "RUS"]
    assert _digest(db) == before


def test_store_reads_of_a_damaged_table_raise_damaged_database_error(tmp_path: Path) -> None:
    db = _database(tmp_path / "zeroed.duckdb", n=100)
    [block] = _blocks(db, "events")
    with open(db, "r+b") as file:
        file.seek(_HEADERS + block * _BLOCK)
        file.write(bytes(_BLOCK))
    with open_store(db, read_only=True) as store, \
            pytest.raises(DamagedDatabaseError, match="does not match its checksum"):
        store.events_by_type()


@pytest.mark.parametrize("kind", ["not DuckDB", "another application's", "other version"])
def test_database_not_faultlines_is_refused_in_one_line_and_left_alone(
    tmp_path: Path, news: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], kind: str,
) -> None:
    db = tmp_path / "other.duckdb"
    if kind == "not DuckDB":
        db.write_text("my notes, not a database\n" * 100, encoding="utf-8")
        expected = "is not a DuckDB database"
    elif kind == "another application's":
        with duckdb.connect(str(db)) as con:
            con.execute("CREATE TABLE invoices (id INTEGER, total DOUBLE)")
            con.execute("INSERT INTO invoices VALUES (1, 9.5)")
        expected = "not a faultline one"
    else:
        _database(db, n=3)
        with duckdb.connect(str(db)) as con:
            con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        expected = "has schema version 1"
    before = _digest(db)
    for argv in (["ingest", str(news)], ["relations"],
                 ["export", "-o", str(tmp_path / "out.jsonl")]):
        assert run([*argv, "--db", str(db)], monkeypatch) == 2, argv
        assert expected in _one_error_line(capsys.readouterr().err)
        assert _digest(db) == before


def _without_root_override() -> None:
    """Drop the capabilities that let root write any file (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH), so that file permissions hold for this process too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def test_read_only_database_file_is_refused_for_ingest_and_still_read(
    tmp_path: Path, news: Path
) -> None:
    db = _database(tmp_path / "kept.duckdb", n=3)
    db.chmod(0o444)
    before = _digest(db)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    preexec = _without_root_override if os.geteuid() == 0 else None

    def faultline(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "faultline", *argv, "--db", str(db)],
                              capture_output=True, text=True, env=env, cwd=tmp_path,
                              preexec_fn=preexec, timeout=300)

    ingest = faultline("ingest", str(news))
    assert ingest.returncode == 2
    assert _one_error_line(ingest.stderr) == (
        f"faultline: error: cannot write to database {db}: permission denied (the file or "
        "its folder is read-only); make it writable, or choose another file with --db")
    assert faultline("relations").returncode == 0
    assert _digest(db) == before


def test_csv_export_neutralises_formulas_and_drops_nul_bytes(tmp_path: Path) -> None:
    sentences = ("=HYPERLINK(\"http://example.com\") Moscow blamed Yerevan.",
                 "+Russia blamed Armenia.", "-Moscow blamed Yerevan again.",
                 "@Moscow blamed Yerevan.", "\tMoscow blamed Yerevan.")
    db = _database(tmp_path / "cells.duckdb", n=len(sentences), sentences=sentences)
    with duckdb.connect(str(db)) as con:  # ids come from the records as they were given
        con.execute("UPDATE documents SET doc_id = 'a' || chr(0) || 'b' WHERE doc_id = 'doc-0'")
        con.execute("UPDATE events SET doc_id = 'a' || chr(0) || 'b' WHERE doc_id = 'doc-0'")
        con.execute("UPDATE events SET doc_id = '-7' WHERE doc_id = 'doc-1'")
    out = tmp_path / "events.csv"
    with open_store(db, read_only=True) as store:
        assert store.export("csv", out) == len(sentences)
    data = out.read_bytes()
    assert b"\x00" not in data
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["doc_id"] for row in rows[:2]] == ["ab", "'-7"]
    assert [row["sentence"] for row in rows] == [f"'{s}" for s in sentences]
    for row in rows:
        for cell in row.values():
            if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}:
                float(cell)  # only numbers may start so: "-2.0"
