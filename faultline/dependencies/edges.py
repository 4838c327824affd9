"""Edges of dependence: the stored statements grouped by supplier, dependent and good.

One edge says "Armenia depends on Russia for gas": how many statements say
so, in how many documents, in what kinds of words (supply, reliance,
control...), the share stated (the one stated most often; among equals, the
latest), and every statement as evidence. faultline.service serves them to the command
line, the report and the Python API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faultline.store import Store


@dataclass(frozen=True)
class DependencyEdge:
    """supplier -> dependent for one good, with the statements that say so."""

    supplier: str
    dependent: str
    #: The good (gas, trade, arms...), None for a dependence with no good named.
    good: str | None
    good_sector: str | None
    #: The stated share (0..1): the one stated most often, among equals the latest.
    share: float | None
    #: Every share stated, with how many statements state it.
    shares: dict[float, int]
    kinds: tuple[str, ...]
    #: Words of degree used ("about", "most", "largely"), most frequent first.
    qualifiers: tuple[str, ...]
    #: Sectors of the supplier as named (BUS for Gazprom, None for the country).
    supplier_sectors: tuple[str | None, ...]
    statements: int
    documents: int
    first_date: str | None
    last_date: str | None
    evidence: tuple[dict[str, Any], ...]

    def as_record(self) -> dict[str, Any]:
        """Return the edge as one JSON-ready dict: its fields, with every share stated as
        {share, statements}."""
        record = asdict(self)
        record["shares"] = [{"share": s, "statements": n} for s, n in self.shares.items()]
        return {k: list(v) if isinstance(v, tuple) else v for k, v in record.items()}


def _date(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _evidence(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "doc_id": row["doc_id"],
        "date": row["date_text"] or _date(row["date"]),
        "kind": row["kind"],
        "share": row["share"],
        "qualifier": row["qualifier"],
        "supplier": {"actorText": row["supplier_text"], "code": row["supplier_code"],
                     "sector": row["supplier_sector"], "org": row["supplier_org"]},
        "dependent": {"actorText": row["dependent_text"], "code": row["dependent_code"],
                      "sector": row["dependent_sector"], "org": row["dependent_org"]},
        "trigger": row["trigger"],
        "text": row["sentence"],
        "span": [row["span_start"], row["span_end"]],
        "rule": row["rule"],
    }


def _stated_share(rows: list[Mapping[str, Any]]) -> tuple[float | None, dict[float, int]]:
    """Return the share stated most often (among equals, the latest) and all shares."""
    counts = Counter(float(r["share"]) for r in rows if r["share"] is not None)
    if not counts:
        return None, {}
    latest = {float(r["share"]): k for k, r in enumerate(rows) if r["share"] is not None}
    best = max(counts, key=lambda s: (counts[s], latest[s]))
    return best, dict(counts.most_common())


def edges_from_records(records: Iterable[Mapping[str, Any]]) -> list[DependencyEdge]:
    """Group statements (rows of Store.dependency_records, oldest first) into edges
    between actor keys (a country code, or an organisation such as EU), the most
    attested first."""
    groups: dict[tuple[str, str, str | None], list[Mapping[str, Any]]] = {}
    for row in records:
        key = (str(row["supplier_key"]), str(row["dependent_key"]), row["good"])
        groups.setdefault(key, []).append(row)
    edges = []
    for (supplier, dependent, good), rows in groups.items():
        share, shares = _stated_share(rows)
        dates = sorted(d for d in (_date(r["date"]) for r in rows) if d)
        qualifiers = Counter(w for r in rows for w in [r["qualifier"]] if w)
        edges.append(DependencyEdge(
            supplier=supplier,
            dependent=dependent,
            good=good,
            good_sector=next((r["good_sector"] for r in rows if r["good_sector"]), None),
            share=share,
            shares=shares,
            kinds=tuple(k for k, _ in Counter(r["kind"] for r in rows).most_common()),
            qualifiers=tuple(q for q, _ in qualifiers.most_common()),
            supplier_sectors=tuple(dict.fromkeys(r["supplier_sector"] for r in rows)),
            statements=len(rows),
            documents=len({r["doc_hash"] for r in rows}),
            first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            evidence=tuple(_evidence(r) for r in rows),
        ))
    edges.sort(key=lambda e: (-e.statements, -e.documents, e.supplier, e.dependent,
                              e.good or ""))
    return edges


def dependency_edges(store: Store, actor: str | None = None) -> list[DependencyEdge]:
    """Return the dependency edges of a database; actor keeps those with that key
    (RUS, EU) on either side."""
    code = actor.strip().upper() if actor else None
    return edges_from_records(store.dependency_records(code))

