"""Browsing and watching a database: the service operations the web API and dashboard add.

Service inherits these methods: pages of events with filters (store/browse.py),
one document with its coded spans marked, an actor, escalation alerts, and
ingesting uploaded records. Each checks what it is given once and raises
OptionError with one line for a value the caller should change.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from faultline.analysis.base import EVERYTHING, Scope
from faultline.errors import NotFoundError, OptionError
from faultline.service.options import Day, actor_key, day
from faultline.service.views import ActorView, DocumentView, EventPage, Upload
from faultline.store.formats import FORMATS

if TYPE_CHECKING:
    from faultline.analysis.alerts import Alert
    from faultline.analysis.relations import Relation
    from faultline.pipeline import Coder
    from faultline.settings import Settings
    from faultline.store import Store
    from faultline.store.browse import EventFilter, EventIndex

#: The most events one page may hold.
MAX_PAGE = 1000
#: The most words a text search may have.
MAX_WORDS = 10
#: The most records one upload may hold.
MAX_RECORDS = 1000


class Explore:
    """The browsing operations of faultline.service.Service (it inherits them)."""

    settings: Settings
    relations: Callable[..., list[Relation]]
    ingest: Callable[..., Any]
    if TYPE_CHECKING:
        @property
        def store(self) -> Store: ...
    _coder: Coder | None = None
    _coder_lock = threading.Lock()

    # -- events -------------------------------------------------------------------------

    def event_filter(self, *, actor: str | None = None, org: str | None = None,
                     pair: str | Sequence[str] | None = None,
                     type: str | Sequence[str] | None = None,
                     quad: str | Sequence[int | str] | None = None,
                     mode: str | None = None, context: str | None = None,
                     since: Day = None, until: Day = None, place: str | None = None,
                     bbox: str | Sequence[float] | None = None, q: str | None = None,
                     doc: str | None = None) -> EventFilter:
        """Return the filter these values ask for (all optional), each checked: actor a key
        (ARM, EU, RUS:GOV); pair two of them ("ARM,AZE"); type PLOVER types and quad
        classes 1-4 (comma-separated); since/until YYYY-MM-DD; place a name or country
        code; bbox "west,south,east,north"; q words every sentence must hold."""
        from faultline.store.browse import EventFilter

        # an empty field of a form is no filter
        start, end = day(since or None, "since"), day(until or None, "until")
        if start and end and start > end:
            raise OptionError(f"since {start} is after until {end}; give since <= until")
        return EventFilter(
            actor=actor_key(actor)[0] if actor else None, org=_text(org, "org"),
            pair=_pair(pair), types=_types(type), quads=_quads(quad),
            mode=_text(mode, "mode"), context=_context(context), since=start, until=end,
            place=_text(place, "place"), bbox=_bbox(bbox), words=_words(q),
            doc=_text(doc, "doc"))

    def events(self, where: EventFilter | None = None, *, sort: str = "-date",
               cursor: str | None = None, limit: int = 50) -> EventPage:
        """Return one page of the stored events a filter keeps (event_filter), in sort order
        (date, intensity or confidence; "-" first for descending), after the cursor a
        previous page gave, at most limit (1..MAX_PAGE)."""
        from faultline.store.browse import EventFilter, event_page, event_records

        if not 1 <= limit <= MAX_PAGE:
            raise OptionError(f"limit {limit} is out of range; give 1 to {MAX_PAGE}")
        page = event_page(self.store, where or EventFilter(), sort=sort, cursor=cursor,
                          limit=limit, index=self.event_index())
        return EventPage(events=event_records(self.store, page.ids), next=page.next,
                         total=page.total, ids=page.ids)

    def event_index(self) -> EventIndex | None:
        """Return the index of the database's events by actor and pair that events() reads,
        if one is kept (a server keeps one: faultline.web.cache), else None."""
        return None

    def write_events(self, format: str, ids: list[str], target: BinaryIO) -> int:
        """Write the events with these ids, in order, to a binary stream in an export format
        (plover, csv, parquet, cameo); return how many were written."""
        import shutil
        import tempfile

        from faultline.store.browse import write_events

        if format not in FORMATS:
            raise OptionError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"events.{FORMATS[format].suffix}"
            n = write_events(self.store, format, ids, str(path))
            with path.open("rb") as f:
                shutil.copyfileobj(f, target)
        return n

    # -- documents ----------------------------------------------------------------------

    def document(self, doc: str, *, set_aside: bool = True) -> DocumentView:
        """Return one stored document (by id or hash) with every coded span marked; with
        set_aside, also what the coder leaves out of its text and why (found by coding the
        text again: the database keeps only events)."""
        from faultline.service.marks import document_marks
        from faultline.store.browse import EventFilter, document, document_dependencies

        row = document(self.store, doc)
        if row is None:
            raise NotFoundError(f"no document {doc!r} in the database; give a doc_id or hash "
                              "from /api/v1/documents or /api/v1/events")
        page = self.events(EventFilter(doc=row["doc_hash"]), sort="date", limit=MAX_PAGE)
        events = sorted(page.events, key=lambda e: (e["span"][0], e["id"]))
        dependencies = document_dependencies(self.store, row["doc_hash"])
        aside, aside_coder = (self._set_aside(row) if set_aside else (None, None))
        marks = document_marks(row["text"], events, dependencies, aside or [])
        return DocumentView(
            doc_id=row["doc_id"], doc_hash=row["doc_hash"], title=row["title"],
            published=row["date_text"] or row["published"], url=row["url"],
            source=row["source"], byline=row["byline"], text=row["text"], marks=marks,
            events=events, dependencies=dependencies, set_aside=aside,
            set_aside_coder=aside_coder, coder=row["coder"])

    def documents(self, *, q: str | None = None, limit: int = 50, offset: int = 0
                  ) -> tuple[list[dict[str, Any]], int]:
        """Return stored documents whose title or text hold every word of q (newest first),
        a page of limit after offset, and how many there are."""
        from faultline.store.browse import documents_page

        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise OptionError(f"limit must be 1 to {MAX_PAGE} and offset 0 or more")
        return documents_page(self.store, words=_words(q), limit=limit, offset=offset)

    def _set_aside(self, row: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str]:
        """Return what coding a stored document's text sets aside, and the coder's version."""
        from faultline.models import Document
        from faultline.pipeline import Coder

        document = Document(text=row["text"], doc_hash=row["doc_hash"], doc_id=row["doc_id"],
                            title=row["title"], date=row["date_text"], origin="database")
        # one coder per service: spaCy loads once; coding is not thread-safe
        with Explore._coder_lock:
            if self._coder is None:
                self._coder = Coder(self.settings)
            coded = next(iter(self._coder.code([document])))
            version = self._coder.version
        return [{"event": s.event, "reason": s.reason, "event_text": s.event_text,
                 "text": s.text} for s in coded.set_aside], version

    # -- actors -------------------------------------------------------------------------

    def actor(self, query: str, *, relations: int = 30) -> ActorView:
        """Return who query (a code such as ARM, an organisation such as EU, RUS:GOV, or a
        name) is, and what the database holds about it: its events, the words used for
        it, its relationships (the first `relations`), the people registry's rows."""
        from faultline.resolve.explain import explain_actor
        from faultline.store.browse import actor_summary

        query = query.strip()
        if not query or len(query) > 200:
            raise OptionError("give an actor code (ARM, EU, RUS:GOV) or a name of 1-200 "
                              "characters")
        store = self.store
        key = self._actor_key(query)
        summary = actor_summary(store, key) if key else None
        if summary is not None and summary["as_source"] + summary["as_target"] == 0:
            key, summary = None, None
        related = ([r.as_dict() for r in self.relations(actor=key)][:relations]
                   if key else [])
        name = None if key == query.upper() else query
        mentions = store.actor_mentions(name or key)
        return ActorView(
            query=query, key=key, explanation=explain_actor(query),
            people=store.people(name) if name else [],
            mentions=[{"text": t, "code": c, "sector": s, "org": o, "mentions": n}
                      for t, c, s, o, n in mentions],
            summary=summary, relations=related)

    def _actor_key(self, query: str) -> str | None:
        """Return the actor key a query names: itself when it is one (ARM, EU, RUS:GOV),
        else what the actor dictionaries resolve the name to (Armenia -> ARM), else None."""
        from faultline.resolve.gazetteer import load_gazetteer
        from faultline.store.keys import node_sql

        try:
            key, _ = actor_key(query)
        except OptionError:
            key = None
        if key is not None and re.fullmatch(r"[A-Z0-9_]+(:[A-Z0-9]+)?", query.strip()):
            return key
        entry = load_gazetteer().lookup(query.split())
        if entry is None or not entry.code:
            return key
        rows = self.store.query(f"SELECT {node_sql('$code::VARCHAR', '$org::VARCHAR')}",
                                {"code": entry.code, "org": entry.org})
        return str(rows[0][0]) if rows and rows[0][0] else key

    # -- alerts -------------------------------------------------------------------------

    def alerts(self, *, actor: str | None = None, scope: Scope = EVERYTHING,
               days: int | None = None, threshold: float | None = None,
               min_events: int = 2, history: int = 12, evidence: int = 5,
               limit: int | None = None) -> list[Alert]:
        """Return the relationships whose latest window of `days` (default: setting
        alert_days) breaks with their history of `history` windows by |z| >= threshold
        (default: setting alert_threshold), strongest first, each with the events that
        caused it (analysis/alerts.py says how)."""
        from faultline.analysis.alerts import AlertRule, alerts

        settings = self.settings
        rule = AlertRule(days=settings.alert_days if days is None else days, history=history,
                         threshold=settings.alert_threshold if threshold is None else threshold,
                         min_events=min_events)
        key = None
        if actor is not None:
            key, sector = actor_key(actor)
            scope = replace(scope, sectors=True) if sector else scope
        if evidence < 0:
            raise OptionError("evidence must be 0 or more")
        return alerts(self.store, scope, self._scoring(), rule, actor=key, evidence=evidence,
                      limit=limit)

    def _scoring(self) -> Any:
        from faultline.analysis.relations import Scoring

        return Scoring.from_settings(self.settings)

    # -- writing ------------------------------------------------------------------------

    def ingest_records(self, records: Sequence[Mapping[str, Any]]) -> Upload:
        """Read, code and store records {text, title?, date?, url?, id?, source?} through the
        normal pipeline (the JSON lines reader); return what was stored."""
        import json
        import tempfile

        if not records:
            raise OptionError("no documents given; send {\"text\": ...} or JSON lines")
        if len(records) > MAX_RECORDS:
            raise OptionError(f"{len(records)} documents in one request; send at most "
                              f"{MAX_RECORDS}")
        read: list[str] = []
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for record in records:
                    f.write(json.dumps(dict(record), ensure_ascii=False) + "\n")
            report = self.ingest([str(path)], on_document=lambda d: read.append(d.doc_id))
        prefix = f"{path}:"
        skipped = [{"record": s.origin.replace(prefix, "line "),
                    "reason": s.reason.replace(str(path), "upload")} for s in report.skipped]
        return Upload(documents=report.documents, new_documents=report.new_documents,
                      already_stored=report.already_stored, new_events=report.new_events,
                      new_clusters=report.new_clusters,
                      new_dependencies=report.new_dependencies, doc_ids=read,
                      skipped=skipped)


