"""What every analysis shares: the window and actor level, and the directed pairs of each event.

Every analysis reads `event_units` (one row per real-world event, however
many reports it had) and turns each into directed actor pairs: every source
actor with every target actor of the event, each distinct pair once. An
actor is its key: its country code ("RUS") or, for an organisation, the
organisation ("EU", "CSTO"; faultline/store/keys.py says which), or at
sector level its key and sector ("RUS:GOV", "EU:GOV"; "RUS" alone when the
sector is unknown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, cast

from faultline.errors import OptionError
from faultline.store import Store
from faultline.store.keys import generic_codes, node_sql

#: Periods the analyses group by, as DuckDB date_trunc parts.
PERIODS = ("day", "week", "month", "quarter", "year")


class Record:
    """Base of the analyses' results: frozen dataclasses that turn into JSON-ready data."""

    def as_dict(self) -> dict[str, Any]:
        """Return the record as JSON-ready data: dicts, lists, strings and numbers."""
        return asdict(cast(Any, self))


@dataclass(frozen=True)
class Scope:
    """Which events an analysis looks at: a date window and the actor level."""

    #: Only events dated on or after this day.
    since: dt.date | None = None
    #: Only events dated on or before this day.
    until: dt.date | None = None
    #: Key actors by code and sector ("RUS:GOV") instead of code alone.
    sectors: bool = False

    def params(self) -> dict[str, Any]:
        """Return the SQL parameters the pairs query needs."""
        return {"since": self.since, "until": self.until}


#: Every event, actors at country level.
EVERYTHING = Scope()


def actor_key(alias: str, sectors: bool, sep: str = ".") -> str:
    """Return the SQL expression of the key of an actor struct called alias (with
    sep="_", of the flat columns alias_code, alias_org, alias_sector)."""
    node = node_sql(f"{alias}{sep}code", f"{alias}{sep}org")
    if sectors:
        return f"{node} || coalesce(':' || {alias}{sep}sector, '')"
    return node


def _keys(side: str, sectors: bool) -> str:
    """Return the SQL list of the distinct actor keys of one side of a unit."""
    flat = "source" if side == "sources" else "target"
    single = actor_key(f"u.{flat}", sectors, sep="_")
    # Most events have one actor a side, copied into flat columns: read those,
    # and build the list of keys only for the others.
    return (f"CASE WHEN len(u.{side}) = 1 THEN [{single}] ELSE list_distinct("
            f"list_transform(u.{side}, lambda x: {actor_key('x', sectors)})) END")


def pairs_sql(scope: Scope, columns: str = "", among: bool = False) -> str:
    """Return a SELECT of the directed actor pairs (a -> b) of every event unit in scope.

    Each row is one (unit, a, b), each distinct pair of a unit once, unknown
    actors left out; `columns` adds further columns of the unit (prefix u.).
    Parameters: $since, $until; with among, also $codes: only units that may have
    an actor of one of these codes on each side are read (a quick test on the
    first actors' codes that keeps every unit an actor of those codes, or an
    organisation, could be in: the pairs found are the same, found sooner).
    """
    extra = f", {columns}" if columns else ""
    candidates = f"AND {_among('source')} AND {_among('target')}" if among else ""
    # Every source with every target: two levels of unnest in select lists
    # (DuckDB runs these far faster than lateral UNNEST joins).
    return f"""
    SELECT * FROM (
        SELECT * EXCLUDE (bs), unnest(bs) AS b
        FROM (
            SELECT u.cluster_id, unnest({_keys('sources', scope.sectors)}) AS a,
                   {_keys('targets', scope.sectors)} AS bs{extra}
            FROM event_units AS u
            WHERE ($since::DATE IS NULL OR u.date >= $since::DATE)
              AND ($until::DATE IS NULL OR u.date <= $until::DATE) {candidates}
        )
    )
    WHERE a IS NOT NULL AND b IS NOT NULL
    """


def _among(flat: str) -> str:
    """Return the SQL test that a unit's side (source, target) may hold an actor with one
    of the codes $codes: its first actor has one, or a code that names a kind of actor
    (an organisation's key is its name), or the side has more actors."""
    side = "sources" if flat == "source" else "targets"
    generic = ", ".join(f"'{c}'" for c in sorted(generic_codes()))
    return (f"(list_contains($codes::VARCHAR[], u.{flat}_code) OR u.{flat}_code IN ({generic}) "
            f"OR len(u.{side}) > 1)")


#: The middle of the period a partial date stands for (month and year dates are
#: stored as their first day), so that a month-dated event is not treated as
#: two weeks older than it probably is.
MID_DATE = ("(u.date + CASE u.date_precision WHEN 'month' THEN 14 WHEN 'year' THEN 182 "
            "ELSE 0 END)")


def parse_actor(text: str) -> tuple[str, str | None]:
    """Return (key, sector or None) of "RUS", "EU" or "RUS:GOV", refusing anything else."""
    code, _, sector = text.strip().partition(":")
    if not code or not code.replace("_", "").isalnum() or (sector and not sector.isalnum()):
        raise OptionError(
            f"actor {text!r} is not a code such as RUS, an organisation such as EU, or one "
            "of them and a sector such as RUS:GOV"
        )
    return code.upper(), sector.upper() or None


def check_period(by: str) -> str:
    """Return by if it is one of PERIODS, else raise with the list."""
    if by not in PERIODS:
        raise OptionError(f"unknown period {by!r}; choose one of {', '.join(PERIODS)}")
    return by


def ready(store: Store) -> Store:
    """Return store after checking it has event clusters (older databases may not)."""
    store.require_clusters()
    return store


def iso(value: dt.date | None) -> str | None:
    """Return a date as YYYY-MM-DD, or None."""
    return value.isoformat() if value is not None else None
