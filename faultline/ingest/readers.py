"""Readers for each input format: plain text, HTML, JSON lines and JSON.

A reader turns bytes (or a byte stream, for JSON lines) into Documents;
formats.py registers each one with the file endings and content it reads.
Problems with one input raise faultline.errors.InputError (single-document
readers) or come out as Skips (record readers, where one bad line must not
stop the lines after it).
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from faultline.errors import InputError
from faultline.ingest.checks import check_binary, decode_bytes, too_large
from faultline.ingest.normalise import clean_line, clean_lines
from faultline.ingest.textmeta import Header, normalise_newlines, parse_date, split_header
from faultline.models import Document, Skip

log = logging.getLogger(__name__)

EMPTY = "no text (empty after stripping whitespace)"
NO_RECORDS = "no text (no JSON records, only blank lines or nothing)"
#: The reason for JSON nested deeper than Python can read ("[[[[...").
TOO_DEEP = "not JSON faultline can read: nested too deeply"
#: A line of a stream over max_bytes is passed over to its end, but no further than this
#: many times max_bytes: an input that never ends its line (/dev/zero) is given up.
LONG_LINE_FACTOR = 16
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_JSON_TYPES = {
    dict: "an object", list: "an array", bool: "a boolean", int: "a number",
    float: "a number", type(None): "null",
}  # fmt: skip


def read_header(text: str, title: str | None = None) -> Header:
    """Return the title, date and byline at the top of a text and its body, the text
    cleaned first; title is the one the input gives elsewhere, if any (see split_header).

    Every reader reads its text with this, so that the title, a date line or
    a byline at the top is never coded, whatever the format.
    """
    return split_header(clean_lines(text), known_title=clean_line(title))


def read_text(data: bytes, origin: str) -> Document:
    """Return the Document in a plain-text file, with title, date and byline split off."""
    header = read_header(decode_bytes(data))
    if not header.body:
        raise InputError(EMPTY)
    return Document.from_text(
        header.body,
        title=header.title,
        date=header.date,
        date_source="text" if header.date else None,
        byline=header.byline,
        origin=origin,
    )


def _decode_html(data: bytes) -> str:
    """Return HTML bytes as text: UTF-8 or a byte-order mark first, else the declared charset."""
    try:
        return decode_bytes(data)
    except InputError as exc:
        declared = _CHARSET.search(data[:4096])
        if declared is None or str(exc).startswith("binary"):
            raise
        name = declared.group(1).decode("ascii")
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            raise InputError(f"{exc} (declared charset {name!r} does not fit either)") from None


def read_html(data: bytes, origin: str) -> Document:
    """Return the main text of an HTML page as a Document, with title, date and site.

    trafilatura finds the article body (dropping menus, comments and tables)
    and reads the page metadata: title, publication date, author, URL and
    site name. The date comes from the page's markup (meta tags, <time>, the
    URL) or a date line at the top of the body, never from a date the body
    merely mentions, just as for a .txt file.
    """
    import trafilatura  # heavy (lxml, htmldate, justext): only when HTML is read

    html = _decode_html(data)
    if not html.strip():
        raise InputError(EMPTY)
    try:
        found = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False,
            # without the extensive search, htmldate does not take "began on
            # 12 March 2019" in the body for the publication date
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a broken page must not stop the run
        raise InputError(f"malformed HTML ({type(exc).__name__}: {exc})") from None
    if found is None:
        raise InputError("no text (no main text found in the HTML)")
    meta: dict[str, Any] = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    # trafilatura puts each paragraph (and the <h1> headline) on a line of its own:
    # a paragraph break, as a blank line is in text and JSON records.
    text = (meta.get("text") or "").replace("\n", "\n\n")
    header = read_header(text, _opt_str(meta.get("title")))
    if not header.body:
        raise InputError("no text (no main text found in the HTML)")
    found_date, date_source = _dated(parse_date(meta.get("date") or ""), "metadata", header)
    return Document.from_text(
        header.body,
        title=header.title,
        date=found_date,
        date_source=date_source,
        url=_opt_str(meta.get("url")),
        source=_opt_str(meta.get("sitename")) or _opt_str(meta.get("hostname")),
        byline=_opt_str(meta.get("author")) or header.byline,
        origin=origin,
    )


def _dated(own: str | None, source: str, header: Header) -> tuple[str | None, str | None]:
    """Return a document's date and where it came from: its own (from the page's metadata
    or the record's field, named by source) when there is one, else its date line."""
    if own is not None:
        return own, source
    return header.date, "text" if header.date else None


