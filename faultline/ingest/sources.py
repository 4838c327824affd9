"""Where documents come from: paths, directories and standard input.

read_inputs() is the one entry point of the ingest stage. It reads each path
with the reader registered for its format (formats.py), walks directories,
sniffs the format of standard input, passes every document's text through
the one normaliser (normalise.py), fills in the default date, applies the
English check, and turns every problem into a Skip so that one bad input
never stops a run.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any, BinaryIO, TextIO

from faultline.errors import InputError
from faultline.ingest.checks import (
    BOMS,
    SNIFF_BYTES,
    check_binary,
    check_size,
    too_large,
)
from faultline.ingest.formats import (
    Format,
    format_of,
    get_format,
    peek_text,
    sniff_format,
    suffixes,
)
from faultline.ingest.language import check_english
from faultline.ingest.normalise import cleaned
from faultline.ingest.readers import EMPTY
from faultline.ingest.textmeta import parse_date
from faultline.models import Document, Skip
from faultline.settings import Settings

log = logging.getLogger(__name__)

STDIN = "-"
#: At most this much leading whitespace is read from stdin to find its format.
_SNIFF_LIMIT = 1 << 16
#: Wide encodings cannot be split into lines on b"\n": such input is read whole.
_WIDE_BOMS = tuple(bom for bom, name in BOMS if name != "utf-8-sig")

Item = Document | Skip

#: The reason for a text of nothing but punctuation and symbols ("[[[[", "***").
NO_WORDS = "no text (no letters or digits, only punctuation or symbols)"
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def read_inputs(
    paths: Sequence[str],
    settings: Settings,
    *,
    default_date: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield a Document for every text found in paths, and a Skip for every bad input.

    Each path is a file of a registered format (formats.py: .txt, .html/.htm,
    .jsonl, .json), a directory (read recursively in sorted order: files
    with those endings only, hidden files and folders and symlinked folders
    passed over, the number of other files logged), or "-" for standard
    input (`stdin`, else sys.stdin.buffer), whose format is sniffed: JSON
    lines when the first non-blank character is "{", HTML when it is "<",
    else plain text. A file named explicitly with another ending is sniffed
    the same way. A FIFO or a device named explicitly is read without waiting
    for a writer and only up to max_bytes (a FIFO nobody writes to is empty,
    /dev/zero too large); in a directory they are passed over.

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
    """Return the item with its text cleaned and the default date filled in, or a Skip if
    it is empty, has no words or is not English."""
    if isinstance(item, Skip):
        return item
    item = cleaned(item)
    if not item.text:
        return Skip(item.origin, EMPTY)
    if not _LETTER_OR_DIGIT.search(item.text):
        return Skip(item.origin, NO_WORDS)
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
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        yield Skip(path, "no such file or directory")
        return
    except OSError as exc:
        # a symlink loop (ELOOP), a path through a file (ENOTDIR), no permission
        yield Skip(path, _cannot_read(exc))
        return
    if stat.S_ISDIR(mode):
        yield from _read_directory(path, settings)
    else:
        yield from _read_file(path, format_of(path), settings)


def _cannot_read(exc: OSError) -> str:
    """Return the skip reason for a file the system would not let us read."""
    return f"cannot read: {exc.strerror or exc}"


def _read_directory(top: str, settings: Settings) -> Iterator[Item]:
    """Yield the items of every readable file under top, in sorted path order."""
    found = ignored = 0
    for path in _walk(top):
        if isinstance(path, Skip):
            yield path
            continue
        fmt = format_of(path)
        if fmt is None:
            ignored += 1
            continue
        found += 1
        yield from _read_file(path, fmt, settings)
    endings = suffixes()
    if ignored:
        log.info("%s: ignored %d file(s) without a %s ending", top, ignored, "/".join(endings))
    if not found:
        yield Skip(top, f"no readable files ({', '.join(endings)}) in the directory")


def _walk(top: str) -> Iterator[str | Skip]:
    """Yield the path of each file under top, depth first, sorted by name, and a Skip for
    each directory that cannot be listed and each link that leads nowhere readable.

    Hidden entries (".git", ".DS_Store") and symlinked directories (which
    could loop) are passed over; so are FIFOs, sockets and devices, which
    are no files of text.
    """
    try:
        with os.scandir(top) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        yield Skip(top, "cannot read the directory (permission denied or it vanished)")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(top, entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(path)
            elif entry.is_file():
                yield path
        except OSError as exc:
            # a link to itself ("ln -s self.txt self.txt") or in a loop of links
            yield Skip(path, _cannot_read(exc))


def _read_file(path: str, fmt: Format | None, settings: Settings) -> Iterator[Item]:
    """Yield the items of one file in the given format (None: sniffed), checking its size
    first; a format read as a stream is streamed."""
    try:
        with _open_input(path) as handle:
            if fmt is not None and fmt.stream is not None:
                yield from _stream_file(handle, path, fmt, settings)
                return
            data = _read_bounded(handle, settings.max_bytes)
    except InputError as exc:
        yield Skip(path, str(exc))
        return
    except OSError as exc:
        yield Skip(path, _cannot_read(exc))
        return
    yield from _parse_bytes(data, path, fmt)


def _open_input(path: str) -> BinaryIO:
    """Return path opened for reading bytes, without waiting for a writer.

    A FIFO with no writer would block open() for ever: it is opened without
    blocking, then read as usual, so that a FIFO nobody writes to reads as
    empty (end of file at once) and one a process feeds (`<(zcat news.gz)`)
    is read as it comes.
    """
    if not stat.S_ISREG(os.stat(path).st_mode) and hasattr(os, "O_NONBLOCK"):
        import fcntl

        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _read_bounded(handle: BinaryIO, limit: int) -> bytes:
    """Return everything in handle, refusing (InputError) more than limit bytes without
    reading further: a device such as /dev/zero never ends."""
    size = os.fstat(handle.fileno()).st_size
    if size > limit:
        raise InputError(too_large(size, limit))
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(too_large(0, limit, at_least=True))
    return data


def _stream_file(handle: BinaryIO, path: str, fmt: Format, settings: Settings
                 ) -> Iterator[Item]:
    """Yield the records of a file of a streamed format, reading it whole if UTF-16/32.

    A binary file is skipped whole unless it begins as its format does: one NUL
    byte in a JSON-lines file costs only the records it is in.
    """
    assert fmt.stream is not None
    head = handle.read(SNIFF_BYTES)
    if head.startswith(_WIDE_BOMS):
        data = head + _read_bounded(handle, settings.max_bytes)
        check_size(len(data), settings.max_bytes)
        yield from _parse_bytes(data, path, fmt)
        return
    if sniff_format(head) != fmt.name:
        try:
            check_binary(head)
        except InputError as exc:
            yield Skip(path, str(exc))
            return
    if handle.seekable():
        handle.seek(0)
        stream: IO[bytes] = handle
    else:
        stream = io.BufferedReader(_Rejoined(head, handle))
    yield from fmt.stream(stream, path, settings.max_bytes)


def _parse_bytes(data: bytes, origin: str, fmt: Format | None) -> Iterator[Item]:
    """Yield the items in the whole content of one input of a known (or, for None,
    sniffed) format."""
    if fmt is None:
        fmt = get_format(sniff_format(data))
    try:
        found = fmt.read(data, origin)
        if isinstance(found, Document):
            yield found
        else:
            yield from found
    except InputError as exc:
        yield Skip(origin, str(exc))


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
        if peek_text(head).strip():
            break
    fmt = get_format(sniff_format(head))
    joined = io.BufferedReader(_Rejoined(head, stream))
    if fmt.stream is not None and not head.startswith(_WIDE_BOMS):
        yield from fmt.stream(joined, STDIN, settings.max_bytes)
        return
    data = joined.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield Skip(STDIN, too_large(0, settings.max_bytes, at_least=True))
        return
    if not data.strip():
        yield Skip(STDIN, "no text (standard input is empty)")
        return
    yield from _parse_bytes(data, STDIN, fmt)
