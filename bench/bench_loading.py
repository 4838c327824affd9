"""Benchmark: how long each piece of knowledge takes to load, in a fresh process each.

    python bench/bench_loading.py

Start-up cost matters for `faultline code` on a single article; the targets
(about 0.2 s for each dictionary) are checked here, not in the tests.
"""

from __future__ import annotations

import subprocess
import sys

PIECES = {
    "gazetteer": "from faultline.resolve.gazetteer import load_gazetteer as f",
    "places": "from faultline.resolve.places import load_places as f",
    "people": "from faultline.resolve.people import load_people as f",
    "lexicon": "from faultline.coder.lexicon import load_lexicon as f",
    "spaCy pipeline": (
        "from faultline.nlp import load_pipeline\n"
        "def f():\n    load_pipeline('en_core_web_sm')"
    ),
}


def main() -> None:
    for name, setup in PIECES.items():
        code = f"import time\n{setup}\nt = time.perf_counter()\nf()\nprint(time.perf_counter() - t)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        print(f"{name:16s} {float(out.stdout):6.3f} s")


if __name__ == "__main__":
    main()
