"""`faultline recode`: the stored documents coded again from their stored parses, in
place of their records. Real spaCy pipeline, real DuckDB files, real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from builders import report, run

from faultline.models import Document
from faultline.pipeline import ingest, sample_corpus
from faultline.service import Service
from faultline.settings import Settings
from faultline.store import ClusterRules, open_store

#: A user lexicon that changes what the corpus codes: "accuse" reports no event.
NO_ACCUSING = "entries:\n- verb: accuse\n  event: none\n"
#: Every table recode writes, as (name, query); a document's ingest time is left out.
TABLES = {
    "documents": "SELECT * EXCLUDE (ingested_at) FROM documents",
    "events": "SELECT * FROM events",
    "person_sightings": "SELECT * FROM person_sightings",
    "dependencies": "SELECT * FROM dependencies",
    "event_words": "SELECT * FROM event_words",
    "event_clusters": "SELECT * FROM event_clusters",
    "clusters": "SELECT * FROM clusters",
}


def _contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: sorted(con.execute(sql).fetchall(), key=repr)
                for name, sql in TABLES.items()}


def _query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Ten articles of the sample corpus and two other reports of two of them (the same
    text and one sentence more), so that some events are reported twice."""
    folder = tmp_path / "news"
    folder.mkdir()
    articles = sorted(sample_corpus().glob("*.txt"))[:10]
    for path in articles:
        shutil.copy(path, folder / path.name)
    for path in (articles[0], articles[2]):
        text = path.read_text(encoding="utf-8").rstrip("\n")
        (folder / f"again-{path.name}").write_text(
            text + " Officials confirmed the report on Monday.\n", encoding="utf-8")
    return folder


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(NO_ACCUSING, encoding="utf-8")
    return path


@pytest.fixture
def stored(tmp_path: Path, corpus: Path, settings: Settings) -> Path:
    """The corpus ingested with the bundled lexicon, four documents a batch."""
    db = tmp_path / "news.duckdb"
    ingest([str(corpus)], settings.with_(db=db, write_batch=4))
    return db


def _recode(db: Path, settings: Settings, **changes: Any) -> Any:
    with Service(settings.with_(db=db, **changes)) as service:
        return service.recode()


def test_recode_after_a_lexicon_change_equals_a_fresh_ingest(
    tmp_path: Path, corpus: Path, stored: Path, mine: Path, settings: Settings
) -> None:
    before = _contents(stored)
    report = _recode(stored, settings, lexicons=(mine,), write_batch=3)
    fresh = tmp_path / "fresh.duckdb"
    ingest([str(corpus)], settings.with_(db=fresh, lexicons=(mine,)))
    after, expected = _contents(stored), _contents(fresh)
    assert report.documents == 12 and report.unparsed == 0 and not report.unreadable
    # the change removed events, some of them reported twice, and the version says so
    assert len(expected["events"]) < len(before["events"]) == report.old_events
    assert report.events == len(expected["events"])
    assert expected["clusters"] and expected["clusters"] != before["clusters"]
    assert {row[-1] for row in expected["documents"]} == {report.coder}
    assert report.coder not in {row[-1] for row in before["documents"]}
    for table in TABLES:
        assert after[table] == expected[table], table


