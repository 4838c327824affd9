"""Measure the coder on a gold file: per-type precision/recall/F1 and summary metrics.

The gold layout is one JSON object a line with `id`, `text`, `gold_event`
(or `event`), and `source`/`target` lists of `{text, code, sector}`. Each
record is coded as one document; the prediction for a record is its top event
(highest confidence, first on ties). The metrics follow the definitions of the
project's dev-set scorer so the numbers can be compared.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faultline.errors import InputError
from faultline.models import Document, Event
from faultline.settings import Settings

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
QUAD = {t: q for q, types in {
    1: ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    2: ("COOPERATE", "AID", "RETREAT"),
    3: ("REQUEST", "ACCUSE", "REJECT", "THREATEN"),
    4: ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
}.items() for t in types}
#: Older names of PLOVER types found in gold files.
ALIASES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
           "FIGHT": "ASSAULT"}
NONE = "NONE"


@dataclass(frozen=True)
class GoldRecord:
    """One gold-coded sentence."""

    id: str
    text: str
    event: str
    source: frozenset[str]
    target: frozenset[str]


@dataclass
class Evaluation:
    """The scores of a coder on a gold file."""

    n: int = 0
    metrics: dict[str, float] = field(default_factory=dict)
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    missed: Counter[str] = field(default_factory=Counter)
    #: (record id, gold type, predicted top type) for every record.
    pairs: list[tuple[str, str, str]] = field(default_factory=list)

    def summary_line(self) -> str:
        """Return the one-line summary in the dev-set scorer's format."""
        m = self.metrics
        return (
            f"event_acc={m['event_acc']:.3f} triple_acc={m['triple_acc']:.3f} "
            f"coverage={m['coverage']:.3f} macro_f1={m['macro_f1']:.3f} "
            f"source_acc={m['source_acc']:.3f} target_acc={m['target_acc']:.3f} n={self.n}"
        )


def _codes(actors: Any) -> frozenset[str]:
    out = set()
    for actor in actors or []:
        raw = actor.get("code") if isinstance(actor, dict) else actor
        if raw:
            out.add(str(raw).strip().upper()[:3])
    return frozenset(out)


def _event_name(raw: Any) -> str:
    name = str(raw or "").strip().upper()
    return ALIASES.get(name, name) or NONE


def gold_lines(path: Path, needs: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, record) of a gold JSON-lines file; raise InputError when it is
    unreadable, a line is not JSON or a record lacks the key `needs`."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file {path}: {exc}") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}:{lineno}: not JSON: {exc}") from None
        if not isinstance(raw, dict) or needs not in raw:
            raise InputError(f"{path}:{lineno}: a record needs at least {needs!r}")
        yield lineno, raw


def read_gold(path: Path) -> list[GoldRecord]:
    """Return the records of a gold JSON-lines file; raise InputError when unreadable."""
    records = [
        GoldRecord(
            id=str(raw.get("id", lineno)),
            text=str(raw["text"]),
            event=_event_name(raw.get("gold_event", raw.get("event"))),
            source=_codes(raw.get("source", raw.get("actor"))),
            target=_codes(raw.get("target", raw.get("recipient"))),
        )
        for lineno, raw in gold_lines(path, "text")
    ]
    if not records:
        raise InputError(f"no gold records in {path}")
    return records


def top_event(events: Sequence[Event]) -> Event | None:
    """Return the event with the highest confidence (the first on ties)."""
    best: Event | None = None
    for event in events:
        if best is None or event.confidence > best.confidence:
            best = event
    return best


def score(gold: Sequence[GoldRecord], predictions: dict[str, list[Event]]) -> Evaluation:
    """Return the evaluation of predictions (events by gold record id) against gold."""
    ev = Evaluation(n=len(gold))
    c: Counter[str] = Counter()
    for record in gold:
        events = predictions.get(record.id, [])
        top = top_event(events)
        predicted = top.event if top else NONE
        ev.pairs.append((record.id, record.event, predicted))
        type_ok = predicted == record.event
        c["type_ok"] += type_ok
        c["any_ok"] += any(e.event == record.event for e in events)
        c["covered"] += bool(events)
        c["covered_ok"] += bool(events) and type_ok
        c["quad_ok"] += QUAD.get(record.event, -1) == QUAD.get(predicted, -2)
        src_ok = tgt_ok = True
        if record.source:
            c["n_src"] += 1
            src_ok = top is not None and bool({a.code for a in top.source} & record.source)
            c["src_ok"] += src_ok
        if record.target:
            c["n_tgt"] += 1
            tgt_ok = top is not None and bool({a.code for a in top.target} & record.target)
            c["tgt_ok"] += tgt_ok
        c["triple_ok"] += type_ok and src_ok and tgt_ok
    support = Counter(g for _, g, _ in ev.pairs)
    predicted_n = Counter(p for _, _, p in ev.pairs)
    hits = Counter(g for _, g, p in ev.pairs if g == p)
    f1s = []
    for t in PLOVER_TYPES:
        prec = hits[t] / predicted_n[t] if predicted_n[t] else 0.0
        rec = hits[t] / support[t] if support[t] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        ev.per_type[t] = {"precision": prec, "recall": rec, "f1": f1,
                          "gold": support[t], "predicted": predicted_n[t]}
        if support[t] or predicted_n[t]:
            f1s.append(f1)

    def ratio(a: str, b: str | int) -> float:
        denominator = c[b] if isinstance(b, str) else b
        return c[a] / denominator if denominator else 0.0

    ev.metrics = {
        "event_acc": ratio("type_ok", ev.n),
        "event_any": ratio("any_ok", ev.n),
        "coverage": ratio("covered", ev.n),
        "precision_of_types": ratio("covered_ok", "covered"),
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
        "source_acc": ratio("src_ok", "n_src"),
        "target_acc": ratio("tgt_ok", "n_tgt"),
        "triple_acc": ratio("triple_ok", ev.n),
        "quad_acc": ratio("quad_ok", ev.n),
    }
    confusions = Counter((g, p) for _, g, p in ev.pairs if g != p and p != NONE)
    ev.confusions = [(g, p, n) for (g, p), n in
                     sorted(confusions.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    ev.missed = Counter(g for _, g, p in ev.pairs if p == NONE and g != NONE)
    return ev


def evaluate(path: Path, settings: Settings) -> Evaluation:
    """Code every record of a gold file and return the scores."""
    from faultline.pipeline import Coder

    gold = read_gold(path)
    coder = Coder(settings)
    documents = [Document.from_text(r.text, doc_id=r.id) for r in gold]
    predictions: dict[str, list[Event]] = {}
    for coded in coder.code(_unique(documents)):
        predictions[coded.document.doc_id] = coded.events
    return score(gold, predictions)


def _unique(documents: Iterable[Document]) -> list[Document]:
    """Return documents with distinct ids (a gold file may repeat a sentence)."""
    seen: set[str] = set()
    out = []
    for document in documents:
        if document.doc_id not in seen:
            seen.add(document.doc_id)
            out.append(document)
    return out
