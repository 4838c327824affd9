"""The store stage: the DuckDB database that holds documents and coded events.

Importing this package is cheap; duckdb and pyarrow load on first use.
"""

from __future__ import annotations

from faultline.store.clusters import ClusterRules
from faultline.store.connect import SCHEMA_VERSION
from faultline.store.db import EXPORT_FORMATS, Store, WriteResult, open_store

__all__ = [
    "EXPORT_FORMATS", "SCHEMA_VERSION", "ClusterRules", "Store", "WriteResult", "open_store",
]
