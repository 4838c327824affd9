"""The rounds of `faultline watch`: fetch every source, fetch the articles it lists that
were never seen, read their text, ingest it, and say what came of it.

A round is done in five steps:

1. the database gives each source's validators (ETag, Last-Modified), and every
   source is asked with them: one that did not change answers 304 and is done;
2. the articles the others list are looked up: a page a round already finished
   with, or whose address a stored document has, is not fetched again;
3. the new pages are fetched (at most the feed_max_pages setting per source, the
   sources taken in turn so that one host's pause is another's turn) and their
   main text read;
4. the texts go through the service's ingest (the JSON lines reader, the
   pipeline and the store, which keeps one copy of every text);
5. the database remembers the pages done with and, for each source whose pages
   were all done with, its validators. A source with a page that failed for a
   while (a timeout, a 5xx) or pages left for later keeps its old validators,
   so the next round reads it again and tries those pages; a page that failed
   MAX_TRIES rounds in a row is given up.

Nothing that goes wrong with one source or page stops the others: each
becomes a Problem with a one-line reason.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, Protocol

from faultline.errors import DatabaseBusyError, FeedError
from faultline.feeds.fetch import Fetcher
from faultline.feeds.parse import Entry, Listing, page_document, read_listing
from faultline.feeds.sources import Source
from faultline.settings import Settings

if TYPE_CHECKING:
    from faultline.store import Store
    from faultline.store.feeds import Validators

log = logging.getLogger(__name__)

#: Records handed to the ingest at once.
INGEST_CHUNK = 500
#: Rounds in a row a page may fail for a while (a timeout, a 5xx) before it is given up.
MAX_TRIES = 3


@dataclass(frozen=True)
class Problem:
    """A source or page a round could not use, and why (one line)."""

    url: str
    reason: str
    #: True when the next round tries it again.
    transient: bool = False


class Uploaded(Protocol):
    """What the service's ingest of records says (faultline.service.views.Upload)."""

    @property
    def new_documents(self) -> int: ...
    @property
    def already_stored(self) -> int: ...
    @property
    def new_events(self) -> int: ...
    @property
    def skipped(self) -> list[dict[str, str]]:
        """The records that could not be read: {"record": "line N" (from 1), "reason"}."""


@dataclass(frozen=True)
class Ingested:
    """What the ingest made of a round's records: which were skipped, and why (by index)."""

    new_documents: int
    already_stored: int
    new_events: int
    skipped: dict[int, str]


@dataclass
class Round:
    """What one round did."""

    number: int
    started: datetime
    sources: int = 0
    #: Sources that answered 304 Not Modified, and those that could not be read.
    unchanged: int = 0
    unreadable: int = 0
    #: Articles listed that were seen before (not fetched).
    already_seen: int = 0
    #: Pages fetched and read, and what the ingest made of them.
    pages: int = 0
    new_documents: int = 0
    already_stored: int = 0
    #: New pages beyond feed_max_pages, left for the next round.
    waiting: int = 0
    #: The new events, PLOVER records with their document's title, oldest date first.
    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


#: Opens the database for writing (made if need be); the caller closes it.
OpenStore = Callable[[], AbstractContextManager["Store"]]
#: Ingests JSON records {text, title?, date?, url?, source?, byline?}.
Ingest = Callable[[Sequence[dict[str, Any]]], Uploaded]


def watch(sources: Sequence[Source], settings: Settings, *, open_store: OpenStore,
          ingest: Ingest, every: float, once: bool = False,
          sleep: Callable[[float], None] = time.sleep,
          on_fetch: Callable[[str], None] | None = None) -> Iterator[Round]:
    """Yield the rounds over sources, one every `every` seconds (counted from the start of
    the one before), for ever or, with once, just one; on_fetch is told each address as
    it is asked for. A round that finds the database kept by another process for longer
    than lock_wait is a round with that problem, unless once (then DatabaseBusyError)."""
    with Fetcher(settings, sleep=sleep, on_fetch=on_fetch) as fetcher:
        number = 0
        while True:
            number += 1
            started = time.monotonic()
            try:
                yield watch_round(sources, fetcher, number=number, open_store=open_store,
                                  ingest=ingest, max_pages=settings.feed_max_pages)
            except DatabaseBusyError as exc:
                if once:
                    raise
                # another process kept the database: what this round read comes again
                # in the next one (the store keeps one copy of each text)
                busy = Round(number, datetime.now(UTC), sources=len(sources))
                busy.problems.append(Problem(str(settings.db), str(exc), transient=True))
                yield busy
            if once:
                return
            sleep(max(0.0, every - (time.monotonic() - started)))


