"""What a caller asks for, checked once: dates, date windows, actors, pairs, periods.

Every front end hands the values its user typed (strings) to these functions;
each wrong value raises OptionError with one line that says what to give
instead, in the command line's words ("--since '2023-13-01' is not a date;
use YYYY-MM-DD").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from faultline.analysis.base import Scope, check_period, parse_actor
from faultline.errors import OptionError

#: What a date option accepts: a date, or its text as YYYY-MM-DD.
Day = dt.date | str | None


def day(value: Day, option: str = "--date") -> dt.date | None:
    """Return value as a date; text must be YYYY-MM-DD, else OptionError names the option."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise OptionError(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def day_text(value: Day, option: str = "--date") -> str | None:
    """Return a date option as the text the pipeline takes: YYYY-MM-DD."""
    checked = day(value, option)
    return None if checked is None else checked.isoformat()


def scope(since: Day = None, until: Day = None, sectors: bool = False) -> Scope:
    """Return the window of events on or after since and on or before until, with actors
    keyed by code (or by code and sector with sectors=True)."""
    return Scope(day(since, "--since"), day(until, "--until"), sectors)


def actor_key(text: str) -> tuple[str, bool]:
    """Return the key of an actor ("RUS" or "RUS:GOV") and whether it names a sector."""
    code, sector = parse_actor(text)
    return (f"{code}:{sector}", True) if sector else (code, False)


def pair(a: str | None, b: str | None) -> tuple[str, str] | None:
    """Return (a, b), or None for every pair when neither is given; one alone is an error."""
    if a is None and b is None:
        return None
    if a is None or b is None:
        raise OptionError("give two actors (faultline chains ARM AZE) or none for every pair")
    return a, b


def actor_codes(actors: str | Sequence[str]) -> tuple[str, ...]:
    """Return the actor codes of "ARM,AZE,RUS" (or of a list), upper-cased, order kept,
    no repeats; at least two."""
    parts = actors.split(",") if isinstance(actors, str) else actors
    codes = tuple(dict.fromkeys(c.strip().upper() for c in parts if c.strip()))
    if len(codes) < 2:
        raise OptionError("give at least two actors, comma-separated: --actors ARM,AZE,RUS")
    return codes


def period(by: str | None) -> str | None:
    """Return a period (day, week, month, quarter, year), or None for "none" or None."""
    return None if by is None or by == "none" else check_period(by)
