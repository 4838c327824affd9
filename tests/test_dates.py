"""Tests for event dates: the expression finder, the calendar rules and the tracker."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest

from faultline.errors import LexiconError
from faultline.resolve.dates import DateTracker, EventDate
from faultline.resolve.datetext import (
    DATE,
    NARRATIVE,
    PUBLISHED,
    WEEKDAY,
    continues_narrative,
    find_mentions,
    load_date_words,
    resolve,
)
from faultline.resolve.stamps import (
    Stamp,
    add_months,
    from_published,
    parse_iso_day,
    shift_stamp,
    year_for,
)

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "date_expressions.csv"


def _golden_rows() -> list[dict[str, str]]:
    lines = [ln for ln in GOLDEN.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


GOLDEN_ROWS = _golden_rows()


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real small English pipeline."""
    from faultline.nlp import load_pipeline

    return load_pipeline("en_core_web_sm")


def date_of(nlp: Any, text: str, published: str | None, word: str) -> EventDate:
    """Return the date the tracker gives the one token whose text is word."""
    doc = nlp(text)
    matches = [t for t in doc if t.text == word]
    assert len(matches) == 1, f"{word!r} must occur once in {text!r}"
    target = matches[0]
    return DateTracker(published, sentences=list(doc.sents)).date_for([target])


# -- the golden table --------------------------------------------------------------------
def test_golden_table_is_large_and_well_formed() -> None:
    assert len(GOLDEN_ROWS) >= 40
    for row in GOLDEN_ROWS:
        assert row["precision"] in {"", "day", "month", "year"}
        assert row["fallback"] in {"0", "1"} and row["carried"] in {"0", "1"}
        assert (row["date"] == "") == (row["precision"] == "")
        assert row["published"] == "" or parse_iso_day(row["published"]) is not None


@pytest.mark.parametrize(
    "row", GOLDEN_ROWS, ids=[f"{r['event']}:{r['note']}" for r in GOLDEN_ROWS]
)
def test_golden_event_dates(nlp: Any, row: dict[str, str]) -> None:
    got = date_of(nlp, row["text"], row["published"] or None, row["event"])
    expected = (row["date"] or None, row["precision"] or None, row["fallback"] == "1",
                row["carried"] == "1")
    assert (got.date, got.precision, got.fallback, got.carried) == expected, got


# -- the tracker -------------------------------------------------------------------------
def test_expression_text_is_reported(nlp: Any) -> None:
    got = date_of(nlp, "On March 3, Baku recalled its envoy. The next day it closed the "
                       "consulate.", "2025-03-10", "closed")
    assert got.text == "The next day"
    fallback = date_of(nlp, "Police detained two activists.", "2025-03-10", "detained")
    assert fallback == EventDate("2025-03-10", "day", fallback=True, text=None)


def test_bad_publication_date_is_ignored(nlp: Any) -> None:
    got = date_of(nlp, "Police detained two activists on June 3, 2024.", "03/06/2024", "detained")
    assert (got.date, got.fallback) == ("2024-06-03", False)
    none = date_of(nlp, "Police detained two activists.", "yesterday", "detained")
    assert (none.date, none.precision, none.fallback) == (None, None, True)


def test_date_for_reads_the_sentences_before_the_event(nlp: Any) -> None:
    doc = nlp("On May 2, police detained two activists. The next day they released them. "
              "Nothing else happened.")
    detained, released = (next(t for t in doc if t.text == w) for w in ("detained", "released"))
    # without the list of sentences, the tracker reads those of the event's document
    tracker = DateTracker("2025-05-10")
    assert tracker.date_for([released]).date == "2025-05-03"
    # a question about an earlier sentence is answered as if asked first
    assert tracker.date_for([detained]).date == "2025-05-02"
    assert tracker.date_for([released]).date == "2025-05-03"


def test_event_of_several_words(nlp: Any) -> None:
    doc = nlp("Armenia took steps to restore ties on Monday.")
    tracker = DateTracker("2025-07-02", sentences=list(doc.sents))
    words = [t for t in doc if t.text in {"took", "steps", "to"}]
    assert tracker.date_for(words).date == "2025-06-30"
    assert tracker.date_for([]).fallback


# -- finding expressions ------------------------------------------------------------------
def texts(text: str) -> list[str]:
    return [m.text for m in find_mentions(text)]


