"""The actor a stored event's side stands for: its country code, or the organisation named.

PLOVER codes every intergovernmental organisation IGO, every NGO NGO, and so
on: codes that name a kind of actor rather than one (`generic_codes` in
data/ontology/plover.yaml). Each stored actor also keeps the organisation the
text named (`org`, from data/actors/igos.csv and people.csv: EU, CSTO, UN ...).
Wherever events are grouped by actor (relations, dyads, chains, triads,
clusters, dependencies, the report), an actor's key is

- its organisation when its code is one of those generic codes and the text
  named one, upper-cased, with every run of characters other than letters and
  digits made one "_": EU, CSTO, NATO, ARAB_LEAGUE, WORLD_BANK, AL_QAEDA;
- else its code: ARM, RUS; PSE for Hamas (a group tied to one country keeps
  that country's code, as PLOVER codes it, and `org` only records which group);
  IGO for an organisation the dictionaries do not name.

So Armenia's relationship with the EU and its relationship with the CSTO are
two relationships, and `faultline dyad ARM EU` names one of them. The key is
computed when a query runs, never stored: a database need not be re-ingested
when generic_codes changes.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def generic_codes() -> frozenset[str]:
    """Return the codes that name a kind of actor, not one actor (IGO, NGO ...)."""
    from faultline.coder.ontology import load_ontology

    return load_ontology().generic_codes


def node_sql(code: str, org: str) -> str:
    """Return the SQL expression of the key of an actor whose code and organisation are the
    SQL expressions `code` and `org` (see the module's docstring)."""
    # the ontology checks that generic codes are three capital letters: safe to inline
    generic = ", ".join(f"'{c}'" for c in sorted(generic_codes()))
    return (f"CASE WHEN {org} IS NOT NULL AND {code} IN ({generic}) "
            f"THEN trim(regexp_replace(upper({org}), '[^A-Z0-9]+', '_', 'g'), '_') "
            f"ELSE {code} END")