def _opt_str(value: Any) -> str | None:
    """Return value stripped if it is a non-blank string, else None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def record_document(record: Any, origin: str, label: str) -> Document:
    """Return the Document held in one JSON record {"id", "text", "date"?, "url"?, ...}.

    label ("line 7: ") starts every error reason. Fields other than id,
    text, date, url, title, source and byline are ignored. A date that is
    not understood is logged and dropped. The top of the text is read as a
    .txt file's is (read_header): a line repeating the title, a date line and
    a byline are not part of the body; the record's own fields win over them.
    """
    if not isinstance(record, dict):
        kind = _JSON_TYPES.get(type(record), "a string")
        raise InputError(f"{label}not a JSON object ({kind})")
    if "text" not in record:
        raise InputError(f'{label}no "text" field')
    text = record["text"]
    if not isinstance(text, str):
        kind = _JSON_TYPES.get(type(text), type(text).__name__)
        raise InputError(f'{label}"text" is {kind}, not a string')
    header = read_header(text, _opt_str(record.get("title")))
    if not header.body:
        raise InputError(f"{label}{EMPTY}")
    raw_id = record.get("id")
    # bool is an int to Python, but "id": true is no identifier.
    usable = isinstance(raw_id, str | int) and not isinstance(raw_id, bool)
    doc_id = str(raw_id).strip() if usable else None
    raw_date = record.get("date")
    found_date = None
    if raw_date is not None:
        found_date = parse_date(raw_date) if isinstance(raw_date, str) else None
        if found_date is None:
            log.warning("%s: date %r is not a date faultline understands; ignored", origin,
                        raw_date)
    found_date, date_source = _dated(found_date, "record", header)
    return Document.from_text(
        header.body,
        doc_id=doc_id or None,
        title=header.title,
        date=found_date,
        date_source=date_source,
        url=_opt_str(record.get("url")),
        source=_opt_str(record.get("source")),
        byline=_opt_str(record.get("byline")) or header.byline,
        origin=origin,
    )


def _line_record(line: str, lineno: int, origin: str) -> Document | Skip | None:
    """Return the Document or Skip for one JSONL line, or None for a blank line."""
    if not line.strip():
        return None
    where = f"{origin}:{lineno}"
    label = f"line {lineno}: "
    try:
        record = json.loads(line.rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return Skip(where, f"{label}not JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:
        return Skip(where, f"{label}{TOO_DEEP}")
    try:
        return record_document(record, where, label)
    except InputError as exc:
        return Skip(where, str(exc))


def _skip_rest_of_line(stream: IO[bytes], limit: int, chunk: int = 1 << 16) -> int | None:
    """Consume the rest of the current line from stream; return how many bytes it had, or
    None when it goes on for more than limit bytes (the rest of the stream is left)."""
    count = 0
    while count <= limit:
        part = stream.readline(chunk)
        count += len(part)
        if not part or part.endswith(b"\n"):
            return count
    return None


def _counted(items: Iterable[Document | Skip | None], origin: str) -> Iterator[Document | Skip]:
    """Yield the records of a JSON-lines input (None stands for a blank line), or one Skip
    when it has none."""
    records = 0
    for item in items:
        if item is not None:
            records += 1
            yield item
    if not records:
        yield Skip(origin, NO_RECORDS)


def read_jsonl_stream(
    stream: IO[bytes], origin: str, max_bytes: int
) -> Iterator[Document | Skip]:
    """Yield a Document or a Skip for every non-blank line of a UTF-8 JSON-lines stream.

    Lines are read one at a time, so the file may be of any size; max_bytes
    limits each line (record) instead. Blank lines are passed over, but they
    still count in the line numbers of origins ("path:7").
    """
    return _counted(_stream_lines(stream, origin, max_bytes), origin)


def _stream_lines(
    stream: IO[bytes], origin: str, max_bytes: int
) -> Iterator[Document | Skip | None]:
    """Yield the record of every line of a JSON-lines stream, None for a blank line."""
    lineno = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            break
        lineno += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            rest = _skip_rest_of_line(stream, LONG_LINE_FACTOR * max_bytes)
            if rest is None:
                yield Skip(f"{origin}:{lineno}", (
                    f"line {lineno}: more than {LONG_LINE_FACTOR * max_bytes} bytes without a "
                    f"line end, over the limit of {max_bytes}; the rest of the input is not read"))
                return
            yield Skip(f"{origin}:{lineno}", f"line {lineno}: "
                       + too_large(len(raw) + rest, max_bytes))
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = _decode_line(raw)
        except InputError as exc:
            yield Skip(f"{origin}:{lineno}", f"line {lineno}: {exc}")
            continue
        yield _line_record(line, lineno, origin)


def _decode_line(raw: bytes) -> str:
    """Return one JSON-lines line decoded from UTF-8; raise InputError naming a bad byte."""
    check_binary(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def read_jsonl(data: bytes, origin: str) -> Iterator[Document | Skip]:
    """Yield a Document or a Skip for every non-blank line of a whole JSON-lines input
    (UTF-8, or UTF-16/32 with a byte-order mark)."""
    lines = normalise_newlines(decode_bytes(data)).split("\n")
    return _counted((_line_record(line, n, origin) for n, line in enumerate(lines, start=1)),
                    origin)


def read_json(data: bytes, origin: str) -> Iterator[Document | Skip]:
    """Yield the Documents in a .json file holding one record or a list of records.

    A list item's origin is "path:N" with N counted from 1; its reasons start
    with "record N: ".
    """
    try:
        value = json.loads(decode_bytes(data))
    except InputError as exc:
        yield Skip(origin, str(exc))
        return
    except json.JSONDecodeError as exc:
        yield Skip(origin, f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Skip(origin, TOO_DEEP)
        return
    if not isinstance(value, list):
        try:
            yield record_document(value, origin, "")
        except InputError as exc:
            yield Skip(origin, str(exc))
        return
    if not value:
        yield Skip(origin, "no text (the JSON list is empty)")
    for number, record in enumerate(value, start=1):
        where = f"{origin}:{number}"
        try:
            yield record_document(record, where, f"record {number}: ")
        except InputError as exc:
            yield Skip(where, str(exc))
