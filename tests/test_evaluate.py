"""faultline evaluate: scoring a gold file with the real coder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faultline.evaluate import evaluate, read_gold
from faultline.settings import Settings

GOLD = [
    {"id": "g1", "text": "Azerbaijan expelled three Russian diplomats.", "gold_event": "SANCTION",
     "source": [{"text": "Azerbaijan", "code": "AZE"}], "target": [{"code": "RUS"}]},
    {"id": "g2", "text": "Armenia accused Turkey of arming Baku.", "gold_event": "DISAPPROVE",
     "source": [{"code": "ARM"}], "target": [{"code": "TUR"}]},
    {"id": "g3", "text": "The weather in Tbilisi was mild.", "gold_event": "AID",
     "source": [{"code": "GEO"}], "target": []},
]


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in GOLD) + "\n", encoding="utf-8")
    return path


def test_read_gold_maps_legacy_type_names(gold_file: Path) -> None:
    records = read_gold(gold_file)
    assert [r.event for r in records] == ["SANCTION", "ACCUSE", "AID"]
    assert records[0].target == frozenset({"RUS"})


def test_evaluate_scores_hits_and_misses(gold_file: Path, settings: Settings) -> None:
    result = evaluate(gold_file, settings)
    assert result.n == 3
    assert result.metrics["event_acc"] == pytest.approx(2 / 3)
    assert result.metrics["coverage"] == pytest.approx(2 / 3)
    assert result.metrics["source_acc"] == pytest.approx(2 / 3)
    assert result.metrics["target_acc"] == pytest.approx(1.0)
    assert result.missed == {"AID": 1}
    assert result.per_type["SANCTION"]["f1"] == pytest.approx(1.0)
    assert result.summary_line().startswith("event_acc=0.667 triple_acc=0.667")