@pytest.mark.parametrize("text", [
    "85% of the vote", "2,000 troops", "38 passengers", "COP 29", "the 2026 elections",
    "Armenia may leave", "protesters march again", "Bloody Sunday", "the 1990s",
    "the 2020-21 season", "the day before the vote", "spent two days on talks",
    "in 2020s", "Good Friday prayers", "said that day-to-day life",
])
def test_not_dates(text: str) -> None:
    assert texts(text) == []


@pytest.mark.parametrize(("text", "found"), [
    ("On June 28, Moscow", ["June 28"]),
    ("on Monday, June 30, 2025, in", ["Monday, June 30, 2025"]),
    ("the 28th of June, 2025", ["the 28th of June, 2025"]),
    ("on Sept. 3 and 2025-06-30", ["Sept. 3", "2025-06-30"]),
    ("in mid-August and in early 2022", ["mid-August", "early 2022"]),
    ("in December 2024 and the end of March 2021", ["December 2024", "the end of March 2021"]),
    ("yesterday and last night and the day before yesterday", ["yesterday", "last night",
                                                                "the day before yesterday"]),
    ("the next day, two days later, hours later", ["the next day", "two days later",
                                                    "hours later"]),
    ("later that year", ["that year"]),
    ("late last year", ["late last year"]),
    ("next Monday and last June", ["next Monday", "last June"]),
    ("IN JUNE 2024", ["JUNE 2024"]),
    ("on March 20 last year and 3 May next year", ["March 20 last year", "3 May next year"]),
    ("in June of this year, earlier in the month", ["June of this year",
                                                    "earlier in the month"]),
])
def test_found(text: str, found: list[str]) -> None:
    assert texts(text) == found


def test_mention_fields() -> None:
    since, until = find_mentions("blocked since 2019 and open until June 30")
    assert (since.kind, since.year, since.prep, since.bound, since.ongoing) == (
        DATE, 2019, "since", False, True)
    assert (until.month, until.day, until.year, until.bound, until.ongoing) == (
        6, 30, None, True, False)
    (weekday,) = find_mentions("said Monday's attack")
    assert (weekday.kind, weekday.weekday, weekday.shift, weekday.possessive) == (
        WEEKDAY, 0, None, True)
    (ago,) = find_mentions("three weeks ago")
    assert (ago.kind, ago.unit, ago.shift) == (PUBLISHED, "day", -21)
    (later,) = find_mentions("a week earlier")
    assert (later.kind, later.unit, later.shift) == (NARRATIVE, "week", -1)
    (bare,) = find_mentions("in June")
    assert (bare.kind, bare.month, bare.year, bare.prep) == (DATE, 6, None, "in")


def test_quoted_mentions() -> None:
    said, quoted = find_mentions('On Monday he said: "We closed it yesterday."')
    assert (said.text, said.quoted, quoted.text, quoted.quoted) == (
        "Monday", False, "yesterday", True)
    # a text whose first mark closes a quotation begins inside it
    (inside,) = find_mentions('we closed it yesterday," he said.')
    assert inside.quoted


def test_continuation_words() -> None:
    words = load_date_words()
    assert continues_narrative("Then the army withdrew.", words)
    assert continues_narrative("The army later withdrew.", words)
    assert not continues_narrative("Since then the army has stayed.", words)
    assert not continues_narrative("The then president resigned.", words)
    assert not continues_narrative("The army withdrew.", words)
    # the cheap pre-test must not hide a match: curly quotes, a long s read as "s"
    assert continues_narrative("\u201cThen\u201d the army withdrew.", words)
    assert continues_narrative("The army \u017fubsequently withdrew.", words)
    assert not continues_narrative("Authorities strengthened the bilateral ties.", words)


