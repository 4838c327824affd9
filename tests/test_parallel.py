"""Ingest on Dask (faultline/parallel): a LocalCluster, a running cluster of `dask
scheduler` and `dask worker` processes, resuming after a kill; every run ends with the
database a single-process ingest of the same inputs makes."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from builders import run

from faultline.service import Service
from faultline.settings import Settings
from faultline.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "faultline" / "data" / "sample"
#: Documents per partition (the write_batch setting): the sample corpus gives several.
BATCH = 6
# Two briefs written for these tests (as in test_registry.py): the second names by
# surname only the person the first describes, so its events depend on the first.
DESCRIBED = ("Georgian opposition leader Nika Melia was detained by police outside the "
             "parliament in Tbilisi on Tuesday.")
SURNAME_ONLY = "Melia accused the government of persecuting its critics."


def _env(batch: int = BATCH) -> dict[str, str]:
    """Return the environment of a faultline or Dask process started by a test: this
    checkout's faultline, partitions of `batch` documents."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    # wide: a line the run prints is not wrapped where its speed makes it longer
    return {**os.environ, "PYTHONPATH": path, "FAULTLINE_WRITE_BATCH": str(batch),
            "COLUMNS": "250"}


def _faultline(argv: list[str], batch: int = BATCH) -> subprocess.CompletedProcess[str]:
    """Run `faultline ARGV` in a process of its own (Dask's clients and event loops stay
    out of the test process), partitions of `batch` documents; return what it did."""
    return subprocess.run([sys.executable, "-m", "faultline", *argv], env=_env(batch),
                          capture_output=True, text=True, timeout=600)


