"""The people a document named: the extractor of person sightings.

Known people (the people table) and people the text described ("Georgian
opposition leader Nika Melia") become Sightings, which the registry
(resolve.registry) carries to later documents and the store keeps. It runs
after the event extractor, whose resolutions taught the discourse the
descriptions.
"""

from __future__ import annotations

from faultline.extract.parsed import ParsedDoc
from faultline.resolve.registry import FROM_TABLE, Sighting
from faultline.settings import Settings


class PeopleExtractor:
    """Finds the people a parsed document named."""

    def __init__(self, settings: Settings) -> None:
        """Make the extractor; it needs nothing from the settings."""

    def extract(self, parsed: ParsedDoc) -> list[Sighting]:
        """Return the people this document named: known ones and those it described."""
        names, sectors = parsed.mentions.names, parsed.mentions.sectors
        words, text_of = parsed.words, parsed.actors.text_of
        date, doc_hash = parsed.document.date, parsed.document.doc_hash
        out: dict[str, Sighting] = {}
        for start, _end, entry in names.values():
            if entry.kind == "person" and entry.surface not in out:
                out[entry.surface] = Sighting(entry.surface, entry.code, entry.sector,
                                              _title_before(parsed, start), date, doc_hash,
                                              FROM_TABLE, entry.org)
        for actor in parsed.discourse.learned.values():
            first = actor.end - 1
            while (first > actor.start and words[first - 1].pos_ == "PROPN"
                   and first - 1 not in names and first - 1 not in sectors):
                first -= 1
            name = text_of(first, actor.end)
            if actor.end - first < 2 or actor.end - 1 in sectors:
                # a person has a first name and a surname; "the Apostolic Church" is no one
                continue
            role = [t.text for t in words[actor.start:first] if t.dep_ != "det"]
            out.setdefault(name, Sighting(name, actor.code, actor.sector,
                                          " ".join(role) or None, date, doc_hash,
                                          org=actor.org))
        return list(out.values())


def _title_before(parsed: ParsedDoc, start: int) -> str | None:
    """Return the title written before a name ("Russian propagandist"), or None."""
    names, sectors = parsed.mentions.names, parsed.mentions.sectors
    first = start
    while first > 0:
        tok = parsed.words[first - 1]
        hit = names.get(first - 1)
        if first - 1 in sectors or (hit is not None and hit.entry.kind != "person") or (
            tok.dep_ in {"amod", "compound"} and tok.pos_ in {"ADJ", "NOUN", "PROPN"}
        ):
            first -= 1
        else:
            break
    return " ".join(parsed.actors.text_of(first, start).split()) if first < start else None
