"""Analyses on a Parquet dataset (faultline/store/dataset.py): the folder a Dask ingest
writes, read as the database it stored; what is missing or damaged in one said in a line,
and every write into one refused."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from builders import run

from faultline.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "faultline" / "data" / "sample"
#: Documents per partition (the write_batch setting): the sample corpus gives several.
BATCH = 6
# Two briefs written for these tests: one summons, told by two desks in other words,
# ingested by two runs, so that the dataset's one repeated event spans both.
FIRST = """Azerbaijan summons French ambassador
April 2, 2025
By Test Desk

Azerbaijan's foreign ministry summoned the French ambassador in Baku on Tuesday to protest \
remarks by French lawmakers about Karabakh.
"""
SECOND = """Baku protests to Paris over lawmakers' remarks
April 3, 2025
By Other Desk

The Azerbaijani foreign ministry summoned France's ambassador in Baku on April 1 over \
statements by French lawmakers on Karabakh.
"""


@dataclass(frozen=True)
class Ingested:
    """A database and the dataset its Dask ingests wrote, and the dataset's clusters file
    as the first of the two runs left it."""

    db: Path
    dataset: Path
    first_clusters: Any  # pyarrow.Table


def _ingest(argv: list[str]) -> None:
    """Run `faultline ingest ARGV --workers 2` in a process of its own (Dask's clients and
    event loops stay out of the test process), partitions of BATCH documents."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "FAULTLINE_WRITE_BATCH": str(BATCH)}
    done = subprocess.run([sys.executable, "-m", "faultline", "ingest", *argv,
                           "--workers", "2"], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    """The first brief and the sample corpus ingested on two Dask workers, then the
    second brief by a second run into the same database and dataset."""
    folder = tmp_path_factory.mktemp("dataset")
    (folder / "first.txt").write_text(FIRST, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    db = folder / "news.duckdb"
    dataset = folder / "news.duckdb.dataset"
    _ingest([str(folder / "first.txt"), str(SAMPLE), "--db", str(db)])
    first = pq.read_table(dataset / "clusters" / "clusters.parquet")
    _ingest([str(folder / "second.txt"), "--db", str(db)])
    return Ingested(db, dataset, first)


def _manifest(dataset: Path) -> list[str]:
    lines = (dataset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["part"] for line in lines]


def _covered(table: Any) -> list[str]:
    covered: list[str] = json.loads(table.schema.metadata[b"faultline.partitions"])
    return covered


def _rounded(data: Any) -> Any:
    """Return JSON data with every float to 9 significant digits: DuckDB sums in parallel,
    so the last digits of a sum vary with the order rows come in."""
    if isinstance(data, float):
        return float(f"{data:.9g}")
    if isinstance(data, list):
        return [_rounded(x) for x in data]
    if isinstance(data, dict):
        return {k: _rounded(v) for k, v in data.items()}
    return data


def _cli(argv: list[str], db: Path, monkeypatch: pytest.MonkeyPatch,
         capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `faultline ARGV --db DB` here; return its exit code, output and error output,
    the path of db in them written DB."""
    code = run([*argv, "--db", str(db)], monkeypatch)
    out, err = capsys.readouterr()
    return code, out.replace(str(db), "DB"), err.replace(str(db), "DB")


def test_the_clusters_of_each_run_cover_the_manifest_of_its_end(ingested: Ingested) -> None:
    parts = _manifest(ingested.dataset)
    assert len(parts) == 9  # 45 + 1 documents in 6 a partition, then the second brief's
    assert _covered(ingested.first_clusters) == parts[:8]
    clusters = pq.read_table(ingested.dataset / "clusters" / "clusters.parquet")
    assert _covered(clusters) == parts
    # the sample corpus's own repeated reports, then the summons's two
    assert clusters.num_rows == ingested.first_clusters.num_rows + 2
    with open_store(ingested.db, read_only=True) as store:
        stored = store.query("SELECT event_id, cluster_id FROM event_clusters ORDER BY ALL")
    assert len(stored) == clusters.num_rows
    assert sorted(zip(clusters.column("event_id").to_pylist(),
                      clusters.column("cluster_id").to_pylist(), strict=True)) == stored


@pytest.mark.parametrize("argv", [
    ["relations", "--json"], ["relations"], ["relations", "--actor", "ARM", "--sectors", "--json"],
    ["dyad", "ARM", "AZE", "--by", "year", "--json"], ["dyad", "AZE", "FRA"],
    ["triads", "--json"], ["triads", "--min-evidence", "1"],
    ["chains", "--json"], ["chains", "AZE", "RUS"],
    ["clusters", "--json"], ["clusters"], ["dependencies", "--json"], ["dependencies"],
    ["alerts", "--json"], ["actors", "Aliyev"],
], ids=" ".join)
def test_an_analysis_of_the_dataset_prints_what_it_prints_of_the_database(
    ingested: Ingested, argv: list[str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    code, stored, _ = _cli(argv, ingested.db, monkeypatch, capsys)
    assert code == 0 and stored.strip()
    code, read, err = _cli(argv, ingested.dataset, monkeypatch, capsys)
    assert code == 0
    assert err == ""  # the dataset has its clusters: nothing to say
    if "--json" in argv:
        assert _rounded(json.loads(read)) == _rounded(json.loads(stored))
    else:
        # a table's title names the file, and rich centres and wraps titles
        assert read.split() == stored.split()


def test_the_repeated_report_is_one_event_in_the_dataset(
    ingested: Ingested, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _cli(["clusters", "--json"], ingested.dataset, monkeypatch, capsys)
    repeated = json.loads(out)
    [summons] = [c for c in repeated if c["target"] == "FRA"]
    assert (summons["source"], summons["n_mentions"]) == ("AZE", 2)
    with open_store(ingested.dataset, read_only=True) as store:
        assert store.read_only
        counts = store.cluster_counts()
        assert counts["repeated"] == len(repeated)
        assert counts["clusters"] == counts["events"] - sum(c["n_mentions"] - 1
                                                            for c in repeated)


@pytest.mark.parametrize("format", ["plover", "csv"])
def test_the_export_of_the_dataset_is_that_of_the_database(
    ingested: Ingested, format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    exports = []
    for source in (ingested.db, ingested.dataset):
        path = tmp_path / f"{source.name}.{format}"
        assert _cli(["export", "-f", format, "-o", str(path)], source, monkeypatch,
                    capsys)[0] == 0
        exports.append(path.read_bytes())
    assert exports[0] == exports[1]
    assert exports[0].count(b"\n") > 200


def _copy(ingested: Ingested, tmp_path: Path) -> Path:
    return Path(shutil.copytree(ingested.dataset, tmp_path / "copy.dataset"))


def test_a_dataset_without_clusters_counts_every_event_once_and_says_so(
    ingested: Ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _copy(ingested, tmp_path)
    shutil.rmtree(dataset / "clusters")
    code, out, err = _cli(["clusters", "--json"], dataset, monkeypatch, capsys)
    assert (code, json.loads(out)) == (0, [])
    assert err.count("\n") == 1
    assert err.startswith("faultline: note: DB holds no clusters")
    assert "each event counts as a real-world event of its own" in err
    _, with_clusters, _ = _cli(["dyad", "AZE", "FRA", "--json"], ingested.dataset,
                               monkeypatch, capsys)
    _, without, _ = _cli(["dyad", "AZE", "FRA", "--json"], dataset, monkeypatch, capsys)
    events = [sum(p["events"] for p in json.loads(out)) for out in (with_clusters, without)]
    assert events[1] == events[0] + 1  # the summons, twice


def test_clusters_that_miss_a_partition_are_used_and_said_so(
    ingested: Ingested, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _copy(ingested, tmp_path)
    path = dataset / "clusters" / "clusters.parquet"
    table = pq.read_table(path)
    partial = json.dumps(_covered(table)[:-1]).encode()
    pq.write_table(table.replace_schema_metadata({b"faultline.partitions": partial}), path)
    code, out, err = _cli(["clusters", "--json"], dataset, monkeypatch, capsys)
    # the clusters file is used (the summons's cluster with it), not rebuilt
    assert code == 0 and [c["source"] for c in json.loads(out) if c["target"] == "FRA"] == [
        "AZE"]
    assert err == ("faultline: note: DB: its clusters cover 8 of its 9 partitions (its last "
                   "ingest did not finish): the events of the others count as real-world "
                   "events of their own\n")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("argv", [
    ["ingest", "SAMPLE"], ["ingest", "SAMPLE", "--workers", "1"], ["recode"],
    ["clusters", "--rebuild"], ["watch", "SOURCES", "--once"],
], ids=" ".join)
def test_writing_into_a_dataset_is_refused_in_one_line(
    ingested: Ingested, argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    sources = tmp_path / "sources.txt"
    sources.write_text("http://127.0.0.1:9/feed.xml\n", encoding="utf-8")
    named = {"SOURCES": str(sources), "SAMPLE": str(SAMPLE)}
    argv = [named.get(a, a) for a in argv]
    before = _files(ingested.dataset)
    code, out, err = _cli(argv, ingested.dataset, monkeypatch, capsys)
    assert code == 2
    assert err == ("faultline: error: DB is a Parquet dataset, which faultline reads but never "
                   "writes: give a database file (--db DB.duckdb), and the dataset to `ingest "
                   "--workers N --dataset` if its workers are to write there\n")
    assert _files(ingested.dataset) == before


def _one_line(argv: list[str], db: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> str:
    """Return the one error line `faultline ARGV --db DB` ends with (exit code 2)."""
    code, out, err = _cli(argv, db, monkeypatch, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("faultline: error: DB "), err
    return err


def test_a_folder_that_is_no_dataset_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    assert "is a folder but not a faultline dataset (it has no manifest.jsonl)" in _one_line(
        ["relations"], folder, monkeypatch, capsys)
    assert "is a folder, not a database file" in _one_line(
        ["ingest", str(SAMPLE)], folder, monkeypatch, capsys)
    assert list(folder.iterdir()) == []


def test_an_empty_dataset_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = tmp_path / "empty.dataset"
    dataset.mkdir()
    (dataset / "manifest.jsonl").write_text('{"part": "cut sh', encoding="utf-8")
    assert "is an empty dataset: its manifest.jsonl lists no finished partition" in _one_line(
        ["triads"], dataset, monkeypatch, capsys)


@pytest.mark.parametrize("damage", ["cut short", "not Parquet", "missing"])
def test_a_damaged_file_of_a_dataset_is_one_line(
    ingested: Ingested, damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = _copy(ingested, tmp_path)
    part = _manifest(dataset)[3]
    path = dataset / "events" / f"{part}.parquet"
    if damage == "cut short":
        path.write_bytes(path.read_bytes()[:500])
    elif damage == "not Parquet":
        path.write_text("these are not the events\n" * 40, encoding="utf-8")
    else:
        path.unlink()
    for argv in (["relations"], ["export", "-f", "csv", "-o", str(tmp_path / "out.csv")]):
        err = _one_line(argv, dataset, monkeypatch, capsys)
        if damage == "missing":
            assert re.search(f"DB is incomplete: its manifest lists partition {part}, which "
                             f"has no file events/{part}.parquet", err)
        else:
            assert "DB is damaged: one of its Parquet files cannot be read" in err
            assert f"events/{part}.parquet" in err
    assert not (tmp_path / "out.csv").exists()
