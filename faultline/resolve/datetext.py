"""Date expressions in English news text: find them with regexes, resolve them to dates.

Pure text code, without spaCy. :func:`find_mentions` returns the date expressions
of a string with their character offsets; :func:`resolve` turns one of them into a
:class:`~faultline.resolve.stamps.Stamp` (a day, a month or a year) against the
publication date and the last date the text mentioned, with the calendar
arithmetic of :mod:`faultline.resolve.stamps`. :mod:`faultline.resolve.dates` ties both to
the parse. The words come from ``faultline/data/dates/words.yaml``; the patterns are
built from them once per process.

dateparser is not used: it takes about a second to import and resolves neither
"the next day" nor "on Monday" the way news is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from faultline.errors import LexiconError
from faultline.extract.quotes import QuotedText
from faultline.resolve.stamps import Stamp, from_published, shift_stamp, weekday_near, year_for

#: The bundled word lists, in ``faultline/data/dates/``.
WORDS_FILE = "words.yaml"

#: Kinds of mention. DATE: a calendar date, maybe without its year ("June 28", "in
#: 2020"). WEEKDAY: a day name ("on Monday", "last Friday"). PUBLISHED: counted from
#: the publication date ("yesterday", "last month"). NARRATIVE: counted from the last
#: date the text mentioned ("the next day", "two days later").
DATE, WEEKDAY, PUBLISHED, NARRATIVE = "date", "weekday", "published", "narrative"

_UNITS = ("day", "week", "weekend", "month", "year")
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)?"
# Years that end an alternation of digits: "2020-21", "2020/21", "2020.5", "2020%".
_NOT_YEAR_AFTER = r"(?![-/.\u2013]\d|\s*%|,\d)"
_POSSESSIVE = re.compile(r"['\u2019]s\b")

_LISTS = (
    "weekday_not_dates", "day_parts", "qualifiers", "prepositions", "bounds", "starts",
    "continuations", "continuation_blockers", "future_auxiliaries", "future_verbs",
    "future_complement_verbs", "future_modifiers", "occasion_prepositions",
)  # fmt: skip
_TABLES = (
    "months", "month_abbreviations", "weekdays", "numbers", "days_from_publication",
    "shifts_from_publication", "shifts_from_narrative", "directions_from_narrative",
)  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """One date expression found in a text, not yet resolved."""

    #: Character offsets [start, end) in the text given to find_mentions.
    start: int
    end: int
    text: str
    #: DATE, WEEKDAY, PUBLISHED or NARRATIVE.
    kind: str
    #: The preposition right before the expression, in lower case ("on", "since").
    prep: str | None = None
    #: True when the preposition makes the date a limit ("by June 30", "until 2030").
    bound: bool = False
    #: True when the preposition makes the date the start of a state that goes on
    #: ("since 2019"): the date of that state, but no anchor for the narrative.
    ongoing: bool = False
    #: True when the expression stands inside quotation marks: words like "today"
    #: and "last night" then count from the day the words were said.
    quoted: bool = False
    #: True when the expression is followed by "'s" ("last year's elections").
    possessive: bool = False
    year: int | None = None
    month: int | None = None
    day: int | None = None
    #: For a DATE without its year: the years from the publication year that a
    #: "last year" after it names ("March 20 last year": -1).
    year_shift: int | None = None
    #: Day of the week for WEEKDAY, Monday = 0.
    weekday: int | None = None
    #: For PUBLISHED and NARRATIVE: "day", "week", "weekend", "month" or "year".
    unit: str | None = None
    #: Units to shift by: -1 = last/previous, 1 = next/following; None = a bare day
    #: name or "the weekend", read from the tense of the sentence.
    shift: int | None = 0


@dataclass(frozen=True)
class DateWords:
    """The word lists of words.yaml and the patterns built from them."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    numbers: Mapping[str, int]
    days_from_publication: Mapping[str, int]
    shifts_from_publication: Mapping[str, int]
    shifts_from_narrative: Mapping[str, int]
    directions_from_narrative: Mapping[str, int]
    weekday_not_dates: frozenset[str]
    licensing: frozenset[str]
    bounds: frozenset[str]
    starts: frozenset[str]
    occasion_prepositions: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_verbs: frozenset[str]
    future_complement_verbs: frozenset[str]
    future_modifiers: frozenset[str]
    pattern: re.Pattern[str]
    prep_before: re.Pattern[str]
    word_before: re.Pattern[str]
    continuation: re.Pattern[str]
    #: Finds, in a lower-cased text, a word that can be part of a date expression
    #: or digits that can be a year: a sentence with neither holds no date, and the
    #: big pattern need not run.
    hints: re.Pattern[str]
    #: The continuation phrases as " word word ", when all their words are ASCII: a
    #: text without any of them, word for word, continues no story.
    continuation_phrases: tuple[str, ...] = ()

    def may_hold_date(self, text: str) -> bool:
        """Return False when text surely holds no date expression (a cheap test)."""
        return self.hints.search(text.lower()) is not None


