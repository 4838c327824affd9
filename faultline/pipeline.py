"""The stages put together: read -> parse -> extract, and optionally -> store.

Each parsed document becomes one ParsedDoc (extract.parsed), which every
extractor of EXTRACTORS reads in turn. Each function here is what one CLI
command (and the Python API) runs; they return data and never print.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from faultline.models import Dependency, Document, Event, Skip
from faultline.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from faultline.coder.coder import Skipped
    from faultline.extract.parsed import Extractor
    from faultline.resolve.registry import Registry, Sighting
    from faultline.store import ClusterRules, Store
    from faultline.store.batch import ObjectBatch, TableBatch

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The extractors every parsed document goes through, in this order, by the name
#: their records are filed under: each a class ("module:name") made once per run
#: from the settings, with `extract(parsed) -> records` (extract.parsed.Extractor).
#: A new kind of record is a module with such a class and a line here. Later
#: extractors read the document's discourse as the earlier ones left it.
EXTRACTORS: dict[str, str] = {
    "events": "faultline.coder.coder:EventExtractor",
    "people": "faultline.resolve.sightings:PeopleExtractor",
    "dependencies": "faultline.dependencies.extract:DependencyExtractor",
}


#: A run keeps this many skipped inputs with their reasons; it counts every one.
SKIPS_KEPT = 1000


@dataclass
class RunReport:
    """What a run read, skipped, coded and stored."""

    documents: int = 0
    new_documents: int = 0
    already_stored: int = 0
    events: int = 0
    new_events: int = 0
    #: Real-world events added: new events less the repeated reports of one event.
    new_clusters: int = 0
    #: The first SKIPS_KEPT inputs skipped, with their reasons (a million bad lines must
    #: not fill the memory): skipped_by_reason counts them all.
    skipped: list[Skip] = field(default_factory=list)
    #: How many inputs were skipped, by kind (empty, binary, encoding...).
    skipped_by_reason: Counter[str] = field(default_factory=Counter)
    set_aside: list[Skipped] = field(default_factory=list)
    #: Statements of dependence found (by `code`; `ingest` only counts them).
    dependencies: list[Dependency] = field(default_factory=list)
    new_dependencies: int = 0
    seconds: float = 0.0

    @property
    def total_skipped(self) -> int:
        """Return how many inputs were skipped, kept or not."""
        return sum(self.skipped_by_reason.values())

    def skip(self, item: Skip) -> None:
        """Count a skipped input, and keep it while fewer than SKIPS_KEPT are kept."""
        from faultline.ingest import skip_category

        self.skipped_by_reason[skip_category(item.reason)] += 1
        if len(self.skipped) < SKIPS_KEPT:
            self.skipped.append(item)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _split(items: Iterable[Document | Skip], report: RunReport) -> Iterator[Document]:
    for item in items:
        if isinstance(item, Skip):
            log.warning("skipped %s: %s", item.origin, item.reason)
            report.skip(item)
        else:
            yield item


@dataclass
class Coded:
    """One document coded: the records of each extractor, by its name in EXTRACTORS."""

    document: Document
    records: dict[str, list[Any]]
    #: The document's parse, packed (nlp/stored.py), when the coder keeps parses.
    parse: bytes | None = None

    @property
    def events(self) -> list[Event]:
        """Return the document's events."""
        return [r for r in self.records.get("events", ()) if isinstance(r, Event)]

    @property
    def set_aside(self) -> list[Skipped]:
        """Return the events the document names that did not happen (negated,
        hypothetical...), with the reason."""
        return [r for r in self.records.get("events", ()) if not isinstance(r, Event)]

    @property
    def people(self) -> list[Sighting]:
        """Return the people the document named."""
        return list(self.records.get("people", ()))

    @property
    def dependencies(self) -> list[Dependency]:
        """Return the document's statements of dependence."""
        return list(self.records.get("dependencies", ()))


def load_extractors(settings: Settings) -> dict[str, Extractor]:
    """Return the extractors of EXTRACTORS, made from the settings, in order."""
    out: dict[str, Extractor] = {}
    for name, where in EXTRACTORS.items():
        module, _, cls = where.partition(":")
        out[name] = getattr(import_module(module), cls)(settings)
    return out