def _records(folder: Path) -> Path:
    """Write the two briefs about Melia as JSON lines; return the file."""
    path = folder / "melia.jsonl"
    lines = [{"id": "melia-1", "text": DESCRIBED, "date": "2024-03-12"},
             {"id": "melia-2", "text": SURNAME_ONLY, "date": "2024-03-20"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sample corpus, the briefs about Melia and two files no reader can use."""
    folder = tmp_path_factory.mktemp("inputs")
    bad = folder / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe" * 20)
    return [str(SAMPLE), str(_records(folder)), str(bad)]


def _content(db: Path, folder: Path) -> dict[str, object]:
    """Return what a database holds that a user sees: its plover export and the rows of
    its documents, clusters, people and dependencies."""
    export = folder / f"{db.stem}.plover.jsonl"
    with Service(Settings(db=db)) as served:
        served.export("plover", export)
    with open_store(db, read_only=True) as store:
        tables = {name: store.query(f"SELECT * FROM {name} ORDER BY ALL") for name in (
            "event_clusters", "clusters", "person_sightings", "dependencies", "parses")}
        tables["documents"] = store.query(
            "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY ALL")
    return {"export": export.read_text(encoding="utf-8"), **tables}


@pytest.fixture(scope="module")
def single(inputs: list[str], settings: Settings,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """What a single-process ingest of the inputs stores."""
    from faultline.pipeline import ingest

    folder = tmp_path_factory.mktemp("single")
    db = folder / "single.duckdb"
    report = ingest(inputs, settings.with_(db=db, write_batch=BATCH))
    assert report.new_documents == 47 and report.total_skipped == 2
    return _content(db, folder)


def _summary(err: str) -> list[str]:
    """Return a run's skipped lines and last line, without its speed."""
    return [re.sub(r"[\d.]+ documents/s", "", line) for line in err.splitlines()
            if line.startswith(("skipped", "47 documents"))]


def test_ingest_on_two_workers_stores_what_one_process_does(
    inputs: list[str], single: dict[str, object], tmp_path: Path
) -> None:
    db = tmp_path / "two.duckdb"
    two = _faultline(["ingest", *inputs, "--db", str(db), "--workers", "2"])
    assert two.returncode == 0, two.stderr
    assert _content(db, tmp_path) == single
    # the same lines as a single-process run, the bad files' reasons included
    one = _faultline(["ingest", *inputs, "--db", str(tmp_path / "one.duckdb")])
    assert _summary(two.stderr) == _summary(one.stderr)
    assert "Traceback" not in two.stderr
    assert any("binary" in line for line in _summary(two.stderr))
    # the shards: a Parquet dataset beside the database, one file per partition and table
    dataset = tmp_path / "two.duckdb.dataset"
    parts = [json.loads(line)["part"] for line in
             (dataset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(parts) == len(set(parts)) == 8  # 47 documents, 6 a partition
    assert sorted(p.stem for p in (dataset / "events").glob("*.parquet")) == sorted(parts)


def test_ingest_on_workers_twice_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "again.duckdb"
    records = str(_records(tmp_path))
    for _ in range(2):
        done = _faultline(["ingest", records, "--db", str(db), "--workers", "1"])
        assert done.returncode == 0, done.stderr
    assert "2 documents read (0 new, 2 already stored)" in done.stderr
    with open_store(db, read_only=True) as store:
        assert store.counts()["documents"] == 2


def test_a_shard_coded_without_an_earlier_document_is_coded_again(
    tmp_path: Path, settings: Settings
) -> None:
    """A worker that has not seen the document describing Melia cannot place his surname:
    the loader finds its registry answered otherwise and codes the document again."""
    records = _records(tmp_path)
    both = [str(records)]
    lines = records.read_text(encoding="utf-8").splitlines()
    dataset = tmp_path / "shared.dataset"
    # the second record coded alone (the first line blank, so that it is the same
    # record, line 2 of the same file): Melia unknown
    records.write_text("\n" + lines[1] + "\n", encoding="utf-8")
    alone = tmp_path / "alone.duckdb"
    ingest = ["ingest", *both, "--workers", "1", "--dataset", str(dataset), "--db"]
    assert _faultline([*ingest, str(alone)], batch=1).returncode == 0
    with open_store(alone, read_only=True) as store:
        # no one known to accuse: set aside
        assert store.query("SELECT source_code FROM events WHERE event = 'ACCUSE'") == []
    # after the describing brief, in partitions of one: the shard of the second is reused
    # from the dataset's manifest and its event corrected
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "both.duckdb"
    assert _faultline([*ingest, str(db)], batch=1).returncode == 0
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT source_code, source_sector FROM events "
                           "WHERE event = 'ACCUSE'") == [("GEO", "OPP")]
    finished = (dataset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(finished) == 2  # the second partition was not coded on a worker again
    # the dataset holds what the database does: the partition's files were written again
    events = duckdb.sql(f"SELECT source_code FROM read_parquet('{dataset}/events/*.parquet') "
                        "WHERE event = 'ACCUSE'").fetchall()
    assert events == [("GEO",)]
    reference = tmp_path / "reference.duckdb"
    from faultline.pipeline import ingest as single_process

    single_process(both, settings.with_(db=reference, write_batch=1))
    assert _content(db, tmp_path) == _content(reference, tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def _wait_for(path: Path, what: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until path exists (a process writes it), failing if the process ends first."""
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"{what} ended before writing {path}")
        time.sleep(0.2)


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """Start `dask scheduler` and one `dask worker` on localhost; yield the address."""
    dask = str(Path(sys.executable).with_name("dask"))
    info = tmp_path / "scheduler.json"
    logs = (tmp_path / "scheduler.log").open("wb"), (tmp_path / "worker.log").open("wb")
    scheduler = subprocess.Popen(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", str(_free_port()),
         "--no-dashboard", "--scheduler-file", str(info)],
        env=_env(), stdout=logs[0], stderr=subprocess.STDOUT)
    worker: subprocess.Popen[bytes] | None = None
    try:
        _wait_for(info, "dask scheduler", scheduler)
        address = json.loads(info.read_text(encoding="utf-8"))["address"]
        worker = subprocess.Popen(
            [dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
            env=_env(), stdout=logs[1], stderr=subprocess.STDOUT, cwd=tmp_path)
        yield address
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
        for log in logs:
            log.close()


def test_ingest_through_a_running_scheduler_stores_what_one_process_does(
    inputs: list[str], single: dict[str, object], dask_cluster: str, tmp_path: Path
) -> None:
    db = tmp_path / "remote.duckdb"
    done = _faultline(["ingest", *inputs, "--db", str(db), "--scheduler", dask_cluster])
    assert done.returncode == 0, done.stderr
    assert _content(db, tmp_path) == single


def test_a_scheduler_nobody_runs_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "none.duckdb"
    address = f"tcp://127.0.0.1:{_free_port()}"
    done = _faultline(["ingest", str(SAMPLE), "--db", str(db), "--scheduler", address])
    assert done.returncode == 2
    err = done.stderr
    assert err.startswith(f"faultline: error: cannot reach the Dask scheduler at {address}")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not db.exists()


def test_workers_and_scheduler_together_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ingest", str(SAMPLE), "--db", str(tmp_path / "x.duckdb"), "--workers", "2",
                "--scheduler", "tcp://127.0.0.1:8786"], monkeypatch) == 2
    assert "not both" in capsys.readouterr().err


def test_a_killed_run_resumes_from_the_manifest(
    inputs: list[str], single: dict[str, object], tmp_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    manifest = tmp_path / "killed.duckdb.dataset" / "manifest.jsonl"
    command = [sys.executable, "-m", "faultline", "ingest", *inputs, "--db", str(db),
               "--workers", "1"]
    # its own process group: the kill takes the cluster's processes with it
    run = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not (manifest.exists() and len(manifest.read_bytes().splitlines()) >= 2):
            if run.poll() is not None:
                pytest.fail("the run ended before two partitions were finished")
            time.sleep(0.1)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    done = _faultline(["ingest", *inputs, "--db", str(db), "--workers", "1"])
    assert done.returncode == 0, done.stderr
    assert _content(db, tmp_path) == single
    # the partitions finished before the kill were not coded again
    parts = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            parts.append(json.loads(line)["part"])
        except ValueError:
            continue  # a line the kill cut short
    assert len(parts) == len(set(parts)) == 8