def _text(value: str | None, name: str, longest: int = 200) -> str | None:
    """Return a text option stripped (None when empty), refusing one too long."""
    if value is None or not value.strip():
        return None
    if len(value) > longest:
        raise OptionError(f"{name} is longer than {longest} characters")
    return value.strip()


def _parts(value: str | Sequence[Any] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return [item.strip() for item in items if item.strip()]


def _pair(value: str | Sequence[str] | None) -> tuple[str, str] | None:
    parts = _parts(value)
    if not parts:
        return None
    if len(parts) != 2:
        raise OptionError(f"pair {value!r} is not two actors; give them as ARM,AZE")
    return actor_key(parts[0])[0], actor_key(parts[1])[0]


def _types(value: str | Sequence[str] | None) -> tuple[str, ...]:
    from faultline.coder.ontology import load_ontology

    known = load_ontology().types
    types = tuple(dict.fromkeys(t.upper() for t in _parts(value)))
    wrong = [t for t in types if t not in known]
    if wrong:
        raise OptionError(f"unknown event type {wrong[0]!r}; choose from "
                          f"{', '.join(sorted(known))}")
    return types


def _quads(value: str | Sequence[int | str] | None) -> tuple[int, ...]:
    quads = []
    for part in _parts(value):
        if part not in {"1", "2", "3", "4"}:
            raise OptionError(f"quad class {part!r} is not 1, 2, 3 or 4 (1 verbal "
                              "cooperation .. 4 material conflict)")
        quads.append(int(part))
    return tuple(dict.fromkeys(quads))


def _context(value: str | None) -> str | None:
    from faultline.coder.ontology import load_ontology

    context = _text(value, "context")
    if context is None:
        return None
    known = load_ontology().contexts
    if context not in known:
        raise OptionError(f"unknown context {context!r}; choose from {', '.join(sorted(known))}")
    return context


def _bbox(value: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    parts = _parts(value)
    if not parts:
        return None
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise OptionError(f"bbox {value!r} is not four numbers west,south,east,north "
                          "(degrees)") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise OptionError(f"bbox {value!r} is not west <= east within -180..180 and "
                          "south <= north within -90..90")
    return west, south, east, north


def _words(value: str | None) -> tuple[str, ...]:
    text = _text(value, "q", 500)
    if text is None:
        return ()
    words = tuple(dict.fromkeys(text.split()))
    if len(words) > MAX_WORDS:
        raise OptionError(f"q has {len(words)} words; give at most {MAX_WORDS}")
    return words