class Coder:
    """The lexicon, gazetteer and spaCy pipeline, loaded once, coding documents.

    People the documents describe are remembered in `registry` from one
    document to the next (and, when ingesting, from earlier runs).
    """

    def __init__(self, settings: Settings, registry: Registry | None = None, *,
                 keep_parses: bool = False):
        from faultline.coder.coder import coder_version
        from faultline.coder.lexicon import load_lexicon
        from faultline.extract.parsed import Knowledge
        from faultline.resolve.gazetteer import load_gazetteer
        from faultline.resolve.people import load_people
        from faultline.resolve.places import load_places
        from faultline.resolve.registry import Registry
        from faultline.resolve.territories import load_territories

        self.settings = settings
        self.lexicon = load_lexicon(tuple(settings.lexicons))
        self.registry = registry if registry is not None else Registry()
        lexicon = self.lexicon
        #: What every ParsedDoc is built with.
        self.knowledge = Knowledge(
            grammar=lexicon.grammar, words=lexicon.words, resolver=lexicon.resolver,
            gazetteer=load_gazetteer(settings.actors), places=load_places(settings.places),
            people=load_people(settings.people),
            territories=load_territories(settings.territories),
        )
        self.extractors = load_extractors(settings)
        #: Whether each Coded carries its document's packed parse (what ingest stores).
        self.keep_parses = keep_parses
        self._version = coder_version(lexicon, settings)

    @property
    def version(self) -> str:
        """Return the coder and lexicon versions stored with every event."""
        return self._version

    def code(self, documents: Sequence[Document]) -> Iterator[Coded]:
        """Parse documents in batches and yield each coded."""
        from faultline.nlp import parse
        from faultline.nlp.stored import pack

        pairs = ((d.text, d) for d in documents)
        for doc, document in parse(pairs, self.settings):
            # packed before coding: what spaCy made, before any stage reads it
            packed = pack(doc, document.text) if self.keep_parses else None
            coded = self.code_parsed(doc, document)
            coded.parse = packed
            yield coded

    def code_parsed(self, doc: Doc, document: Document) -> Coded:
        """Return a parsed document coded: every stage after spaCy's parse."""
        from faultline.extract.parsed import ParsedDoc

        parsed = ParsedDoc(doc, document, self.knowledge, self.registry)
        try:
            records = {name: list(extractor.extract(parsed))
                       for name, extractor in self.extractors.items()}
        finally:
            # the per-token Words link to each other: free them with the document
            parsed.release()
        coded = Coded(document, records)
        self.registry.add(coded.people)
        return coded


@dataclass
class Loaded:
    """A batch coded elsewhere (a Dask worker), as the rows of its Parquet shard: its
    documents in order, those rows, how many events they hold and the events set aside
    (of documents coded again here)."""

    documents: list[Document]
    rows: TableBatch
    events: int
    set_aside: list[Skipped] = field(default_factory=list)


#: One batch coded: its documents coded, in order (or the rows another process coded),
#: the coder version that coded them and the spaCy pipeline that parsed them (parser_name).
CodedBatch = tuple[Iterable[Coded] | Loaded, str, str]


class Coding(Protocol):
    """How `ingest` has its batches of new documents coded."""

    #: How many batches `ingest` looks up in one opening of the database (writing the
    #: batches coded by then in the same opening).
    group: int

    @property
    def started(self) -> bool:
        """Return True once start() was called."""
        ...

    def start(self, sightings: list[Sighting]) -> None:
        """Get ready to code, with the people the database has seen (the actor registry)."""
        ...

    def code(self, fresh: list[Document], report: RunReport) -> Iterator[CodedBatch]:
        """Take a batch to code; yield the batches coded by now, in the order given
        (documents that cannot be coded are counted as skipped in report)."""
        ...

    def finish(self, report: RunReport) -> Iterator[CodedBatch]:
        """Yield the batches not yet yielded, in the order given."""
        ...


