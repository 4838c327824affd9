"""The server's index of events by actor and pair (faultline.web.cache, made by
store/browse.py and analysis/dyads.py): every page and pair timeline it answers is the
one a scan of the events gives, on the sample corpus, for every actor and pair in it,
at country and at sector level, with the other filters, sorts and cursors; and an
upload makes it again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webtools import rounded

from faultline.analysis.base import Scope
from faultline.analysis.dyads import dyad
from faultline.errors import StoreError
from faultline.service import Service, scope
from faultline.settings import Settings
from faultline.store.browse import EventFilter, EventIndex, event_page
from faultline.web.cache import CachingService

SORTS = ("-date", "intensity", "-confidence")


@pytest.fixture(scope="module")
def indexed(web_settings: Settings) -> Iterator[CachingService]:
    """A server's service over the sample database, its index made."""
    with CachingService(web_settings) as service:
        service.prepare()
        yield service


@pytest.fixture(scope="module")
def keys(indexed: CachingService) -> list[str]:
    """Every actor key of the sample's relationships, at country and at sector level,
    and some that no event has."""
    found = {a for r in indexed.relations(evidence=0) for a in r.actors}
    found |= {a for r in indexed.relations(evidence=0, scope=Scope(sectors=True))
              for a in r.actors}
    assert {"ARM", "EU", "ARM:GOV", "EU:GOV"} <= found and len(found) > 40
    return sorted(found | {"IGO", "XYZ", "ARM:XYZ"})


@pytest.fixture(scope="module")
def pairs(indexed: CachingService) -> list[tuple[str, str]]:
    """Every pair of the sample's relationships at country level, and some more: at sector
    level, domestic, and none."""
    found = [r.actors for r in indexed.relations(evidence=0)]
    assert ("ARM", "AZE") in found and len(found) > 20
    return [*found, ("ARM:GOV", "AZE"), ("AZE:MIL", "ARM:MIL"), ("RUS", "AZE:GOV"),
            ("EU:GOV", "ARM"), ("ARM:GOV", "ARM:OPP"), ("ARM", "ARM"), ("ARM", "XYZ")]


def _index(service: CachingService) -> EventIndex:
    index = service.event_index()
    assert index is not None
    return index


def _pages(service: CachingService, f: EventFilter, sort: str, index: EventIndex | None,
           limit: int = 9) -> list[tuple[list[str], int]]:
    """Return every page of f in sort order (ids and total), following the cursors."""
    pages, cursor = [], None
    while True:
        page = event_page(service.store, f, sort=sort, cursor=cursor, limit=limit,
                          index=index)
        pages.append((page.ids, page.total))
        cursor = page.next
        if cursor is None:
            return pages


def _same_pages(service: CachingService, f: EventFilter, sorts: tuple[str, ...] = SORTS
                ) -> int:
    """Assert that f's pages read through the index are those a scan gives; return how
    many events f keeps."""
    index = _index(service)
    for sort in sorts:
        assert _pages(service, f, sort, index) == _pages(service, f, sort, None), (f, sort)
    return _pages(service, f, sorts[0], None)[0][1]


def test_every_actors_pages_are_the_scans(indexed: CachingService, keys: list[str]
                                          ) -> None:
    totals = {key: _same_pages(indexed, indexed.event_filter(actor=key)) for key in keys}
    assert totals["ARM"] > totals["ARM:GOV"] > 0 and totals["EU"] > 0
    assert totals["XYZ"] == totals["ARM:XYZ"] == 0


def test_every_pairs_pages_are_the_scans(indexed: CachingService,
                                         pairs: list[tuple[str, str]]) -> None:
    totals = {(a, b): _same_pages(indexed, indexed.event_filter(pair=(a, b)), ("-date",))
              for a, b in pairs}
    assert totals[("ARM", "AZE")] > 10 and totals[("ARM", "XYZ")] == 0
    assert totals[("ARM", "AZE")] > totals[("ARM:GOV", "AZE")] > 0
    for a, b in pairs[-7:]:
        _same_pages(indexed, indexed.event_filter(pair=(b, a)))


