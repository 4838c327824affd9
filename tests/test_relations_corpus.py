"""The relationship analytics on real text: the bundled sample corpus.

After ingesting the sample corpus into an empty database, the Armenia-Russia,
Azerbaijan-Russia and Armenia-Azerbaijan relationships are all negative and
(ARM, AZE, RUS) is a shared enemy without reconciliation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faultline.analysis.chains import chains
from faultline.analysis.relations import Relation, relations
from faultline.analysis.triads import triads
from faultline.pipeline import ingest, sample_corpus
from faultline.settings import Settings
from faultline.store import Store, open_store


def _ingest(paths: list[str], db: Path, settings: Settings) -> Store:
    ingest(paths, settings.with_(db=db))
    return open_store(db, read_only=True)


def _by_pair(store: Store) -> dict[tuple[str, str], Relation]:
    return {r.actors: r for r in relations(store)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with _ingest([str(sample_corpus())], db, settings) as store:
        yield store


def test_sample_azerbaijan_russia_and_armenia_azerbaijan_are_hostile(sample: Store) -> None:
    pairs = _by_pair(sample)
    assert pairs[("AZE", "RUS")].score < 0
    assert all(d.score < 0 for d in pairs[("AZE", "RUS")].directions), "hostile both ways"
    assert pairs[("ARM", "AZE")].score < 0
    assert pairs[("AZE", "RUS")].trend is not None and pairs[("AZE", "RUS")].trend < 0, (
        "Baku and Moscow were on good terms before the airliner and the raids")
    [triad] = [t for t in triads(sample, by="year") if t.actors == ("ARM", "AZE", "RUS")]
    assert triad.signs["ARM-AZE"] == triad.signs["AZE-RUS"] == "-"
    assert len(triad.history) >= 3


def test_sample_summer_2025_row_between_baku_and_moscow_is_a_chain(sample: Store) -> None:
    summer = [c for c in chains(sample, "AZE", "RUS") if c.start >= "2025-06-01"]
    assert summer and len(summer[0].steps) >= 3
    assert summer[0].steps[0].source == "RUS" and summer[0].steps[0].event == "COERCE"


def test_sample_armenia_russia_is_hostile(sample: Store) -> None:
    assert _by_pair(sample)[("ARM", "RUS")].score < 0


def test_sample_triad_is_a_shared_enemy_without_reconciliation(sample: Store) -> None:
    kinds = {t.actors: t.kind for t in triads(sample)}
    assert kinds[("ARM", "AZE", "RUS")] == "shared_enemy_without_reconciliation"


def test_demo_reports_distinct_events_relationships_and_triangles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cli import run

    monkeypatch.setenv("COLUMNS", "200")
    assert run(["demo", "--db", str(tmp_path / "demo" / "f.duckdb")], monkeypatch) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "distinct events" in out and "distinct after merging repeated reports" in out
    assert "Relationships" in out and "AZE-RUS" in out
    assert "triangle ARM, AZE, RUS: ARM-AZE - " in out
    report = (tmp_path / "demo" / "report.html").read_text(encoding="utf-8")
    assert "shared enemy without reconciliation" in report


def test_report_on_the_sample_corpus_shows_the_triangle_and_the_gas(
    sample: Store, tmp_path: Path
) -> None:
    import re

    from faultline.report import gather, render

    data = gather(sample, ("ARM", "AZE", "RUS"))
    page = render(data)
    signs = {tuple(r["actors"]): r["sign"] for r in data.relations}
    assert signs == {("ARM", "AZE"): "-", ("ARM", "RUS"): "-", ("AZE", "RUS"): "-"}
    [triad] = data.triads
    assert triad["kind"] == "shared_enemy_without_reconciliation"
    assert any((d["supplier"], d["dependent"], d["good"], d["share"]) == ("RUS", "ARM", "gas", 0.85)
               for d in data.dependencies)
    # one file, nothing fetched: plotly.js inline, no remote script, style or image
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert not re.search(r'(src|href)="(https?:)?//', markup)
    assert "<script src" not in page and "Plotly.newPlot" in page
    assert page.count('class="plotly-graph-div"') == 1 + len(data.timelines) >= 4
    assert "shared enemy without reconciliation" in page and "85%" in page
    # the sentences behind the numbers are there, escaped
    evidence = data.relations[0]["evidence"][0]["sentence"]
    assert evidence and html_escaped(evidence) in page


def html_escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_report_command_writes_a_file_and_refuses_one_actor(
    sample: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cli import run

    out = tmp_path / "r.html"
    db = sample.path
    assert run(["report", "--db", db, "--actors", "arm, aze,RUS", "-o", str(out)],
               monkeypatch) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "ARM, AZE, RUS" in capsys.readouterr().err
    assert run(["report", "--db", db, "--actors", "ARM", "-o", str(out)], monkeypatch) == 2
    assert "at least two actors" in capsys.readouterr().err
    assert run(["report", "--db", str(tmp_path / "none.duckdb")], monkeypatch) == 2
