"""The service layer, called directly as the front ends call it, on a real database.

The database is the bundled sample corpus, made once per session by the
demo through the normal pipeline (ingest, then read-only analyses).
"""

from __future__ import annotations

import html
import io
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from builders import write_text

import faultline
from faultline.errors import NoDatabaseError, OptionError, SettingsError, StoreError
from faultline.models import Document
from faultline.service import Demo, Service, scope
from faultline.settings import Settings
from faultline.store import ClusterRules

BRIEF = """Talks in Yerevan
2024-03-01

Armenia and Georgia signed a transit agreement on Friday. Armenian officials condemned
the Russian decision to ban Armenian brandy imports.
"""
BRIEF_TWO = """Baku recalls envoy
2024-03-02

Azerbaijan recalled its ambassador from Moscow on Saturday. Russian police detained
seven Azerbaijani citizens in Yekaterinburg.
"""


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Demo:
    """The demo's run over the sample corpus, into a database of its own."""
    db = tmp_path_factory.mktemp("service") / "sample.duckdb"
    with Service(settings.with_(db=db)) as service:
        return service.demo()


@pytest.fixture
def service(demo: Demo, settings: Settings) -> Iterator[Service]:
    """A read-only service over the sample database."""
    with Service(settings.with_(db=demo.events.with_name("sample.duckdb"))) as served:
        yield served


def _plain(value: Any) -> Any:
    """Return records as JSON-ready data, floats to 9 digits (DuckDB sums in parallel)."""
    if hasattr(value, "as_dict"):
        value = value.as_dict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return round(value, 9) if isinstance(value, float) else value


# -- the demo and the summary ------------------------------------------------------


def test_demo_ingests_the_sample_and_returns_what_it_found(demo: Demo,
                                                           service: Service) -> None:
    summary = service.summary()
    assert demo.run.new_documents == summary.documents == 45
    assert demo.summary == summary and summary.events >= summary.clusters > 0
    assert sum(n for _, n in summary.by_type) == summary.events
    assert summary.first_date is not None and summary.last_date is not None
    assert summary.first_date <= summary.last_date
    lines = demo.events.read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary.events and json.loads(lines[0])["event"]
    assert demo.report.actors == service.busiest_actors()
    assert 0 < len(demo.relations) <= 8 and all(len(r.evidence) == 1 for r in demo.relations)
    assert any(t.actors == ("ARM", "AZE", "RUS") for t in demo.triads)


def test_the_report_shows_each_dependency_with_its_latest_statement(demo: Demo) -> None:
    from faultline.report import render

    page = render(demo.report)
    assert demo.report.dependencies
    for edge in demo.report.dependencies:
        latest = html.escape(edge["evidence"][-1]["text"])
        assert f'<div class="sentence">{latest}</div></td></tr>' in page


# -- scopes --------------------------------------------------------------------------


def test_scope_keeps_the_events_of_its_window(service: Service) -> None:
    every = service.relations()
    since = service.relations(scope=scope(since="2023-01-01"))
    assert sum(r.events for r in since) < sum(r.events for r in every)
    assert all(r.first_date is not None and r.first_date >= "2023-01-01" for r in since)
    until = service.relations(scope=scope(until="2022-12-31"))
    assert all(r.last_date is not None and r.last_date <= "2022-12-31" for r in until)
    assert {r.actors for r in since} | {r.actors for r in until} <= {r.actors for r in every}


@pytest.mark.parametrize(("window", "message"), [
    ({"since": "2023-13-01"}, "--since '2023-13-01' is not a date; use YYYY-MM-DD"),
    ({"until": "last week"}, "--until 'last week' is not a date; use YYYY-MM-DD"),
])
def test_scope_refuses_a_bad_date_in_one_line(window: dict[str, str], message: str) -> None:
    with pytest.raises(OptionError) as info:
        scope(**window)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_an_actor_with_a_sector_compares_at_sector_level(service: Service) -> None:
    pairs = service.relations(actor="rus:gov")
    assert pairs and all("RUS:GOV" in r.actors for r in pairs)
    assert [r.actors for r in service.relations(actor="rus")] == [
        r.actors for r in service.relations(actor="RUS")]
    triangles = _plain(service.triads(actor="ARM"))
    assert triangles and _plain(service.triads(actor="arm")) == triangles


def test_chains_need_two_actors_or_none(service: Service) -> None:
    with pytest.raises(OptionError, match="give two actors"):
        service.chains("ARM")
    pair = service.chains("AZE", "RUS")
    assert pair and all(c.actors == ("AZE", "RUS") for c in pair)
    assert len(service.chains()) > len(pair)
    shorter = service.using(chain_days=1).chains("AZE", "RUS")
    # a shorter window breaks the longest chain apart
    assert max(len(c.steps) for c in shorter) < max(len(c.steps) for c in pair)


def test_report_data_names_the_busiest_actors_unless_told(service: Service) -> None:
    data = service.report_data("arm, aze,RUS", by="year")
    assert data.actors == ("ARM", "AZE", "RUS")
    assert all(set(r["actors"]) <= set(data.actors) for r in data.relations)
    assert {"actors": ["ARM", "AZE"], "periods": [p.as_dict() for p in service.dyad(
        "ARM", "AZE", by="year")]} in data.timelines
    # ready for an HTTP response as it is
    sent = json.loads(json.dumps(data.as_dict()))
    assert [t["actors"] for t in sent["timelines"]] == [t["actors"] for t in data.timelines]
    with pytest.raises(OptionError, match="at least two actors"):
        service.report_data("ARM")
    with pytest.raises(OptionError, match="unknown period 'fortnight'"):
        service.report_data(by="fortnight")


