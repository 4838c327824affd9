"""Where documents come from: paths, directories and standard input.

read_inputs() is the one entry point of the ingest stage. It dispatches
each path to the reader for its format, walks directories, sniffs the format
of standard input, fills in the default date, applies the English check, and
turns every problem into a Skip so that one bad input never stops a run.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, BinaryIO, TextIO

from faultline.errors import InputError
from faultline.ingest.checks import (
    SNIFF_BYTES,
    check_binary,
    check_english,
    check_size,
    decode_bytes,
    too_large,
)
from faultline.ingest.readers import (
    read_html,
    read_json,
    read_jsonl_stream,
    read_jsonl_text,
    read_text,
)
from faultline.ingest.textmeta import parse_date
from faultline.models import Document, Skip
from faultline.settings import Settings

log = logging.getLogger(__name__)

#: File name endings read from directories, and the format each one holds.
FORMATS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
}
STDIN = "-"
#: At most this much leading whitespace is read from stdin to find its format.
_SNIFF_LIMIT = 1 << 16
_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

Item = Document | Skip


def read_inputs(
    paths: Sequence[str],
    settings: Settings,
    *,
    default_date: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield a Document for every text found in paths, and a Skip for every bad input.

    Each path is a .txt, .html/.htm, .jsonl or .json file, a directory (read
    recursively in sorted order: files with those endings only, hidden
    files and folders and symlinked folders passed over, the number of other
    files logged), or "-" for standard input (`stdin`, else
    sys.stdin.buffer), whose format is sniffed: JSON lines when the first
    non-blank character is "{", HTML when it is "<", else plain text. A
    file named explicitly with another ending is sniffed the same way.

    default_date (YYYY-MM-DD or another form parse_date() understands) is
    given to documents without a date, with date_source "option". Raises
    InputError at once if it is not a date; all other problems become Skips.
    """
    fallback = None
    if default_date is not None:
        fallback = parse_date(default_date)
        if fallback is None:
            raise InputError(f"default date {default_date!r} is not a date; give it as YYYY-MM-DD")
    return _read_all(paths, settings, fallback, stdin)


def _read_all(
    paths: Sequence[str],
    settings: Settings,
    fallback: str | None,
    stdin: TextIO | BinaryIO | None,
) -> Iterator[Item]:
    """Yield the finished items of every path in order (see read_inputs)."""
    for path in paths:
        if path == STDIN:
            stream: IO[Any] = stdin if stdin is not None else sys.stdin.buffer
            items = _read_stdin(stream, settings)
        else:
            items = _read_path(path, settings)
        for item in items:
            yield _finish(item, settings, fallback)


def _finish(item: Item, settings: Settings, fallback: str | None) -> Item:
    """Return the item with the default date filled in, or a Skip if it is not English."""
    if isinstance(item, Skip):
        return item
    if settings.english_only:
        try:
            check_english(item.text)
        except InputError as exc:
            return Skip(item.origin, str(exc))
    if item.date is None and fallback is not None:
        return dataclasses.replace(item, date=fallback, date_source="option")
    return item


def _read_path(path: str, settings: Settings) -> Iterator[Item]:
    """Yield the items in one file or directory given on the command line."""
    if os.path.isdir(path):
        yield from _read_directory(path, settings)
    elif not os.path.exists(path):
        yield Skip(path, "no such file or directory")
    else:
        fmt = FORMATS.get(os.path.splitext(path)[1].lower(), "sniff")
        yield from _read_file(path, fmt, settings)


def _read_directory(top: str, settings: Settings) -> Iterator[Item]:
    """Yield the items of every readable file under top, in sorted path order."""
    found = ignored = 0
    for path, fmt in _walk(top):
        if fmt is None:
            ignored += 1
            continue
        if fmt == "error":
            yield Skip(path, "cannot read the directory (permission denied or it vanished)")
            continue
        found += 1
        yield from _read_file(path, fmt, settings)
    if ignored:
        log.info("%s: ignored %d file(s) without a .txt/.html/.htm/.jsonl/.json ending",
                 top, ignored)
    if not found:
        yield Skip(top, "no readable files (.txt, .html, .htm, .jsonl, .json) in the directory")


def _walk(top: str) -> Iterator[tuple[str, str | None]]:
    """Yield (path, format) for each file under top, depth first, sorted by name.

    The format is None for files with other endings and "error" for a
    directory that cannot be listed. Hidden entries (".git", ".DS_Store")
    and symlinked directories (which could loop) are passed over.
    """
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        yield top, "error"
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(top, entry.name)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_file():
            yield path, FORMATS.get(os.path.splitext(entry.name)[1].lower())


