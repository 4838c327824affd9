"""Scoring real-news gold annotated sentence by sentence (eval/news layout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faultline.errors import InputError
from faultline.evaluate_sentences import (
    Prediction,
    evaluate_sentences,
    input_for,
    is_sentence_gold,
    read_sentence_gold,
    score_sentences,
)
from faultline.settings import Settings

# An article of our own, in the layout of eval/news.
ARTICLE = {
    "id": "a1", "url": "https://example.org/a1", "title": "Baku expels envoys",
    "date": "2025-03-07", "license": "ours",
    "text": ("Azerbaijan expelled two Russian diplomats on Thursday.\n\n"
             "The weather in Baku was mild.\n\n"
             "Moscow condemned the expulsions."),
}
GOLD = {
    "id": "a1",
    "sentences": [
        {"text": "Azerbaijan expelled two Russian diplomats on Thursday.",
         "events": [{"types": ["SANCTION"], "source": ["AZE"], "target": ["RUS"], "key": True,
                     "date": "2025-03-06", "why": "expulsion"}]},
        {"text": "The weather in Baku was mild.", "events": []},
        {"text": "Moscow condemned the expulsions.",
         "events": [{"types": ["ACCUSE"], "source": ["RUS"], "target": ["AZE"], "key": False,
                     "date": None, "why": "condemnation"}]},
    ],
    "dyads": [{"a": "AZE", "b": "RUS", "sign": -1, "confidence": "high", "why": "hostile"}],
}


def _prediction(event: str, source: list[str], target: list[str], text: str,
                date: str = "") -> Prediction:
    return Prediction.from_record({
        "event": event, "source": [{"code": c} for c in source],
        "target": [{"code": c} for c in target], "text": text, "date": date})


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    (tmp_path / "mini.input.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    gold = tmp_path / "mini.gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    return gold


def test_score_counts_found_missed_and_extra_events(layout: Path) -> None:
    gold = read_sentence_gold(layout)
    first, _, third = (s.text for s in gold[0].sentences)
    predictions = {"a1": [
        _prediction("SANCTION", ["AZE"], ["RUS"], first, "2025-03-06"),
        _prediction("ASSAULT", ["AZE"], [], "The weather in Baku was mild."),
    ]}
    result = score_sentences(gold, predictions)
    m = result.metrics
    assert (m["recall"], m["precision"], m["key_recall"]) == (0.5, 0.5, 1.0)
    assert m["date_acc"] == 1.0  # the found expulsion's date is right; the condemnation has none
    assert m["key_date_acc"] == 1.0
    assert m["dyad_sign_acc"] == 1.0  # one hostile event between the pair
    assert [e["sentence"] for e in result.errors] == ["The weather in Baku was mild.", third]


def test_score_accepts_reversed_actors_and_organisation_codes(layout: Path) -> None:
    gold = read_sentence_gold(layout)
    third = gold[0].sentences[2].text
    reversed_ = score_sentences(gold, {"a1": [_prediction("ACCUSE", ["AZE"], ["RUS"], third)]})
    assert reversed_.counts["found"] == 1
    wrong_type = score_sentences(gold, {"a1": [_prediction("AGREE", ["RUS"], ["AZE"], third)]})
    assert wrong_type.counts["found"] == 0 and wrong_type.metrics["type_prec"] == 0.0


def test_doubtful_gold_is_neither_required_nor_held_against(layout: Path) -> None:
    data = json.loads(layout.read_text(encoding="utf-8"))
    data["sentences"][2]["events"][0]["doubtful"] = True
    layout.write_text(json.dumps(data) + "\n", encoding="utf-8")
    gold = read_sentence_gold(layout)
    third = gold[0].sentences[2].text
    result = score_sentences(gold, {"a1": [_prediction("ACCUSE", ["RUS"], ["AZE"], third)]})
    assert result.counts["gold"] == 1 and result.counts["found"] == 0
    assert result.metrics["precision"] == 0.0  # the only prediction is left out of both counts
    assert result.counts["predicted"] - result.counts["doubtful_only"] == 0


def test_layout_is_told_by_its_records_and_the_input_by_its_name(layout: Path) -> None:
    assert is_sentence_gold(layout)
    assert input_for(layout).name == "mini.input.jsonl"
    with pytest.raises(InputError, match="--input"):
        input_for(layout.with_name("gold.jsonl"))


def test_malformed_gold_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gold.jsonl"
    bad.write_text(json.dumps({"id": "x", "sentences": [{"events": []}]}) + "\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match="bad.gold.jsonl:1: not a sentence-level gold record"):
        read_sentence_gold(bad)


def test_evaluate_codes_the_input_with_the_real_coder(layout: Path, settings: Settings) -> None:
    result = evaluate_sentences(layout, None, settings)
    assert result.articles == 1
    assert result.counts["gold"] == 2
    # the expulsion is a plain sentence the coder must get right, with its date
    assert result.counts["found"] >= 1 and result.counts["key_found"] == 1
    assert result.metrics["key_date_acc"] == 1.0


def test_cli_evaluate_scores_the_layout_and_writes_errors(
    layout: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from test_cli import run

    errors = tmp_path / "errors.jsonl"
    assert run(["evaluate", str(layout), "--errors", str(errors), "--json"], monkeypatch) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["docs"] == 1 and printed["counts"]["gold"] == 2
    written = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert len(written) == len({e["sentence"] for e in written})
    assert all(e["article"] == "a1" and (e["missed"] or e["extra"]) for e in written)