def test_using_changes_settings_and_shares_the_open_database(service: Service,
                                                             tmp_path: Path) -> None:
    assert service.using(half_life_days=30).store is service.store
    assert service.using(half_life_days=30).scoring.half_life_days == 30
    with pytest.raises(SettingsError):
        service.using(half_life_days=0)
    with pytest.raises(NoDatabaseError):
        service.using(db=tmp_path / "other.duckdb").relations()


def test_actors_lookup_explains_and_lists_what_is_stored(service: Service,
                                                         tmp_path: Path) -> None:
    found = service.actors("Lavrov", date="2024-01-01")
    assert found.stored and any("Sergey Lavrov -> RUS GOV" in x for x in found.explanation)
    assert found.people[0]["name"] == "Sergey Lavrov"
    assert any("Lavrov" in text for text, *_ in found.mentions)
    nothing = Service(Settings(db=tmp_path / "none.duckdb")).actors("Lavrov")
    assert not nothing.stored and nothing.explanation and nothing.mentions == []
    with pytest.raises(OptionError, match="--date 'yesterday' is not a date"):
        service.actors("Lavrov", date="yesterday")


def test_export_to_a_stream_writes_what_export_to_a_file_writes(service: Service,
                                                               tmp_path: Path) -> None:
    stream = io.BytesIO()
    n = service.export("csv", stream)
    assert n == service.export("csv", tmp_path / "events.csv") == service.summary().events
    assert stream.getvalue() == (tmp_path / "events.csv").read_bytes()
    with pytest.raises(OptionError, match="unknown export format 'xml'"):
        service.export("xml", io.BytesIO())


# -- no database, dates, read-only -----------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda s: s.relations(), lambda s: s.dyad("ARM", "AZE"), lambda s: s.chains(),
    lambda s: s.triads(), lambda s: s.clusters(), lambda s: s.dependencies(),
    lambda s: s.summary(), lambda s: s.report_data(), lambda s: s.recluster(),
    lambda s: s.export("plover", io.BytesIO()),
], ids=["relations", "dyad", "chains", "triads", "clusters", "dependencies", "summary",
        "report", "recluster", "export"])
def test_without_a_database_every_reader_says_to_ingest_first(
    call: Callable[[Service], Any], tmp_path: Path
) -> None:
    missing = tmp_path / "none.duckdb"
    with pytest.raises(NoDatabaseError) as info:
        call(Service(Settings(db=missing)))
    assert str(info.value) == f"no database at {missing}; run `faultline ingest` first"
    assert not missing.exists()


def test_bad_dates_stop_code_and_ingest_before_anything_is_read(tmp_path: Path,
                                                               settings: Settings) -> None:
    db = tmp_path / "new.duckdb"
    served = Service(settings.with_(db=db))
    with pytest.raises(OptionError) as info:
        served.code([str(tmp_path / "missing.txt")], date="July 4")
    assert str(info.value) == "--date 'July 4' is not a date; use YYYY-MM-DD"
    with pytest.raises(OptionError, match="--date '2025-02-30' is not a date"):
        served.ingest([str(tmp_path)], date="2025-02-30")
    assert not db.exists()
    with pytest.raises(OptionError, match="--date 'July 4'"):
        faultline.code_text("Armenia recalled its ambassador.", date="July 4",
                            settings=settings)


def test_a_read_only_store_refuses_writes_with_a_clear_message(service: Service) -> None:
    store = service.store
    before = store.counts()
    assert store.read_only
    document = Document.from_text("Armenia recalled its ambassador.", origin="tests")
    with pytest.raises(StoreError) as info:
        store.write([document], [])
    assert str(info.value) == f"database {store.path} was opened read-only; cannot write"
    with pytest.raises(StoreError, match="opened read-only"):
        store.recluster(ClusterRules())
    with pytest.raises(StoreError, match="read-only mode"):
        store.query("DELETE FROM events")
    assert store.counts() == before


def test_ingest_through_a_service_that_is_reading_the_database(tmp_path: Path,
                                                               settings: Settings) -> None:
    db = tmp_path / "grow.duckdb"
    with Service(settings.with_(db=db)) as served:
        served.ingest([str(write_text(tmp_path / "a", "one.txt", BRIEF))])
        assert served.summary().documents == 1 and served.store.read_only
        # the read-only connection is let go, so that ingest can write
        report = served.ingest([str(write_text(tmp_path / "b", "two.txt", BRIEF_TWO))])
        assert report.new_documents == 1
        assert served.summary().documents == 2
        assert served.recluster()["events"] == served.summary().events


# -- threads -------------------------------------------------------------------------


def test_one_service_answers_many_threads_at_once(demo: Demo, settings: Settings) -> None:
    db = demo.events.with_name("sample.duckdb")

    def everything(served: Service) -> list[Any]:
        return _plain([served.relations(evidence=2), served.dyad("ARM", "AZE", by="year"),
                       served.chains("AZE", "RUS"), served.triads(by="year"),
                       served.clusters(min_mentions=1, limit=5), served.dependencies(),
                       served.summary().__dict__])

    with Service(settings.with_(db=db)) as alone:
        expected = everything(alone)
    threads = 8
    start = threading.Barrier(threads)
    # a fresh service: the threads also race to open the database
    with Service(settings.with_(db=db)) as shared:

        def work(_: int) -> list[list[Any]]:
            start.wait()
            return [everything(shared) for _ in range(3)]

        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(work, range(threads)))
        store = shared.store
    assert [r for rounds in results for r in rounds] == [expected] * (threads * 3)
    with pytest.raises(StoreError, match="is closed"):
        store.counts()
