"""Generator: a synthetic news corpus of any size from the bundled sample corpus.

    python bench/synthetic_corpus.py N OUT.jsonl [--seed 1]

Writes N JSON-lines records {"id", "text", "date", "title"}, streaming (memory
does not grow with N): each record is one sample brief with its countries,
their capitals and demonyms swapped for others of the same list (the same swap
throughout the record, so its actors stay consistent), its date moved by up to
three years, and a line naming the copy, so that every text is new. The
events coded from it differ from the sample's, as real news of other
countries would.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from faultline.models import Document
from faultline.pipeline import read, sample_corpus
from faultline.settings import load_settings

#: Countries the copies trade places: (country, demonym, capital).
COUNTRIES = [
    ("Armenia", "Armenian", "Yerevan"), ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Georgia", "Georgian", "Tbilisi"), ("Russia", "Russian", "Moscow"),
    ("Turkey", "Turkish", "Ankara"), ("Iran", "Iranian", "Tehran"),
    ("Ukraine", "Ukrainian", "Kyiv"), ("Kazakhstan", "Kazakh", "Astana"),
    ("France", "French", "Paris"), ("Poland", "Polish", "Warsaw"),
    ("Serbia", "Serbian", "Belgrade"), ("Egypt", "Egyptian", "Cairo"),
]
_WORD = re.compile(r"\b(" + "|".join(sorted(
    (w for row in COUNTRIES for w in row), key=len, reverse=True)) + r")\b")
_INDEX = {w: (i, k) for i, row in enumerate(COUNTRIES) for k, w in enumerate(row)}


def _swapped(text: str, order: list[int]) -> str:
    """Return text with every listed country (and demonym, capital) replaced by the
    country at its place in order."""
    def swap(match: re.Match[str]) -> str:
        i, k = _INDEX[match.group(0)]
        return COUNTRIES[order[i]][k]

    return _WORD.sub(swap, text)


def records(n: int, seed: int = 1) -> Iterator[dict[str, str]]:
    """Yield n synthetic records made from the sample corpus."""
    settings = load_settings(environ={})
    base = [d for d in read([str(sample_corpus())], settings) if isinstance(d, Document)]
    rng = random.Random(seed)
    for k in range(n):
        doc = base[k % len(base)]
        order = list(range(len(COUNTRIES)))
        rng.shuffle(order)
        published = doc.date if doc.date and len(doc.date) == 10 else "2021-01-01"
        day = date.fromisoformat(published) + timedelta(
            days=rng.randint(-1100, 1100))
        text = _swapped(doc.text, order) + f"\n\nFiled as item {k}."
        yield {"id": f"synthetic-{k}", "text": text, "date": day.isoformat(),
               "title": _swapped(doc.title or "", order)}


def write_corpus(n: int, path: Path, seed: int = 1) -> Path:
    """Write n synthetic records to path as JSON lines; return path."""
    with path.open("w", encoding="utf-8") as f:
        for record in records(n, seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="records to write")
    parser.add_argument("out", type=Path, help="the JSON-lines file to write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