@pytest.mark.parametrize("filters", [
    {"actor": "ARM", "type": "ACCUSE,ASSAULT"},
    {"actor": "AZE:GOV", "quad": "3,4", "since": "2021-01-01"},
    {"pair": "ARM,AZE", "since": "2020-10-01", "until": "2023-12-31"},
    {"pair": "AZE,RUS:MIL", "quad": "4"},
    {"actor": "RUS", "pair": "ARM,AZE"},
    {"actor": "EU", "pair": "ARM:GOV,EU"},
    {"actor": "ARM", "q": "border"},
    {"pair": "ARM,AZE", "place": "AZ"},
    {"actor": "ARM:GOV", "org": "EU"},
    {"actor": "AZE", "mode": "arrest"},
])
def test_the_index_with_other_filters_gives_the_scans_pages(
        indexed: CachingService, filters: dict[str, str]) -> None:
    _same_pages(indexed, indexed.event_filter(**filters))


def test_the_service_reads_the_index_and_answers_as_a_plain_one(
        indexed: CachingService, web_settings: Settings) -> None:
    where = {"pair": "ARM,AZE", "type": "ASSAULT"}
    with Service(web_settings) as plain:
        first = plain.events(plain.event_filter(**where), limit=5)
        again = plain.events(plain.event_filter(**where), limit=5, cursor=first.next)
    assert indexed.event_index() is not None
    page = indexed.events(indexed.event_filter(**where), limit=5)
    assert page == first and page.total > 5
    assert indexed.events(indexed.event_filter(**where), limit=5, cursor=page.next) == again


def test_every_pairs_timeline_is_the_scans(indexed: CachingService,
                                          pairs: list[tuple[str, str]]) -> None:
    index = indexed._current()
    assert index is not None
    store = indexed.store
    seen = 0
    for a, b in pairs:
        for by, span in (("month", scope()), ("year", scope("2021-01-01", "2023-06-30"))):
            found = [p.as_dict() for p in dyad(store, a, b, by=by, scope=span,
                                               index=index.dyads)]
            scanned = [p.as_dict() for p in dyad(store, a, b, by=by, scope=span)]
            assert rounded(found) == rounded(scanned), (a, b, by)
            seen += len(found)
    assert seen > 50
    assert (rounded([p.as_dict() for p in indexed.dyad("AZE", "ARM", by="year")])
            == rounded([p.as_dict() for p in dyad(store, "AZE", "ARM", by="year")]))


ARTICLE = {"title": "Border talks", "date": "2025-11-03",
           "text": "Armenia and Azerbaijan signed a border agreement in Tbilisi on Monday. "
                   "Russia condemned the agreement."}


def test_an_upload_makes_the_index_again(web_settings: Settings, writable_db: Path,
                                         token: str) -> None:
    settings = web_settings.with_(db=writable_db, token=token)
    with CachingService(settings, writable=True) as service:
        service.prepare()
        old = _index(service)
        before = service.events(service.event_filter(pair="AZE,RUS")).total
        stored = service.ingest_records([ARTICLE])  # RUS accuses ARM and AZE
        assert stored.new_events >= 2
        # whether the index is made again yet or not, the pages hold the new events
        after = service.events(service.event_filter(pair="AZE,RUS"))
        assert after.total == before + 1
        service.prepare()  # waits for the index being made again
        assert _index(service) != old
        assert service.events(service.event_filter(pair="AZE,RUS")) == after
        _same_pages(service, service.event_filter(actor="ARM"))
        _same_pages(service, service.event_filter(pair="ARM,RUS", since="2025-01-01"))


def test_a_closed_service_lets_its_index_go(web_settings: Settings) -> None:
    # another connection to the file keeps DuckDB's database (and what is attached to
    # it) open after the service closes
    with Service(web_settings) as other:
        service = CachingService(web_settings)
        service.prepare()
        index = _index(service)
        count = f"SELECT count(*) FROM {index.actors}"
        assert other.store.query(count) == service.store.query(count) != [(0,)]
        service.close()
        assert service.event_index() is None
        with pytest.raises(StoreError, match=index.actors.split(".")[0]):
            other.store.query(count)
