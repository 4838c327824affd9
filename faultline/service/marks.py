"""Where a document's coded spans are: each event's sentence, event words, actors and
place, the date expressions, the statements of dependence and what was set aside.

The database keeps each event's sentence span; the words inside it (event
words, actor words, the place) are found again in that sentence, the first
occurrence as a whole word, exact case first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from faultline.service.views import Mark


def _find(text: str, needle: str | None, start: int, end: int) -> tuple[int, int] | None:
    """Return the span of needle as a whole word within text[start:end], or None."""
    if not needle or not needle.strip():
        return None
    pattern = r"(?<!\w)" + re.escape(needle.strip()) + r"(?!\w)"
    for flags in (0, re.IGNORECASE):
        found = re.compile(pattern, flags).search(text, start, end)
        if found:
            return found.span()
    return None


def _sentence(text: str, sentence: str | None, span: Sequence[int | None] | None
              ) -> tuple[int, int]:
    """Return where a sentence is in text: its stored span when that holds it, else the
    first place it occurs, else nowhere (0, 0)."""
    if span and span[0] is not None and span[1] is not None:
        start, end = span[0], span[1]
        if 0 <= start < end <= len(text):
            return start, end
    if sentence:
        at = text.find(sentence)
        if at >= 0:
            return at, at + len(sentence)
    return 0, 0


def _actors(side: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(str(a.get("org") or a.get("code") or "?") for a in side) or "?"


def document_marks(text: str, events: Sequence[Mapping[str, Any]],
                   dependencies: Sequence[Mapping[str, Any]],
                   set_aside: Sequence[Mapping[str, Any]]) -> list[Mark]:
    """Return the marks of a document's text, by start (longer first at one start)."""
    from faultline.resolve.datetext import find_mentions

    marks: list[Mark] = []
    for e in events:
        start, end = _sentence(text, e.get("text"), e.get("span"))
        if end == 0:
            continue
        who = f"{_actors(e['source'])} -> {_actors(e['target'])}"
        marks.append(Mark(start, end, "sentence", f"{e['event']} {who}, {e['date']}", e["id"]))
        for word in (e.get("eventText") or "").split():
            found = _find(text, word, start, end)
            if found:
                marks.append(Mark(*found, "event", f"{e['event']} ({e.get('mode') or '-'})",
                                  e["id"]))
        for role in ("source", "target"):
            for actor in e[role]:
                found = _find(text, actor.get("actorText"), start, end)
                if found:
                    code = actor.get("org") or actor.get("code") or "?"
                    sector = f" {actor['sector']}" if actor.get("sector") else ""
                    marks.append(Mark(*found, role, f"{role} {code}{sector}", e["id"]))
        location = e.get("location") or {}
        found = _find(text, location.get("name"), start, end)
        if found:
            marks.append(Mark(*found, "place",
                              f"place {location['name']} ({location.get('country') or '?'})",
                              e["id"]))
    for mention in find_mentions(text):
        dated = [e for e in events if _inside(mention.start, e)]
        label = (f"date of {dated[0]['event']}: {dated[0]['date']}" if dated
                 else "date expression")
        marks.append(Mark(mention.start, mention.end, "date", label,
                          dated[0]["id"] if dated else None))
    for d in dependencies:
        start, end = _sentence(text, d.get("sentence"), (d.get("span_start"), d.get("span_end")))
        found = _find(text, d.get("trigger"), start, end)
        if found:
            good = d.get("good") or "something unnamed"
            marks.append(Mark(*found, "dependency",
                              f"{d['dependent_code']} depends on {d['supplier_code']} for {good}",
                              d["id"]))
    for s in set_aside:
        start, end = _sentence(text, s.get("text"), None)
        if end:
            marks.append(Mark(start, end, "set_aside",
                              f"{s['event']} set aside: {s['reason']}", None))
    marks.sort(key=lambda m: (m.start, -m.end, m.kind))
    return marks


def _inside(position: int, event: Mapping[str, Any]) -> bool:
    span = event.get("span") or (None, None)
    return span[0] is not None and span[1] is not None and span[0] <= position < span[1]


def segments(text: str, marks: Sequence[Mark]) -> list[tuple[str, list[Mark]]]:
    """Return text cut at every mark's start and end, each piece with the marks covering
    it (for drawing overlapping marks as nested highlights)."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[str, list[Mark]]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        covering = [m for m in marks if m.start <= start and end <= m.end]
        out.append((text[start:end], covering))
    return out
