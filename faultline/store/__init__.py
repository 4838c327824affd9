"""The store stage: the DuckDB database that holds documents and coded events.

Importing this package is cheap; duckdb and pyarrow load on first use.
"""

from __future__ import annotations

from faultline.store.clusters import ClusterRules
from faultline.store.connect import SCHEMA_VERSION
from faultline.store.db import Store, WriteResult, open_store
from faultline.store.export import EXPORT_FORMATS

__all__ = [
    "EXPORT_FORMATS", "SCHEMA_VERSION", "ClusterRules", "Store", "WriteResult", "open_store",
]
