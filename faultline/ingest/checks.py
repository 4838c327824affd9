"""Checks that turn bad input into a one-line reason instead of a crash.

Every check raises faultline.errors.InputError with the reason a user sees
in the Skip; skip_category() maps such a reason back to a short category
for counting. The reasons and the patterns that recognise them live side by
side here so the two cannot drift apart.
"""

from __future__ import annotations

import codecs
import re

from faultline.errors import InputError

#: How many leading bytes are inspected to decide that a file is binary.
SNIFF_BYTES = 8192
#: Share of control bytes (other than tab, newline, carriage return, form feed,
#: backspace and escape) above which a file counts as binary even without NULs.
BINARY_CONTROL_SHARE = 0.10
_CONTROL = frozenset(range(0x20)) - {0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F}
#: Byte-order marks and the encodings they announce, longest first (UTF-32 LE begins
#: with the UTF-16 LE mark).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Reason categories, in the order they are tried; a leading "line 7: " or
#: "record 3: " is ignored.
_CATEGORIES = (
    ("duplicate", re.compile(r"duplicate of ")),
    ("missing", re.compile(r"no such file or directory")),
    ("unreadable", re.compile(r"cannot read")),
    ("too_large", re.compile(r".* over the limit of \d+")),
    ("binary", re.compile(r"binary ")),
    ("encoding", re.compile(r"not UTF-\d+ text")),
    ("not_english", re.compile(r"not English")),
    ("empty", re.compile(r"no text\b|no readable files")),
    ("malformed", re.compile(r'not JSON|not a JSON object|no "text" field|"text" is |malformed')),
)
_POSITION = re.compile(r"(?:line|record) \d+: ")


def skip_category(reason: str) -> str:
    """Return the short category of a skip reason: empty, binary, encoding, too_large, ...

    The categories are duplicate, missing, unreadable, too_large, binary,
    encoding, not_english, empty and malformed; anything else is "other".
    """
    text = _POSITION.sub("", reason, count=1)
    for category, pattern in _CATEGORIES:
        if pattern.match(text):
            return category
    return "other"


def too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    """Return the reason for input over the size limit, saying how to raise it."""
    amount = f"more than {limit}" if at_least else str(size)
    return f"{amount} bytes, over the limit of {limit}; raise max_bytes to read it"


def check_size(size: int, limit: int) -> None:
    """Raise InputError when size is over the max_bytes limit."""
    if size > limit:
        raise InputError(too_large(size, limit))


def check_binary(data: bytes) -> None:
    """Raise InputError when the start of data looks like a binary file.

    Text with a UTF-16 or UTF-32 byte-order mark is not binary even though it
    holds NUL bytes; decode_bytes() handles it.
    """
    if any(data.startswith(bom) for bom, _ in BOMS):
        return
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        raise InputError("binary data (contains NUL bytes)")
    control = sum(1 for byte in sample if byte in _CONTROL)
    if sample and control / len(sample) > BINARY_CONTROL_SHARE:
        share = round(100 * control / len(sample))
        raise InputError(f"binary data ({share}% of the first bytes are control codes)")


def decode_bytes(data: bytes) -> str:
    """Return data decoded as UTF-8, or as UTF-8/16/32 when it starts with a byte-order mark.

    Raises InputError for binary data and for bytes that are not valid in
    the encoding, naming the first bad byte and its offset.
    """
    check_binary(data)
    encoding = "utf-8"
    for bom, name in BOMS:
        if data.startswith(bom):
            encoding = name
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
        bad = exc.object[exc.start] if isinstance(exc.object, bytes) else 0
        raise InputError(
            f"not {label} text (invalid byte 0x{bad:02x} at offset {exc.start})"
        ) from None
