"""The service layer: the one place where front ends open the database and run things.

    from faultline.service import Service, scope
    with Service(load_settings()) as service:
        for relation in service.relations(actor="ARM", scope=scope(since="2024-01-01")):
            print(relation.actors, relation.score)

The command line, the HTML report, the Python API and the web API to come are
thin adapters over it: they turn their user's input into calls of `Service`
methods (values checked once, in faultline.service.options) and render what
comes back (dataclasses with as_dict(), lists of them, Arrow tables). Nothing
here prints; every refusal is a FaultlineError subclass with one line that says
what to do.

Threads: one Service may serve every thread of a web server. Its database is
opened once, on first use (read-only unless writable=True), and each thread
queries it through a DuckDB cursor of its own (faultline.store.db explains the
model). Open one Service when the server starts and close it when it stops.
"""

from __future__ import annotations

from faultline.analysis.base import EVERYTHING, Scope
from faultline.service.core import Service
from faultline.service.lexicons import check_lexicons
from faultline.service.options import (
    actor_codes,
    actor_key,
    day,
    day_text,
    pair,
    period,
    scope,
)
from faultline.service.results import ActorLookup, Demo, LexiconCheck, ReportData, Summary

__all__ = [
    "EVERYTHING", "ActorLookup", "Demo", "LexiconCheck", "ReportData", "Scope", "Service",
    "Summary", "actor_codes", "actor_key", "check_lexicons", "day", "day_text", "pair",
    "period", "scope",
]
