"""One error tree: every error faultline raises on purpose is a FaultlineError.

Messages say what was wrong and how to fix it; the CLI prints them as one line.
"""

from __future__ import annotations


class FaultlineError(Exception):
    """Base of every error faultline raises on purpose."""


class SettingsError(FaultlineError):
    """A setting has a value faultline cannot use."""


class InputError(FaultlineError):
    """An input path or record cannot be read at all."""


class OptionError(FaultlineError):
    """An option or argument has a value faultline cannot use (a date, an actor, a period,
    a format): the caller asked for something wrong, and the message says what to give."""


class NotFoundError(OptionError):
    """What was asked for (a document, a cluster) is not in the database."""


class ModelError(FaultlineError):
    """The spaCy pipeline named in the settings cannot be loaded."""


class LexiconError(FaultlineError):
    """A lexicon or dictionary data file is malformed."""


class StoreError(FaultlineError):
    """The database cannot be opened or written."""


class NoDatabaseError(StoreError):
    """There is no database at the path given: nothing has been ingested there yet."""


class SchemaVersionError(StoreError):
    """The database was written by an incompatible faultline version."""


class DamagedDatabaseError(StoreError):
    """The database file is truncated or corrupted: DuckDB cannot read part of it."""


class DatasetError(StoreError):
    """A folder given as the database is no Parquet dataset faultline can read, or is one
    and was to be written."""


class DatabaseBusyError(StoreError):
    """Another process kept the database for longer than the lock_wait setting allows."""


class FeedError(InputError):
    """A feed, sitemap or page `faultline watch` fetched cannot be used; transient when
    trying again later may work (a timeout, a server error)."""

    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.transient = transient


class ClusterError(FaultlineError):
    """The Dask cluster an ingest was to run on cannot be reached or has no worker."""