def watch_round(sources: Sequence[Source], fetcher: Fetcher, *, open_store: OpenStore,
                ingest: Ingest, max_pages: int = 100, number: int = 1) -> Round:
    """Run one round over sources, fetching at most max_pages new pages of each (the
    module's docstring says how), and return what it did."""
    from faultline.store import feeds as state
    from faultline.store.browse import event_records

    found = Round(number, datetime.now(UTC), sources=len(sources))
    with open_store() as store:
        state.ensure_feed_tables(store)
        known = state.source_validators(store, [s.url for s in sources])
    #: Sources that keep their old validators: the next round must read them again.
    again: set[Source] = set()
    listings: dict[Source, tuple[Listing, Validators]] = {}
    for source in sources:
        listing = _listing(source, fetcher, known.get(source.url), found, again)
        if listing is not None:
            listings[source] = listing
    with open_store() as store:
        seen = state.seen_pages(store, [e.url for listing, _ in listings.values()
                                        for e in listing.entries], MAX_TRIES)
    queues = {s: _unseen(s, listing.entries, seen, max_pages, found, again)
              for s, (listing, _) in listings.items()}
    pages = _fetch_pages(queues, {s: listing.name for s, (listing, _) in listings.items()},
                         fetcher, found, again)
    result = _ingest([record for record, _ in pages.read], ingest)
    for index, reason in result.skipped.items():
        found.problems.append(Problem(pages.read[index][1][0], reason))
        pages.done.update(dict.fromkeys(pages.read[index][1], reason))
    found.new_documents, found.already_stored = result.new_documents, result.already_stored
    log.info("round %d: %d pages read, %d new documents, %d problems", number, found.pages,
             found.new_documents, len(found.problems))
    with open_store() as store:
        state.mark_pages(store, pages.done)
        state.count_failures(store, pages.failed)
        state.save_validators(store, {s.url: validators for s, (_, validators)
                                      in listings.items() if s not in again})
        if result.new_events:
            urls = [record["url"] for record, _ in pages.read]
            found.events = event_records(store, state.new_event_ids(store, urls,
                                                                    found.started))
    return found


def _listing(source: Source, fetcher: Fetcher, validators: Validators | None,
             found: Round, again: set[Source]) -> tuple[Listing, Validators] | None:
    """Return what source lists (and the validators of its answer), or None when it did
    not change or cannot be read (a Problem in found)."""
    try:
        fetched = fetcher.get(source.url, validators)
        if fetched is None:
            found.unchanged += 1
            return None
        listing = read_listing(fetched, source.kind)
    except FeedError as exc:
        found.problems.append(Problem(source.url, str(exc), exc.transient))
        found.unreadable += 1
        return None
    for url in listing.sitemaps:  # an index of sitemaps: one level down, no further
        try:
            child = fetcher.get(url)
            if child is not None:
                listing.entries.extend(read_listing(child, "sitemap").entries)
        except FeedError as exc:
            found.problems.append(Problem(url, str(exc), exc.transient))
            again.add(source)
    return listing, fetched.validators


def _unseen(source: Source, entries: list[Entry], seen: set[str], limit: int, found: Round,
            again: set[Source]) -> list[Entry]:
    """Return the first `limit` of entries not seen before, each address once; count the
    seen ones and those left for the next round in found."""
    unseen: dict[str, Entry] = {}
    for entry in entries:
        if entry.url not in seen:
            unseen.setdefault(entry.url, entry)
    fresh = list(unseen.values())
    found.already_seen += len({e.url for e in entries}) - len(fresh)
    if len(fresh) > limit:
        found.waiting += len(fresh) - limit
        again.add(source)
    return fresh[:limit]


@dataclass
class _Pages:
    """The pages a round fetched: each read one's record and its addresses (as listed,
    then where it redirected to), and every address done with, with why it was refused
    (None: read)."""

    read: list[tuple[dict[str, Any], tuple[str, ...]]] = field(default_factory=list)
    done: dict[str, str | None] = field(default_factory=dict)
    #: The pages that failed for a while, and why.
    failed: dict[str, str] = field(default_factory=dict)


def _fetch_pages(queues: dict[Source, list[Entry]], names: dict[Source, str | None],
                 fetcher: Fetcher, found: Round, again: set[Source]) -> _Pages:
    """Fetch the queued pages, the sources taken in turn, and read their text."""
    pages = _Pages()
    tried: set[str] = set()
    turns = zip_longest(*([(s, e) for e in queue] for s, queue in queues.items()))
    for source, entry in (item for turn in turns for item in turn if item is not None):
        if entry.url in tried:  # listed by two sources
            continue
        tried.add(entry.url)
        try:
            if not fetcher.allowed(entry.url):
                raise FeedError("its site's robots.txt does not allow fetching it")
            fetched = fetcher.get(entry.url)
            if fetched is None:
                continue
            document = page_document(fetched)
        except FeedError as exc:
            found.problems.append(Problem(entry.url, str(exc), exc.transient))
            if exc.transient:
                pages.failed[entry.url] = str(exc)
                again.add(source)
            else:
                pages.done[entry.url] = str(exc)
            continue
        found.pages += 1
        addresses = tuple(dict.fromkeys((entry.url, fetched.url)))
        record = {"text": document.text, "title": document.title or entry.title,
                  "date": document.date or entry.date, "url": fetched.url,
                  "source": document.source or names.get(source), "byline": document.byline}
        pages.read.append(({k: v for k, v in record.items() if v is not None}, addresses))
        pages.done.update(dict.fromkeys(addresses))
    return pages


def _ingest(records: list[dict[str, Any]], ingest: Ingest) -> Ingested:
    """Ingest records a chunk at a time; return the sums (skips indexed into records)."""
    new_documents = already_stored = new_events = 0
    skipped: dict[int, str] = {}
    for start in range(0, len(records), INGEST_CHUNK):
        result = ingest(records[start:start + INGEST_CHUNK])
        new_documents += result.new_documents
        already_stored += result.already_stored
        new_events += result.new_events
        for skip in result.skipped:
            where = re.fullmatch(r"line (\d+)", skip.get("record", ""))
            if where is not None:
                reason = skip.get("reason", "")
                skipped[start + int(where.group(1)) - 1] = reason.removeprefix(
                    f"{where.group(0)}: ")
    return Ingested(new_documents, already_stored, new_events, skipped)
