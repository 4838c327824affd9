"""The service a server runs: the analyses of a database remembered until it changes.

While the server runs, its database changes only through the server's own
uploads (DuckDB lets no other process write a file another process has open),
so the result of an analysis over the whole database holds until the next
upload. The relations, dyads, chains, triads, alerts, dependencies and counts
are kept, keyed by the call's arguments, in a bounded least-recently-used
table that every upload empties; a result being computed is computed once, the
other callers wait for it. The relations and alerts of one actor are those of
every pair, kept once, with that actor: asking for another actor costs nothing.

Pages of events and dyads are not kept: every filter and pair is another. Once
prepare() has run (`faultline serve` runs it as it starts), the service keeps
an index of the database as it is, in a scratch database in memory: every
event's actor keys and pairs (store/browse.py) and every event unit's pairs
(analysis/dyads.py), so that a page filtered by an actor or a pair, or a dyad,
reads only that actor's or pair's rows. Until the index is made, and from an
upload until it is made again (in the background), they scan the events:
slower, the same results.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from faultline.analysis.base import EVERYTHING, Scope
from faultline.errors import FaultlineError
from faultline.service import Service
from faultline.service.options import actor_key

if TYPE_CHECKING:
    from starlette.requests import Request

    from faultline.analysis.dyads import DyadPeriod
    from faultline.store import Store
    from faultline.store.browse import EventIndex

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Results remembered at most.
CACHE_SIZE = 512


def served(request: Request) -> CachingService:
    """Return the service of the app that answers request."""
    service: CachingService = request.app.state.service
    return service


@dataclass(frozen=True)
class _Index:
    """The index of one version of the database, in a scratch database of its store."""

    store: Store
    generation: int
    events: EventIndex
    #: The table of every event unit's pairs (analysis.dyads.index_dyads).
    dyads: str


class CachingService(Service):
    """A Service that remembers its analyses' results until the database changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._results: OrderedDict[tuple[Any, ...], Future[Any]] = OrderedDict()
        self._results_lock = threading.Lock()
        self.generation = 0
        self._index: _Index | None = None
        #: Held while an index is made or let go: one at a time.
        self._indexing = threading.Lock()
        #: Whether prepare() was asked for (an upload then makes the index again).
        self._prepared = False
        self._closed = False
        #: The scratch database the index is in, and the store it is attached to.
        self._scratch: tuple[Store, str] | None = None
        #: Tables of the index before the current one.
        self._retired: list[str] = []

    def _remember(self, name: str, compute: Callable[[], T], *key: Any) -> T:
        """Return compute()'s result, computed once per database generation and key."""
        full = (name, self.generation, *key)
        with self._results_lock:
            future = self._results.get(full)
            mine = future is None
            if future is None:
                future = self._results[full] = Future()
                while len(self._results) > CACHE_SIZE:
                    self._results.popitem(last=False)
            else:
                self._results.move_to_end(full)
        if mine:
            try:
                future.set_result(compute())
            except BaseException as exc:
                # an error is not remembered: the next caller tries again
                with self._results_lock:
                    if self._results.get(full) is future:
                        del self._results[full]
                future.set_exception(exc)
        result: T = future.result()
        return result

    def forget(self) -> None:
        """Forget every result and stop reading the index: the database has changed (or is
        about to)."""
        with self._results_lock:
            self._results.clear()
            self.generation += 1

    # -- the index ----------------------------------------------------------------------

    def prepare(self) -> None:
        """Make the index of the database as it is now, unless it is made (this takes a
        while: a few seconds for a million events); from then on, every upload makes it
        again. After close(), nothing."""
        self._prepared = True
        with self._indexing:
            if not self._closed and self._current() is None:
                self._make_index()

    def _make_index(self) -> None:
        from faultline.analysis.dyads import index_dyads
        from faultline.store.browse import (
            attach_scratch,
            compact_scratch,
            drop_tables,
            index_events,
        )

        store, generation, old = self.store, self.generation, self._index
        if self._scratch is None or self._scratch[0] is not store:
            # the first index, or the store was closed and opened again (and the old
            # index went with it)
            self._scratch, old, self._retired = (store, attach_scratch(store)), None, []
        scratch = self._scratch[1]
        tag = f"v{generation}"
        events = index_events(store, scratch, tag)
        dyads = f"{scratch}.dyads_{tag}"
        if self._closed:  # close() waits for this: stop early
            return
        index_dyads(store, dyads)
        self._index = _Index(store, generation, events, dyads)
        # a request that took the previous index just before runs on: its tables are
        # dropped when the next one is made
        drop_tables(store, self._retired)
        self._retired = [old.events.actors, old.events.pairs, old.dyads] if old else []
        if not self._closed:
            # compressed while it serves (a fifth of the memory)
            compact_scratch(store, scratch)

    def _current(self) -> _Index | None:
        """Return the index of the database as it is, if it is made."""
        index = self._index
        if (index is None or index.generation != self.generation or self._closed
                or index.store is not self.store):
            return None
        return index

    def event_index(self) -> EventIndex | None:
        index = self._current()
        return index.events if index is not None else None

    @property
    def closed(self) -> bool:
        """Whether close() was called: the service is let go."""
        return self._closed

    def close(self) -> None:
        self._closed = True
        # an index being made is let finish its step (its queries run on the store's
        # cursors); a scratch database lives as long as the DuckDB database it is
        # attached to, which other connections to the file may keep open: let it go
        with self._indexing:
            scratch, self._scratch, self._index = self._scratch, None, None
            if scratch is not None:
                from faultline.store.browse import detach_scratch

                try:
                    detach_scratch(*scratch)
                except FaultlineError as exc:  # the store is closed already
                    log.debug("could not detach %s: %s", scratch[1], exc)
        super().close()

    def relations(self, *, actor: str | None = None, scope: Scope = EVERYTHING,
                  evidence: int = 3, min_events: int = 1) -> Any:
        if actor is not None:
            key, sector = actor_key(actor)
            every = self.relations(scope=replace(scope, sectors=True) if sector else scope,
                                   evidence=evidence, min_events=min_events)
            return [r for r in every if key in r.actors]
        return self._remember("relations", lambda: super(CachingService, self).relations(
            scope=scope, evidence=evidence, min_events=min_events), scope, evidence, min_events)

    def alerts(self, *, actor: str | None = None, scope: Scope = EVERYTHING,
               days: int | None = None, threshold: float | None = None, min_events: int = 2,
               history: int = 12, evidence: int = 5, limit: int | None = None) -> Any:
        if actor is not None:
            key, sector = actor_key(actor)
            every = self.alerts(scope=replace(scope, sectors=True) if sector else scope,
                                days=days, threshold=threshold, min_events=min_events,
                                history=history, evidence=evidence)
            return [a for a in every if key in a.actors][:limit]
        found = self._remember("alerts", lambda: super(CachingService, self).alerts(
            scope=scope, days=days, threshold=threshold, min_events=min_events,
            history=history, evidence=evidence), scope, days, threshold, min_events, history,
            evidence)
        return found[:limit]

    def dyad(self, a: str, b: str, *, by: str = "month", scope: Scope = EVERYTHING
             ) -> list[DyadPeriod]:
        def compute() -> list[DyadPeriod]:
            from faultline.analysis.dyads import dyad

            index = self._current()
            if index is None:
                return super(CachingService, self).dyad(a, b, by=by, scope=scope)
            return dyad(index.store, a, b, by=by, scope=scope, index=index.dyads)

        return self._remember("dyad", compute, a, b, by, scope)

    def chains(self, *args: Any, **kw: Any) -> Any:
        return self._remember("chains", lambda: super(CachingService, self).chains(*args, **kw),
                              args, tuple(sorted(kw.items())))

    def triads(self, **kw: Any) -> Any:
        return self._remember("triads", lambda: super(CachingService, self).triads(**kw),
                              tuple(sorted(kw.items())))

    def dependencies(self, actor: str | None = None) -> Any:
        return self._remember("dependencies",
                              lambda: super(CachingService, self).dependencies(actor), actor)

    def summary(self, *, dyads: int = 10) -> Any:
        return self._remember("summary", lambda: super(CachingService, self).summary(
            dyads=dyads), dyads)

    def ingest_records(self, records: Any) -> Any:
        # forgotten before (nothing read while the database changes is kept, nor the
        # index read) and after (nor anything computed meanwhile)
        self.forget()
        try:
            return super().ingest_records(records)
        finally:
            self.forget()
            if self._prepared and not self._closed:
                threading.Thread(target=self._prepare_quietly, daemon=True).start()

    def _prepare_quietly(self) -> None:
        """Make the index again after an upload; a failure leaves the pages scanning."""
        try:
            self.prepare()
        except FaultlineError as exc:
            log.warning("could not make the index of the database again: %s", exc)
