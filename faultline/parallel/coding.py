"""The client's side: a Dask cluster coding ingest's batches, its shards loaded in order."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultline.errors import ClusterError
from faultline.models import Document, Skip
from faultline.store.shards import MANIFEST

if TYPE_CHECKING:
    from distributed import Client, Future

    from faultline.parallel.worker import Asked, PartResult, Recorder
    from faultline.pipeline import Coded, CodedBatch, Coder, Loaded, RunReport
    from faultline.resolve.registry import Sighting
    from faultline.settings import Settings

log = logging.getLogger(__name__)

#: How long reaching a scheduler may take before the run gives up (seconds).
CONNECT_SECONDS = 10
#: Partitions queued per worker thread: enough that none waits for the next.
AHEAD_PER_THREAD = 2
#: Batches looked up in one opening of the database per worker thread, and at most
#: (they wait in memory with those queued): measured with two workers, 4 a thread cut
#: the CPU of this process by a sixth against 2, and 8 no further.
GROUP_PER_THREAD = 4
GROUP_MAX = 16
#: Dask's settings for the cluster a run starts and for its client. Every process of a
#: LocalCluster checks 50 times a second that its event loop is not blocked, samples
#: its task's stack 100 times a second for the dashboard's profiles and measures the
#: machine and each worker's memory several times a second: a core's 5 % when idle,
#: taken from coding (and from this process, which stores). A run has no dashboard;
#: a loop blocked for a second is still reported.
QUIET_DASK = {
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


def default_dataset(db: Path) -> Path:
    """Return the dataset folder of a database when none is named: DB.dataset beside it."""
    return db.with_name(db.name + ".dataset")


@contextmanager
def dask_coding(settings: Settings, *, workers: int | None = None,
                scheduler: str | None = None, dataset: Path) -> Iterator[DaskCoding]:
    """Yield a DaskCoding on a LocalCluster of `workers` processes, or on the cluster
    whose scheduler listens at `scheduler`; the cluster (if ours) stops at the end."""
    import dask
    from distributed import Client, LocalCluster

    cluster: LocalCluster | None = None
    # the workers of a LocalCluster take these settings from this process
    with dask.config.set(QUIET_DASK):
        if scheduler is not None:
            client = _connect(scheduler, settings.lock_wait)
        else:
            # no dashboard, and its web server on a free port: 8787 may be taken
            cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1,
                                   processes=True, silence_logs=logging.ERROR,
                                   scheduler_kwargs={"dashboard": False,
                                                     "dashboard_address": ":0"})
            client = Client(cluster, set_as_default=False)
        coding = DaskCoding(settings, client, dataset)
        try:
            yield coding
        finally:
            coding.close()
            client.close()
            if cluster is not None:
                cluster.close()


def _connect(address: str, wait: float) -> Client:
    """Return a client of the scheduler at address once a worker has joined it."""
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {reason}; "
                           "is `dask scheduler` running there?") from None
    try:
        client.wait_for_workers(1, timeout=max(wait, 1.0))
    except TimeoutError:
        client.close()
        raise ClusterError(f"no Dask worker joined the scheduler at {address} within "
                           f"{max(wait, 1.0):g} s; start one with `dask worker {address}`"
                           ) from None
    return client


@dataclass
class _Pending:
    """A partition given to the cluster (future None: the manifest has it already)."""

    part: str
    future: Future | None
    origins: list[str] = field(default_factory=list)
    #: True once the manifest lists the finished task.
    recorded: bool = False


class Manifest:
    """The partitions of a dataset whose shards are complete: one JSON line each."""

    def __init__(self, dataset: Path) -> None:
        from faultline.parallel.worker import PartResult

        self.path = dataset / MANIFEST
        self.done: dict[str, PartResult] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(line)
                    result = PartResult(part=record["part"], documents=record["documents"],
                                        coder=record["coder"], parser=record["parser"],
                                        skipped=[tuple(s) for s in record["skipped"]])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill: that partition is coded again
                self.done[result.part] = result

    def add(self, result: PartResult) -> None:
        """Record a partition as finished, on disk before this returns."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(result.as_record(), ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.done[result.part] = result


