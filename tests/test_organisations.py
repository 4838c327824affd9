"""Organisations as actors, from the text to the analyses: the EU and the CSTO are two
actors, though PLOVER codes both IGO.

Three briefs written for these tests: Armenia with the EU, Armenia with the
CSTO, and Russia with both Armenia and the EU.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from builders import write_text
from test_cli import run

from faultline.pipeline import ingest
from faultline.settings import Settings
from faultline.store import Store, open_store

BRIEF_EU = """Armenia and the EU sign visa accord
March 3, 2025
By Test Desk

Armenia signed a visa liberalisation agreement with the European Union on Monday. The \
European Union praised Armenia for its reforms. Armenia relies on the European Union for \
much of its trade.
"""
BRIEF_CSTO = """Yerevan freezes its role in Moscow-led bloc
March 5, 2025
By Test Desk

Armenia accused the CSTO of failing to defend its borders. The Collective Security Treaty \
Organization rejected the accusation on Wednesday.
"""
BRIEF_RUSSIA = """Moscow warns Yerevan over Brussels talks
March 7, 2025
By Test Desk

Russia criticised Armenia for its talks with the European Union. The EU condemned Russia over \
the missile strikes.
"""


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("orgs") / "news"
    for name, text in (("eu.txt", BRIEF_EU), ("csto.txt", BRIEF_CSTO),
                       ("rus.txt", BRIEF_RUSSIA)):
        write_text(folder, name, text)
    return folder


@pytest.fixture(scope="module")
def db(news: Path, settings: Settings) -> Path:
    path = news.parent / "orgs.duckdb"
    ingest([str(news)], settings.with_(db=path))
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(db, read_only=True) as s:
        yield s


def test_code_records_which_organisation_each_actor_is(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "events.jsonl"
    assert run(["code", str(news / "eu.txt"), "-o", str(out)], monkeypatch) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    actors = {(a["actorText"], a["code"], a["org"]) for r in records
              for a in (*r["source"], *r["target"])}
    assert actors == {("Armenia", "ARM", None), ("European Union", "IGO", "EU")}
    assert all(set(a) == {"actorText", "code", "sector", "org"} for r in records
               for a in (*r["source"], *r["target"]))


def test_relations_have_a_row_for_each_organisation(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["relations", "--db", str(db), "--json"], monkeypatch) == 0
    signs = {tuple(r["actors"]): r["sign"] for r in json.loads(capsys.readouterr().out)}
    assert signs == {("ARM", "CSTO"): "-", ("ARM", "EU"): "+", ("ARM", "RUS"): "-",
                     ("EU", "RUS"): "-"}
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["relations", "--db", str(db)], monkeypatch) == 0
    table = capsys.readouterr().out
    assert "ARM-CSTO" in table and "ARM-EU" in table and "IGO" not in table
    assert run(["dyad", "ARM", "EU", "--db", str(db), "--json"], monkeypatch) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["source"], r["target"]): r["by_type"] for r in rows} == {
        ("ARM", "EU"): {"AGREE": 1}, ("EU", "ARM"): {"SUPPORT": 1}}


def test_triangles_dependencies_and_the_report_name_each_organisation(store: Store) -> None:
    from faultline.analysis.triads import triads
    from faultline.report import gather, render

    [triad] = triads(store)
    assert (triad.actors, triad.kind, triad.pivot) == (("ARM", "EU", "RUS"),
                                                      "two_against_one", "RUS")
    data = gather(store, ("ARM", "CSTO", "EU", "RUS"))
    assert {tuple(r["actors"]) for r in data.relations} >= {("ARM", "CSTO"), ("ARM", "EU")}
    assert [(d["supplier"], d["dependent"], d["good"]) for d in data.dependencies] == [
        ("EU", "ARM", "trade")]
    page = render(data)
    assert "ARM–CSTO" in page and "ARM–EU" in page
    assert "Armenia accused the CSTO of failing to defend its borders." in page
    assert "<th>confidence</th>" in page and "<td>0.92</td>" in page


def test_exports_carry_the_organisation(db: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for fmt in ("plover", "csv", "parquet"):
        assert run(["export", "--db", str(db), "--format", fmt, "-o",
                    str(tmp_path / f"events.{fmt}")], monkeypatch) == 0
    plover = [json.loads(line) for line in
              (tmp_path / "events.plover").read_text(encoding="utf-8").splitlines()]
    assert {a["org"] for r in plover for a in r["target"] if a["code"] == "IGO"} == {
        "CSTO", "EU"}
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as f:
        flat = list(csv.DictReader(f))
    assert {(r["source_code"], r["source_org"]) for r in flat} >= {
        ("IGO", "CSTO"), ("IGO", "EU"), ("ARM", "")}
    con = duckdb.connect()
    orgs = con.execute("SELECT DISTINCT t.org FROM read_parquet(?), "
                       "unnest(targets) AS u(t) WHERE t.code = 'IGO' ORDER BY 1",
                       [str(tmp_path / "events.parquet")]).fetchall()
    con.close()
    assert orgs == [("CSTO",), ("EU",)]


def test_actors_command_shows_the_organisation(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["actors", "CSTO", "--db", str(db)], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "CSTO: org -> IGO (CSTO) (actor dictionaries)" in out
    # found by its organisation, though its words do not contain the query
    [row] = [line for line in out.splitlines() if "Collective Security Treaty" in line
             and "│" in line]
    assert [cell.strip() for cell in row.strip("│ ").split("│")] == [
        "Collective Security Treaty Organization", "IGO", "-", "CSTO", "1"]


def test_a_database_of_the_previous_schema_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # what the previous schema (version 3) wrote: actors without organisations
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '3'), "
                "('faultline_version', '0.1.0')")
    con.execute("CREATE TABLE events (id VARCHAR PRIMARY KEY, "
                "sources STRUCT(text VARCHAR, code VARCHAR, sector VARCHAR)[])")
    con.close()
    for argv in (["relations"], ["export", "--format", "csv", "-o", str(tmp_path / "x.csv")],
                 ["ingest", str(tmp_path / "none")]):
        assert run([*argv, "--db", str(old)], monkeypatch) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert "schema version 3" in err and "re-ingest" in err
