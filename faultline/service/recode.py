"""Coding the stored documents again from their stored parses, with the current settings.

`ingest` keeps each document's parse (nlp/stored.py); after a change to the
lexicons, dictionaries or settings, `recode` runs every stage after the
parse again on it, without spaCy's parser, and puts the new events,
statements of dependence and people in place of the old ones a batch at a
time (store/replace.py): one transaction a batch, so an interrupted run
leaves each document with either its old records or its new ones. The
documents are coded in the order they were stored, and the actor registry
starts from the people of the documents not coded again, so that coding
every document gives what a fresh `ingest` of them under the same settings
gives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from faultline.models import Dependency, Document, Event, Skip
from faultline.settings import Settings

if TYPE_CHECKING:
    from faultline.pipeline import Coder
    from faultline.resolve.registry import Sighting
    from faultline.store import Store

log = logging.getLogger(__name__)


@dataclass
class RecodeReport:
    """What a recode run coded again, passed over and changed."""

    #: Documents coded again.
    documents: int = 0
    #: Documents in scope stored without a parse (by a faultline that kept none).
    unparsed: int = 0
    #: Documents whose stored parse could not be read, with the reason: they keep
    #: their events.
    unreadable: list[Skip] = field(default_factory=list)
    #: Events removed with the old coding, and events the new one stored.
    old_events: int = 0
    events: int = 0
    #: The coder and lexicon version of the new events.
    coder: str = ""
    seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def recode(
    settings: Settings,
    *,
    since: str | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> RecodeReport:
    """Code every stored document (published on or after since, YYYY-MM-DD) again from
    its stored parse with the current settings, and store the new records in place of the
    old ones; return what was done. The database is open only to read a batch and to
    write it, as in ingest."""
    from faultline.pipeline import Coder
    from faultline.resolve.registry import Registry

    report = RecodeReport()
    started = time.perf_counter()
    with _open(settings, on_wait) as store:
        hashes, report.unparsed = store.recode_targets(since)
        sightings = store.person_sightings(excluding=hashes) if hashes else []
        batches = [hashes[k:k + settings.write_batch]
                   for k in range(0, len(hashes), settings.write_batch)]
        stored = store.parsed_documents(batches[0]) if batches else []
    if batches:
        coder = Coder(settings, Registry(sightings))
        report.coder = coder.version
        for k in range(len(batches)):
            coded = _code(settings, coder, stored, report, on_document)
            # one opening writes a batch and reads the next
            with _open(settings, on_wait) as store:
                _write(settings, store, coder, coded, report)
                stored = store.parsed_documents(batches[k + 1]) if k + 1 < len(batches) else []
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Coded:
    """A batch of documents coded again, with their records."""

    documents: list[Document] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    people: list[Sighting] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)


def _code(settings: Settings, coder: Coder, stored: Sequence[tuple[Document, bytes]],
          report: RecodeReport, on_document: Callable[[Document], None] | None) -> _Coded:
    """Return a batch of stored documents coded from their parses; a parse that cannot be
    read leaves its document out (and in report.unreadable)."""
    from faultline.nlp import load_pipeline
    from faultline.nlp.stored import ParseError, unpack

    vocab = load_pipeline(settings.model).vocab
    out = _Coded()
    for document, packed in stored:
        try:
            doc = unpack(packed, document.text, vocab)
        except ParseError as exc:
            log.warning("kept the events of %s: %s", document.doc_id, exc)
            report.unreadable.append(Skip(document.doc_id, str(exc)))
            continue
        coded = coder.code_parsed(doc, document)
        out.documents.append(document)
        out.events.extend(coded.events)
        out.people.extend(coded.people)
        out.dependencies.extend(coded.dependencies)
        if on_document is not None:
            on_document(document)
    return out


def _write(settings: Settings, store: Store, coder: Coder, coded: _Coded,
           report: RecodeReport) -> None:
    """Store a batch's new records in place of its old ones, in one transaction."""
    from faultline.pipeline import cluster_rules

    if not coded.documents:
        return
    removed, added = store.replace(coded.documents, coded.events, coder=coder.version,
                                   people=coded.people, dependencies=coded.dependencies,
                                   cluster_rules=cluster_rules(settings))
    log.info("recoded %d documents: %d events in place of %d", len(coded.documents), added,
             removed)
    report.documents += len(coded.documents)
    report.old_events += removed
    report.events += added


def _open(settings: Settings, on_wait: Callable[[str], None] | None) -> Store:
    """Return the settings' database open for writing (NoDatabaseError without one)."""
    from faultline.store import open_store

    return open_store(settings.db, create=False, wait=settings.lock_wait, on_wait=on_wait)
