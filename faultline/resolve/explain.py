"""Explain an actor: what the dictionaries say a name stands for, and why."""

from __future__ import annotations

from faultline.resolve.gazetteer import load_gazetteer
from faultline.resolve.people import load_people
from faultline.resolve.places import load_places


def explain_actor(query: str, date: str | None = None) -> list[str]:
    """Return lines saying what a name resolves to in each dictionary, with reasons."""
    words = query.split()
    lines: list[str] = []
    people = load_people()
    person = people.lookup(query, date)
    if person is not None:
        when = f"as of {date}" if date else "most recent role"
        lines.append(
            f"{query}: person {person.name} -> {person.code} {person.sector}"
            f"{' (' + person.org + ')' if person.org else ''} "
            f"({person.role}, {person.start or '?'} to {person.end or 'now'}; {when}; "
            "people.csv)"
        )
        roles = [p for p in people if p.name == person.name]
        for role in roles:
            lines.append(f"  role: {role.code} {role.sector}"
                         f"{' (' + role.org + ')' if role.org else ''} {role.role} "
                         f"{role.start or '?'} to {role.end or 'now'}")
        aliases = people.aliases(person.name)
        if aliases:
            lines.append(f"  also written: {', '.join(aliases)}")
    entry = load_gazetteer().lookup(words)
    if entry is not None:
        lines.append(f"{query}: {entry.kind} -> {entry.code}"
                     f"{' ' + entry.sector if entry.sector else ''}"
                     f"{' (' + entry.org + ')' if entry.org else ''} (actor dictionaries)")
    place = load_places().lookup(words)
    if place is not None:
        lines.append(f"{query}: place {place.name} -> {place.code} "
                     f"({place.kind}, {place.lat:.2f}, {place.lon:.2f}; places.csv)")
    if not lines:
        lines.append(f"{query}: not in the actor, people or place dictionaries; in text it "
                     "takes its country from a nationality, possessive or title next to it")
    return lines
