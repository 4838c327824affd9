"""Benchmark: ingest vs recode of the same documents, and what the stored parses cost.

    python bench/bench_recode.py [--repeat 3] [--copies 4] [PATH ...]

Runs on the bundled sample corpus and bench/articles, or on the .txt files
and folders of them given, repeated --copies times with a marker so every
copy is a new document. Each repetition, in one
process on the same machine:
  ingest   read + parse + code + store into a fresh DuckDB file (parses kept)
  recode   `faultline recode` of that database after a change to the lexicon
           (a user file by which "accuse" codes no event, as a user's tweak
           changes some events and leaves the rest): read the documents and
           their parses, code them again, put the new records in place of the old
and the ratio ingest / recode. The fastest of each is kept, in wall time and
in CPU time of this process (time.process_time); on a shared machine the
seconds are noisy: compare the ratios.

Then the size of the stored parses against the size of the texts: their bytes
as stored (the `parse` column against the texts in UTF-8), and on disk: the
blocks each takes when copied into a new DuckDB file (which compresses text
columns its own way) of DuckDB's smallest blocks.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from faultline.pipeline import ingest, sample_corpus
from faultline.service.recode import recode
from faultline.settings import Settings, load_settings

ARTICLES = Path(__file__).resolve().parent / "articles"
#: The lexicon change recode codes with: some events go, the others stay.
CHANGE = "entries:\n- verb: accuse\n  event: none\n"


def _corpus(folder: Path, copies: int, paths: list[str]) -> int:
    """Write the .txt files under paths, copies times over (each copy marked, so that it
    is a new document), into folder; return how many."""
    files = sorted(f for p in map(Path, paths)
                   for f in ([p] if p.is_file() else p.rglob("*.txt")))
    folder.mkdir()
    n = 0
    for k in range(copies):
        for f in files:
            text = f.read_text(encoding="utf-8").rstrip("\n")
            (folder / f"{n:05}.txt").write_text(f"{text}\n\n(copy {k})\n", encoding="utf-8")
            n += 1
    return n


def _timed(run: object) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def _sizes(db: Path, tmp: Path) -> dict[str, int]:
    """Return the bytes of the texts and of the parses, as stored and on disk."""
    import duckdb

    out: dict[str, int] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        ((out["text"], out["parse"]),) = con.execute(
            "SELECT (SELECT sum(octet_length(encode(text))) FROM documents), "
            "(SELECT sum(octet_length(parse)) FROM parses)").fetchall()
    # on disk: the texts, then the parses, copied into a new file of small blocks
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{tmp / 'sizes.duckdb'}' AS x (BLOCK_SIZE {_BLOCK})")
        con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
        used = [_used(con)]
        for sql in ("CREATE TABLE x.texts AS SELECT text FROM src.documents",
                    "CREATE TABLE x.parses AS SELECT parse FROM src.parses"):
            con.execute(sql)
            used.append(_used(con))
    out["text_disk"], out["parse_disk"] = used[1] - used[0], used[2] - used[1]
    return out


#: The block size of the file the sizes on disk are measured in (DuckDB's smallest).
_BLOCK = 16384


def _used(con: Any) -> int:
    """Return the bytes of the blocks the database x uses, once checkpointed."""
    con.execute("CHECKPOINT x")
    ((blocks,),) = con.execute(
        "SELECT used_blocks FROM pragma_database_size() WHERE database_name = 'x'").fetchall()
    return int(blocks) * _BLOCK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("paths", nargs="*", help="files or folders to run on "
                        "(default: the bundled sample corpus and bench/articles)")
    args = parser.parse_args()
    paths = args.paths or [str(sample_corpus()), str(ARTICLES)]
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        n = _corpus(tmp / "corpus", args.copies, paths)
        base: Settings = load_settings(environ={})
        # load spaCy, the lexicon and the tables before anything is timed
        ingest([str(tmp / "corpus" / "00000.txt")], base.with_(db=tmp / "warm.duckdb"))
        change = tmp / "change.yaml"
        change.write_text(CHANGE, encoding="utf-8")
        ingests, recodes = [], []
        changed = None
        for k in range(args.repeat):
            settings = base.with_(db=tmp / f"bench{k}.duckdb")
            report = None

            def run_ingest(settings: Settings = settings) -> None:
                nonlocal report
                report = ingest([str(tmp / "corpus")], settings)

            changing = settings.with_(lexicons=(change,))

            def run_recode(settings: Settings = changing) -> None:
                nonlocal changed
                changed = recode(settings)

            ingests.append(_timed(run_ingest))
            recodes.append(_timed(run_recode))
        assert report is not None and changed is not None
        sizes = _sizes(tmp / "bench0.duckdb", tmp)
    ingest_wall, ingest_cpu = min(w for w, _ in ingests), min(c for _, c in ingests)
    recode_wall, recode_cpu = min(w for w, _ in recodes), min(c for _, c in recodes)
    print(f"documents {n}, events {report.new_events}, fastest of {args.repeat}")
    print(f"ingest {ingest_wall:7.2f} s wall {ingest_cpu:7.2f} s cpu  "
          f"{n / ingest_wall:6.1f} docs/s (read + parse + code + store, parses kept)")
    print(f"recode {recode_wall:7.2f} s wall {recode_cpu:7.2f} s cpu  "
          f"{n / recode_wall:6.1f} docs/s (stored parses, code, replace: "
          f"{changed.events} events in place of {changed.old_events})")
    print(f"ingest / recode = {ingest_wall / recode_wall:.1f}x wall, "
          f"{ingest_cpu / recode_cpu:.1f}x cpu")
    print(f"stored parses {sizes['parse']:,} bytes for {sizes['text']:,} bytes of text: "
          f"{sizes['parse'] / sizes['text']:.2f}x")
    print(f"on disk (DuckDB file, {_BLOCK // 1024} KB blocks): parses {sizes['parse_disk']:,} "
          f"bytes, texts {sizes['text_disk']:,} bytes "
          f"({sizes['parse_disk'] / max(sizes['text_disk'], 1):.2f}x)")


if __name__ == "__main__":
    main()
