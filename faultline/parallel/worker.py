"""What runs in a Dask worker: code one partition and write its shards.

Imported only where Dask runs (it imports distributed).

Every worker process holds one Coder (spaCy pipeline, lexicon, gazetteer),
made by its first task of a run and kept by a worker plugin for the tasks
after it. Its registry records each question a document asks it and the
answer (Recorder), written beside the shards so the loader can check them
(see the package's docstring).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distributed.diagnostics.plugin import WorkerPlugin

from faultline.resolve.registry import Known, Registry, Sighting

if TYPE_CHECKING:
    import pyarrow as pa

    from faultline.models import Document
    from faultline.pipeline import Coded, Coder
    from faultline.settings import Settings

log = logging.getLogger(__name__)

#: One question a document asked the registry: (name, date) and the answer.
Asked = tuple[str, str | None, Known | None]

#: The dataset folder of the registry's questions, beside the shards' tables.
LOOKUPS = "lookups"


class Recorder(Registry):
    """A registry that records the questions asked of it, until they are taken."""

    def __init__(self, sightings: list[Sighting]) -> None:
        super().__init__(sightings)
        self.asked: list[Asked] = []

    def lookup(self, name: str, date: str | None = None) -> Known | None:
        """Return what Registry.lookup does, and record the question and the answer."""
        known = super().lookup(name, date)
        self.asked.append((name, date, known))
        return known

    def take(self) -> list[Asked]:
        """Return the questions recorded since the last take, forgetting them."""
        asked, self.asked = self.asked, []
        return asked


class CoderPlugin(WorkerPlugin):
    """A Dask worker plugin holding the worker process's Coder for one run.

    Registered by the client under a name of the run; the Coder is made by the
    first task that needs it (in a task's thread, not the worker's event loop,
    which must keep answering the scheduler while spaCy loads).
    """

    def __init__(self, name: str, settings: Settings, sightings: list[Sighting]) -> None:
        self.name = name
        self.settings = settings
        self.sightings = sightings
        self._coder: Coder | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "settings": self.settings, "sightings": self.sightings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["name"], state["settings"], state["sightings"])  # type: ignore[misc]

    def coder(self) -> Coder:
        """Return the worker's Coder, made on first use."""
        from faultline.pipeline import Coder

        with self._lock:
            if self._coder is None:
                self._coder = Coder(self.settings, Recorder(self.sightings), keep_parses=True)
            return self._coder


@dataclass
class PartResult:
    """What a task reports of its partition: documents coded, the coder's version, the
    spaCy pipeline that parsed them, and the documents it could not code (origin,
    one-line reason)."""

    part: str
    documents: int
    coder: str
    parser: str
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        """Return the result as the manifest's JSON object."""
        return {"part": self.part, "documents": self.documents, "coder": self.coder,
                "parser": self.parser, "skipped": [list(s) for s in self.skipped]}


def code_partition(plugin: str, dataset: str, part: str, documents: list[Document]
                   ) -> PartResult:
    """Code a partition's documents on this worker and write its shards into dataset;
    return what was done. A document the coder fails on is left out with its reason."""
    from distributed import get_worker

    from faultline.pipeline import parser_name

    holder = get_worker().plugins[plugin]
    assert isinstance(holder, CoderPlugin)
    coder = holder.coder()
    registry = coder.registry
    assert isinstance(registry, Recorder)
    registry.take()
    coded: list[Coded] = []
    asked: dict[str, list[Asked]] = {}
    skipped: list[tuple[str, str]] = []
    try:
        for one in coder.code(documents):
            coded.append(one)
            asked[one.document.doc_hash] = registry.take()
    except Exception:  # noqa: BLE001 - one bad document must not cost the partition
        log.warning("partition %s: coding failed; coding its documents one by one", part,
                    exc_info=True)
        coded, asked = [], {}
        for document in documents:
            registry.take()
            try:
                coded.extend(coder.code([document]))
            except Exception as exc:  # noqa: BLE001 - reported as the document's reason
                skipped.append((document.origin, f"cannot code: {type(exc).__name__}: {exc}"))
                continue
            asked[document.doc_hash] = registry.take()
    write_partition(Path(dataset), part, coded, asked, coder.version)
    return PartResult(part=part, documents=len(coded), coder=coder.version,
                      parser=parser_name(holder.settings), skipped=skipped)


def write_partition(dataset: Path, part: str, coded: list[Coded],
                    asked: dict[str, list[Asked]], version: str) -> None:
    """Write the partition's shards and the registry's questions into dataset."""
    from faultline.store.shards import Shard, shard_path, write_parquet, write_shard

    shard = Shard(documents=[c.document for c in coded],
                  events=[e for c in coded for e in c.events],
                  people=[p for c in coded for p in c.people],
                  dependencies=[d for c in coded for d in c.dependencies],
                  parses={c.document.doc_hash: c.parse for c in coded if c.parse is not None})
    write_shard(dataset, part, shard, coder=version)
    # written last: a partition is complete when its questions are there
    write_parquet(shard_path(dataset, LOOKUPS, part), lookups_table(asked))


def lookups_table(asked: dict[str, list[Asked]]) -> pa.Table:
    """Return the registry's questions, one row each, as an Arrow table."""
    import pyarrow as pa

    text = pa.string()
    columns: dict[str, list[Any]] = {name: [] for name in (
        "doc_hash", "name", "date", "found", "known_name", "code", "sector", "role", "seen",
        "org")}
    for doc_hash, questions in asked.items():
        for name, date, known in questions:
            columns["doc_hash"].append(doc_hash)
            columns["name"].append(name)
            columns["date"].append(date)
            columns["found"].append(known is not None)
            for column, attr in (("known_name", "name"), ("code", "code"),
                                 ("sector", "sector"), ("role", "role"), ("seen", "seen"),
                                 ("org", "org")):
                columns[column].append(getattr(known, attr) if known is not None else None)
    schema = pa.schema([(name, pa.bool_() if name == "found" else text) for name in columns])
    return pa.table(columns, schema=schema)


def shard_complete(dataset: Path, part: str) -> bool:
    """Return True when every file of a partition is in the dataset."""
    from faultline.store.shards import SHARD_TABLES, shard_path

    return all(shard_path(dataset, table, part).is_file()
               for table in (*SHARD_TABLES, LOOKUPS))


def read_lookups(dataset: Path, part: str) -> dict[str, list[Asked]]:
    """Return the registry's questions of a partition, by document hash, in order."""
    from faultline.store.shards import read_parquet, shard_path

    asked: dict[str, list[Asked]] = {}
    for row in read_parquet(shard_path(dataset, LOOKUPS, part)):
        known = None
        if row["found"]:
            known = Known(name=row["known_name"], code=row["code"], sector=row["sector"],
                          role=row["role"], seen=row["seen"], org=row["org"])
        asked.setdefault(row["doc_hash"], []).append((row["name"], row["date"], known))
    return asked
