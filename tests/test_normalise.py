"""Tests of the one text normaliser every reader's text passes through (ingest/normalise.py)."""

from __future__ import annotations

import pytest

from faultline.ingest import clean_text
from faultline.ingest.normalise import clean_line, clean_lines, unwrap


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # inline tags go without a trace, attributes and case whatever they are
        ("Troops <u>withdrew</u> from the <A HREF='/r'>ridge</A> on <b>Tuesday</b>.",
         "Troops withdrew from the ridge on Tuesday."),
        ('The <span class="x" data-id=7>envoy</span> left.<img src="a.png"/>',
         "The envoy left."),
        ("The minister **denied** the __report__.", "The minister denied the report."),
        ("## Background\nThe [ministry said](https://example.org/a_b) so.",
         "Background\n\nThe ministry said so."),
        ("Item [3] (see above) and #hashtag stay.", "Item [3] (see above) and #hashtag stay."),
        # block tags and line breaks are paragraph breaks
        ("<p>The talks ended.</p><p>Both sides left.</p>", "The talks ended.\n\nBoth sides left."),
        ("The talks ended.<br>Both sides left.<BR/>Nobody spoke.",
         "The talks ended.\n\nBoth sides left.\n\nNobody spoke."),
        ("<div><h2>Talks end</h2><ul><li>One.</li><li>Two.</li></ul></div>",
         "Talks end\n\nOne.\n\nTwo."),
        ("The deal<script>var a = '<b>';</script> holds.<!-- ad --><style>p {}</style>",
         "The deal holds."),
        # "<" that does not open a real tag stays
        ("Turnout was <5% in the north and a < b held.",
         "Turnout was <5% in the north and a < b held."),
        ("Support fell to <10 percent <br> and stayed there.",
         "Support fell to <10 percent\n\nand stayed there."),
        ("The <unknown> group and x<y>z remained.", "The <unknown> group and x<y>z remained."),
    ],
)
def test_clean_text_removes_only_real_markup(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Trade &amp; transit", "Trade & transit"),
        ("The minister&#8217;s visit", "The minister\u2019s visit"),
        ("The minister&#x2019;s visit", "The minister\u2019s visit"),
        ("12&nbsp;soldiers were freed", "12 soldiers were freed"),
        ("Turnout was &lt;5%", "Turnout was <5%"),
        ("Escaped twice: Q&amp;amp;A", "Escaped twice: Q&A"),
        ("&lt;b&gt;Escaped&lt;/b&gt; markup", "Escaped markup"),
        # without the final ";" it is not an entity: names and abbreviations stay
        ("AT&T and R&D and &notice and &amp", "AT&T and R&D and &notice and &amp"),
        ("An &madeup; word", "An &madeup; word"),
    ],
)
def test_clean_text_decodes_complete_html_entities_only(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Two\u00a0envoys\u2009met\u202fin\u3000town.", "Two envoys met in town."),
        ("The cease\u00adfire held on the front\u200bline.",
         "The ceasefire held on the frontline."),
        ("\ufeffThe \u200dmission\u2060 left\u200e.", "The mission left."),
        ("Anti\u2011government rallies", "Anti-government rallies"),
        ("First.\r\n\r\nSecond.\rThird.", "First.\n\nSecond.\n\nThird."),
        ("First.\u2029Second.\u2028Third.", "First.\n\nSecond.\n\nThird."),
        ("  The\tenvoy   left  .  \n\n\n\n   Talks   resumed. ",
         "The envoy left .\n\nTalks resumed."),
        ("A\x00 control\x07 character.", "A control character."),
        ("Cafe\u0301 talks", "Caf\u00e9 talks"),  # NFC
    ],
)
def test_clean_text_normalises_spaces_invisible_characters_and_line_ends(
    raw: str, clean: str
) -> None:
    assert clean_text(raw) == clean


def test_clean_text_separates_paragraphs_by_one_blank_line_however_they_came() -> None:
    one = "The envoy arrived on Monday.\nTalks began on Tuesday.\nThey ended on Friday."
    two = "The envoy arrived on Monday.\n\nTalks began on Tuesday.\n\n\nThey ended on Friday."
    assert clean_text(one) == clean_text(two) == two.replace("\n\n\n", "\n\n")


WRAPPED = """\
The foreign ministers of the two countries met in Geneva on Monday and
agreed to resume talks on the disputed border, a spokesman for the U.S.
State Department said. The meeting followed weeks of shelling along the
front, in which at least a dozen soldiers were killed on both sides, and a
call by the United Nations for an immediate end to the fighting in the
anti-
government strongholds of the south.

Observers said the agreement was fragile."""


def test_clean_text_joins_lines_wrapped_at_a_fixed_width() -> None:
    text = clean_text(WRAPPED)
    first, second = text.split("\n\n")
    assert "\n" not in first
    assert first.startswith("The foreign ministers of the two countries met in Geneva on "
                            "Monday and agreed to resume")
    assert "the U.S. State Department said. The meeting" in first  # a break after "U.S."
    assert "the anti-government strongholds" in first
    assert second == "Observers said the agreement was fragile."


def test_clean_text_keeps_breaks_of_headings_lists_and_sentence_lines() -> None:
    text = (
        "Background\n"
        "The war began in 2020.\n"
        "The demands:\n"
        "- release the prisoners\n"
        "- reopen the road\n"
        "Talks resume next week and\n"
        "may last a month."
    )
    assert clean_text(text).split("\n\n") == [
        "Background", "The war began in 2020.", "The demands:", "- release the prisoners",
        "- reopen the road", "Talks resume next week and may last a month.",
    ]


def test_clean_text_does_not_join_long_paragraph_lines() -> None:
    long_line = "The ministers talked for hours about the border and the road " * 3
    text = f"{long_line.strip()}\nThe Senate will vote on Monday."
    assert clean_text(text) == f"{long_line.strip()}\n\nThe Senate will vote on Monday."


@pytest.mark.parametrize(
    "raw",
    [
        WRAPPED,
        "<p>Trade &amp;amp; talks</p>\n\n<u>Georgia</u>&#8217;s envoy&nbsp;left.\r\n",
        "&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; text",
        "Short\nlines\nof a list\n\n\n",
    ],
)
def test_clean_text_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert unwrap(clean_lines(once)) == once


def test_clean_lines_keeps_the_lines_a_header_is_read_from() -> None:
    raw = "<b>Talks resume</b>\r\nJuly 4, 2025\r\nBy Jane Doe\r\n\r\nThe envoys met."
    assert clean_lines(raw) == "Talks resume\nJuly 4, 2025\nBy Jane Doe\n\nThe envoys met."


def test_clean_line_puts_a_title_on_one_clean_line() -> None:
    assert clean_line(" Talks&#8217; <i>end</i>\n in  Baku ") == "Talks\u2019 end in Baku"
    assert clean_line("<b> </b>") is None
    assert clean_line(None) is None