class LocalCoding:
    """Coding in this process: one Coder, made when the first batch comes."""

    #: One batch an opening: the database is closed while the batch is coded.
    group: int = 1

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.coder: Coder | None = None

    @property
    def started(self) -> bool:
        """Return True once the coder is made."""
        return self.coder is not None

    def start(self, sightings: list[Sighting]) -> None:
        """Make the coder, its registry holding the stored sightings."""
        from faultline.resolve.registry import Registry

        self.coder = Coder(self.settings, Registry(sightings), keep_parses=True)

    def code(self, fresh: list[Document], report: RunReport) -> Iterator[CodedBatch]:
        """Yield the batch, coded as it is read (lazily)."""
        assert self.coder is not None, "start() comes first"
        yield self.coder.code(fresh), self.coder.version, parser_name(self.settings)

    def finish(self, report: RunReport) -> Iterator[CodedBatch]:
        """Yield nothing: every batch was coded when given."""
        return iter(())


def read(
    paths: Sequence[str], settings: Settings, *, default_date: str | None = None,
    unique: bool = True,
) -> Iterator[Document | Skip]:
    """Yield the documents (and skipped inputs) of the given paths; with unique, a text
    read before is skipped as a duplicate (what `ingest` stores), else every record is
    kept under its own id (what `code` codes)."""
    from faultline.ingest import dedupe, read_inputs

    items = read_inputs(paths, settings, default_date=default_date)
    return dedupe(items) if unique else items


def code_paths(
    paths: Sequence[str],
    settings: Settings,
    *,
    default_date: str | None = None,
    report: RunReport | None = None,
    on_document: Callable[[Document], None] | None = None,
) -> Iterator[Event]:
    """Yield the events of every readable document under the given paths (no database).

    Every input record is coded, also one whose text another record has:
    its events come under each record's id (only `ingest` de-duplicates).
    """
    report = report if report is not None else RunReport()
    started = time.perf_counter()
    coder = Coder(settings)
    documents = read(paths, settings, default_date=default_date, unique=False)
    for batch in _batches(_split(documents, report), settings.write_batch):
        for coded in coder.code(batch):
            report.documents += 1
            report.events += len(coded.events)
            report.set_aside.extend(coded.set_aside)
            report.dependencies.extend(coded.dependencies)
            if on_document is not None:
                on_document(coded.document)
            yield from coded.events
    report.seconds = time.perf_counter() - started


def code_text(text: str, settings: Settings, *, date: str | None = None,
              doc_id: str | None = None) -> list[Event]:
    """Return the events of one text, cleaned as every reader's text is (clean_text)."""
    from faultline.ingest import clean_text

    document = Document.from_text(clean_text(text), doc_id=doc_id, date=date,
                                  date_source="option" if date else None, origin="<text>")
    coder = Coder(settings)
    return [e for coded in coder.code([document]) for e in coded.events]