def test_word_alternations_match_like_a_list_longest_first() -> None:
    from faultline.resolve.datetext import _alternation

    def listed(words: list[str]) -> str:
        ordered = sorted(set(words), key=lambda w: (-len(w), w))
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)

    texts = ["a couple of days", "A  COUPLE of days", "an end of year", "and the end", "ends",
             "the end of it", "The End", "\u00fcber den Tag", "\u00dcBER"]
    for words in (["a", "an", "a couple of", "An", "end", "end of", "the end of", "the"],
                  ["\u00fcber", "\u00fc", "den", "Den"]):
        for case_blind, flags in ((True, re.IGNORECASE), (False, 0)):
            # what follows the words makes the engine go back to shorter ones
            trie = re.compile(rf"(?:{_alternation(words, case_blind=case_blind)})(\s+\w)?", flags)
            plain = re.compile(rf"(?:{listed(words)})(\s+\w)?", flags)
            for text in texts:
                assert [(m.span(), m.groups()) for m in trie.finditer(text)] == [
                    (m.span(), m.groups()) for m in plain.finditer(text)], (words, text)


def test_letters_that_match_ascii_case_blind_are_all_listed() -> None:
    from faultline.resolve.datetext import _FOLDS_TO_ASCII

    ascii_word = re.compile(r"(?i)[a-z0-9_]")
    found = "".join(chr(c) for c in range(0x80, 0x110000) if ascii_word.fullmatch(chr(c)))
    assert found == _FOLDS_TO_ASCII


def test_date_pre_test_reads_names_units_and_years_in_any_digits() -> None:
    words = load_date_words()
    assert words.may_hold_date("Troops left in 2019.")
    assert words.may_hold_date("Troops left in 20\u0661\u0669.")  # Arabic-Indic 1 and 9
    assert find_mentions("Troops left in 20\u0661\u0669.", words)
    assert words.may_hold_date("\u201cTroops left\u201d on Monday.")
    assert words.may_hold_date("Troops left two DAYS later.")
    # numbers that no date expression can hold without a name or a unit
    assert not words.may_hold_date("Troops left on the 3rd, said 12 officials.")
    assert not words.may_hold_date("\u201cTroops left\u201d quietly.")


def test_date_pre_test_hides_no_expression() -> None:
    words = load_date_words()
    texts = [
        "Talks resumed on 3 June 2024.", "Talks resumed 2024-06-03.", "Talks resumed 3.6.2024.",
        "Talks resumed two weeks ago.", "Talks resumed last weekend.", "Talks resumed in May.",
        "Talks resumed the next morning.", "Talks resumed hours later.", "Talks resumed in 1998.",
        "Talks resumed in mid-2024.", "Talks resumed 12 days later.", "Talks resumed on the 3rd.",
        "Talks resumed with 2,000 delegates.", "Talks resumed at 85%.", "Talks resumed yesterday.",
    ]
    for text in texts:
        assert words.may_hold_date(text) or not find_mentions(text, words), text


# -- calendar rules -----------------------------------------------------------------------
def test_stamp() -> None:
    assert Stamp(2025, 6, 3).iso == "2025-06-03" and Stamp(2025, 6).iso == "2025-06"
    assert Stamp(2025).precision == "year" and Stamp(2025, 6).precision == "month"
    assert Stamp.make(2025, 2, 29) is None and Stamp.make(2024, 2, 29) == Stamp(2024, 2, 29)
    assert Stamp.make(2025, 13) is None
    assert Stamp(2025, 6, 3).cut("month") == Stamp(2025, 6)


def test_add_months_and_shifts() -> None:
    assert add_months(2025, 1, -1) == (2024, 12) and add_months(2024, 12, 2) == (2025, 2)
    assert shift_stamp(Stamp(2024, 12, 31), "day", 1) == Stamp(2025, 1, 1)
    assert shift_stamp(Stamp(2025, 3, 1), "week", -1) == Stamp(2025, 2, 22)
    assert shift_stamp(Stamp(2025, 3, 1), "month", 1) == Stamp(2025, 4)
    assert shift_stamp(Stamp(2025, 3), "day", 2) == Stamp(2025, 3)  # no finer than March
    assert shift_stamp(Stamp(2025, 3, 1), "year", -2) == Stamp(2023)


