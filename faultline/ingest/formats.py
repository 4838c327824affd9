"""Input formats: one registry from a file's ending, or the start of its content, to its reader.

A reader turns the whole content of one input into a Document, or into
Documents and Skips (one per record), and raises InputError for an input it
cannot use at all:

    def read_memo(data: bytes, origin: str) -> Document: ...

Registering it is one line; files ending in .memo are then read with it,
also from folders, and so is standard input (or a file of another ending)
that the sniffer recognises from its first non-blank text:

    register_format("memo", read_memo, suffixes=(".memo",),
                    sniff=lambda text: text.startswith("Subject:"))

Whatever the format, the text of every Document a reader gives then passes
through one normaliser (faultline.ingest.normalise.clean_text) on its way to
the rest of faultline.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from faultline.ingest.checks import BOMS
from faultline.ingest.readers import (
    read_html,
    read_json,
    read_jsonl,
    read_jsonl_stream,
    read_text,
)
from faultline.models import Document, Skip

#: Reads the whole content of one input (bytes, and where it came from).
Reader = Callable[[bytes, str], "Document | Iterable[Document | Skip]"]
#: Reads a stream record by record (each at most max_bytes long): stream, origin, max_bytes.
StreamReader = Callable[[IO[bytes], str, int], Iterator["Document | Skip"]]
#: Tells from the start of an input (text, leading blanks dropped) whether it is in a format.
Sniffer = Callable[[str], bool]


@dataclass(frozen=True)
class Format:
    """One input format: its name, its reader, the file endings and content it is known by."""

    name: str
    read: Reader
    #: File name endings (lower case, with the dot) read in this format, also in folders.
    suffixes: tuple[str, ...] = ()
    #: Recognises input of unknown ending (standard input, say) by its first text.
    sniff: Sniffer | None = None
    #: Reads files and standard input of this format as a stream, record by record,
    #: instead of whole (for formats of one record a line).
    stream: StreamReader | None = None


_FORMATS: dict[str, Format] = {}
#: The format of input that no sniffer recognises.
FALLBACK = "text"


def register_format(name: str, read: Reader, *, suffixes: Iterable[str] = (),
                    sniff: Sniffer | None = None, stream: StreamReader | None = None) -> Format:
    """Register (or replace) the input format `name`; return it."""
    fmt = Format(name, read, tuple(s.lower() for s in suffixes), sniff, stream)
    _FORMATS[name] = fmt
    return fmt


def unregister_format(name: str) -> None:
    """Forget the input format `name` (nothing happens if there is none)."""
    _FORMATS.pop(name, None)


def get_format(name: str) -> Format:
    """Return the registered format called name."""
    return _FORMATS[name]


def suffixes() -> tuple[str, ...]:
    """Return every registered file name ending, in the order the formats were registered."""
    return tuple(s for fmt in _FORMATS.values() for s in fmt.suffixes)


def format_of(path: str) -> Format | None:
    """Return the format of a file from its name's ending, or None for another ending."""
    ending = os.path.splitext(path)[1].lower()
    return next((fmt for fmt in _FORMATS.values() if ending in fmt.suffixes), None)


def sniff_format(head: bytes) -> str:
    """Return the name of the format whose sniffer recognises the start of an input (the
    first registered wins), else FALLBACK ("text")."""
    # A second byte-order mark sometimes follows the first when files are concatenated.
    text = peek_text(head).lstrip("\ufeff \t\r\n\f\v")
    for fmt in _FORMATS.values():
        if fmt.sniff is not None and fmt.sniff(text):
            return fmt.name
    return FALLBACK


def peek_text(head: bytes) -> str:
    """Return the start of an input as text, leniently, only to tell its format."""
    for bom, name in BOMS:
        if head.startswith(bom):
            return head.decode(name, errors="ignore")
    return head.decode("utf-8", errors="ignore")


# The formats faultline reads: one line each.
register_format("text", read_text, suffixes=(".txt",))
register_format("html", read_html, suffixes=(".html", ".htm"),
                sniff=lambda text: text.startswith("<"))
register_format("jsonl", read_jsonl, suffixes=(".jsonl",), stream=read_jsonl_stream,
                sniff=lambda text: text.startswith("{"))
register_format("json", read_json, suffixes=(".json",))
