"""Measure the coder on real news annotated sentence by sentence.

The layout (eval/news/README.md): an input file of articles, one JSON object a
line (`id`, `url`, `title`, `date`, `license`, `text`), and a gold file with,
for every article, every sentence of its body and the events it reports:

    {"id", "sentences": [{"text", "events": [{"types", "source", "target",
     "key", "date", "doubtful"?}]}], "dyads": [{"a", "b", "sign", "confidence"}]}

Every sentence is annotated, so both recall and precision are measured. A
coded event belongs to the gold sentence its sentence shares most words with;
within a sentence each gold event takes at most one coded event, whose type
must be one of the gold types and whose actors must meet the gold actors (the
two sides may be swapped: a reversed dyad still counts as found). Doubtful gold
events are neither required nor held against the coder. Dates: `date_acc` over
every dated gold event (a missed one counts as wrong), `found_date_acc` over
those found, `key_date_acc` over the key events found. Organisation codes
(IGO, UNO, EUR, NATO...) compare as IGO. These definitions are those of the
project's reference scorer, so its numbers and ours agree.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faultline.errors import InputError
from faultline.evaluate import gold_lines
from faultline.settings import Settings

COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
#: Codes that stand for an international organisation; they compare as one.
ORGANISATION_CODES = frozenset({"IGO", "UNO", "EUR", "NAT", "NATO", "AFR", "ASN", "OSC", "CSTO"})
_WORD = re.compile(r"\w+")


def _code(raw: Any) -> str:
    if isinstance(raw, dict):
        raw = raw.get("code") or raw.get("country") or ""
    code = str(raw or "").upper()
    if len(code) > 3 and code[:3].isalpha():
        code = code[:3]
    return "IGO" if code in ORGANISATION_CODES else code


def codes(side: Any) -> frozenset[str]:
    """Return the comparable codes of one side of an event (a list, a dict or a code)."""
    if not side:
        return frozenset()
    if isinstance(side, dict | str):
        side = [side]
    return frozenset(c for c in (_code(a) for a in side) if c)


def _words(text: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((text or "").lower()))


@dataclass(frozen=True)
class GoldEvent:
    """One event a gold sentence reports."""

    types: tuple[str, ...]
    source: frozenset[str]
    target: frozenset[str]
    key: bool
    date: str | None
    doubtful: bool


@dataclass(frozen=True)
class GoldSentence:
    text: str
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True)
class GoldDyad:
    pair: frozenset[str]
    sign: int
    confidence: str


@dataclass(frozen=True)
class GoldArticle:
    id: str
    sentences: tuple[GoldSentence, ...]
    dyads: tuple[GoldDyad, ...]


@dataclass(frozen=True)
class Prediction:
    """What the scorer needs of one coded event."""

    event: str
    source: frozenset[str]
    target: frozenset[str]
    text: str
    date: str

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Prediction:
        return cls(event=str(record.get("event") or ""), source=codes(record.get("source")),
                   target=codes(record.get("target")), text=str(record.get("text") or ""),
                   date=str(record.get("date") or ""))


@dataclass
class SentenceEvaluation:
    """The scores of a coder on sentence-annotated articles."""

    articles: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    #: gold, found and predicted events by type (gold: the first gold type).
    per_type: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    #: Per sentence: what gold wanted and was not found, and what was coded but not wanted.
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, float | None]:
        c = self.counts

        def ratio(a: str, b: str) -> float | None:
            return c[a] / c[b] if c[b] else None

        judged = c["predicted"] - c["doubtful_only"]
        precision = c["found"] / judged if judged else 0.0
        recall = c["found"] / c["gold"] if c["gold"] else 0.0
        return {
            "recall": recall,
            "key_recall": ratio("key_found", "key"),
            "precision": precision,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "type_prec": ratio("type_ok", "predicted"),
            "date_acc": ratio("dated_ok", "dated"),
            "found_date_acc": ratio("dated_ok", "dated_found"),
            "key_date_acc": ratio("key_dated_ok", "key_dated_found"),
            "dyad_sign_acc": ratio("dyads_ok", "dyads"),
        }

    def summary_line(self) -> str:
        """Return the one-line summary in the reference scorer's order."""
        parts = []
        for name, value in self.metrics.items():
            parts.append(f"{name}={'n/a' if value is None else f'{value:.3f}'}")
        c = self.counts
        parts += [f"gold_events={c['gold']}", f"key_events={c['key']}",
                  f"predicted={c['predicted']}", f"docs={self.articles}"]
        return " ".join(parts)


def _matches(p: Prediction, e: GoldEvent) -> bool:
    if p.event not in e.types:
        return False
    swapped = bool(p.target & e.source) and bool(p.source & e.target)
    if e.source and not (p.source & e.source) and not (e.target and swapped):
        return False
    return not (e.target and not (p.target & e.target) and not swapped)