def _alternation(words: Iterable[str], *, case_blind: bool = True) -> str:
    """Return a regex alternation of words, longest first, spaces matching any space.

    Words of printable ASCII are written as a trie ("t(?:h(?:at|e)|wo)"): the regex
    engine then tests each letter once rather than every word in turn, which is
    most of the cost of scanning a text. It matches what the plain alternation
    matches, in the same order: no two branches can match the same character (for
    a case-blind alternation the letters are put in lower case first), and a word
    that is the beginning of a longer one is tried after it.
    """
    unique = set(words)
    if not all(w.isascii() and w.isprintable() for w in unique):
        ordered = sorted(unique, key=lambda w: (-len(w), w))
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    trie: dict[str, Any] = {}
    for word in unique:
        node = trie
        for char in word.lower() if case_blind else word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _branches(trie)


def _branches(node: dict[str, Any]) -> str:
    """Return the regex of the words below a trie node (see _alternation)."""
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _branches(child)
        for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = "|".join(branches)
    if "" in node:
        # greedy: the longer words first, then the one ending here
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


def _capitalised(names: Iterable[str]) -> str:
    """Return an alternation of names as written and in capitals (never in lower case)."""
    return _alternation({v for n in names for v in (n, n.upper())}, case_blind=False)


def _build_pattern(raw: Mapping[str, Any]) -> re.Pattern[str]:
    """Return the one pattern whose named alternatives are the kinds of expression."""
    month = (
        rf"(?:(?:{_capitalised(raw['months'])})\b"
        rf"|(?:{_capitalised(raw['month_abbreviations'])})\b\.?)"
    )
    weekday = rf"(?:{_capitalised(raw['weekdays'])})"
    number = rf"(?:\d{{1,3}}|(?i:{_alternation(raw['numbers'])}))"
    qualifier = rf"(?i:{_alternation(raw['qualifiers'])})"
    units = r"(?i:day|week|month|year)"
    from_pub = _alternation(raw["shifts_from_publication"])
    from_story = _alternation(raw["shifts_from_narrative"])
    directions = _alternation(raw["directions_from_narrative"])
    parts = _alternation(raw["day_parts"])
    lead_weekday = rf"(?:\b{weekday},?\s+)?"

    def year_word(key: str) -> str:
        # "March 20 last year", "in June of this year"
        return rf",?\s+(?:(?i:of)\s+)?(?P<{key}_s>(?i:{from_pub}))\s+(?i:year)\b"
    alternatives = [
        rf"(?P<iso>\b(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])\b)",
        rf"(?P<dot>\b(?P<dot_d>{_DAY})\.(?P<dot_m>0?[1-9]|1[0-2])\.(?P<dot_y>{_YEAR})\b)",
        # June 28 / Monday, June 28, 2025 / Sept. 3
        rf"(?P<mdy>{lead_weekday}\b(?P<mdy_m>{month})\s+(?P<mdy_d>{_DAY}){_ORDINAL}\b"
        rf"(?!\s*%)(?:,?\s+(?P<mdy_y>{_YEAR})\b{_NOT_YEAR_AFTER}|{year_word('mdy')})?)",
        # 28 June / the 28th of June, 2025
        rf"(?P<dmy>{lead_weekday}\b(?:(?i:the)\s+)?(?P<dmy_d>{_DAY}){_ORDINAL}\s+(?:(?i:of)\s+)?"
        rf"(?P<dmy_m>{month})(?:,?\s+(?P<dmy_y>{_YEAR})\b{_NOT_YEAR_AFTER}|{year_word('dmy')})?)",
        # December 2024 / mid-August 2023 / the end of March 2021
        rf"(?P<my>\b(?:{qualifier}[-\s]\s*)?(?P<my_m>{month}),?\s+(?:(?i:of)\s+)?"
        rf"(?P<my_y>{_YEAR})\b{_NOT_YEAR_AFTER})",
        rf"(?P<pubday>\b(?i:{_alternation(raw['days_from_publication'])})\b)",
        # two days ago / a year ago
        rf"(?P<ago>\b(?P<ago_n>{number})\s+(?P<ago_u>{units})s?\s+(?i:ago)\b)",
        # last week / early next year / this weekend
        rf"(?P<pub>\b(?:{qualifier}[-\s]\s*)?(?P<pub_w>(?i:{from_pub}))\s+"
        rf"(?P<pub_u>(?i:weekend|week|month|year))\b)",
        r"(?P<weekend>\b(?i:the\s+weekend)\b)",
        # earlier in the month / later in the day
        rf"(?P<inthe>\b{qualifier}\s+(?i:in\s+the)\s+(?P<inthe_u>(?i:day|week|month|year))\b)",
        # the next day / the following week / that night / the same day
        rf"(?P<story>\b(?P<story_w>(?i:{from_story}))\s+(?P<story_u>(?i:day|week|month|year|{parts}))\b(?!-))",
        # two days later / a week earlier
        rf"(?P<count>\b(?P<count_n>{number})\s+(?P<count_u>{units})s?\s+"
        rf"(?P<count_d>(?i:{directions}))\b)",
        # "the day before." (not "the day before the vote": that day is not in the text)
        r"(?P<daybefore>\b(?i:the\s+day\s+(?P<daybefore_d>before|after))(?=\s*(?:[,.;:)]|$)))",
        r"(?P<hours>\b(?i:(?:hours|minutes|moments)\s+later)\b)",
        # (last) Monday (evening)
        rf"(?P<wd>\b(?:(?P<wd_w>(?i:{from_pub}))\s+)?(?P<wd_d>{weekday})\b"
        rf"(?:\s+(?i:{parts})\b)?)",
        # (in / early / last) June
        rf"(?P<mo>\b(?:(?P<mo_w>(?i:{from_pub}))\s+|(?P<mo_q>{qualifier})[-\s]\s*)?"
        rf"(?P<mo_m>{month})(?!\s*\d)(?:{year_word('mo')})?)",
        # (in / early / mid-) 2020
        rf"(?P<yr>\b(?:(?P<yr_q>{qualifier})[-\s]\s*)?(?P<yr_y>{_YEAR})\b{_NOT_YEAR_AFTER})",
    ]
    # Every expression starts with a digit, a capital (months, day names) or one of
    # these words; testing that first lets the scan skip most word starts quickly.
    firsts = {
        phrase.split()[0].lower()
        for key in ("qualifiers", "numbers", "days_from_publication", "shifts_from_publication",
                    "shifts_from_narrative")
        for phrase in raw[key]
    } | {"the", "hours", "minutes", "moments"}
    initials = "".join(sorted({re.escape(word[0]) for word in firsts}))
    gate = (
        # one character first: most word boundaries fail on it
        rf"(?=\d|[A-Z\u00c0-\u00de]|(?i:[{initials}]))"
        rf"(?=\d|[A-Z\u00c0-\u00de]|(?i:{_alternation(firsts)})\b)"
        # of capitalised words, only month and day names go on: "Russian" fails here
        # at once instead of in each alternative
        rf"(?=\d|{month}|{weekday}|(?i:{_alternation(firsts)})\b)"
    )
    return re.compile(rf"\b{gate}(?:{'|'.join(alternatives)})")


