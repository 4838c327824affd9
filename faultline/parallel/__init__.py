"""Ingest on a Dask cluster: many processes parse and code, one stores.

`faultline ingest --workers N` starts a Dask LocalCluster of N processes;
`--scheduler tcp://HOST:PORT` uses a running cluster (`dask scheduler`,
`dask worker`). The run reads its inputs as a single-process ingest does (one
stream, duplicates dropped, documents already stored passed over) and cuts it
into the same batches (the write_batch setting). Each batch of new documents
is one partition: a Dask task parses and codes it with the pipeline's Coder
(loaded once per worker process, worker.py) and writes it as Parquet shards
into a dataset folder (store/shards.py); the manifest there lists the
partitions finished (manifest.py). This process loads the shards in the
order read, one transaction each, with the same store writer a single-process
ingest uses (store/batch.py), its rows as read from the files, so clusters form
as usual.

People are remembered from one document to the next (resolve/registry.py), so
a document's coding may depend on every document before it, which a worker
coding a later partition has not seen. Each worker therefore records what it
asked its registry for each document; the loader replays those questions
against the registry of every document before it, in the order read, and a
document that would have got another answer is coded again here, with that
registry. The database ends as a single-process ingest of the same inputs
leaves it (tests/test_parallel.py compares their exports).

A run killed part-way resumes: partitions stored are passed over as every
ingest passes over stored documents, and those the manifest lists are loaded
from their shards without being coded again.
"""

from __future__ import annotations

from faultline.parallel.coding import DaskCoding, dask_coding

__all__ = ["DaskCoding", "dask_coding"]