def _score_sentence(ev: SentenceEvaluation, article: str, sentence: GoldSentence,
                    predicted: list[Prediction]) -> None:
    c = ev.counts
    used: set[int] = set()
    missed = []
    # firm events choose first, so a doubtful one never takes a prediction a firm one needs
    for e in sorted(sentence.events, key=lambda e: e.doubtful):
        candidates = [j for j, p in enumerate(predicted) if j not in used and _matches(p, e)]
        if not e.doubtful:
            c["gold"] += 1
            c["key"] += e.key
            ev.per_type[e.types[0]]["gold"] += 1
        if not candidates:
            if not e.doubtful:
                c["dated"] += bool(e.date)
                missed.append(e)
            continue
        date = e.date
        chosen = next((j for j in candidates if date and predicted[j].date.startswith(date)),
                      candidates[0])
        used.add(chosen)
        if e.doubtful:
            c["doubtful_only"] += 1
            continue
        c["found"] += 1
        c["key_found"] += e.key
        ev.per_type[e.types[0]]["found"] += 1
        if date:
            right = predicted[chosen].date.startswith(date)
            c["dated"] += 1
            c["dated_found"] += 1
            c["dated_ok"] += right
            if e.key:
                c["key_dated_found"] += 1
                c["key_dated_ok"] += right
    wanted = {t for e in sentence.events for t in e.types}
    for p in predicted:
        c["predicted"] += 1
        c["type_ok"] += p.event in wanted
        ev.per_type[p.event]["predicted"] += 1
    extra = [p for j, p in enumerate(predicted) if j not in used]
    if missed or extra:
        ev.errors.append({
            "article": article, "sentence": sentence.text,
            "missed": [{"types": list(e.types), "source": sorted(e.source),
                        "target": sorted(e.target), "key": e.key} for e in missed],
            "extra": [{"event": p.event, "source": sorted(p.source),
                       "target": sorted(p.target)} for p in extra],
        })


def _dyad_sign(predicted: Sequence[Prediction], pair: frozenset[str]) -> int:
    total = 0
    for p in predicted:
        if p.source & pair and p.target & pair and (p.source | p.target) >= pair:
            total += 1 if p.event in COOPERATIVE else -1
    return total


def score_sentences(gold: Sequence[GoldArticle],
                    predictions: dict[str, list[Prediction]]) -> SentenceEvaluation:
    """Return the scores of predictions (coded events by article id) against gold."""
    ev = SentenceEvaluation(articles=len(gold))
    for article in gold:
        sentence_words = [_words(s.text) for s in article.sentences]
        by_sentence: dict[int, list[Prediction]] = defaultdict(list)
        for p in predictions.get(article.id, []):
            words = _words(p.text)
            best = max(range(len(sentence_words)), key=lambda i: len(words & sentence_words[i])
                       / (len(words | sentence_words[i]) or 1))
            by_sentence[best].append(p)
        for i, sentence in enumerate(article.sentences):
            _score_sentence(ev, article.id, sentence, by_sentence.get(i, []))
        for dyad in article.dyads:
            if dyad.confidence == "low":
                continue
            sign = _dyad_sign(predictions.get(article.id, []), dyad.pair)
            ev.counts["dyads"] += 1
            ev.counts["dyads_ok"] += sign != 0 and (sign > 0) == (dyad.sign > 0)
    return ev


def _event(raw: dict[str, Any]) -> GoldEvent:
    types = raw.get("types") or []
    return GoldEvent(types=tuple(str(t).upper() for t in types), source=codes(raw.get("source")),
                     target=codes(raw.get("target")), key=bool(raw.get("key")),
                     date=str(raw["date"]) if raw.get("date") else None,
                     doubtful=bool(raw.get("doubtful")))


def read_sentence_gold(path: Path) -> list[GoldArticle]:
    """Return the articles of a sentence-level gold file; raise InputError when malformed."""
    articles = []
    for lineno, raw in gold_lines(path, "id"):
        try:
            sentences = tuple(
                GoldSentence(text=str(s["text"]),
                             events=tuple(_event(e) for e in s.get("events") or []))
                for s in raw["sentences"])
            dyads = tuple(GoldDyad(pair=codes([d["a"]]) | codes([d["b"]]), sign=int(d["sign"]),
                                   confidence=str(d.get("confidence") or ""))
                          for d in raw.get("dyads") or [])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}:{lineno}: not a sentence-level gold record ({exc})") \
                from None
        if any(not e.types for s in sentences for e in s.events):
            raise InputError(f"{path}:{lineno}: an event without types")
        articles.append(GoldArticle(id=str(raw["id"]), sentences=sentences, dyads=dyads))
    if not articles:
        raise InputError(f"no gold articles in {path}")
    return articles


def is_sentence_gold(path: Path) -> bool:
    """Return whether a gold file is in the sentence-level layout (its records have sentences)."""
    for _, raw in gold_lines(path, "id"):
        return "sentences" in raw
    return False


def input_for(gold: Path) -> Path:
    """Return the input file that goes with a gold file: NAME.gold.jsonl -> NAME.input.jsonl."""
    name = gold.name
    if name.endswith(".gold.jsonl"):
        return gold.with_name(name[: -len(".gold.jsonl")] + ".input.jsonl")
    raise InputError(f"cannot tell the input file of {gold}; name it with --input")


def evaluate_sentences(gold_path: Path, input_path: Path | None,
                       settings: Settings) -> SentenceEvaluation:
    """Code the articles of an input file as `faultline code` would and score them."""
    from faultline.pipeline import code_paths

    gold = read_sentence_gold(gold_path)
    source = input_path or input_for(gold_path)
    if not source.exists():
        raise InputError(f"no input file {source} for {gold_path}")
    known = {a.id for a in gold}
    missing = [i for _, raw in gold_lines(source, "id") if (i := str(raw["id"])) not in known]
    if missing:
        raise InputError(f"{source}: {len(missing)} articles have no gold, e.g. {missing[0]}")
    predictions: dict[str, list[Prediction]] = defaultdict(list)
    for event in code_paths([str(source)], settings):
        predictions[str(event.doc_id)].append(Prediction.from_record(event.as_record()))
    return score_sentences(gold, predictions)
