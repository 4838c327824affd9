"""Benchmark: parsing alone vs the whole coder, and ingest throughput, side by side.

    python bench/bench_ingest.py [--repeat 7] [--copies 4] [PATH ...]

Runs on the bundled sample corpus, or on the files and folders given (any
input `faultline ingest` reads), repeated --copies times with a marker so
every copy is a new document. Reports, in one run on the same machine:
  parse      spaCy nlp.pipe alone (components faultline uses)
  after      extract + resolve + code + dependencies on the parsed documents (no database)
  ingest     read + parse + code + store into a fresh DuckDB file
and the ratio after / parse, the cost of everything after parsing.

Parse and after are measured alternately, --repeat times, so that a change in
the machine's load hits both alike; the fastest of each is kept, in CPU time
of this process (time.process_time) and in wall time. On a shared machine
the seconds are noisy: compare ratios, not seconds, and prefer the CPU ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from faultline.models import Document
from faultline.nlp import load_pipeline
from faultline.pipeline import Coder, ingest, read, sample_corpus
from faultline.settings import load_settings


def _documents(copies: int, paths: list[str] | None = None) -> list[Document]:
    settings = load_settings(environ={})
    inputs = paths or [str(sample_corpus())]
    base = [d for d in read(inputs, settings) if isinstance(d, Document)]
    out = []
    for k in range(copies):
        for d in base:
            out.append(Document.from_text(f"{d.text}\n(copy {k})", date=d.date, origin=d.origin))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest timing")
    parser.add_argument("paths", nargs="*", help="files or folders to run on "
                        "(default: the bundled sample corpus)")
    args = parser.parse_args()
    settings = load_settings(environ={})
    docs = _documents(args.copies, args.paths)
    words = sum(len(d.text.split()) for d in docs)
    nlp = load_pipeline(settings.model)
    coder = Coder(settings)
    list(coder.code(docs[:5]))  # warm up caches
    parse_cpu, parse_wall, after_cpu, after_wall = [], [], [], []
    n_events = 0
    for _ in range(args.repeat):
        # alternate the two measurements so that machine load hits both alike
        cpu, wall = time.process_time(), time.perf_counter()
        parsed = list(nlp.pipe((d.text for d in docs), batch_size=settings.batch_size))
        parse_cpu.append(time.process_time() - cpu)
        parse_wall.append(time.perf_counter() - wall)
        cpu, wall = time.process_time(), time.perf_counter()
        n_events = 0
        for doc, document in zip(parsed, docs, strict=True):
            n_events += len(coder.code_parsed(doc, document).events)
        after_cpu.append(time.process_time() - cpu)
        after_wall.append(time.perf_counter() - wall)
    parse, after = min(parse_wall), min(after_wall)
    print(f"documents {len(docs)}, words {words}, events {n_events} "
          f"({100 * n_events / max(words, 1):.1f} per 100 words), model {settings.model}, "
          f"fastest of {args.repeat}")
    print(f"parse  {parse:7.3f} s wall {min(parse_cpu):7.3f} s cpu  {words / parse:8.0f} words/s"
          f"  {len(docs) / parse:6.1f} docs/s")
    print(f"after  {after:7.3f} s wall {min(after_cpu):7.3f} s cpu  "
          "(extract + resolve + code + dependencies on the parsed documents)")
    if not args.no_ingest:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            for i, d in enumerate(docs):
                (corpus / f"{i:04}.txt").write_text(d.text, encoding="utf-8")
            started = time.perf_counter()
            report = ingest([str(corpus)], settings.with_(db=Path(tmp) / "bench.duckdb"))
            ingest_s = time.perf_counter() - started
        print(f"ingest {ingest_s:7.2f} s wall  {report.new_documents / ingest_s:6.1f} docs/s "
              "(read + parse + code + store, fresh database)")
    print(f"after-parse overhead after / parse = {min(after_cpu) / min(parse_cpu):.1%} cpu, "
          f"{after / parse:.1%} wall")


if __name__ == "__main__":
    main()