class DaskCoding:
    """ingest's Coding (faultline.pipeline.Coding) on a Dask cluster.

    Each batch becomes a task; what the tasks wrote is read back in the order
    the batches came, checked against the registry of every document before
    (see the package's docstring) and yielded for storing. At most
    AHEAD_PER_THREAD partitions per worker thread wait at once, so memory
    stays bounded however long the input.
    """

    def __init__(self, settings: Settings, client: Client, dataset: Path) -> None:
        self.settings = settings
        self.client = client
        self.dataset = dataset.resolve()
        self.manifest = Manifest(self.dataset)
        self.run = uuid.uuid4().hex[:12]
        self.plugin = f"faultline-coder-{self.run}"
        self.pending: deque[_Pending] = deque()
        threads = sum(self.client.nthreads().values())
        self.ahead = AHEAD_PER_THREAD * max(threads, 1)
        #: Batches looked up (and partitions stored) in one opening of the database: an
        #: opening costs a writer as much CPU as storing a partition, CPU the workers
        #: lack, and the database is closed while the workers code them.
        self.group = min(GROUP_PER_THREAD * max(threads, 1), GROUP_MAX)
        # partitions coded under other settings are other partitions; the database is
        # not one of those settings (the loader checks what a worker knew of its
        # people), nor are those that only say how a run proceeds
        coding = settings.with_(db=Path(MANIFEST), write_batch=1, processes=1, lock_wait=0.0)
        self.fingerprint = hashlib.sha256(repr(coding).encode()).hexdigest()
        #: What the workers' coder will write on every event; a partition of the manifest
        #: coded with another lexicon is coded again.
        self.version = _coder_version(settings)
        #: The registry as a single-process ingest would hold it at the next document.
        self.truth: Recorder | None = None
        #: A Coder here, made if a document must be coded again.
        self.coder: Coder | None = None
        #: Documents coded again here, and partitions taken from the manifest.
        self.recoded = 0
        self.resumed = 0

    @property
    def started(self) -> bool:
        """Return True once start() was called."""
        return self.truth is not None

    def start(self, sightings: list[Sighting]) -> None:
        """Give every worker a Coder whose registry starts with the stored sightings."""
        from faultline.parallel.worker import CoderPlugin, Recorder

        self.truth = Recorder(sightings)
        # spaCy's own processes inside a worker process would fight the workers for cores
        plugin = CoderPlugin(self.plugin, self.settings.with_(processes=1), sightings)
        self.client.register_plugin(plugin, name=self.plugin)

    def close(self) -> None:
        """Free the workers of this run's Coder (a cluster outlives the run)."""
        if self.started and self.client.status == "running":
            try:
                self.client.unregister_worker_plugin(self.plugin)
            except Exception as exc:  # noqa: BLE001 - closing a run must not fail it
                log.debug("could not unregister %s: %s", self.plugin, exc)

    def code(self, fresh: list[Document], report: RunReport) -> Iterator[CodedBatch]:
        """Give the batch to the cluster (unless the manifest has it); yield the oldest
        batches while too many wait."""
        from faultline.parallel.worker import code_partition, shard_complete

        part = self._part(fresh)
        future = None
        done = self.manifest.done.get(part)
        if done is not None and done.coder == self.version \
                and shard_complete(self.dataset, part):
            self.resumed += 1
        else:
            future = self.client.submit(code_partition, self.plugin, str(self.dataset), part,
                                        fresh, key=f"faultline-code-{self.run}-{part}",
                                        pure=False)
        self.pending.append(_Pending(part, future, [d.origin for d in fresh]))
        self._record_finished()
        while len(self.pending) > self.ahead:
            yield from self._collect(self.pending.popleft(), report)

    def finish(self, report: RunReport) -> Iterator[CodedBatch]:
        """Yield every batch still waiting, in order."""
        while self.pending:
            yield from self._collect(self.pending.popleft(), report)
        if self.recoded or self.resumed:
            log.info("%d documents coded again here; %d partitions taken from %s",
                     self.recoded, self.resumed, self.manifest.path)

    def _part(self, fresh: list[Document]) -> str:
        """Return the name of the partition of these documents under these settings."""
        digest = hashlib.sha256(self.fingerprint.encode())
        for document in fresh:
            # every field: a text read again from elsewhere (another origin, id or date)
            # is another document
            digest.update(repr(astuple(document)).encode())
        return digest.hexdigest()[:20]

    def _record_finished(self) -> None:
        """Enter every finished task in the manifest, so that a kill loses none of them."""
        for item in self.pending:
            if item.future is not None and not item.recorded \
                    and item.future.status == "finished":
                self.manifest.add(item.future.result())
                item.recorded = True

    def _collect(self, item: _Pending, report: RunReport) -> Iterator[CodedBatch]:
        """Wait for a partition; yield it coded, checked against the registry."""
        from faultline.parallel.worker import read_lookups

        result = self.manifest.done.get(item.part) if item.future is None else None
        if result is None:
            assert item.future is not None
            try:
                result = item.future.result()
            except Exception as exc:  # noqa: BLE001 - the task's failure is its documents' reason
                reason = f"not coded: its partition's Dask task failed: {_one_line(exc)}"
                for origin in item.origins:
                    _skip(report, Skip(origin, reason))
                return
            if not item.recorded:
                self.manifest.add(result)
            item.future.release()
        for origin, reason in result.skipped:
            _skip(report, Skip(origin, reason))
        yield self._settle(item.part, read_lookups(self.dataset, item.part), report), \
            result.coder, result.parser

    def _settle(self, part: str, asked: dict[str, list[Asked]], report: RunReport) -> Loaded:
        """Return the shard's documents coded as a single process would have coded them:
        each taken as the worker coded it when the registry as of that document answers
        the worker's questions alike, else coded again here (and the partition's files
        written again, so that the dataset holds what the database does). Only its
        documents and people are read as objects; its rows go to the store as they are."""
        from faultline.pipeline import Loaded
        from faultline.store.batch import TableBatch
        from faultline.store.shards import read_tables, shard_documents, shard_people

        truth = self.truth
        assert truth is not None, "start() comes first"
        rows = read_tables(self.dataset, part)
        documents = shard_documents(rows["documents"])
        people: dict[str, list[Sighting]] = {d.doc_hash: [] for d in documents}
        for sighting in shard_people(rows["people"]):
            people[sighting.doc_hash].append(sighting)
        again: dict[str, Coded | None] = {}
        settled_asked: dict[str, list[Asked]] = {}
        for document in documents:
            questions = asked.get(document.doc_hash, [])
            truth.take()
            if all(truth.lookup(name, date) == known for name, date, known in questions):
                truth.add(people[document.doc_hash])
            else:
                truth.take()
                again[document.doc_hash] = self._recode(document, report)
                questions = truth.take()
            settled_asked[document.doc_hash] = questions
        set_aside = []
        if again:
            settled = self._rewrite(part, documents, again, settled_asked)
            set_aside = [s for c in again.values() if c is not None for s in c.set_aside]
            documents = [c.document for c in settled]
            rows = read_tables(self.dataset, part)
        return Loaded(documents, TableBatch(**rows), rows["events"].num_rows, set_aside)

    def _rewrite(self, part: str, documents: list[Document], again: dict[str, Coded | None],
                 asked: dict[str, list[Asked]]) -> list[Coded]:
        """Write the partition's files again with the documents coded again here (None:
        left out, it failed); return its documents coded, in order."""
        from faultline.parallel.worker import write_partition
        from faultline.pipeline import Coded
        from faultline.store.shards import read_shard

        shard = read_shard(self.dataset, part)
        records: dict[str, dict[str, list[Any]]] = {
            d.doc_hash: {"events": [], "people": [], "dependencies": []} for d in documents}
        for name, items in (("events", shard.events), ("people", shard.people),
                            ("dependencies", shard.dependencies)):
            for record in items:
                records[record.doc_hash][name].append(record)
        settled: list[Coded] = []
        for document in documents:
            if document.doc_hash not in again:
                settled.append(Coded(document, records[document.doc_hash],
                                     parse=shard.parses.get(document.doc_hash)))
            elif (coded := again[document.doc_hash]) is not None:
                settled.append(coded)
        write_partition(self.dataset, part, settled,
                        {c.document.doc_hash: asked[c.document.doc_hash] for c in settled},
                        self.version)
        return settled

    def _recode(self, document: Document, report: RunReport) -> Coded | None:
        """Return the document coded here, with the registry as of it (None: it failed)."""
        from faultline.pipeline import Coder

        if self.coder is None:
            assert self.truth is not None
            self.coder = Coder(self.settings, self.truth, keep_parses=True)
        self.recoded += 1
        try:
            return next(iter(self.coder.code([document])))
        except Exception as exc:  # noqa: BLE001 - reported as the document's reason
            _skip(report, Skip(document.origin, f"cannot code: {_one_line(exc)}"))
            return None


def _coder_version(settings: Settings) -> str:
    """Return the version a Coder of these settings writes on every event."""
    from faultline.coder.coder import coder_version
    from faultline.coder.lexicon import load_lexicon

    return coder_version(load_lexicon(tuple(settings.lexicons)), settings)


def _skip(report: RunReport, item: Skip) -> None:
    log.warning("skipped %s: %s", item.origin, item.reason)
    report.skip(item)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
