"""The service a server runs: the analyses of a database remembered until it changes.

While the server runs, its database changes only through the server's own
uploads (DuckDB lets no other process write a file another process has open),
so the result of an analysis over the whole database holds until the next
upload. The relations, dyads, chains, triads, alerts, dependencies and counts
are kept, keyed by the call's arguments, in a bounded least-recently-used
table that every upload empties. Pages of events are not kept: each is one
indexed scan.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from faultline.service import Service

T = TypeVar("T")

#: Results remembered at most.
CACHE_SIZE = 512


class CachingService(Service):
    """A Service that remembers its analyses' results until the database changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._results: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._results_lock = threading.Lock()
        self.generation = 0

    def _remember(self, name: str, compute: Callable[[], T], *key: Any) -> T:
        """Return compute()'s result, computed once per database generation and key."""
        full = (name, self.generation, *key)
        with self._results_lock:
            if full in self._results:
                self._results.move_to_end(full)
                return self._results[full]
        result = compute()
        with self._results_lock:
            self._results[full] = result
            while len(self._results) > CACHE_SIZE:
                self._results.popitem(last=False)
        return result

    def forget(self) -> None:
        """Forget every result: the database has changed."""
        with self._results_lock:
            self._results.clear()
            self.generation += 1

    def relations(self, **kw: Any) -> Any:
        return self._remember("relations", lambda: super(CachingService, self).relations(**kw),
                              tuple(sorted(kw.items())))

    def dyad(self, *args: Any, **kw: Any) -> Any:
        return self._remember("dyad", lambda: super(CachingService, self).dyad(*args, **kw),
                              args, tuple(sorted(kw.items())))

    def chains(self, *args: Any, **kw: Any) -> Any:
        return self._remember("chains", lambda: super(CachingService, self).chains(*args, **kw),
                              args, tuple(sorted(kw.items())))

    def triads(self, **kw: Any) -> Any:
        return self._remember("triads", lambda: super(CachingService, self).triads(**kw),
                              tuple(sorted(kw.items())))

    def alerts(self, **kw: Any) -> Any:
        return self._remember("alerts", lambda: super(CachingService, self).alerts(**kw),
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
