"""Benchmark: `faultline code` on a large corpus against spaCy's parse alone, end to end.

    python bench/bench_e2e.py [--words 50000] [--repeat 5]

Builds a corpus in a temporary folder from the bundled sample corpus: as many
copies of it as it takes to reach --words words, each document marked with its
copy number so that every copy is a new document (one JSON-lines file a copy,
with the sample documents' dates and titles). Then times, as whole processes
including start-up, alternately --repeat times:

  faultline  `faultline code CORPUS -o out.jsonl`: read, parse, code, write
  spacy      a script that loads the same spaCy pipeline, without the component
             faultline leaves out (NER), and parses the same texts in batches of
             the same size

and prints the fastest and the median time of each and their ratio. The
target is at most 1.3: everything faultline does besides parsing, start-up
included, costs at most 30 % of spaCy's own parse. On a shared machine the
seconds are noisy: compare the ratio, which this run measures side by side.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from faultline.models import Document
from faultline.nlp import UNUSED_COMPONENTS
from faultline.pipeline import read, sample_corpus
from faultline.settings import MODEL_PACKAGES, Settings, load_settings

#: The baseline: spaCy alone, reading the corpus's texts and parsing them.
SPACY_ONLY = """
import json, sys
from pathlib import Path
import spacy
package, corpus, batch_size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
nlp = spacy.load(package, exclude=sys.argv[4:])
texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines()]
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
print(len(texts), tokens)
"""


def build_corpus(folder: Path, words: int, settings: Settings) -> tuple[int, int, int]:
    """Write copies of the sample corpus to folder until it holds `words` words.

    Returns the number of copies, of documents and of words written.
    """
    base = [d for d in read([str(sample_corpus())], settings) if isinstance(d, Document)]
    copies = max(1, math.ceil(words / sum(len(d.text.split()) for d in base)))
    documents = written = 0
    for k in range(1, copies + 1):
        lines = []
        for i, d in enumerate(base):
            text = f"{d.text}\n\n(copy {k})"
            lines.append(json.dumps({"id": f"sample-{i:03}-copy-{k:02}", "text": text,
                                     "date": d.date, "title": d.title}))
            written += len(text.split())
        (folder / f"copy-{k:02}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        documents += len(base)
    return copies, documents, written


def faultline_command() -> list[str]:
    """Return the command a user runs: the `faultline` script next to this Python."""
    script = Path(sys.executable).parent / "faultline"
    return [str(script)] if script.exists() else [sys.executable, "-m", "faultline"]


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command to its end; return its wall time and its CPU time, in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} ... failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=50_000, help="corpus size (default 50000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()
    # the settings `faultline code` will use in its own process
    settings = load_settings(environ=os.environ)
    package = MODEL_PACKAGES.get(settings.model, settings.model)
    work = Path(tempfile.mkdtemp(prefix="faultline-e2e-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        copies, documents, words = build_corpus(corpus, args.words, settings)
        # same texts: faultline reads back exactly what the baseline parses
        texts = [json.loads(line)["text"] for path in sorted(corpus.glob("*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines()]
        read_back = [d.text for d in read([str(corpus)], settings) if isinstance(d, Document)]
        if read_back != texts:
            sys.exit("faultline does not read the corpus's texts as they are written")
        commands = {
            "faultline": [*faultline_command(), "code", str(corpus), "-o", str(work / "out.jsonl")],
            "spacy": [sys.executable, "-c", SPACY_ONLY, package, str(corpus),
                      str(settings.batch_size), *UNUSED_COMPONENTS],
        }
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.repeat):
            # alternate which goes first, so that a change in the machine's load
            # hits both alike
            order = list(commands) if run % 2 == 0 else list(reversed(commands))
            for name in order:
                seconds, cpu_seconds = timed(commands[name], work)
                wall[name].append(seconds)
                cpu[name].append(cpu_seconds)
        events = len((work / "out.jsonl").read_text(encoding="utf-8").splitlines())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"corpus: {documents} documents, {words} words (the sample corpus {copies} times), "
          f"model {settings.model}, {events} events coded, {args.repeat} runs each, alternated")
    for kind, times in (("wall", wall), ("cpu", cpu)):
        for name, values in times.items():
            print(f"{name:9} {kind:4}  fastest {min(values):6.2f} s  median "
                  f"{statistics.median(values):6.2f} s  ({', '.join(f'{v:.2f}' for v in values)})")
        fastest = min(times["faultline"]) / min(times["spacy"])
        median = statistics.median(times["faultline"]) / statistics.median(times["spacy"])
        rounds = statistics.median(f / s for f, s in zip(times["faultline"], times["spacy"],
                                                         strict=True))
        print(f"faultline / spacy, {kind}: {fastest:.2f} fastest, {median:.2f} median, "
              f"{rounds:.2f} median of the rounds (target 1.3 or less)")


if __name__ == "__main__":
    main()
