"""faultline: political event data and relationship analytics from news text.

The Python API mirrors the command line:

    from faultline import code_text, ingest, load_settings
    events = code_text("Azerbaijan expelled two Russian diplomats.", date="2025-07-01")

Everything else the command line does (analyses, exports, the report) is a
method of faultline.service.Service.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from faultline._version import __version__
from faultline.errors import FaultlineError
from faultline.models import Actor, Document, Event, Skip
from faultline.settings import Settings, load_settings

if TYPE_CHECKING:
    from faultline.pipeline import RunReport


__all__ = [
    "Actor", "Document", "Event", "FaultlineError", "Settings", "Skip",
    "__version__", "code_paths", "code_text", "ingest", "load_settings",
]


def code_text(
    text: str, date: str | None = None, *, settings: Settings | None = None
) -> list[Event]:
    """Return the PLOVER events of one text (date: its publication date, YYYY-MM-DD)."""
    from faultline.service import Service

    return Service(settings).code_text(text, date=date)


def code_paths(
    paths: Sequence[str], date: str | None = None, *, settings: Settings | None = None
) -> list[Event]:
    """Return the events of every readable document under the given paths."""
    from faultline.service import Service

    return list(Service(settings).code(paths, date=date))


def ingest(
    paths: Sequence[str], date: str | None = None, *, settings: Settings | None = None
) -> RunReport:
    """Read, code and store documents in the settings' database; return the run report."""
    from faultline.service import Service

    return Service(settings).ingest(paths, date=date)
