"""Title, publication date and byline found at the top of an article's text.

Plain-text news files usually start with a small header: a headline, a
"By ..." line and a date line, in any order, before the body; the text of an
HTML page or a JSON record may start with the same lines, and every reader
looks for them the same way (readers.read_header). This module
finds them with regular expressions (no dateparser: it takes about a second
to import and guesses too freely for a header line) and returns the body
without the date and byline lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: How many non-empty lines at the top count as the header zone.
HEADER_LINES = 6
#: A title longer than this (characters / words) is a paragraph, not a headline.
TITLE_MAX_CHARS = 160
TITLE_MAX_WORDS = 24
#: Date and byline lines are short; longer lines are body text that mentions a date.
DATE_LINE_MAX_CHARS = 70
BYLINE_MAX_CHARS = 90
BYLINE_MAX_WORDS = 12

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur",
    "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
}  # fmt: skip

# A header line may carry a label and a weekday before the date and a clock
# time with a zone after it ("Updated: Fri, July 4, 2025 10:32 AM EDT").
_PREFIX = r"(?:(?:first\s+published|last\s+updated|published|updated|posted|dated|date)" \
    r"(?:\s+on)?\s*:?\s*)?(?:(?P<wd>[A-Za-z]{3,9})\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|\||-|\u2013|\u2014|\u00b7|at|T)?\s*\d{1,2}(?:[:.]\d{2}){1,2}(?:\.\d+)?"
    r"\s*(?:[ap]\.?\s?m\.?)?\s*(?:Z|[A-Z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})?"
    r"|\s*(?:,|at)?\s*\d{1,2}\s*[ap]\.?\s?m\.?(?:\s*[A-Z]{2,5})?)?"
)
_CORES = (
    # 2025-07-04, 2025/07/04, 2025.07.04
    r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
    # July 4, 2025 / Jul. 04 2025 / July 4th, 2025
    r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})",
    # 4 July 2025 / 04 Jul. 2025 / 4th of July, 2025
    r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})",
    # 04.07.2025: with dots the order is always day, month, year
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",
    # 7/4/2025 or 4/7/2025: used only when one number cannot be a month
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})",
)
_DATE_PATTERNS = tuple(
    re.compile(_PREFIX + core + _TIME + r"\s*", re.IGNORECASE) for core in _CORES
)

_BYLINE = re.compile(r"by\s*:?\s+(?P<name>\S.*)", re.IGNORECASE)
#: Words that start sentences like "By Monday, ..." or "By the end of ...".
_NOT_NAMES = _WEEKDAYS | set(_MONTHS) | {
    "the", "a", "an", "then", "now", "late", "early", "mid", "noon", "midnight",
    "tonight", "today", "tomorrow", "yesterday", "contrast", "comparison", "law",
    "order", "decree", "far", "most", "all", "some", "this", "that", "these",
}  # fmt: skip

_HEADING_MARK = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class Header:
    """What was found at the top of a plain-text article, and the body left over."""

    body: str
    title: str | None = None
    date: str | None = None
    byline: str | None = None


def normalise_newlines(text: str) -> str:
    """Return text with Windows and old Mac line ends turned into "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _iso(year: int, month: int, day: int) -> str | None:
    """Return YYYY-MM-DD for a real calendar day in a plausible range, else None."""
    if not 1800 <= year <= 2200:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> str | None:
    """Return the ISO date described by one of the _DATE_PATTERNS matches, or None."""
    groups = match.groupdict()
    weekday = groups.get("wd")
    if weekday and weekday.lower() not in _WEEKDAYS:
        return None
    year, day = int(groups["y"]), groups.get("d")
    if groups.get("mon") is not None:
        month = _MONTHS.get(groups["mon"].lower())
        if month is None or day is None:
            return None
        return _iso(year, month, int(day))
    if groups.get("m") is not None and day is not None:
        return _iso(year, int(groups["m"]), int(day))
    first, second = int(groups["a"]), int(groups["b"])
    if first > 12 >= second:
        return _iso(year, second, first)
    if second > 12 >= first:
        return _iso(year, first, second)
    return None  # 4/7/2025 could be April or July: do not guess