def _strings(value: Any, key: str, name: str) -> list[str]:
    """Return a list of strings from the YAML, or raise LexiconError."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"{name}: '{key}' must be a list of quoted words")
    return value


def _table(value: Any, key: str, name: str) -> dict[str, int]:
    """Return a word -> integer table from the YAML, or raise LexiconError."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and isinstance(v, int) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        raise LexiconError(f"{name}: '{key}' must map quoted words to whole numbers")
    return value


def _read(text: str, name: str) -> dict[str, Any]:
    """Return the validated lists and tables of one words file (missing keys empty)."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: expected a mapping of word lists")
    unknown = set(data) - set(_LISTS) - set(_TABLES)
    if unknown:
        raise LexiconError(f"{name}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    out: dict[str, Any] = {}
    for key in _LISTS:
        out[key] = _strings(data[key], key, name) if key in data else []
    for key in _TABLES:
        out[key] = _table(data[key], key, name) if key in data else {}
    for key in ("months", "month_abbreviations"):
        if any(not 1 <= n <= 12 for n in out[key].values()):
            raise LexiconError(f"{name}: '{key}' numbers must be 1 to 12")
    if any(not 0 <= n <= 6 for n in out["weekdays"].values()):
        raise LexiconError(f"{name}: 'weekdays' numbers must be 0 (Monday) to 6")
    return out


def load_date_words(extra: Path | None = None) -> DateWords:
    """Return the bundled date words, plus those of an extra words.yaml when given.

    The extra file has the layout of the bundled one; its lists and tables add to
    (and for a repeated word, override) the bundled entries.
    """
    if extra is None:
        return _load(None)
    try:
        stamp = extra.resolve().stat().st_mtime_ns
    except OSError as exc:
        raise LexiconError(f"cannot read date words {extra}: {exc.strerror}") from None
    return _load((str(extra.resolve()), stamp))


_WORD = re.compile(r"[a-z]+")
#: A run of ASCII word characters (\w in ASCII text).
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
#: The only characters beyond ASCII that a case-blind pattern matches to an ASCII
#: letter (a test checks the list against the re module).
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
#: Words of relative and partial dates that may not be keys of a table.
_FUNCTION_WORDS = frozenset({"the", "this", "that", "last", "next", "later", "earlier",
                             "before", "after", "a", "an", "of"})
_UNIT_WORDS = frozenset({
    "day", "days", "week", "weeks", "weekend", "weekends", "month", "months", "year",
    "years", "night", "nights", "morning", "mornings", "evening", "evenings", "afternoon",
    "afternoons", "today", "yesterday", "tomorrow", "tonight", "hour", "hours", "minute",
    "minutes", "moment", "moments",
})


@lru_cache(maxsize=4)
def _load(extra: tuple[str, int] | None) -> DateWords:
    """Build the word lists and patterns (the mtime in extra only keys the cache)."""
    base = resources.files("faultline").joinpath("data").joinpath("dates")
    raw = _read(base.joinpath(WORDS_FILE).read_text("utf-8"), WORDS_FILE)
    if extra is not None:
        path = Path(extra[0])
        try:
            more = _read(path.read_text("utf-8"), str(path))
        except OSError as exc:
            raise LexiconError(f"cannot read date words {path}: {exc.strerror}") from None
        for key in _LISTS:
            raw[key] = [*raw[key], *more[key]]
        for key in _TABLES:
            raw[key] = {**raw[key], **more[key]}
    lower = {key: {_key(k): v for k, v in raw[key].items()} for key in _TABLES}
    months = {**lower["months"], **lower["month_abbreviations"]}
    licensing = frozenset(
        p.lower() for p in [*raw["prepositions"], *raw["bounds"], *raw["starts"]])
    blockers = _alternation(raw["continuation_blockers"])
    return DateWords(
        months=months,
        weekdays=lower["weekdays"],
        numbers=lower["numbers"],
        days_from_publication=lower["days_from_publication"],
        shifts_from_publication=lower["shifts_from_publication"],
        shifts_from_narrative=lower["shifts_from_narrative"],
        directions_from_narrative=lower["directions_from_narrative"],
        weekday_not_dates=frozenset(raw["weekday_not_dates"]),
        licensing=licensing,
        bounds=frozenset(p.lower() for p in raw["bounds"]),
        starts=frozenset(p.lower() for p in raw["starts"]),
        occasion_prepositions=frozenset(p.lower() for p in raw["occasion_prepositions"]),
        future_auxiliaries=frozenset(w.lower() for w in raw["future_auxiliaries"]),
        future_verbs=frozenset(w.lower() for w in raw["future_verbs"]),
        future_complement_verbs=frozenset(w.lower() for w in raw["future_complement_verbs"]),
        future_modifiers=frozenset(w.lower() for w in raw["future_modifiers"]),
        pattern=_build_pattern(raw),
        prep_before=re.compile(rf"(?i)\b({_alternation(licensing)})\s+$"),
        word_before=re.compile(r"(\w+)\s+$"),
        continuation=re.compile(
            rf"(?i)(?:^|(?<!\w))(?:({blockers})\s+)?({_alternation(raw['continuations'])})\b"
        ),
        continuation_phrases=_ascii_phrases(raw["continuations"]),
        hints=_hints(raw),
    )


def _hints(raw: Mapping[str, Any]) -> re.Pattern[str]:
    """Return the pattern of DateWords.hints.

    Every expression names a month, a weekday, a day word ("yesterday") or a unit
    ("two days later", "last week"), or has a year in digits ("in 2020",
    "28.06.2025"): the other numbers of an expression ("June 28", "two days ago")
    come with a name or a unit. A hint is a whole run of letters a-z.
    """
    words = frozenset(
        word
        for key in ("months", "month_abbreviations", "weekdays", "days_from_publication")
        for entry in raw[key]
        for word in _WORD.findall(str(entry).lower())
        if word not in _FUNCTION_WORDS
    ) | _UNIT_WORDS
    return re.compile(
        rf"{_YEAR}|(?<![a-z])(?:{_alternation(words, case_blind=False)})(?![a-z])"
    )


def continues_narrative(text: str, words: DateWords) -> bool:
    """Return True when text has a word that continues the story ("then", "later")."""
    if words.continuation_phrases and _ascii_case(text):
        # a cheap test first: most sentences have none of the phrases, word for word
        joined = f" {' '.join(_ASCII_WORD.findall(text.lower()))} "
        if not any(phrase in joined for phrase in words.continuation_phrases):
            return False
    return any(m.group(1) is None for m in words.continuation.finditer(text))


def _ascii_case(text: str) -> bool:
    """Return True when text has none of the letters that case-blind matching
    pairs with an ASCII letter other than their own (dotless i, long s, Kelvin sign)."""
    return text.isascii() or not any(c in text for c in _FOLDS_TO_ASCII)


def _ascii_phrases(phrases: Iterable[str]) -> tuple[str, ...]:
    """Return each phrase lower-cased with one space around and between its words;
    () unless every word is an ASCII word."""
    split = [p.lower().split() for p in phrases]
    usable = all(split) and all(_ASCII_WORD.fullmatch(w) for words in split for w in words)
    return tuple(f" {' '.join(words)} " for words in split) if usable else ()


def _key(value: str) -> str:
    """Return a word or phrase as the tables store it: lower case, single spaces."""
    return " ".join(value.lower().split())


def _count(value: str, words: DateWords) -> int:
    """Return the number a count word or digits stand for."""
    key = _key(value)
    return int(key) if key.isdigit() else words.numbers[key]


def _month(value: str, words: DateWords) -> int:
    """Return the number of a month name or abbreviation (with or without its full stop)."""
    return words.months[_key(value.rstrip("."))]


def _year_shift(word: str | None, words: DateWords) -> int | None:
    """Return the years a "last year" after a date shifts it from the publication year."""
    return None if word is None else words.shifts_from_publication[_key(word)]


def _mention(match: re.Match[str], words: DateWords) -> dict[str, Any]:
    """Return the Mention fields (kind and values) that a pattern match describes."""
    g = match  # match["name"] is the group or None, without building a dict of all
    for key in ("iso", "dot"):
        if g[key]:
            return {"kind": DATE, "year": int(g[f"{key}_y"]), "month": int(g[f"{key}_m"]),
                    "day": int(g[f"{key}_d"])}
    for key in ("mdy", "dmy"):
        if g[key]:
            year = g[f"{key}_y"]
            return {"kind": DATE, "year": int(year) if year else None,
                    "month": _month(g[f"{key}_m"], words), "day": int(g[f"{key}_d"]),
                    "year_shift": _year_shift(g[f"{key}_s"], words)}
    if g["my"]:
        return {"kind": DATE, "year": int(g["my_y"]), "month": _month(g["my_m"], words)}
    if g["pubday"]:
        offset = words.days_from_publication[_key(g["pubday"])]
        return {"kind": PUBLISHED, "unit": "day", "shift": offset}
    if g["ago"]:
        unit, n = g["ago_u"].lower(), _count(g["ago_n"], words)
        return ({"kind": PUBLISHED, "unit": "day", "shift": -7 * n} if unit == "week"
                else {"kind": PUBLISHED, "unit": unit, "shift": -n})
    if g["pub"]:
        return {"kind": PUBLISHED, "unit": g["pub_u"].lower(),
                "shift": words.shifts_from_publication[_key(g["pub_w"])]}
    if g["weekend"]:
        return {"kind": PUBLISHED, "unit": "weekend", "shift": None, "license": True}
    if g["inthe"]:
        # the period of the publication day ("earlier in the month"); the day of the
        # last date mentioned ("later in the day")
        unit = g["inthe_u"].lower()
        return {"kind": NARRATIVE if unit == "day" else PUBLISHED, "unit": unit, "shift": 0}
    if g["story"]:
        unit = g["story_u"].lower()
        shift = words.shifts_from_narrative[_key(g["story_w"])]
        return {"kind": NARRATIVE, "unit": unit if unit in _UNITS else "day", "shift": shift}
    if g["count"]:
        direction = words.directions_from_narrative[_key(g["count_d"])]
        return {"kind": NARRATIVE, "unit": g["count_u"].lower(),
                "shift": direction * _count(g["count_n"], words)}
    if g["daybefore"]:
        return {"kind": NARRATIVE, "unit": "day",
                "shift": -1 if g["daybefore_d"].lower() == "before" else 1}
    if g["hours"]:  # "hours later": the same day
        return {"kind": NARRATIVE, "unit": "day", "shift": 0}
    if g["wd"]:
        # "this Monday" is read like a bare "Monday": from the tense
        shift = words.shifts_from_publication[_key(g["wd_w"])] if g["wd_w"] else 0
        return {"kind": WEEKDAY, "weekday": words.weekdays[g["wd_d"].lower()],
                "shift": shift or None}
    if g["mo"]:
        month = _month(g["mo_m"], words)
        if g["mo_w"]:
            # "last June": the month counted from the publication date
            return {"kind": PUBLISHED, "unit": "month", "month": month,
                    "shift": words.shifts_from_publication[_key(g["mo_w"])]}
        years = _year_shift(g["mo_s"], words)
        return {"kind": DATE, "month": month, "year_shift": years,
                "license": not g["mo_q"] and years is None}
    return {"kind": DATE, "year": int(g["yr_y"]), "license": not g["yr_q"]}


def find_mentions(text: str, words: DateWords | None = None,
                  quoted: Callable[[int], bool] | None = None) -> list[Mention]:
    """Return the date expressions of text, left to right, without overlaps.

    Bare months and years count only after a preposition of words.yaml ("in
    June", "since 2019") or with a qualifier ("mid-August", "early 2022"), so
    "the 2026 elections", "COP 29", "85%" and "2,000 troops" are not dates.
    `quoted(i)` tells whether character i of text stands inside quotation marks
    (by default, as the text's own marks say: see extract.quotes).
    """
    words = words or load_date_words()
    found: list[Mention] = []
    for match in words.pattern.finditer(text):
        fields = _mention(match, words)
        start, end = match.span()
        before = text[max(0, start - 16):start]
        prep_match = words.prep_before.search(before)
        prep = " ".join(prep_match.group(1).lower().split()) if prep_match else None
        if fields.pop("license", False) and prep is None:
            continue
        if fields["kind"] == WEEKDAY:
            previous = words.word_before.search(before)
            if previous and previous.group(1) in words.weekday_not_dates:
                continue
        if quoted is None:
            quoted = QuotedText(text).quoted
        found.append(Mention(
            start=start, end=end, text=match.group(0), prep=prep,
            bound=prep in words.bounds, ongoing=prep in words.starts,
            quoted=quoted(start), possessive=bool(_POSSESSIVE.match(text, end)), **fields,
        ))
    return found


# -- resolving ------------------------------------------------------------------------
def resolve(
    mention: Mention,
    published: dt.date | None,
    last: Stamp | None = None,
    recent: Stamp | None = None,
    future: bool = False,
) -> Stamp | None:
    """Return the date a mention names, or None when the context cannot tell it.

    published is the publication day; last the last date the text mentioned,
    which NARRATIVE mentions count from; recent the same when it was mentioned
    close enough to lend its year to a date written without one; future says the
    mention's clause speaks of what is to come. Without a publication day only
    dates with a year, and those counted from the text's own dates, resolve.
    """
    if mention.kind == DATE:
        if mention.year is not None:
            return Stamp.make(mention.year, mention.month, mention.day)
        if mention.month is None:
            return None
        if mention.year_shift is not None:
            if published is None:
                return None
            return Stamp.make(published.year + mention.year_shift, mention.month, mention.day)
        return year_for(mention.month, mention.day, published, recent, future)
    if mention.kind == NARRATIVE:
        if last is None:
            return None
        return shift_stamp(last, mention.unit or "day", mention.shift or 0)
    if published is None:
        return None
    if mention.kind == WEEKDAY:
        return Stamp.of(weekday_near(published, mention.weekday or 0, mention.shift, future))
    return from_published(published, mention.unit or "day", mention.shift, mention.month, future)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Return the names of months and weekdays, lower-cased ("june", "tuesday")."""
    words = load_date_words()
    return frozenset(words.months) | frozenset(words.weekdays)