def test_recode_with_nothing_changed_leaves_the_export_identical(
    tmp_path: Path, stored: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exports(name: str) -> list[bytes]:
        out = []
        for fmt in ("plover", "csv", "cameo"):
            target = tmp_path / f"{name}.{fmt}"
            assert run(["export", "--db", str(stored), "-f", fmt, "-o", str(target)],
                       monkeypatch) == 0
            out.append(target.read_bytes())
        return out

    before, tables = exports("before"), _contents(stored)
    assert run(["recode", "--db", str(stored)], monkeypatch) == 0
    assert exports("after") == before
    assert _contents(stored) == tables


def _env(**settings: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.update({f"FAULTLINE_{k.upper()}": v for k, v in settings.items()})
    return env


def test_recode_killed_mid_way_leaves_each_document_its_old_or_its_new_events(
    tmp_path: Path, corpus: Path, stored: Path, mine: Path, settings: Settings
) -> None:
    old = _query(stored, "SELECT DISTINCT coder FROM documents")
    env = _env(lexicons=str(mine), write_batch="1")
    killed = subprocess.Popen([sys.executable, "-m", "faultline", "-v", "recode", "--db",
                               str(stored)], env=env, stdin=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert killed.stderr is not None
    for line in killed.stderr:
        if "recoded 1 documents" in line:  # the first batch is committed
            killed.send_signal(signal.SIGKILL)
            break
    killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGKILL, "recode ended before it was killed"
    # every document has the events of one coding only, and the one its row names
    mixed = _query(stored, "SELECT d.doc_id FROM documents AS d JOIN events AS e "
                           "USING (doc_hash) WHERE e.coder <> d.coder")
    assert mixed == []
    versions = dict(_query(stored, "SELECT coder, count(*) FROM documents GROUP BY coder"))
    assert len(versions) == 2 and versions[old[0][0]] >= 1
    # clusters name only stored events
    assert _query(stored, "SELECT count(*) FROM event_clusters WHERE event_id NOT IN "
                          "(SELECT id FROM events)") == [(0,)]
    # run again, it finishes the work: as a fresh ingest under the new lexicon
    done = subprocess.run([sys.executable, "-m", "faultline", "recode", "--db", str(stored)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    fresh = tmp_path / "fresh.duckdb"
    ingest([str(corpus)], settings.with_(db=fresh, lexicons=(mine,)))
    assert _contents(stored) == _contents(fresh)


def test_a_stored_parse_that_cannot_be_read_keeps_its_documents_events(
    stored: Path, mine: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    [(doc_hash, doc_id, coder, events)] = _query(
        stored, "SELECT d.doc_hash, d.doc_id, d.coder, count(*) FROM documents AS d "
                "JOIN events AS e USING (doc_hash) GROUP BY ALL ORDER BY d.doc_id LIMIT 1")
    _query(stored, "UPDATE parses SET parse = 'not a parse'::BLOB WHERE doc_hash = ?", [doc_hash])
    monkeypatch.setenv("FAULTLINE_LEXICONS", str(mine))
    assert run(["recode", "--db", str(stored)], monkeypatch) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"kept the events of {doc_id}: stored parse cannot be read" in err
    assert "11 documents recoded" in err
    kept = _query(stored, "SELECT coder, count(*) FROM events WHERE doc_hash = ? "
                          "GROUP BY coder", [doc_hash])
    assert kept == [(coder, events)]
    assert len(_query(stored, "SELECT DISTINCT coder FROM documents")) == 2


def test_a_database_without_parses_is_passed_over_with_one_line(
    stored: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # a database written before parses were kept has no table of them
    _query(stored, "DROP TABLE parses")
    before = _contents(stored)
    assert run(["recode", "--db", str(stored)], monkeypatch) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert ("passed over 12 documents stored without a parse (by an older faultline): "
            "re-ingest them into a new database file (--db NEW.duckdb) to recode them") in err
    assert "0 documents recoded" in err
    assert _contents(stored) == before


def test_recode_since_codes_only_the_documents_published_since(
    stored: Path, mine: Path, settings: Settings
) -> None:
    dates = sorted(d for (d,) in _query(stored, "SELECT DISTINCT date FROM documents"))
    since = dates[len(dates) // 2]
    with Service(settings.with_(db=stored, lexicons=(mine,))) as service:
        report = service.recode(since=since.isoformat())
    rows = _query(stored, "SELECT date >= ?, coder = ? FROM documents", [since, report.coder])
    assert 0 < report.documents < 12
    assert all(newer == recoded for newer, recoded in rows)


def test_export_chooses_events_by_coder_version(
    tmp_path: Path, stored: Path, mine: Path, settings: Settings,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [(old,)] = _query(stored, "SELECT DISTINCT coder FROM documents")
    dates = sorted(d for (d,) in _query(stored, "SELECT DISTINCT date FROM documents"))
    with Service(settings.with_(db=stored, lexicons=(mine,))) as service:
        new = service.recode(since=dates[-3].isoformat()).coder

    def exported(version: str) -> list[str]:
        target = tmp_path / "events.jsonl"
        assert run(["export", "--db", str(stored), "-o", str(target), "--coder", version],
                   monkeypatch) == 0
        return target.read_text(encoding="utf-8").splitlines()

    everything = exported(old.split("+")[0])  # the part both versions share
    olds, news = exported(old), exported(new.split("+")[1])  # a whole version, a part
    assert olds and news and len(olds) + len(news) == len(everything)
    assert all(f'"coder":"{old}"' in line for line in olds)
    assert all(f'"coder":"{new}"' in line for line in news)
    capsys.readouterr()
    assert run(["export", "--db", str(stored), "-o", str(tmp_path / "x"), "--coder",
                "lexicon-00000000"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"the versions stored: {', '.join(sorted([old, new]))}" \
        in err


def test_replacing_one_report_of_an_event_keeps_the_other_reports_one_cluster(
    tmp_path: Path,
) -> None:

    sentence = "Georgian police arrested Russian journalist Pavel Sorokin in Tbilisi."
    with open_store(tmp_path / "three.duckdb") as store:
        first, *others = [report(store, sentence, source="GEO:COP", target="RUS:MED",
                                 event="COERCE", intensity=-5, date="2025-03-04")
                          for _ in range(3)]
        assert store.cluster_counts() == {"events": 3, "clusters": 1, "repeated": 1}
        removed, added = store.replace(
            [Document(text="", doc_hash=first.doc_hash, doc_id=first.doc_id)], [],
            coder="tests+changed")
        assert (removed, added) == (1, 0)
        kept = store.query("SELECT event_id, cluster_id FROM event_clusters ORDER BY 1")
        assert kept == sorted((e.id, min(o.id for o in others)) for e in others)
        grouped = store.query("SELECT * FROM clusters")
        store.recluster(ClusterRules())
        assert store.query("SELECT * FROM clusters") == grouped


def test_the_coder_version_names_the_users_lexicons_and_dictionaries(
    tmp_path: Path, mine: Path, settings: Settings
) -> None:
    from faultline.pipeline import Coder

    bundled = Coder(settings).version
    assert "+lexicon-" in bundled and "+data-" not in bundled
    assert Coder(settings.with_(lexicons=(mine,))).version.split("+")[1] != \
        bundled.split("+")[1]
    actors = tmp_path / "actors.csv"
    actors.write_text("surface,code,org,sector,case_sensitive\nPeace Forum,NGO,,,\n",
                      encoding="utf-8")
    with_actors = Coder(settings.with_(actors=(actors,))).version
    assert with_actors.startswith(f"{bundled}+data-")
    actors.write_text("surface,code,org,sector,case_sensitive\nPeace Forum,IGO,,,\n",
                      encoding="utf-8")
    assert Coder(settings.with_(actors=(actors,))).version != with_actors