def ingest(
    paths: Sequence[str],
    settings: Settings,
    *,
    default_date: str | None = None,
    on_document: Callable[[Document], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    coding: Coding | None = None,
) -> RunReport:
    """Read, code and store documents; documents already stored are not parsed again.

    coding codes the batches (default: LocalCoding, in this process;
    faultline.parallel codes them on a Dask cluster); the batches are stored
    here, in the order read, whoever coded them.

    The database is open only to write the batches coded by then and look up
    the next ones (in one opening, for a writer's opening and closing cost about
    as much as its writing; coding.group batches: one when this process codes
    them, several when other processes do): parsing and coding, most of a run,
    happen with it closed, so other processes read it (and other runs write it)
    between two openings. Opening
    it waits up to the lock_wait setting while another process has it,
    telling on_wait once. A database that is there is checked before any input
    is read (a file faultline cannot use is refused at once); a new one is made
    when the first batch is looked up: a run that reads nothing leaves none.
    """
    report = RunReport()
    started = time.perf_counter()
    rules = cluster_rules(settings)
    coding = coding if coding is not None else LocalCoding(settings)
    if Path(settings.db).exists():
        _open(settings, on_wait=on_wait).close()
    documents = _split(read(paths, settings, default_date=default_date), report)
    # coded, not yet stored: written when the database is next opened, to look up the
    # next batches (coding.group of them an opening), or at the end
    ready: list[Ready] = []
    for group in _batches(_batches(documents, settings.write_batch), coding.group):
        with _open(settings, on_wait=on_wait) as store:
            _write_ready(store, ready, report, rules)
            known = store.known_hashes(d.doc_hash for batch in group for d in batch)
            sightings = store.person_sightings() if not coding.started else []
        for batch in group:
            report.documents += len(batch)
            fresh = [d for d in batch if d.doc_hash not in known]
            report.already_stored += len(batch) - len(fresh)
            if on_document is not None:
                for d in batch:
                    if d.doc_hash in known:
                        on_document(d)
            if not fresh:
                continue
            if not coding.started:
                coding.start(sightings)
            for coded, version, parser in coding.code(fresh, report):
                ready.append(Ready.of(coded, version, parser, report, on_document))
    for coded, version, parser in coding.finish(report):
        ready.append(Ready.of(coded, version, parser, report, on_document))
        with _open(settings, on_wait=on_wait) as store:
            _write_ready(store, ready, report, rules)
    if ready:
        with _open(settings, on_wait=on_wait) as store:
            _write_ready(store, ready, report, rules)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Ready:
    """A batch coded, ready to store: its rows, its documents in order, how many events
    they hold, the coder version that coded them and the spaCy pipeline that parsed them."""

    rows: ObjectBatch | TableBatch
    documents: list[Document]
    events: int
    version: str
    parser: str

    @classmethod
    def of(cls, batch: Iterable[Coded] | Loaded, version: str, parser: str,
           report: RunReport, on_document: Callable[[Document], None] | None = None
           ) -> Ready:
        """Return a batch coded (here, lazily, or elsewhere) ready to store; the events its
        documents set aside go to report, and on_document is told each document."""
        from faultline.store.batch import ObjectBatch

        if not isinstance(batch, Loaded):
            kept: list[Document] = []
            parses: dict[str, bytes] = {}
            events: list[Event] = []
            people: list[Sighting] = []
            dependencies: list[Dependency] = []
            for coded in batch:
                kept.append(coded.document)
                if coded.parse is not None:
                    parses[coded.document.doc_hash] = coded.parse
                events.extend(coded.events)
                people.extend(coded.people)
                dependencies.extend(coded.dependencies)
                report.set_aside.extend(coded.set_aside)
                if on_document is not None:
                    on_document(coded.document)
            rows = ObjectBatch.checked(kept, events, dependencies, people, parses)
            return cls(rows, kept, len(events), version, parser)
        report.set_aside.extend(batch.set_aside)
        if on_document is not None:
            for document in batch.documents:
                on_document(document)
        return cls(batch.rows, batch.documents, batch.events, version, parser)


def _write_ready(store: Store, ready: list[Ready], report: RunReport, rules: ClusterRules
                 ) -> None:
    """Write each batch ready, one transaction each, adding what was stored to report;
    empty the list."""
    for batch in ready:
        log.info("writing %d documents to %s", len(batch.documents), store.path)
        result = store.write_batch(batch.rows, coder=batch.version, cluster_rules=rules,
                                   model=batch.parser)
        log.info("stored %d new documents and %d new events", result.new_documents,
                 result.new_events)
        report.new_documents += result.new_documents
        report.new_events += result.new_events
        report.new_dependencies += result.new_dependencies
        report.new_clusters += result.new_clusters
        report.events += batch.events
    ready.clear()


def _open(settings: Settings, *, on_wait: Callable[[str], None] | None = None) -> Store:
    """Return the settings' database open for writing (made if need be), waiting for it up
    to lock_wait seconds."""
    from faultline.store import open_store

    return open_store(settings.db, wait=settings.lock_wait, on_wait=on_wait)


def parser_name(settings: Settings) -> str:
    """Return the name and version of the spaCy pipeline the settings parse with."""
    from faultline.nlp import load_pipeline

    meta = load_pipeline(settings.model).meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def cluster_rules(settings: Settings) -> ClusterRules:
    """Return the rules that decide when two reports are one event, from the settings."""
    from faultline.store import ClusterRules

    return ClusterRules(days=settings.cluster_days, similarity=settings.cluster_similarity)


def sample_corpus() -> Path:
    """Return the folder of the bundled sample corpus."""
    from importlib import resources

    return Path(str(resources.files("faultline.data") / "sample"))
