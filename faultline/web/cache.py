"""The service a server runs: the analyses of a database remembered until it changes.

While the server runs, its database changes only through the server's own
uploads (DuckDB lets no other process write a file another process has open),
so the result of an analysis over the whole database holds until the next
upload. The relations, dyads, chains, triads, alerts, dependencies and counts
are kept, keyed by the call's arguments, in a bounded least-recently-used
table that every upload empties; a result being computed is computed once, the
other callers wait for it. The relations and alerts of one actor are those of
every pair, kept once, with that actor: asking for another actor costs nothing.
Pages of events are not kept: each is one scan.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from faultline.analysis.base import EVERYTHING, Scope
from faultline.service import Service
from faultline.service.options import actor_key

if TYPE_CHECKING:
    from starlette.requests import Request

T = TypeVar("T")

#: Results remembered at most.
CACHE_SIZE = 512


def served(request: Request) -> CachingService:
    """Return the service of the app that answers request."""
    service: CachingService = request.app.state.service
    return service


class CachingService(Service):
    """A Service that remembers its analyses' results until the database changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._results: OrderedDict[tuple[Any, ...], Future[Any]] = OrderedDict()
        self._results_lock = threading.Lock()
        self.generation = 0

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
        """Forget every result: the database has changed."""
        with self._results_lock:
            self._results.clear()
            self.generation += 1

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

    def dyad(self, *args: Any, **kw: Any) -> Any:
        return self._remember("dyad", lambda: super(CachingService, self).dyad(*args, **kw),
                              args, tuple(sorted(kw.items())))

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
        try:
            return super().ingest_records(records)
        finally:
            self.forget()
