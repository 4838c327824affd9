"""Calendar periods and the arithmetic that counts them from a day.

A :class:`Stamp` is a day, a month or a year. The functions count the periods
that date expressions name: from the publication day ("last week",
"Monday"), from a date the text mentioned ("two days later"), or pick the year
of a date written without one. :mod:`faultline.resolve.datetext` finds the
expressions and resolves them with these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: A date without its year crosses into the year before or after the date just
#: mentioned only when that puts it at most this many days from it.
YEAR_TURN_DAYS = 62


@dataclass(frozen=True, order=True)
class Stamp:
    """A calendar day, month or year: the fields after the precision are None."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """Return "day", "month" or "year"."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def iso(self) -> str:
        """Return YYYY-MM-DD, YYYY-MM or YYYY."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date:
        """Return the first calendar day of the period."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def key(self) -> tuple[int, ...]:
        """Return (year[, month[, day]]): comparable with a day cut to the same precision."""
        return tuple(v for v in (self.year, self.month, self.day) if v is not None)

    def cut(self, precision: str) -> Stamp:
        """Return the stamp with the fields finer than precision dropped."""
        if precision == "year":
            return Stamp(self.year)
        if precision == "month" and self.month is not None:
            return Stamp(self.year, self.month)
        return self

    @classmethod
    def of(cls, day: dt.date) -> Stamp:
        """Return the day-precision stamp of a date."""
        return cls(day.year, day.month, day.day)

    @classmethod
    def make(cls, year: int, month: int | None = None, day: int | None = None) -> Stamp | None:
        """Return the stamp when it names a real period (no June 31), else None."""
        if not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
            return None
        if day is not None:
            try:
                dt.date(year, month or 0, day)
            except ValueError:
                return None
        return cls(year, month, day)


def parse_iso_day(value: str | None) -> dt.date | None:
    """Return the date of an ISO YYYY-MM-DD string (a time after it is ignored), else None."""
    match = _ISO_DAY.match(value.strip()) if value else None
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """Return (year, month) n months after (before, if negative) the given month."""
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def weekday_near(published: dt.date, weekday: int, shift: int | None, future: bool) -> dt.date:
    """Return the named weekday nearest the publication day in the direction meant.

    A bare day name is the last such day on or before publication (news reports
    the past), or the next on or after it in a future clause; "last Monday" is
    strictly before, and not the day before publication, which a writer calls
    "yesterday" or "on Monday" ("last Thursday" on a Friday is a week earlier);
    "next Monday" is strictly after.
    """
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if shift is None:
        return published + dt.timedelta(days=ahead) if future else published - dt.timedelta(
            days=back)
    if shift < 0:
        if back == 1:
            # "last Thursday" written on a Friday is not yesterday: a week before
            return published - dt.timedelta(days=8)
        return published - dt.timedelta(days=back or 7)
    return published + dt.timedelta(days=ahead or 7)


def from_published(
    published: dt.date, unit: str, shift: int | None, month: int | None = None,
    future: bool = False,
) -> Stamp:
    """Return the day, month or year a PUBLISHED mention names.

    Weeks are dated by their Thursday, the day that puts a week in a month (ISO
    8601): "last week" is the Thursday of the week before the publication week.
    This week's Thursday is moved to the side of the publication day the tense
    asks, within the week: "earlier this week" written on a Tuesday is Monday.
    Weekends are dated by their Saturday; "last June" is the last June before the
    publication month, "next June" the first after it.
    """
    monday = published - dt.timedelta(days=published.weekday())
    if unit == "day":
        return Stamp.of(published + dt.timedelta(days=shift or 0))
    if unit == "week":
        thursday = monday + dt.timedelta(days=3 + 7 * (shift or 0))
        if shift:
            return Stamp.of(thursday)
        # this week, on the side of the publication day the tense asks
        day = dt.timedelta(days=1)
        if future:
            return Stamp.of(min(monday + 6 * day, max(thursday, published + day)))
        return Stamp.of(max(monday, min(thursday, published - day)))
    if unit == "weekend":
        if shift is None:
            return Stamp.of(weekday_near(published, 5, None, future))
        return Stamp.of(monday + dt.timedelta(days=5 + 7 * shift))
    if unit == "month":
        if month is None:
            return Stamp(*add_months(published.year, published.month, shift or 0))
        year = published.year
        if shift and shift < 0 and month >= published.month:
            year -= 1
        elif shift and shift > 0 and month <= published.month:
            year += 1
        return Stamp(year, month)
    return Stamp(published.year + (shift or 0))


def shift_stamp(last: Stamp, unit: str, n: int) -> Stamp:
    """Return the date n units after (before, if negative) a mentioned date.

    The result is no finer than the unit ("the following month" of June 28 is
    July) and no finer than the date shifted: two days after "in March" is
    still March, and then the date is returned unchanged.
    """
    if unit in ("day", "week"):
        if last.day is None:
            return last
        return Stamp.of(last.first_day() + dt.timedelta(days=n * (7 if unit == "week" else 1)))
    if unit == "month":
        if last.month is None:
            return last
        return Stamp(*add_months(last.year, last.month, n))
    return Stamp(last.year + n)


def _fits(stamp: Stamp, published: dt.date | None, future: bool) -> bool:
    """Return True if stamp lies on the side of the publication date the tense asks."""
    if published is None:
        return True
    pub = Stamp.of(published).cut(stamp.precision).key()
    return stamp.key() >= pub if future else stamp.key() <= pub


def year_for(
    month: int, day: int | None, published: dt.date | None, recent: Stamp | None = None,
    future: bool = False,
) -> Stamp | None:
    """Return a month or day named without its year, with the year the context gives it.

    When the text has just mentioned a date (recent), the year is that date's,
    or the one that puts the new date nearest it when that is at most
    :data:`YEAR_TURN_DAYS` days away: "January 2" after "December 30, 2024" is in
    2025, "in December" after "March 20, 2019" in 2019. Otherwise it is the year
    that puts the date nearest before (or on) the publication day, or nearest
    after it in a future clause. The result never contradicts the tense: a past
    event is not after the publication day.
    """
    if recent is not None:
        years = [recent.year] if recent.month is None else [recent.year + d for d in (-1, 0, 1)]
        options = [
            s for y in years
            if (s := Stamp.make(y, month, day)) is not None and _fits(s, published, future)
        ]
        if options:
            ref = recent.first_day()
            nearest = min(options, key=lambda s: abs((s.first_day() - ref).days))
            same = [s for s in options if s.year == recent.year]
            if same and abs((nearest.first_day() - ref).days) > YEAR_TURN_DAYS:
                return same[0]
            return nearest
    if published is None:
        return None
    step = 1 if future else -1
    # eight years reach a leap year from any year, for "February 29"
    for year in range(published.year, published.year + 9 * step, step):
        stamp = Stamp.make(year, month, day)
        if stamp is not None and _fits(stamp, published, future):
            return stamp
    return None
