"""The ingest stage: read text, HTML, JSON lines and JSON into Documents.

    items = dedupe(read_inputs(["news/", "-"], settings, default_date="2025-07-04"))

Every input that cannot be used comes out as a Skip with a one-line reason
instead of stopping the run; skip_category() and IngestSummary count them.
A new input format is a reader function and one register_format() line
(formats.py); every reader's text passes through clean_text() (normalise.py).
"""

from __future__ import annotations

from faultline.ingest.checks import skip_category
from faultline.ingest.dedupe import dedupe
from faultline.ingest.formats import (
    Format,
    register_format,
    sniff_format,
    unregister_format,
)
from faultline.ingest.normalise import clean_text
from faultline.ingest.sources import read_inputs
from faultline.ingest.summary import IngestSummary
from faultline.ingest.textmeta import parse_date, split_header

#: Version of the ingest stage, stored with what it produces.
VERSION = "ingest-2"

__all__ = [
    "VERSION",
    "Format",
    "IngestSummary",
    "clean_text",
    "dedupe",
    "parse_date",
    "read_inputs",
    "register_format",
    "sniff_format",
    "unregister_format",
    "skip_category",
    "split_header",
]
