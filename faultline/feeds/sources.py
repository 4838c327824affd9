"""The sources file `faultline watch` reads: one feed, sitemap or JSON endpoint a line.

    # comments and blank lines are ignored
    https://news.example.org/world/rss.xml
    sitemap https://news.example.org/sitemap-news.xml
    json https://api.example.org/latest.json

A line is a URL (http or https), optionally after its kind: `feed` (RSS or
Atom), `sitemap` or `json`. Without a kind, the answer's content decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from faultline.errors import InputError

#: The kinds of source a line may name; "auto" lets the answer decide.
KINDS = ("feed", "sitemap", "json")


@dataclass(frozen=True)
class Source:
    """One watched source: its URL and what kind of document it answers with."""

    url: str
    kind: str = "auto"
    #: Where it was read from: "FILE:LINE".
    origin: str = ""


def check_url(url: str) -> str | None:
    """Return why url cannot be fetched, or None when it is an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"not an http or https URL: {url!r}"
    if not parts.hostname:
        return f"no host in URL {url!r}"
    return None


def read_sources(path: Path) -> list[Source]:
    """Return the sources listed in the file at path, in its order, each once.

    Raises InputError for a file that cannot be read, a line that is not a
    source (its number and why) or a file that lists none.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read sources file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"sources file {path} is not UTF-8 text") from None
    sources: dict[str, Source] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        where = f"{path}:{lineno}"
        kind = "auto"
        if len(words) == 2 and words[0].lower() in KINDS:
            kind = words[0].lower()
            words = words[1:]
        if len(words) != 1:
            raise InputError(f"{where}: give one URL a line, optionally after its kind "
                             f"({', '.join(KINDS)})")
        problem = check_url(words[0])
        if problem is not None:
            raise InputError(f"{where}: {problem}")
        sources.setdefault(words[0], Source(words[0], kind, where))
    if not sources:
        raise InputError(f"sources file {path} lists no feed; give one URL a line")
    return list(sources.values())


#: Seconds in each unit an interval may be given in.
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str | float) -> float:
    """Return the seconds an interval ("15m", "1h", "90s", "2d" or a number of seconds)
    stands for; raises OptionError for anything else or for no time at all."""
    from faultline.errors import OptionError

    raw = str(text).strip().lower()
    unit = raw[-1:] if raw[-1:] in _UNITS else "s"
    number = raw[:-1] if raw[-1:] in _UNITS else raw
    try:
        seconds = float(number) * _UNITS[unit]
    except ValueError:
        seconds = -1.0
    if not seconds > 0 or seconds == float("inf"):
        raise OptionError(f"interval {text!r} is not a time such as 15m, 1h, 90s or 2d")
    return seconds
