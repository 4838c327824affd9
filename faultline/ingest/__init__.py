"""The ingest stage: read text, HTML, JSON lines and JSON into Documents.

    items = dedupe(read_inputs(["news/", "-"], settings, default_date="2025-07-04"))

Every input that cannot be used comes out as a Skip with a one-line reason
instead of stopping the run; skip_category() and IngestSummary count them.
"""

from __future__ import annotations

from faultline.ingest.checks import skip_category
from faultline.ingest.dedupe import dedupe
from faultline.ingest.sources import FORMATS, read_inputs, sniff_format
from faultline.ingest.summary import IngestSummary
from faultline.ingest.textmeta import parse_date, split_header

#: Version of the ingest stage, stored with what it produces.
VERSION = "ingest-1"

__all__ = [
    "FORMATS",
    "VERSION",
    "IngestSummary",
    "dedupe",
    "parse_date",
    "read_inputs",
    "sniff_format",
    "skip_category",
    "split_header",
]
