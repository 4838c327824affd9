"""Statements of dependence: sentences through the real spaCy model, the store, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from builders import run

from faultline.dependencies.edges import DependencyEdge, edges_from_records
from faultline.dependencies.lexicon import (
    build_dependency_lexicon,
    check_dependency_texts,
    read_dependency_texts,
)
from faultline.errors import LexiconError, NoDatabaseError, StoreError
from faultline.models import Dependency, Document
from faultline.pipeline import Coder, ingest, sample_corpus
from faultline.service import Service
from faultline.settings import Settings
from faultline.store import open_store

Edge = tuple[str | None, str | None, str, str | None, float | None]


def found(coder: Coder, text: str, date: str = "2025-07-04") -> list[Dependency]:
    document = Document.from_text(text, date=date)
    [coded] = list(coder.code([document]))
    return coded.dependencies


def edges(coder: Coder, text: str) -> set[Edge]:
    return {(d.supplier.code, d.dependent.code, d.kind, d.good, d.share)
            for d in found(coder, text)}


# Sentences written for these tests from widely reported facts; shares rounded.
STATED = [
    # supply, with the share in its many spellings
    ("Russia supplies about 85 percent of Armenia's natural gas.",
     {("RUS", "ARM", "supply", "gas", 0.85)}),
    ("Georgia imports 90% of its wheat from Russia.",
     {("RUS", "GEO", "supply", "wheat", 0.9)}),
    ("Kazakhstan receives 12 per cent of its electricity from Kyrgyzstan.",
     {("KGZ", "KAZ", "supply", "electricity", 0.12)}),
    ("Russia provides Armenia with about two-thirds of its wheat.",
     {("RUS", "ARM", "supply", "wheat", 0.6667)}),
    ("Turkey gets half of its gas from Russia.",
     {("RUS", "TUR", "supply", "gas", 0.5)}),
    ("Russia accounts for 85 percent of Armenia's gas imports.",
     {("RUS", "ARM", "supply", "gas", 0.85)}),
    ("About 40 percent of Israel's oil comes from Azerbaijan.",
     {("AZE", "ISR", "supply", "oil", 0.4)}),
    ("Azerbaijan supplies about 40 percent of the oil that Israel consumes.",
     {("AZE", "ISR", "supply", "oil", 0.4)}),
    ("Egypt bought about 80 percent of its wheat imports from Russia and Ukraine.",
     {("RUS", "EGY", "supply", "wheat", 0.8), ("UKR", "EGY", "supply", "wheat", 0.8)}),
    ("India buys roughly 60 percent of its weapons from Russia.",
     {("RUS", "IND", "supply", "arms", 0.6)}),
    ("Moldova imported nearly all of its gas from Russia until 2022.",
     {("RUS", "MDA", "supply", "gas", None)}),
    ("Russia delivers most of the gas consumed in Armenia.",
     {("RUS", "ARM", "supply", "gas", None)}),
    ("Iran sells electricity to Armenia.", {("IRN", "ARM", "supply", "electricity", None)}),
    ("Armenia receives most of its gas from Russia via a pipeline through Georgia.",
     {("RUS", "ARM", "supply", "gas", None)}),
    ("Russia accounts for about a third of Armenia's foreign trade.",
     {("RUS", "ARM", "supply", "trade", 0.3333)}),
    ("Russia supplies arms to both Armenia and Azerbaijan.",
     {("RUS", "ARM", "supply", "arms", None), ("RUS", "AZE", "supply", "arms", None)}),
    ("Russia is Armenia's main gas supplier.", {("RUS", "ARM", "supply", "gas", None)}),
    ("Israel is a major supplier of arms to Azerbaijan.",
     {("ISR", "AZE", "supply", "arms", None)}),
    # reliance
    ("Armenia relies on Russia for trade and energy.",
     {("RUS", "ARM", "reliance", "trade", None), ("RUS", "ARM", "reliance", "energy", None)}),
    ("Armenia is heavily dependent on Russia for gas.",
     {("RUS", "ARM", "reliance", "gas", None)}),
    ("Kyrgyzstan remains reliant on Russia for fuel.",
     {("RUS", "KGZ", "reliance", "oil", None)}),
    ("Serbia's dependence on Russian gas worries the European Union.",
     {("RUS", "SRB", "reliance", "gas", None)}),
    ("Belarus is dependent on Russia.", {("RUS", "BLR", "reliance", None, None)}),
    ("Tajikistan depends on remittances from workers in Russia.",
     {("RUS", "TJK", "reliance", "remittances", None)}),
    ("Georgia's economy depends heavily on tourists from Russia.",
     {("RUS", "GEO", "reliance", "tourism", None)}),
    ("Armenia relies on Russia for its security.",
     {("RUS", "ARM", "reliance", "security", None)}),
    # control, active and passive, with the owner's country from the actor tables
    ("Armenia's gas distribution network is owned by Gazprom.",
     {("RUS", "ARM", "control", "gas", None)}),
    ("Gazprom controls the gas network in Armenia.", {("RUS", "ARM", "control", "gas", None)}),
    ("Russia's Gazprom owns Armenia's gas distribution network.",
     {("RUS", "ARM", "control", "gas", None)}),
    ("Russian state companies run Armenia's railways.",
     {("RUS", "ARM", "control", "transport", None)}),
    # trade, debt, security
    ("Russia remains Armenia's largest trading partner.",
     {("RUS", "ARM", "trade", "trade", None)}),
    ("China is the biggest trading partner of Kazakhstan.",
     {("CHN", "KAZ", "trade", "trade", None)}),
    ("Belarus owes Russia about 8 billion dollars.", {("RUS", "BLR", "debt", "finance", None)}),
    ("Belarus owes about 8 billion dollars to Russia.",
     {("RUS", "BLR", "debt", "finance", None)}),
    ("Russia lent Belarus 1.5 billion dollars.", {("RUS", "BLR", "debt", "finance", None)}),
    ("Armenia has hosted a Russian military base since 1995.",
     {("RUS", "ARM", "security", "security", None)}),
]

NOT_STATED = [
    "Azerbaijan does not depend on Russia for gas.",
    "Azerbaijan is not dependent on Russian energy.",
    "Armenia could become dependent on Iran for electricity.",
    "If Georgia relied on Russia for gas, it would be vulnerable.",
    "Kazakhstan will depend on China for technology.",
    "Armenia has no dependence on Iranian gas.",
    "Azerbaijan buys none of its gas from Russia.",
    "The risk of dependence on Chinese loans worries Kyrgyzstan.",
    "Ukraine stopped buying gas from Russia in 2015.",
    "Lithuania ended its dependence on Russian gas.",
    "Russia supplied weapons.",
    "Armenia produces its own electricity.",
    "Armenia depends on its allies.",
    "Moscow relies on diplomacy.",
    "Russia provided security for the summit.",
    "Turkey sent troops to Azerbaijan.",
    "Turkey sent humanitarian aid to Armenia after the earthquake.",
    "Russian troops control the border crossing.",
]


@pytest.mark.parametrize(("text", "expected"), STATED)
def test_dependencies_found_in_sentence(coder: Coder, text: str, expected: set[Edge]) -> None:
    assert edges(coder, text) == expected


@pytest.mark.parametrize("text", NOT_STATED)
def test_dependencies_not_stated_are_not_edges(coder: Coder, text: str) -> None:
    assert edges(coder, text) == set()


def test_dependencies_pronoun_takes_subject_of_earlier_sentence(coder: Coder) -> None:
    text = ("Armenia signed a gas deal with Iran on Monday. "
            "It still buys most of its gas from Russia.")
    [dep] = found(coder, text)
    assert (dep.supplier.code, dep.dependent.code, dep.good) == ("RUS", "ARM", "gas")
    assert dep.dependent.text == "It" and dep.qualifier == "most"


def test_dependencies_the_country_is_the_country_named_before(coder: Coder) -> None:
    text = ("Kyrgyzstan signed a new energy deal with Moscow on Monday. "
            "Gazprom owns the country's gas pipelines.")
    [dep] = found(coder, text)
    assert (dep.supplier.code, dep.supplier.sector, dep.dependent.code) == ("RUS", "BUS", "KGZ")
    assert (dep.kind, dep.good, dep.good_sector) == ("control", "gas", "energy")


def test_dependencies_keep_evidence_and_rule(coder: Coder) -> None:
    text = "Talks ended in Yerevan on Friday.\nRussia supplies about 85 percent of Armenia's gas."
    document = Document.from_text(text, date="2025-07-04", doc_id="brief-7")
    [coded] = list(coder.code([document]))
    [dep] = coded.dependencies
    start, end = dep.span
    assert text[start:end] == "Russia supplies about 85 percent of Armenia's gas."
    assert dep.text == text[start:end] and dep.trigger == "supplies"
    assert (dep.doc_id, dep.date, dep.qualifier) == ("brief-7", "2025-07-04", "about")
    assert dep.rule.startswith("dependencies.yaml:") and dep.rule.endswith(":supply")
    record = dep.as_record()
    assert record["supplier"] == {"actorText": "Russia", "code": "RUS", "sector": None,
                                  "org": None}
    assert record["share"] == 0.85 and record["span"] == [start, end]


def test_dependencies_user_lexicon_adds_a_good(tmp_path: Path, settings: Settings) -> None:
    text = "Qatar supplies about 30 percent of South Korea's helium."
    mine = tmp_path / "mine.yaml"
    mine.write_text("goods:\n  helium: {sector: industry, words: [helium]}\n",
                    encoding="utf-8")
    document = Document.from_text(text)
    [bundled] = Coder(settings).code([document])
    [extended] = Coder(settings.with_(dependency_lexicons=(mine,))).code([document])
    assert bundled.dependencies == []
    [dep] = extended.dependencies
    assert (dep.supplier.code, dep.dependent.code, dep.good, dep.good_sector, dep.share) == (
        "QAT", "KOR", "helium", "industry", 0.3)


def test_dependencies_same_alone_and_after_the_event_coder(coder: Coder) -> None:
    from faultline.extract.parsed import ParsedDoc
    from faultline.nlp import load_pipeline

    text = ("Armenia signed a gas deal with Iran on Monday. It still buys most of its gas "
            "from Russia, and the country's power grid is owned by Russian companies.")
    nlp = load_pipeline(coder.settings.model)
    document = Document.from_text(text)
    alone = ParsedDoc(nlp(text), document, coder.knowledge)
    shared = ParsedDoc(nlp(text), document, coder.knowledge)
    # the event coder reads the shared document first, and leaves its discourse behind
    assert coder.extractors["events"].extract(shared)
    found = coder.extractors["dependencies"].extract(alone)
    assert found == coder.extractors["dependencies"].extract(shared)
    assert {(d.supplier.code, d.dependent.code, d.good) for d in found} == {
        ("RUS", "ARM", "gas"), ("RUS", "ARM", "electricity")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries:\n  - verb: lease\n    supplier: [subject]\n    dependent: [to]\n",
         "mine.yaml:2: an entry needs a kind"),
        ("entries:\n  - verb: lease\n    kind: supply\n    supplier: [subject]\n"
         "    dependent: [to]\n    colour: red\n", "mine.yaml:2: unknown key(s) colour"),
        ("entries:\n  - verb: lease\n    kind: supply\n    supplier: [subject]\n"
         "    dependent: [to]\n    good: helium\n", "mine.yaml:2: good 'helium' is not defined"),
        ("entries:\n  - verb: lease\n    kind: supply\n    supplier: [the-subject]\n"
         "    dependent: [to]\n", "mine.yaml:2: supplier: the-subject is no place"),
        ("entries:\n  - verb: lease\n    noun: lease\n    kind: supply\n"
         "    supplier: [subject]\n    dependent: [to]\n", "exactly one of"),
        ("goods:\n  helium: {words: [helium]}\n", "mine.yaml:2: good 'helium' needs a sector"),
        ("fractions: {half: two}\n", "whole number"),
        ("goods: [gas\n", "mine.yaml:"),
    ],
)
def test_dependency_lexicon_reports_file_and_line(text: str, message: str) -> None:
    _, problems = check_dependency_texts([*read_dependency_texts(), ("mine.yaml", text)])
    assert any(message in str(p) for p in problems), [str(p) for p in problems]
    with pytest.raises(LexiconError, match="dependency lexicon has errors"):
        build_dependency_lexicon([*read_dependency_texts(), ("mine.yaml", text)])


def test_dependency_lexicon_bundled_file_is_valid() -> None:
    parts, problems = check_dependency_texts(read_dependency_texts())
    assert problems == []
    kinds = {p.kind for p in parts.patterns}
    assert {"supply", "reliance", "control", "trade", "debt", "security"} <= kinds


# -- store, pipeline and command line ------------------------------------------------

BRIEFS = {
    "a.txt": "Gas brief\nJanuary 10, 2024\n\nRussia supplies about 80 percent of Armenia's "
             "gas. Armenia relies on Russia for trade.",
    "b.txt": "Gas brief two\nJanuary 10, 2025\n\nArmenia buys 87 percent of its gas from "
             "Russia. Azerbaijan expelled two Russian diplomats.",
    "c.txt": "Power brief\nMarch 2, 2025\n\nIran sells electricity to Armenia. Georgia "
             "condemned the shelling.",
}


def _corpus(folder: Path, briefs: dict[str, str] = BRIEFS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in briefs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _rows(db: Path) -> list[tuple[str, str, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT doc_id, supplier_code, dependent_code, good "
                           "FROM dependencies ORDER BY ALL").fetchall()
    return [tuple(map(str, r)) for r in rows]  # type: ignore[misc]


def test_ingest_stores_dependencies_once(tmp_path: Path, settings: Settings) -> None:
    corpus = _corpus(tmp_path / "news")
    db = tmp_path / "deps.duckdb"
    first = ingest([str(corpus)], settings.with_(db=db))
    assert first.new_dependencies == 4
    rows = _rows(db)
    assert len(rows) == 4
    again = ingest([str(corpus)], settings.with_(db=db))
    assert (again.new_dependencies, again.new_documents) == (0, 0)
    assert _rows(db) == rows


def test_ingest_interrupted_keeps_no_dependency_without_its_document(
    tmp_path: Path, settings: Settings
) -> None:
    briefs = {f"{i:02}.txt": f"Brief {i}\nMay {i + 1}, 2024\n\nRussia supplies about "
              f"{60 + i} percent of Armenia's gas." for i in range(6)}
    corpus = _corpus(tmp_path / "news", briefs)
    db = tmp_path / "run.duckdb"
    small = settings.with_(db=db, write_batch=2)
    seen: list[Document] = []

    def stop_in_second_batch(document: Document) -> None:
        seen.append(document)
        if len(seen) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest([str(corpus)], small, on_document=stop_in_second_batch)
    with duckdb.connect(str(db), read_only=True) as con:
        docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        orphans = con.execute("SELECT count(*) FROM dependencies WHERE doc_hash NOT IN "
                              "(SELECT doc_hash FROM documents)").fetchall()[0][0]
        deps = con.execute("SELECT count(*) FROM dependencies").fetchall()[0][0]
    assert (docs, deps, orphans) == (2, 2, 0)
    ingest([str(corpus)], small)
    clean = tmp_path / "clean.duckdb"
    ingest([str(corpus)], settings.with_(db=clean))
    assert _rows(db) == _rows(clean) and len(_rows(db)) == 6


def test_store_refuses_dependency_of_another_batch(coder: Coder, tmp_path: Path) -> None:
    text = "Russia supplies about 85 percent of Armenia's gas."
    [dep] = found(coder, text)
    other = Document.from_text("A different article entirely.")
    with open_store(tmp_path / "x.duckdb") as store, pytest.raises(StoreError,
                                                                  match="not in this batch"):
        store.write([other], [], dependencies=[dep])


def test_edges_share_is_the_most_stated_then_the_latest(tmp_path: Path,
                                                       settings: Settings) -> None:
    db = tmp_path / "deps.duckdb"
    ingest([str(_corpus(tmp_path / "news"))], settings.with_(db=db))
    [gas] = [e for e in dependencies(db) if e.good == "gas"]
    # 0.8 (2024) and 0.87 (2025) are stated once each: the latest wins
    assert (gas.supplier, gas.dependent, gas.share, gas.statements, gas.documents) == (
        "RUS", "ARM", 0.87, 2, 2)
    assert gas.shares == {0.8: 1, 0.87: 1} and set(gas.kinds) == {"supply"}
    assert (gas.first_date, gas.last_date) == ("2024-01-10", "2025-01-10")
    with open_store(db, read_only=True) as store:
        rows = store.dependency_records("ARM")
    gas_rows = [r for r in rows if r["good"] == "gas"]
    # a third statement of 0.8 makes it the most stated
    [edge] = edges_from_records([*gas_rows, {**gas_rows[0], "id": "x", "doc_hash": "y"}])
    assert (edge.share, edge.statements, edge.documents) == (0.8, 3, 3)


def test_edges_filter_by_actor(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "deps.duckdb"
    ingest([str(_corpus(tmp_path / "news"))], settings.with_(db=db))
    assert {(e.supplier, e.good) for e in dependencies(db, "irn")} == {("IRN", "electricity")}
    assert dependencies(db, "AZE") == []
    with pytest.raises(NoDatabaseError, match="no database"):
        dependencies(tmp_path / "missing.duckdb")


def dependencies(db: Path, actor: str | None = None) -> list[DependencyEdge]:
    """Return the dependency edges of the database at db, as every front end gets them."""
    with Service(Settings(db=db)) as service:
        return service.dependencies(actor)


def test_cli_dependencies_json_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.duckdb"
    corpus = _corpus(tmp_path / "news")
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    assert "4 new dependencies" in capsys.readouterr().err
    assert run(["dependencies", "--db", str(db), "--json"], monkeypatch) == 0
    records = json.loads(capsys.readouterr().out)
    gas = next(r for r in records if r["good"] == "gas")
    assert (gas["supplier"], gas["dependent"], gas["share"], gas["statements"]) == (
        "RUS", "ARM", 0.87, 2)
    assert [e["date"] for e in gas["evidence"]] == ["2024-01-10", "2025-01-10"]
    assert "87 percent" in gas["evidence"][1]["text"]
    assert run(["dependencies", "--db", str(db), "--actor", "IRN"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "IRN" in out and "electricity" in out and "gas" not in out
    assert run(["dependencies", "--db", str(tmp_path / "none.duckdb")], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no database" in err


def test_cli_code_writes_dependencies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "news")
    out = tmp_path / "deps.jsonl"
    assert run(["code", str(corpus), "-o", str(tmp_path / "ev.jsonl"),
                "--dependencies", str(out)], monkeypatch) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(r["supplier"]["code"], r["dependent"]["code"], r["good"], r["share"])
            for r in records} == {("RUS", "ARM", "gas", 0.8), ("RUS", "ARM", "trade", None),
                                  ("RUS", "ARM", "gas", 0.87), ("IRN", "ARM", "electricity", None)}


def test_cli_lexicon_check_validates_dependency_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("goods:\n  helium: {sector: industry, words: [helium]}\nentries:\n"
                    "  - verb: lease\n    kind: supply\n    supplier: [subject]\n"
                    "    dependent: [to]\n", encoding="utf-8")
    assert run(["lexicon", "check", str(good)], monkeypatch) == 0
    assert "ok: 1 entries" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - verb: lease\n    kind: supply\n    supplier: [subject]\n"
                   "    dependent: [to]\n    good: helium\n", encoding="utf-8")
    assert run(["lexicon", "check", str(bad)], monkeypatch) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert f"{bad}:2: good 'helium' is not defined" in out


def _gas_edge(db: Path) -> tuple[str, str, str | None, float | None]:
    [edge] = [e for e in dependencies(db, "ARM")
              if (e.supplier, e.dependent, e.good) == ("RUS", "ARM", "gas")]
    return edge.supplier, edge.dependent, edge.good, edge.share


def test_sample_corpus_says_armenia_gets_85_percent_of_its_gas_from_russia(
    tmp_path: Path, settings: Settings
) -> None:
    db = tmp_path / "sample.duckdb"
    ingest([str(sample_corpus())], settings.with_(db=db))
    assert _gas_edge(db) == ("RUS", "ARM", "gas", 0.85)