def _read_file(path: str, fmt: str, settings: Settings) -> Iterator[Item]:
    """Yield the items of one file in the given format, checking its size first."""
    try:
        if fmt == "jsonl":
            yield from _read_jsonl_file(path, settings)
            return
        check_size(os.path.getsize(path), settings.max_bytes)
        with open(path, "rb") as handle:
            data = handle.read()
    except InputError as exc:
        yield Skip(path, str(exc))
        return
    except OSError as exc:
        yield Skip(path, f"cannot read: {exc.strerror or exc}")
        return
    yield from _parse_bytes(data, path, fmt)


def _read_jsonl_file(path: str, settings: Settings) -> Iterator[Item]:
    """Yield the records of a JSON-lines file, streaming it unless it is UTF-16/32."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        if head.startswith(_UTF16_BOMS):
            # Wide encodings cannot be split on b"\n"; read such files whole.
            check_size(os.path.getsize(path), settings.max_bytes)
            yield from _parse_bytes(head + handle.read(), path, "jsonl")
            return
        try:
            check_binary(head)
        except InputError as exc:
            yield Skip(path, str(exc))
            return
        handle.seek(0)
        yield from read_jsonl_stream(handle, path, settings.max_bytes)


def _parse_bytes(data: bytes, origin: str, fmt: str) -> Iterator[Item]:
    """Yield the items in the whole content of one input of a known or sniffed format."""
    if fmt == "sniff":
        fmt = sniff_format(data)
    if fmt == "json":
        yield from read_json(data, origin)
        return
    readers: dict[str, Callable[[bytes, str], Document]] = {"text": read_text, "html": read_html}
    try:
        if fmt == "jsonl":
            yield from read_jsonl_text(decode_bytes(data), origin)
        else:
            yield readers[fmt](data, origin)
    except InputError as exc:
        yield Skip(origin, str(exc))


def sniff_format(head: bytes) -> str:
    """Return "jsonl", "html" or "text" from the first non-blank character of the input."""
    # A second byte-order mark sometimes follows the first when files are concatenated.
    text = _peek_text(head).lstrip("\ufeff \t\r\n\f\v")
    if text.startswith("{"):
        return "jsonl"
    if text.startswith("<"):
        return "html"
    return "text"


def _peek_text(head: bytes) -> str:
    """Return the start of the input as text, leniently, only for sniffing its format."""
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return head.decode(name, errors="ignore")
    return head.decode("utf-8", errors="ignore")


class _Rejoined(io.RawIOBase):
    """A binary stream that returns bytes already read from a stream, then the rest of it.

    Text streams (io.StringIO, sys.stdin) are encoded as UTF-8 on the way.
    """

    def __init__(self, head: bytes, rest: IO[Any]) -> None:
        super().__init__()
        self._pending = head
        self._rest = rest

    def readable(self) -> bool:
        """Return True: this stream can be read."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill buffer with the next bytes; return how many, 0 at the end."""
        if not self._pending:
            self._pending = _as_bytes(self._rest.read(len(buffer)))
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _as_bytes(chunk: str | bytes) -> bytes:
    """Return a chunk read from a text or binary stream as bytes."""
    return chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def _read_stdin(stream: IO[Any], settings: Settings) -> Iterator[Item]:
    """Yield the items on standard input, sniffing its format from the first characters.

    JSON lines are streamed (max_bytes limits each line); text and HTML are
    read whole, up to max_bytes.
    """
    head = b""
    while len(head) < _SNIFF_LIMIT:
        chunk = _as_bytes(stream.read(SNIFF_BYTES))
        if not chunk:
            break
        head += chunk
        if _peek_text(head).strip():
            break
    fmt = sniff_format(head)
    joined = io.BufferedReader(_Rejoined(head, stream))
    if fmt == "jsonl" and not head.startswith(_UTF16_BOMS):
        yield from read_jsonl_stream(joined, STDIN, settings.max_bytes)
        return
    data = joined.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield Skip(STDIN, too_large(0, settings.max_bytes, at_least=True))
        return
    if not data.strip():
        yield Skip(STDIN, "no text (standard input is empty)")
        return
    yield from _parse_bytes(data, STDIN, fmt)
