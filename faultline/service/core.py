"""The Service: every operation a front end runs, over one settings object and its database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

from faultline.analysis.base import EVERYTHING, Scope, check_period
from faultline.errors import NoDatabaseError, OptionError
from faultline.service.explore import Explore
from faultline.service.options import Day, actor_codes, actor_key, day_text, pair, period
from faultline.service.results import ActorLookup, Demo, ReportData, Summary
from faultline.settings import Settings, load_settings
from faultline.store import Store, open_store

if TYPE_CHECKING:
    from faultline.analysis.chains import Chain
    from faultline.analysis.clusters import Cluster
    from faultline.analysis.dyads import DyadPeriod
    from faultline.analysis.relations import Relation, Scoring
    from faultline.analysis.triads import Triad
    from faultline.dependencies.edges import DependencyEdge
    from faultline.evaluate import Evaluation
    from faultline.evaluate_sentences import SentenceEvaluation
    from faultline.feeds import Round
    from faultline.models import Document, Event
    from faultline.pipeline import RunReport
    from faultline.service.recode import RecodeReport


class _Handle:
    """The database a service reads, opened on first use, shared by services and threads."""

    def __init__(self, path: Path, writable: bool, store: Store | None = None, *,
                 wait: float = 0.0, on_wait: Callable[[str], None] | None = None,
                 on_note: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.writable = writable
        self._store = store
        #: How long opening waits for a database another process holds, and whom it tells.
        self.wait = wait
        self.on_wait = on_wait
        #: Who is told what a Parquet dataset opened lacks (its notes), once per opening.
        self.on_note = on_note
        #: A store handed in by the caller is the caller's to close.
        self._owned = store is None
        self._lock = threading.Lock()

    def store(self) -> Store:
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                from faultline.store.dataset import DatasetStore

                opened = open_store(self.path, read_only=not self.writable, wait=self.wait,
                                    on_wait=self.on_wait)
                if isinstance(opened, DatasetStore) and self.on_note is not None:
                    for note in opened.notes:
                        self.on_note(note)
                self._store = opened
            return self._store

    def release(self, *, if_read_only: bool = False) -> None:
        """Close the store (if it is ours; with if_read_only, only a read-only one), so that
        the next use opens it again."""
        with self._lock:
            store = self._store
            if store is None or not self._owned or (if_read_only and not store.read_only):
                return
            self._store = None
            store.close()


class Service(Explore):
    """faultline's operations over one settings object and the database it names.

    Every front end calls these methods: the command line, the report, the
    Python API, and the web API to come. They check what they are given once
    (faultline.service.options), return plain dataclasses, lists of them or
    Arrow tables, never print, and raise FaultlineError subclasses with a
    one-line message: OptionError for a value the caller should change,
    NoDatabaseError when nothing was ingested at the settings' db yet.

    The database is opened on first use, read-only unless writable=True, and
    stays open until close() (or the end of a `with` block). One Service may be
    shared by every thread of a web server: each thread queries through a
    cursor of its own (see faultline.store.db). `ingest` and `recluster` write
    through a connection of their own. `using()` gives a service with other
    settings that shares the open database. The operations the web API adds
    (pages of events, a document marked, an actor, alerts, uploads) are
    inherited from faultline.service.explore.
    """

    def __init__(self, settings: Settings | None = None, *, writable: bool = False,
                 store: Store | None = None,
                 on_wait: Callable[[str], None] | None = None,
                 on_note: Callable[[str], None] | None = None) -> None:
        """Serve settings (default: load_settings()); store, when given, is read instead of
        the settings' db and stays open after close(). While another process has the
        database, opening it waits up to the lock_wait setting and tells on_wait once.
        The db may be a Parquet dataset folder (faultline.store.dataset), read only:
        on_note is told, a line each, what it lacks (clusters) when it is opened."""
        self.settings = settings if settings is not None else load_settings()
        path = Path(store.path) if store is not None else self.settings.db
        self._handle = _Handle(path, writable or (store is not None and not store.read_only),
                               store, wait=self.settings.lock_wait, on_wait=on_wait,
                               on_note=on_note)

    def __enter__(self) -> Service:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Service({str(self._handle.path)!r})"

    @property
    def store(self) -> Store:
        """Return the open database, opening it first (NoDatabaseError when there is none)."""
        return self._handle.store()

    def close(self) -> None:
        """Close the database; the next call that needs it opens it again."""
        self._handle.release()

    def using(self, **overrides: Any) -> Service:
        """Return a service with these settings changed (None values are ignored), checked
        by Settings; it shares this one's database unless db changes."""
        settings = self.settings.with_(**overrides)
        other = Service(settings, writable=self._handle.writable, on_wait=self._handle.on_wait,
                        on_note=self._handle.on_note)
        if settings.db == self.settings.db:
            other._handle = self._handle
        return other

    @property
    def scoring(self) -> Scoring:
        """Return how relationship scores are computed under these settings."""
        from faultline.analysis.relations import Scoring

        return Scoring.from_settings(self.settings)

    # -- reading, coding and storing documents ----------------------------------------

    def code(self, paths: Sequence[str], *, date: Day = None,
             report: RunReport | None = None,
             on_document: Callable[[Document], None] | None = None) -> Iterator[Event]:
        """Return an iterator over the events of every readable document under paths (no
        database); date (YYYY-MM-DD) goes to documents without one; report, when given,
        collects what was read, skipped and set aside; on_document is given each document
        as read (its text is what event spans count in) before its events come."""
        from faultline.pipeline import code_paths

        return code_paths(paths, self.settings, default_date=day_text(date), report=report,
                          on_document=on_document)

    def code_text(self, text: str, *, date: Day = None) -> list[Event]:
        """Return the events of one text published on date (YYYY-MM-DD)."""
        from faultline.pipeline import code_text

        return code_text(text, self.settings, date=day_text(date))

    def ingest(self, paths: Sequence[str], *, date: Day = None,
               on_document: Callable[[Document], None] | None = None,
               workers: int | None = None, scheduler: str | None = None,
               dataset: Path | str | None = None) -> RunReport:
        """Read, code and store the documents under paths in the database (created if need
        be); return the run's report. on_document is called as each document is done.
        workers (a Dask LocalCluster of that many processes) or scheduler (the address of
        a running Dask cluster) code on Dask, through Parquet shards in dataset (default:
        DB.dataset beside the database; see faultline.parallel), where the clusters of its
        events are written at the end (faultline.store.dataset)."""
        from faultline.pipeline import ingest
        from faultline.store.dataset import refuse_writes

        default_date = day_text(date)
        refuse_writes(self.settings.db)
        # a process cannot hold one file open read-only and for writing at once
        self._handle.release(if_read_only=True)
        if workers is None and scheduler is None:
            if dataset is not None:
                raise OptionError("a dataset folder is for --workers or --scheduler only")
            return ingest(paths, self.settings, default_date=default_date,
                          on_document=on_document, on_wait=self._handle.on_wait)
        if workers is not None and scheduler is not None:
            raise OptionError("give --workers (a cluster of this machine) or --scheduler "
                              "(a running cluster), not both")
        if workers is not None and workers < 1:
            raise OptionError(f"--workers must be 1 or more, not {workers}")
        from faultline.parallel import dask_coding
        from faultline.parallel.coding import default_dataset

        folder = Path(dataset) if dataset is not None else default_dataset(self.settings.db)
        with dask_coding(self.settings, workers=workers, scheduler=scheduler,
                         dataset=folder) as coding:
            report = ingest(paths, self.settings, default_date=default_date,
                            on_document=on_document, on_wait=self._handle.on_wait,
                            coding=coding)
        self._cluster_dataset(folder)
        return report

    def _cluster_dataset(self, dataset: Path) -> None:
        """Write the clusters of the dataset's events, as the database holds them, into the
        dataset (none when the run stored nothing)."""
        from faultline.store.dataset import write_clusters

        if not Path(self.settings.db).exists():
            return
        with open_store(self.settings.db, read_only=True, wait=self._handle.wait,
                        on_wait=self._handle.on_wait) as store:
            write_clusters(store, dataset)

    def recode(self, *, since: Day = None,
               on_document: Callable[[Document], None] | None = None) -> RecodeReport:
        """Code the stored documents (published on or after since) again from their stored
        parses under these settings, in place of their old records (service/recode.py)."""
        from faultline.service.recode import recode

        self._handle.release()
        return recode(self.settings, since=day_text(since, "--since"), on_document=on_document,
                      on_wait=self._handle.on_wait)

    def evaluate(self, gold: Path) -> Evaluation:
        """Return how the events coded from a gold file compare with its codings."""
        from faultline.evaluate import evaluate

        return evaluate(gold, self.settings)

    def evaluate_sentences(self, gold: Path, input_path: Path | None = None
                           ) -> SentenceEvaluation:
        """Return how the events coded from articles compare with their sentence-level gold
        (input_path: the articles; by default NAME.input.jsonl beside NAME.gold.jsonl)."""
        from faultline.evaluate_sentences import evaluate_sentences

        return evaluate_sentences(gold, input_path, self.settings)

    def demo(self, *, on_document: Callable[[Document], None] | None = None) -> Demo:
        """Ingest the bundled sample corpus, write its events beside the database as
        events.jsonl, and return what it holds."""
        from faultline.pipeline import sample_corpus

        corpus = sample_corpus()
        run = self.ingest([str(corpus)], on_document=on_document)
        events = Path(self.settings.db).with_name("events.jsonl")
        self.export("plover", events)
        return Demo(corpus=corpus, run=run, summary=self.summary(),
                    dependencies=self.dependencies()[:10],
                    relations=self.relations(evidence=1)[:8], triads=self.triads(),
                    events=events, report=self.report_data())

    # -- analyses ---------------------------------------------------------------------

    def relations(self, *, actor: str | None = None, scope: Scope = EVERYTHING,
                  evidence: int = 3, min_events: int = 1) -> list[Relation]:
        """Return the state of every relationship in scope, most events first, each with its
        `evidence` heaviest events; actor ("RUS", or "RUS:GOV" for sector level) keeps the
        pairs that include it; min_events drops thinner pairs."""
        from faultline.analysis.relations import relations

        key, scope = _actor_in(actor, scope)
        return relations(self.store, scope, self.scoring, actor=key, evidence=evidence,
                         min_events=min_events)

    def dyad(self, a: str, b: str, *, by: str = "month", scope: Scope = EVERYTHING
             ) -> list[DyadPeriod]:
        """Return the events between a and b per period (day, week, month, quarter, year)
        and direction."""
        from faultline.analysis.dyads import dyad

        return dyad(self.store, a, b, by=by, scope=scope)

    def chains(self, a: str | None = None, b: str | None = None, *,
               exact_dates: bool = False, scope: Scope = EVERYTHING) -> list[Chain]:
        """Return the reciprocity chains between a and b (or every pair when neither is
        given), answers at most the chain_days setting apart, longest first."""
        from faultline.analysis.chains import chains

        actors = pair(a, b)
        a, b = actors if actors else (None, None)
        return chains(self.store, a, b, days=self.settings.chain_days, scope=scope,
                      exact_dates=exact_dates)

    def triads(self, *, actor: str | None = None, by: str | None = None,
               limit: int | None = None, scope: Scope = EVERYTHING) -> list[Triad]:
        """Return every closed triangle whose pairs have min_evidence events or more, best
        evidenced first; by (month, quarter, year; None or "none": no history) adds each
        one's kind per period; actor keeps those with it; limit keeps the first ones."""
        from faultline.analysis.triads import triads

        by = period(by)
        key, scope = _actor_in(actor, scope)
        return triads(self.store, scope, self.scoring, min_evidence=self.settings.min_evidence,
                      by=by, actor=key, limit=limit)

    def clusters(self, *, cluster_id: str | None = None, min_mentions: int = 2,
                 limit: int | None = None) -> list[Cluster]:
        """Return the events reported at least min_mentions times (or the one cluster asked
        for), most reported first, each with every report."""
        from faultline.analysis.clusters import clusters

        return clusters(self.store, min_mentions=min_mentions, cluster_id=cluster_id,
                        limit=limit)

    def recluster(self) -> dict[str, int]:
        """Group every stored event into clusters again under the cluster settings; return
        the counts of events, clusters and repeated events."""
        from faultline.pipeline import cluster_rules

        rules = cluster_rules(self.settings)
        if self._handle.writable:
            return self.store.recluster(rules)
        self._handle.release()
        with open_store(self._handle.path, create=False, wait=self._handle.wait,
                        on_wait=self._handle.on_wait) as store:
            return store.recluster(rules)

    def dependencies(self, actor: str | None = None) -> list[DependencyEdge]:
        """Return who depends on whom for what, the most attested first; actor keeps the
        edges with that code on either side."""
        from faultline.dependencies.edges import dependency_edges

        return dependency_edges(self.store, actor)

    def actors(self, query: str | None = None, *, date: Day = None) -> ActorLookup:
        """Return what the dictionaries say query stands for (as of date, YYYY-MM-DD) and the
        stored people and actor mentions that match it (all of them without a query)."""
        from faultline.resolve.explain import explain_actor

        as_of = day_text(date)
        explanation = explain_actor(query, as_of) if query else []
        database = str(self._handle.path)
        try:
            store = self.store
        except NoDatabaseError:
            return ActorLookup(query, explanation, database, False, [], [])
        return ActorLookup(query, explanation, database, True, store.people(query),
                           store.actor_mentions(query))

    def summary(self, *, dyads: int = 10) -> Summary:
        """Return what the database holds: counts, dates, events by type, busiest dyads."""
        store = self.store
        counts = store.cluster_counts()
        first, last = store.date_range()
        return Summary(documents=store.counts()["documents"], events=counts["events"],
                       clusters=counts["clusters"], repeated=counts["repeated"],
                       first_date=first, last_date=last, by_type=store.events_by_type(),
                       top_dyads=store.top_dyads(limit=dyads))

    def busiest_actors(self, n: int = 5) -> tuple[str, ...]:
        """Return the n actors in the most events with other actors."""
        counts: dict[str, int] = {}
        for rel in self.relations(evidence=0):
            for code in rel.actors:
                counts[code] = counts.get(code, 0) + rel.events
        return tuple(sorted(counts, key=lambda c: (-counts[c], c))[:n])

    def report_data(self, actors: str | Sequence[str] | None = None, *, by: str = "month",
                    evidence: int = 5) -> ReportData:
        """Return everything the HTML report shows about actors ("ARM,AZE,RUS" or a list;
        default: the five busiest), timelines per period `by`."""
        check_period(by)
        codes = self.busiest_actors() if actors is None else actor_codes(actors)
        if len(codes) < 2:
            raise OptionError("fewer than two actors have events between them; nothing to report")
        wanted = set(codes)
        timelines = [{"actors": [a, b], "periods": [p.as_dict() for p in self.dyad(a, b, by=by)]}
                     for a, b in combinations(codes, 2)]
        summary = self.summary()
        return ReportData(
            actors=codes, documents=summary.documents, events=summary.events,
            clusters=summary.clusters, first_date=summary.first_date,
            last_date=summary.last_date,
            relations=[r.as_dict() for r in self.relations(evidence=evidence)
                       if set(r.actors) <= wanted],
            timelines=[timeline for timeline in timelines if timeline["periods"]],
            triads=[t.as_dict() for t in self.triads() if set(t.actors) <= wanted],
            chains=[c.as_dict() for a, b in combinations(codes, 2) for c in self.chains(a, b)],
            dependencies=[e.as_record() for e in self.dependencies()
                          if e.supplier in wanted or e.dependent in wanted],
        )

    # -- export -----------------------------------------------------------------------

    def export(self, format: str, target: Path | str | BinaryIO, *,
               coder: str | None = None) -> int:
        """Write every stored event (with coder, those of that coder version or part of
        one, store/export.py) to a file or a binary stream in format (plover, csv,
        parquet); return how many were written."""
        import shutil
        import tempfile

        if isinstance(target, Path | str):
            return self.store.export(format, target, coder)
        # DuckDB writes files: export to a temporary one and copy it out
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"events.{format}"
            n = self.store.export(format, path, coder)
            with path.open("rb") as f:
                shutil.copyfileobj(f, target)
        return n

    # -- feeds ------------------------------------------------------------------------

    def watch(self, sources: Path | str, *, every: str | float = "15m", once: bool = False,
              on_fetch: Callable[[str], None] | None = None) -> Iterator[Round]:
        """Return an iterator over the rounds of watching the feeds, sitemaps and JSON lists
        the file sources names (faultline.feeds), one every `every` ("15m", "1h", "90s" or
        seconds), for ever or, with once, one; each round's new articles are ingested.
        on_fetch is told each address as it is asked for."""
        from faultline.feeds import read_sources, watch
        from faultline.feeds.sources import parse_interval

        seconds = parse_interval(every)
        listed = read_sources(Path(sources))

        def writer() -> Store:
            # a process cannot hold one file open read-only and for writing at once
            self._handle.release(if_read_only=True)
            return open_store(self._handle.path, wait=self._handle.wait,
                              on_wait=self._handle.on_wait)

        def rounds() -> Iterator[Round]:
            for found in watch(listed, self.settings, open_store=writer,
                               ingest=self.ingest_records, every=seconds, once=once,
                               on_fetch=on_fetch):
                yield found
                # what the caller read after the round (alerts) must not keep other
                # processes from writing while this one waits for the next
                self._handle.release(if_read_only=True)

        return rounds()


def _actor_in(actor: str | None, scope: Scope) -> tuple[str | None, Scope]:
    """Return the key of actor (None for none) and the scope it needs: naming a sector
    ("RUS:GOV") compares actors at sector level."""
    if actor is None:
        return None, scope
    key, sector = actor_key(actor)
    return key, replace(scope, sectors=True) if sector else scope
