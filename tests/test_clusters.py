"""Event clusters: reports of one real-world event grouped as they are stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from builders import report, write_text

from faultline.analysis.clusters import clusters
from faultline.errors import StoreError
from faultline.models import Location
from faultline.pipeline import ingest
from faultline.settings import Settings
from faultline.store import ClusterRules, Store, open_store
from faultline.store.clusters import stems, surnames

ARREST = ("Georgian police arrested Russian journalist Pavel Sorokin in Tbilisi on espionage "
          "charges.")
ARREST_AGAIN = ("Police in Tbilisi detained the Russian reporter Pavel Sorokin, accusing him of "
                "spying.")

# Two briefs written for these tests: the same arrest, told by two desks on
# two days in different words; and a third brief about another arrest.
BRIEF_ONE = """Georgia detains Russian journalist in Tbilisi
March 4, 2025
By Test Desk

Georgian police arrested Russian journalist Pavel Sorokin in Tbilisi on Monday on suspicion of \
espionage. The interior ministry said Sorokin had photographed military sites near the capital.
"""
BRIEF_TWO = """Moscow protests after reporter held in Georgia
March 5, 2025
By Other Desk

Police in Tbilisi detained the Russian reporter Pavel Sorokin on March 3, accusing him of spying. \
Russia's foreign ministry demanded his immediate release.
"""
BRIEF_OTHER_PERSON = """Second Russian held in Tbilisi
March 5, 2025
By Test Desk

Georgian police arrested Russian businessman Oleg Vasin in Tbilisi on Tuesday on suspicion of \
espionage.
"""
BRIEF_OTHER_CITY = """Georgian police hold Russian tourists in Batumi
March 5, 2025
By Test Desk