def parse_date(value: str) -> str | None:
    """Return value as an ISO date (YYYY-MM-DD) when the whole string is a date, else None.

    Understands ISO dates and timestamps ("2025-07-04T10:30:00+02:00"), month
    names ("July 4, 2025", "4 Jul. 2025", "Fri, 04 Jul 2025 10:00:00 GMT"),
    day.month.year, and slashed dates when the day is over 12. Timestamps
    keep the calendar day as written, without converting time zones.
    """
    text = value.strip()
    if not text or len(text) > DATE_LINE_MAX_CHARS:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return _from_match(match)
    return None


def parse_byline(line: str) -> str | None:
    """Return the names in a "By Jane Doe and John Roe" line, or None if it is not one."""
    text = line.strip()
    if len(text) > BYLINE_MAX_CHARS or text.endswith((".", ";", ":")):
        return None
    match = _BYLINE.fullmatch(text)
    if not match:
        return None
    name = match.group("name").strip()
    words = name.split()
    first = words[0].strip(",").lower()
    if len(words) > BYLINE_MAX_WORDS or not words[0][0].isupper() or first in _NOT_NAMES:
        return None
    return name


def _looks_like_title(line: str) -> bool:
    """Return True if a line reads like a headline: short, with letters, no full stop."""
    text = line.strip()
    # A closing quote or bracket after the full stop still ends a sentence.
    core = text.rstrip("\"'\u201d\u2019)]")
    return (
        len(text) <= TITLE_MAX_CHARS
        and len(text.split()) <= TITLE_MAX_WORDS
        and any(ch.isalpha() for ch in text)
        and not core.endswith((".", ",", ";", ":"))
    )


def _continued(lines: list[str], index: int) -> bool:
    """Return whether the line after lines[index] goes on with its sentence (starts in lower
    case): a line wrapped at a fixed width, not a headline."""
    following = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return following[:1].islower()


def _same_title(line: str, known: str) -> bool:
    """Return whether a line repeats a title, whatever its case, spacing or heading mark."""
    return " ".join(_HEADING_MARK.sub("", line).split()).casefold() == \
        " ".join(known.split()).casefold()


def split_header(text: str, known_title: str | None = None) -> Header:
    """Return the title, date and byline at the top of text, and the body without them.

    Looks at the first HEADER_LINES non-empty lines. A date line ("July 04,
    2025", "Published: 2025-07-04 10:30") and a "By ..." line are taken out of
    the body wherever they sit in that zone. The first other line is the title
    when it is short, has no final full stop, and is followed by more text that
    does not go on in lower case; a text that is one line long is all body.
    When the input gives its title elsewhere (known_title: a page's metadata,
    a record's field), only a first line that repeats it is taken out, and
    that title is returned.
    """
    lines = normalise_newlines(text).split("\n")
    removed: set[int] = set()
    title = found_date = byline = None
    seen = 0
    body_started = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        seen += 1
        if seen > HEADER_LINES:
            break
        if found_date is None and (iso := parse_date(stripped)) is not None:
            found_date = iso
            removed.add(index)
        elif byline is None and (name := parse_byline(stripped)) is not None:
            byline = name
            removed.add(index)
        elif title is None and not body_started and (
            _same_title(stripped, known_title) if known_title
            else _looks_like_title(stripped) and not _continued(lines, index)
        ):
            title = _HEADING_MARK.sub("", stripped).strip()
            removed.add(index)
        else:
            body_started = True
    body = "\n".join(line for i, line in enumerate(lines) if i not in removed).strip()
    title = known_title or title
    if not body and title is not None:
        # A headline on its own is the whole document, not a title over nothing.
        body, title = title, None
    return Header(body=body, title=title, date=found_date, byline=byline)
