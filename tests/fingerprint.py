"""Print everything faultline makes of the sample corpus and the golden sentences, as JSON.

    python tests/fingerprint.py

tests/test_native.py runs it once on the compiled modules and once with
FAULTLINE_PURE_PYTHON=1, and expects the same output: the compiled code must do
exactly what its Python source says.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from faultline import native
from faultline.models import Document
from faultline.pipeline import Coder, read, sample_corpus
from faultline.settings import load_settings

GOLDEN = Path(__file__).resolve().parent / "golden" / "plover_types.csv"


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def main() -> None:
    settings = load_settings(environ={})
    documents = [d for d in read([str(sample_corpus())], settings) if isinstance(d, Document)]
    with GOLDEN.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        documents += [Document.from_text(row["sentence"], date="2025-06-01", origin="golden")
                      for row in rows]
    out: dict[str, Any] = {"compiled": native.running_compiled(), "documents": []}
    for coded in Coder(settings).code(documents):
        out["documents"].append({
            "events": [e.as_record() for e in coded.events],
            "set_aside": _plain(coded.set_aside),
            "people": _plain(coded.people),
            "dependencies": [d.as_record() for d in coded.dependencies],
        })
    json.dump(out, sys.stdout, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