Georgian police arrested two Russian tourists in Batumi on Tuesday after a fight at a seaside bar.
"""
TBILISI = Location("Tbilisi", "GEO", 41.69, 44.83)
BATUMI = Location("Batumi", "GEO", 41.64, 41.64)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "c.duckdb") as s:
        yield s


def _arrest(store: Store, sentence: str, date: str, **changes: object) -> str:
    fields: dict[str, object] = {"source": "GEO:COP", "target": "RUS:JRN", "event": "COERCE",
                                 "intensity": -5.0, "date": date, "mode": "arrest"}
    fields.update(changes)
    return report(store, sentence, **fields).id  # type: ignore[arg-type]


def _cluster_of(store: Store, event_id: str) -> str:
    rows = store.query("SELECT cluster_id FROM event_units WHERE id = ?", [event_id])
    if rows:
        return str(rows[0][0])
    ((cluster,),) = store.query("SELECT cluster_id FROM event_clusters WHERE event_id = ?",
                                [event_id])
    return str(cluster)


def test_ingest_two_articles_on_one_arrest_gives_one_cluster_with_two_mentions(
    tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "news"
    write_text(folder, "one.txt", BRIEF_ONE)
    write_text(folder, "two.txt", BRIEF_TWO)
    db = tmp_path / "news.duckdb"
    run = ingest([str(folder)], settings.with_(db=db))
    assert run.new_events - run.new_clusters == 1, "one event is a repeated report"
    with open_store(db, read_only=True) as store:
        [arrest] = clusters(store)
        assert (arrest.event, arrest.source, arrest.target) == ("COERCE", "GEO", "RUS")
        assert (arrest.n_mentions, arrest.n_documents, arrest.date) == (2, 2, "2025-03-03")
        assert {m.title for m in arrest.mentions} == {
            "Georgia detains Russian journalist in Tbilisi",
            "Moscow protests after reporter held in Georgia",
        }
        assert all("Sorokin" in (m.sentence or "") for m in arrest.mentions)
        units = store.query("SELECT count(*) FROM event_units WHERE event = 'COERCE'")
        assert units == [(1,)]


def test_ingest_keeps_other_arrests_apart(tmp_path: Path, settings: Settings) -> None:
    """Same police, same days: another person, or another city, is another event."""
    folder = tmp_path / "news"
    for name, text in [("one.txt", BRIEF_ONE), ("two.txt", BRIEF_TWO),
                       ("vasin.txt", BRIEF_OTHER_PERSON), ("batumi.txt", BRIEF_OTHER_CITY)]:
        write_text(folder, name, text)
    db = tmp_path / "news.duckdb"
    ingest([str(folder)], settings.with_(db=db))
    with open_store(db, read_only=True) as store:
        arrests = store.query(
            "SELECT n_mentions, sentence FROM event_units WHERE event = 'COERCE' ORDER BY 2"
        )
    assert len(arrests) == 3
    assert sorted(n for n, _ in arrests) == [1, 1, 2]
    assert any("Vasin" in s and n == 1 for n, s in arrests)
    assert any("Batumi" in s and n == 1 for n, s in arrests)


def test_same_text_ingested_twice_is_still_one_document_not_a_cluster(
    tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "news"
    write_text(folder, "one.txt", BRIEF_ONE)
    db = tmp_path / "n.duckdb"
    first = ingest([str(folder)], settings.with_(db=db))
    again = ingest([str(folder)], settings.with_(db=db))
    assert first.new_clusters == first.new_events > 0
    assert (again.new_events, again.new_clusters) == (0, 0)


def test_reports_within_the_date_window_merge_and_later_ones_do_not(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03")
    b = _arrest(store, ARREST_AGAIN, "2025-03-05")
    c = _arrest(store, ARREST_AGAIN, "2025-03-12")
    assert _cluster_of(store, a) == _cluster_of(store, b) == min(a, b)
    assert _cluster_of(store, c) == c
    assert store.cluster_counts() == {"events": 3, "clusters": 2, "repeated": 1}


def test_cluster_window_is_a_setting(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03", rules=ClusterRules(days=0))
    b = _arrest(store, ARREST_AGAIN, "2025-03-04", rules=ClusterRules(days=0))
    assert _cluster_of(store, a) != _cluster_of(store, b)


def test_publication_date_stand_in_may_be_days_after_the_event(store: Store) -> None:
    """An undated report published on the 8th may tell of an arrest on the 3rd."""
    a = _arrest(store, ARREST, "2025-03-03")
    late = _arrest(store, ARREST_AGAIN, "2025-03-08", fallback=True)
    early = _arrest(store, ARREST_AGAIN, "2025-02-27", fallback=True)
    assert _cluster_of(store, late) == _cluster_of(store, a)
    assert _cluster_of(store, early) == early, "published before the arrest: another event"


def test_month_dated_report_never_joins_day_dated_ones(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03")
    vague = _arrest(store, ARREST_AGAIN, "2025-03", precision="month")
    vague_too = _arrest(store, ARREST, "2025-03", precision="month")
    assert _cluster_of(store, vague) != _cluster_of(store, a)
    assert _cluster_of(store, vague) == _cluster_of(store, vague_too)


def test_other_type_dyad_mode_or_place_is_another_event(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03", place=TBILISI)
    others = [
        _arrest(store, ARREST_AGAIN, "2025-03-03", event="ACCUSE", intensity=-2.0, mode=None),
        _arrest(store, ARREST_AGAIN, "2025-03-03", target="UKR"),
        _arrest(store, ARREST_AGAIN, "2025-03-03", mode="raid"),
        _arrest(store, ARREST_AGAIN, "2025-03-03", place=BATUMI),
        _arrest(store, ARREST_AGAIN, "2025-03-03",
                place=Location("Yerevan", "ARM", 40.18, 44.51)),
    ]
    same = _arrest(store, ARREST_AGAIN, "2025-03-03", place=Location("Tbilisi", "GEO"))
    assert [_cluster_of(store, o) for o in others] == others
    assert _cluster_of(store, same) == _cluster_of(store, a)


def test_reports_of_two_organisations_are_two_events(store: Store) -> None:
    sanctions = {"target": "BLR", "event": "SANCTION", "intensity": -5.0, "mode": None}
    eu = _arrest(store, "The EU imposed new sanctions on Belarus over the crackdown.",
                 "2025-03-03", source="IGO/EU", **sanctions)
    eu_again = _arrest(store, "The European Union imposed sanctions on Belarus over the "
                       "crackdown.", "2025-03-04", source="IGO/EU", **sanctions)
    osce = _arrest(store, "The OSCE imposed new sanctions on Belarus over the crackdown.",
                   "2025-03-03", source="IGO/OSCE", **sanctions)
    assert _cluster_of(store, eu) == _cluster_of(store, eu_again) != _cluster_of(store, osce)
    [repeated] = clusters(store)
    assert (repeated.source, repeated.target, repeated.n_mentions) == ("EU", "BLR", 2)


def test_unrelated_wording_is_another_event(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03")
    b = _arrest(store, "Officers in Kutaisi held two students after a protest at the market.",
                "2025-03-03")
    assert _cluster_of(store, a) != _cluster_of(store, b)


def test_two_acts_of_one_sentence_stay_two(store: Store) -> None:
    import dataclasses

    from faultline.models import Document

    sentence = "Georgian police arrested Pavel Sorokin and detained his driver in Tbilisi."
    doc = Document.from_text(sentence, date="2025-03-03")
    base = report(store, "An unrelated sentence about the weather.", source="GEO",
                  target="RUS", event="COERCE", intensity=-5.0, date="2025-03-03")
    twins = [dataclasses.replace(base, id=f"{doc.doc_hash}-{k}", doc_id=doc.doc_id,
                                 doc_hash=doc.doc_hash, text=sentence)
             for k in range(2)]
    store.write([doc], twins)
    assert _cluster_of(store, twins[0].id) != _cluster_of(store, twins[1].id)
    # The same words in two sentences of one article are one event told twice.
    again = Document.from_text(f"{sentence} Later: {sentence}", date="2025-03-03")
    told_twice = [dataclasses.replace(twins[0], id=f"{again.doc_hash}-{k}",
                                      doc_id=again.doc_id, doc_hash=again.doc_hash,
                                      span=(k * 80, k * 80 + 76))
                  for k in range(2)]
    store.write([again], told_twice)
    assert _cluster_of(store, told_twice[0].id) == _cluster_of(store, told_twice[1].id)


def test_a_report_matching_two_clusters_joins_them_and_order_does_not_matter(
    tmp_path: Path,
) -> None:
    """Clusters are connected components: the result is the same whatever comes first."""
    texts = [
        ("Police arrested Pavel Sorokin, a Russian journalist, in Tbilisi.", "2025-03-01"),
        ("Pavel Sorokin, journalist from Russia, was arrested by police in Tbilisi.",
         "2025-03-07"),
        ("Police in Tbilisi arrested the journalist Pavel Sorokin, a Russian citizen.",
         "2025-03-04"),
    ]
    results = []
    for order in ([0, 1, 2], [2, 1, 0], [0, 2, 1]):
        with open_store(tmp_path / f"o{order}.duckdb") as store:
            ids = {}
            for i in order:
                ids[i] = _arrest(store, texts[i][0], texts[i][1])
            results.append(({_cluster_of(store, ids[i]) for i in range(3)},
                            store.cluster_counts()))
            clustered = min(ids.values())
        assert results[-1] == ({clustered}, {"events": 3, "clusters": 1, "repeated": 1})


def test_recluster_gives_what_ingest_gave_and_applies_new_rules(store: Store) -> None:
    a = _arrest(store, ARREST, "2025-03-03")
    b = _arrest(store, ARREST_AGAIN, "2025-03-05")
    before = store.query("SELECT * FROM clusters ORDER BY cluster_id")
    assert store.recluster(ClusterRules()) == {"events": 2, "clusters": 1, "repeated": 1}
    assert store.query("SELECT * FROM clusters ORDER BY cluster_id") == before
    assert store.recluster(ClusterRules(days=1))["clusters"] == 2
    assert _cluster_of(store, a) == a and _cluster_of(store, b) == b


def test_representative_is_the_best_dated_report(store: Store) -> None:
    vague = _arrest(store, ARREST, "2025-03-05", fallback=True, confidence=0.9)
    exact = _arrest(store, ARREST_AGAIN, "2025-03-03", confidence=0.5)
    [(shown, n)] = store.query("SELECT id, n_mentions FROM event_units")
    assert (shown, n) == (exact, 2)
    assert _cluster_of(store, vague) == min(vague, exact)


def test_stems_and_surnames() -> None:
    assert stems("Georgian police arrested the journalists on Monday, 3 March.") == [
        "3", "arres", "georg", "journ", "polic"]
    assert surnames(["Russian journalist Pavel Sorokin", "Georgian police", "Putin",
                     "Azerbaijani President Ilham Aliyev"]) == ["aliye", "sorok"]


def test_older_database_gets_its_clusters_when_opened_for_writing(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with open_store(path) as store:
        a = _arrest(store, ARREST, "2025-03-03")
        b = _arrest(store, ARREST_AGAIN, "2025-03-04")
    con = duckdb.connect(str(path))  # what a database made before clusters looks like
    con.execute("DROP VIEW event_units")
    for table in ("event_clusters", "clusters", "event_words"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    with open_store(path, read_only=True) as store, pytest.raises(StoreError) as info:
        clusters(store)
    assert "clusters --rebuild" in str(info.value) and "\n" not in str(info.value)
    with open_store(path) as store:
        assert store.cluster_counts() == {"events": 2, "clusters": 1, "repeated": 1}
        assert _cluster_of(store, a) == _cluster_of(store, b) == min(a, b)


def test_cli_clusters_lists_mentions_and_rebuilds(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from test_cli import run

    folder = tmp_path / "news"
    write_text(folder, "one.txt", BRIEF_ONE)
    write_text(folder, "two.txt", BRIEF_TWO)
    db = tmp_path / "cli.duckdb"
    assert run(["ingest", str(folder), "--db", str(db)], monkeypatch) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "4 new events (3 distinct after merging repeated reports)" in said
    assert run(["clusters", "--db", str(db), "--json"], monkeypatch) == 0
    [cluster] = json.loads(capsys.readouterr().out)
    assert cluster["n_mentions"] == 2 and len(cluster["mentions"]) == 2
    assert run(["--config", str(_toml(tmp_path, "cluster_similarity = 0.9")), "clusters",
                "--rebuild",
                "--db", str(db), "--json"], monkeypatch) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(["clusters", "--db", str(tmp_path / "none.duckdb")], monkeypatch) == 2
    assert "no database" in capsys.readouterr().err


def _toml(folder: Path, line: str) -> Path:
    path = folder / "settings.toml"
    path.write_text(line + "\n", encoding="utf-8")
    return path
