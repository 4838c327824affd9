"""Several processes on one database: readers while ingest runs, two writers, and ingest
killed outright (SIGKILL) and run again. Real processes, real DuckDB files."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import duckdb
import pytest

from faultline.models import Document
from faultline.pipeline import ingest, sample_corpus
from faultline.settings import Settings

#: Opens a database with faultline's store, says so, and keeps it until told to let go.
_HOLD = """
import sys
from faultline.store import open_store
store = open_store(sys.argv[1], read_only=sys.argv[2] == "read")
store.counts()
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


def _env(**settings: str) -> dict[str, str]:
    """Return the environment for a faultline process: this one's code, given settings."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.update({f"FAULTLINE_{k.upper()}": v for k, v in settings.items()})
    return env


def _faultline(*argv: str, **settings: str) -> subprocess.Popen[str]:
    """Start `faultline ARGV` in a process of its own, its output read as text."""
    return subprocess.Popen([sys.executable, "-m", "faultline", *argv], env=_env(**settings),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@contextmanager
def _held(db: Path, mode: str) -> Iterator[subprocess.Popen[str]]:
    """Hold db open in another process ("write" or "read") until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db), mode], env=_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield holder
    finally:
        if holder.poll() is None:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.flush()
        holder.wait(timeout=60)


def _release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=60)


def _wait_for_line(stream: IO[str] | None, text: str) -> str:
    """Return the first line of stream that contains text (failing at its end)."""
    assert stream is not None
    for line in stream:
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Nine articles of the sample corpus."""
    folder = tmp_path / "news"
    folder.mkdir()
    for path in sorted(sample_corpus().glob("*.txt"))[:9]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def stored(tmp_path: Path, corpus: Path, settings: Settings) -> Path:
    """A database with the first three articles of the corpus."""
    db = tmp_path / "news.duckdb"
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(corpus.iterdir())[:3]:
        shutil.copy(path, first / path.name)
    ingest([str(first)], settings.with_(db=db))
    return db


# -- readers while ingest runs ----------------------------------------------------------


def test_readers_read_the_last_committed_batches_while_ingest_parses(
    tmp_path: Path, corpus: Path, settings: Settings
) -> None:
    """Ingest holds the database only to write a batch: while it parses the next one,
    another process reads every batch written so far, and nothing of the next."""
    db = tmp_path / "news.duckdb"
    seen: list[Document] = []
    exports: list[tuple[int, str, str]] = []

    def read_meanwhile(document: Document) -> None:
        seen.append(document)
        if len(seen) in (5, 8):  # coding the second and the third batch
            out = tmp_path / f"during-{len(seen)}.jsonl"
            done = subprocess.run(
                [sys.executable, "-m", "faultline", "export", "--db", str(db), "-o", str(out)],
                env=_env(lock_wait="0"), capture_output=True, text=True, timeout=300)
            exports.append((done.returncode, done.stderr, str(out)))

    ingest([str(corpus)], settings.with_(db=db, write_batch=3), on_document=read_meanwhile)
    assert [code for code, _, _ in exports] == [0, 0], exports
    with duckdb.connect(str(db), read_only=True) as con:
        batches = [{row[0] for row in con.execute(
            "SELECT doc_id FROM events WHERE doc_hash IN (SELECT doc_hash FROM documents "
            "WHERE origin IN (SELECT unnest(?)))", [[str(d.origin) for d in seen[:n]]]
        ).fetchall()} for n in (3, 6)]
        read = [{row[0] for row in con.execute(
            "SELECT DISTINCT doc_id FROM read_json_auto(?)", [out]).fetchall()}
            for _, _, out in exports]
    assert read == batches


def test_reader_waits_for_a_write_with_a_message(stored: Path) -> None:
    with _held(stored, "write") as holder:
        reader = _faultline("relations", "--json", "--db", str(stored), lock_wait="120")
        line = _wait_for_line(reader.stderr, "waiting")
        assert line == (f"faultline: waiting: {stored} is in use by another process "
                        f"(PID {holder.pid}); waiting for it (up to 120 s)\n")
        _release(holder)
        out, _ = reader.communicate(timeout=300)
    assert reader.returncode == 0
    assert '"actors"' in out


# -- two writers --------------------------------------------------------------------------


def test_second_writer_waits_for_the_first_then_writes(stored: Path, corpus: Path) -> None:
    with _held(stored, "write") as holder:
        second = _faultline("ingest", str(corpus), "--db", str(stored), lock_wait="300")
        _wait_for_line(second.stderr, f"is in use by another process (PID {holder.pid})")
        _release(holder)
        _, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    assert "9 documents read (6 new, 3 already stored)" in " ".join(err.split())


def test_second_writer_that_may_not_wait_exits_with_one_line(stored: Path, corpus: Path) -> None:
    before = _digest(stored)
    with _held(stored, "read") as holder:
        second = _faultline("ingest", str(corpus), "--db", str(stored), lock_wait="0")
        _, err = second.communicate(timeout=600)
    assert second.returncode == 2
    assert err.splitlines() == [
        f"faultline: error: {stored} is in use by another process (PID {holder.pid}); try "
        "again when it has finished, or raise the lock_wait setting"]
    assert _digest(stored) == before


# -- ingest killed and run again ---------------------------------------------------------


def _contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of the tables a run fills (but the time of writing), sorted."""
    queries = {
        "documents": "SELECT * EXCLUDE (ingested_at) FROM documents",
        "events": "SELECT * FROM events",
        "dependencies": "SELECT * FROM dependencies",
        "person_sightings": "SELECT * FROM person_sightings",
        "event_words": "SELECT * FROM event_words",
        "event_clusters": "SELECT * FROM event_clusters",
        "clusters": "SELECT * FROM clusters",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: sorted(con.execute(sql).fetchall(), key=repr)
                for name, sql in queries.items()}


def _killed(corpus: Path, db: Path, after: str, nth: int = 1) -> None:
    """Run `faultline -v ingest` and kill it (SIGKILL) when its log shows `after` for the
    nth time; check that it was still running then."""
    run = _faultline("-v", "ingest", str(corpus), "--db", str(db), write_batch="3")
    assert run.stderr is not None
    seen = 0
    for line in run.stderr:
        seen += after in line
        if seen == nth:
            run.send_signal(signal.SIGKILL)
            break
    run.communicate(timeout=300)
    assert run.returncode == -signal.SIGKILL, f"the run ended before {after!r} #{nth}"


def test_ingest_killed_at_several_points_and_run_again_equals_a_clean_run(
    tmp_path: Path, corpus: Path, settings: Settings
) -> None:
    db = tmp_path / "killed.duckdb"
    # three batches of three: each kill leaves at least one batch to do
    _killed(corpus, db, "loaded spaCy pipeline")     # before anything is stored
    _killed(corpus, db, "stored 3 new documents")    # between two batches, parsing
    _killed(corpus, db, "writing 3 documents")       # while a batch is written
    resumed = _faultline("ingest", str(corpus), "--db", str(db), write_batch="3")
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    clean = tmp_path / "clean.duckdb"
    ingest([str(corpus)], settings.with_(db=clean, write_batch=3))
    killed, whole = _contents(db), _contents(clean)
    assert len(whole["documents"]) == 9 and whole["events"]
    for table in whole:
        assert killed[table] == whole[table], table