def test_year_for() -> None:
    pub = dt.date(2025, 1, 3)
    assert year_for(12, 30, pub) == Stamp(2024, 12, 30)
    assert year_for(1, 3, pub) == Stamp(2025, 1, 3)  # the publication day itself
    assert year_for(1, 4, pub) == Stamp(2024, 1, 4)
    assert year_for(1, 4, pub, future=True) == Stamp(2025, 1, 4)
    assert year_for(12, 30, pub, future=True) == Stamp(2025, 12, 30)
    assert year_for(2, 29, dt.date(2025, 6, 1)) == Stamp(2024, 2, 29)
    assert year_for(1, 2, pub, recent=Stamp(2020, 12, 30)) == Stamp(2021, 1, 2)
    assert year_for(11, 10, pub, recent=Stamp(2020)) == Stamp(2020, 11, 10)
    # far from the date just mentioned, the year stays that date's
    assert year_for(12, None, dt.date(2020, 1, 10), recent=Stamp(2019, 3, 20)) == Stamp(2019, 12)
    assert year_for(12, None, dt.date(2020, 3, 1), recent=Stamp(2020, 1, 5)) == Stamp(2019, 12)
    # the narrative's year never puts a past event after the publication day
    assert year_for(3, 1, dt.date(2025, 1, 3), recent=Stamp(2024, 12, 30)) == Stamp(2024, 3, 1)
    assert year_for(6, None, dt.date(2025, 6, 20)) == Stamp(2025, 6)
    assert year_for(6, None, dt.date(2025, 6, 20), future=True) == Stamp(2025, 6)
    assert year_for(6, 3, None) is None


def test_from_published() -> None:
    wed = dt.date(2025, 7, 2)
    # weeks by their Thursday, this week's on the side of publication the tense asks
    assert from_published(wed, "week", -1) == Stamp(2025, 6, 26)
    assert from_published(wed, "week", 0) == Stamp(2025, 7, 1)
    assert from_published(wed, "week", 0, future=True) == Stamp(2025, 7, 3)
    assert from_published(wed, "week", 1) == Stamp(2025, 7, 10)
    assert from_published(dt.date(2025, 7, 4), "week", 0, future=True) == Stamp(2025, 7, 5)
    assert from_published(wed, "weekend", -1) == Stamp(2025, 6, 28)
    assert from_published(wed, "weekend", 0) == Stamp(2025, 7, 5)
    assert from_published(wed, "month", 1) == Stamp(2025, 8)
    assert from_published(wed, "month", -1, month=7) == Stamp(2024, 7)
    assert from_published(wed, "month", 1, month=7) == Stamp(2026, 7)
    assert from_published(wed, "month", 0, month=3) == Stamp(2025, 3)
    assert from_published(wed, "year", -1) == Stamp(2024)


def test_resolve_needs_context() -> None:
    (chain,) = find_mentions("the next day")
    assert resolve(chain, dt.date(2025, 7, 2)) is None  # nothing to count from
    assert resolve(chain, None, last=Stamp(2025, 2, 28)) == Stamp(2025, 3, 1)
    (monday,) = find_mentions("on Monday")
    assert resolve(monday, None) is None
    assert resolve(monday, dt.date(2025, 7, 2), future=True) == Stamp(2025, 7, 7)
    (full,) = find_mentions("on June 31, 2025")
    assert resolve(full, None) is None  # no such day


def test_parse_iso_day() -> None:
    assert parse_iso_day("2025-07-02") == dt.date(2025, 7, 2)
    assert parse_iso_day("2025-07-02T10:00:00Z") == dt.date(2025, 7, 2)
    assert parse_iso_day("2025-02-30") is None and parse_iso_day("July 2") is None
    assert parse_iso_day(None) is None


# -- the word lists -----------------------------------------------------------------------
def test_extra_words_file(tmp_path: Path) -> None:
    extra = tmp_path / "words.yaml"
    extra.write_text('months:\n  "Junio": 6\ncontinuations:\n  - "next up"\n', "utf-8")
    words = load_date_words(extra)
    assert [m.month for m in find_mentions("on Junio 3", words)] == [6]
    assert find_mentions("on Junio 3") == []  # the bundled lists are unchanged
    assert continues_narrative("Next up, the army withdrew.", words)


@pytest.mark.parametrize("content", [
    "months: [January]\n", 'months:\n  "Smarch": 13\n', "colours: []\n", "- a\n- b\n",
    "months: {\n", 'weekdays:\n  "Funday": 7\n', "bounds:\n  - on\n",
])
def test_bad_words_file(tmp_path: Path, content: str) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(content, "utf-8")
    with pytest.raises(LexiconError):
        load_date_words(extra)


def test_missing_words_file(tmp_path: Path) -> None:
    with pytest.raises(LexiconError):
        load_date_words(tmp_path / "absent.yaml")
