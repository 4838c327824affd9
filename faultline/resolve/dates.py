"""The date of each event: read from the text around it, against the publication date.

A :class:`DateTracker` follows one document: asked for the date of an event
(:meth:`DateTracker.date_for`), it reads the sentences up to the event's in
document order, so that "the next day" counts from dates mentioned anywhere
before; sentences after the last event asked about are never read. The expressions are found
and resolved by :mod:`faultline.resolve.datetext`; this module decides which
one belongs to an event, using the parse.

Policy, in order (the first that applies decides):

1. **Attached.** A date expression attached to the event word or to one of its
   syntactic heads: "arrested ... on Monday", "the next day Baku cancelled"
   (npadvmod), "the June 28 attack" (compound, only for that noun, unless a
   preposition of time makes the noun the act's occasion: "walked out during
   Tuesday's session"). The nearest head wins; "cancelled" in "On June 28 Moscow
   summoned ... and Baku cancelled" inherits June 28 through the coordination.
2. **Same clause.** An expression attached lower in the event's own clause, for
   parses that hang "on Monday" on the nearest noun ("people in Yerevan on
   Monday"); then one in an adverbial, infinitive or coordinated clause under the
   event ("detained him as he tried to cross on Wednesday") or in a "what" clause
   naming its object ("launched what it called a raid on Tuesday"), unless it is
   in the future, counted from the narrative or a start ("since May"). Dates of
   relative and reported clauses are not used ("troops that arrived on June 28
   left"), unless the relative clause dates the occasion of the event ("killed in
   an ambush that took place on Sunday").
3. **Carried.** The last date that dated the main line of an earlier sentence
   (its main clause, or a clause that clause reports or coordinates; not a
   relative or adverbial clause, nor one in the past perfect), when that sentence
   is the previous one or the sentence continues the story ("Then", "Later",
   "Meanwhile"). Dates in the future tense are not carried. A background date
   (one that is not a story day, below) is carried only when the text has no
   story day or the sentence continues the story: after "He was convicted in
   2009.", "The president also freed a mayor." is back in the story.
4. **The story's day.** The first day the text names for an act (not in the
   future, not a noun's own date, not a limit or a start) that lies at most
   :data:`STORY_DAYS` days before publication: the day the news happened. A
   sentence without a date of its own retells or continues that story, as
   annotators of news read it; in its own sentence the story's day dates only
   events of the main line.
5. **Publication date**, with ``fallback=True``; date None when it is unknown.

An event whose attached expression cannot be resolved ("on Monday" with no
publication date) or is a limit ("until June", "by 2030") skips steps 3 and 4.
A start ("has blocked the road since December") dates the state it starts, but
neither the narrative nor the next sentence counts from it.

Dates without a year take it from a date mentioned in the last
:data:`YEAR_SENTENCES` sentences, else from the publication date (see
:func:`faultline.resolve.stamps.year_for`). "The next day", "two days later",
"that year" count from the last date the text mentioned; with none mentioned
they cannot be resolved and the event gets the publication date. Day names, "last
week", "yesterday" count from the publication date; inside a quotation, "today",
"yesterday" and "last night" count from the day the words were said (a day the
sentence names outside the quotation, else the story's day). "Last Thursday"
written on a Friday is the Thursday of the week before. Weeks are dated by their
Thursday (the day that puts a week in a month), weekends by their Saturday
(precision "day"); a week is no story day. "Early 2022" and "mid-August" keep
the precision of the unit named (year, month). A date in a past clause counts
"the same day" from the last date that is not ahead ("his next hearing on April
5" is ahead).
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from faultline.extract.quotes import QuotedText
from faultline.extract.tree import Word, doc_text, doc_words, word_of
from faultline.resolve.datetext import (
    NARRATIVE,
    PUBLISHED,
    DateWords,
    Mention,
    continues_narrative,
    find_mentions,
    load_date_words,
    resolve,
)
from faultline.resolve.stamps import Stamp, parse_iso_day

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

log = logging.getLogger(__name__)

#: A date without its year takes the year of a date mentioned this many sentences
#: before at most (0 = same sentence); older dates are background.
YEAR_SENTENCES = 2
#: An event with no date of its own takes the last date that dated a sentence's
#: main line this many sentences before at most, unless its sentence continues
#: the story.
CARRY_SENTENCES = 1
#: A day at most this many days before publication can be the story's day (the
#: first such day the text names); older dates are background.
STORY_DAYS = 14

#: Dependencies by which an expression modifies a noun rather than dating a clause:
#: "the June 28 attack", "yesterday's vote". Such dates belong to that noun only.
_MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod", "nummod", "quantmod"})
_NOUNS = frozenset({"NOUN", "PROPN"})
_CLAUSE_POS = frozenset({"VERB", "AUX"})
#: Links from a clause to its head clause that keep it on the sentence's main line.
_MAIN_DEPS = frozenset({"conj", "ccomp", "parataxis", "xcomp"})
#: Links by which a clause is reported by the one above it.
_REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
#: Links from a clause under an event that let its date date the event (rule 2b).
_SIDE_DEPS = frozenset({"advcl", "xcomp", "conj"})


@dataclass(frozen=True)
class EventDate:
    """The date of one event, and where it came from."""

    #: ISO date: YYYY-MM-DD, YYYY-MM or YYYY. None when nothing in the text dates
    #: the event and the publication date is unknown.
    date: str | None
    #: "day", "month" or "year"; None together with date.
    precision: str | None
    #: True when the date is just the publication date.
    fallback: bool
    #: The expression the date came from ("the next day"); None for a fallback.
    text: str | None = None
    #: True when the date was carried over from an earlier sentence (policy step 3).
    carried: bool = False


class _Anchor(NamedTuple):
    """The last date the text mentioned, and where."""

    stamp: Stamp
    text: str
    sentence: int
    future: bool


class _Found(NamedTuple):
    """One expression of the current sentence, placed in the parse and resolved."""

    mention: Mention
    stamp: Stamp | None
    #: Token indices in the Doc: the expression [start, end), the word it dates and
    #: the head of that word's clause.
    start: int
    end: int
    governor: int
    clause: int
    #: True when the expression modifies a noun ("the June 28 attack").
    modifier: bool
    #: True when the expression's clause speaks of the future.
    future: bool

    @property
    def usable(self) -> bool:
        """Return True when the expression dates the event it is attached to."""
        return self.stamp is not None and not self.mention.bound


class DateTracker:
    """Follows the dates of one document, sentence by sentence."""

    def __init__(self, published: str | None, words: DateWords | None = None, *,
                 sentences: Sequence[Span] = (), quoted: Callable[[int], bool] | None = None):
        """Follow a document published on `published` whose sentences are `sentences`
        (by default those of the document of the first word asked about); `quoted(i)`
        tells whether character i of the document stands inside quotation marks (by
        default, as extract.quotes reads the document's marks)."""
        #: The publication date as given (ISO YYYY-MM-DD), and as a date.
        self.published = published
        self._pub, self._published_date = _publication(published)
        if published and self._pub is None:
            log.warning("publication date %r is not YYYY-MM-DD; dating events without it",
                        published)
        self._words = words or load_date_words()
        self._sentences = list(sentences)
        self._starts = [s.start for s in self._sentences]
        self._quoted = quoted
        self._restart()

    def _restart(self) -> None:
        """Forget what was read: the next question reads from the first sentence."""
        # the index of the last sentence read and its tokens
        self._index = -1
        self._range = (0, 0)
        self._found: list[_Found] = []
        # the last date mentioned (for "the next day" and missing years), and the
        # last one that dated the main line of a sentence (for carrying over)
        self._last: _Anchor | None = None
        self._last_past: _Anchor | None = None
        self._story: _Anchor | None = None
        self._before: _Anchor | None = None
        # the story's day: the first day the text names close before publication
        self._lead: _Anchor | None = None
        self._lead_main = False
        # the text of the sentence last read, and whether it continues the story
        # (worked out only when an event needs to know)
        self._text = ""
        self._continues: bool | None = None
        # the day the quotations of the sentence last read were spoken, if told
        self._said_day: dt.date | None = None

    # -- reading ----------------------------------------------------------------------
    def _read_to(self, word: Word) -> None:
        """Read the sentences up to the one that holds word, in document order."""
        if not self._sentences:
            self._sentences = list(word.doc.sents)
            self._starts = [s.start for s in self._sentences]
        k = bisect_right(self._starts, word.i) - 1
        if k < self._index:
            # asked about an earlier sentence than the last read: read again from the start
            self._restart()
        while self._index < k:
            self._read(self._sentences[self._index + 1])

    def _read(self, sent: Span) -> None:
        """Read the date expressions of a sentence and update the last date mentioned."""
        self._index += 1
        self._range = (sent.start, sent.end)
        self._before = self._story
        doc = sent.doc
        base = sent.start_char
        # a slice of the document's text: Span.text rebuilds it token by token
        text = self._text = doc_text(doc)[base:sent.end_char]
        self._continues = None
        self._found = []
        if not self._words.may_hold_date(text):
            return
        quoted = self._quoted
        if quoted is None:
            quoted = self._quoted = QuotedText(doc_text(doc)).quoted
        mentions = find_mentions(text, self._words, lambda i: quoted(base + i))
        self._said_day = self._speech_day(mentions)
        for mention in mentions:
            span = doc.char_span(base + mention.start, base + mention.end,
                                 alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            root = doc_words(doc)[span.root.i]
            governor = root.head
            # past the preposition ("on" in "on June 28") to the word it dates
            attached = root
            while governor.head.i != governor.i and (
                governor.dep_ in ("prep", "pcomp", "agent") or governor.pos_ == "ADP"
                or span.start <= governor.i < span.end
            ):
                attached, governor = governor, governor.head
            if root.head.i == root.i:
                governor = root
            else:
                governor = _reported(governor, attached)
            modifier = mention.possessive or (
                root.dep_ in _MODIFIER_DEPS and governor.pos_ in _NOUNS
            )
            if modifier:
                governor, modifier = self._occasion(governor)
            future = self._future(governor)
            # a past clause counts "the same day" from the last date that is not ahead
            last = self._last if future else self._last_past
            recent = last.stamp if last and self._index - last.sentence <= YEAR_SENTENCES else None
            stamp = resolve(mention, self._said(mention), last.stamp if last else None, recent,
                            future)
            self._found.append(_Found(
                mention, stamp, span.start, span.end, governor.i, _clause_head(governor).i,
                modifier, future,
            ))
            if stamp is not None and not mention.bound and not mention.ongoing:
                self._last = _Anchor(stamp, mention.text, self._index, future)
                if not future:
                    self._last_past = self._last
                main = not modifier and _main_line(governor)
                if main:
                    self._story = self._last
                if self._lead is None and not modifier and not future \
                        and mention.unit != "week" and self._is_current(stamp):
                    self._lead, self._lead_main = self._last, main

    def _occasion(self, noun: Word) -> tuple[Word, bool]:
        """Return the word a noun's date dates, and whether it stays the noun's alone.

        A dated noun after a preposition of time ("during Monday's session", "in
        Sunday's vote") names the occasion of the act it is attached to, so the
        date is that act's too.
        """
        prep = noun.head
        if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i != prep.i \
                and prep.lower_ in self._words.occasion_prepositions:
            return _reported(prep.head, prep), False
        return noun, True

    def _speech_day(self, mentions: Sequence[Mention]) -> dt.date | None:
        """Return the day the quotations of a sentence were spoken, when its mentions
        hold a quoted "today" or "last night" and the text tells that day: a day
        named outside the quotation ("the minister said on Tuesday"), else the
        story's day. None when the publication day is as good as any."""
        if not any(_counts_from_speech(m) for m in mentions):
            return None
        for mention in mentions:
            if mention.quoted or mention.bound or mention.ongoing or mention.kind == NARRATIVE:
                continue
            stamp = resolve(mention, self._pub)
            if stamp is not None and stamp.day is not None:
                return stamp.first_day()
        lead = self._lead
        return lead.stamp.first_day() if lead is not None else None

    def _said(self, mention: Mention) -> dt.date | None:
        """Return the day a mention counts from: the publication day, or for "today" or
        "last night" inside a quotation the day the words were said (if earlier)."""
        day = self._said_day
        if day is not None and _counts_from_speech(mention) and (
                self._pub is None or day < self._pub):
            return day
        return self._pub

    def _future(self, word: Word) -> bool:
        """Return True when the clause of word speaks of what is to come."""
        words = self._words
        if word.lemma_.lower() in words.future_verbs:
            return True
        if word.pos_ in _NOUNS:
            # "his next court appearance on April 5", "the upcoming vote on May 3"
            return any(c.dep_ in ("amod", "advmod") and c.lower_ in words.future_modifiers
                       for c in word.children)
        node = word
        # up through infinitives: "plans to visit", "is expected to sign"
        for _ in range(4):
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in words.future_auxiliaries
                   for c in node.children):
                return True
            if node.dep_ != "xcomp" or node.head.i == node.i:
                return False
            node = node.head
            if node.lemma_.lower() in words.future_complement_verbs:
                return True
        return False

    def _is_current(self, stamp: Stamp) -> bool:
        """Return True when stamp is a day close enough before publication to be the
        story's (any day, without a publication date)."""
        if stamp.day is None:
            return False
        if self._pub is None:
            return True
        days = (self._pub - stamp.first_day()).days
        return 0 <= days <= STORY_DAYS

    # -- asking -----------------------------------------------------------------------
    def date_for(self, tokens: Sequence[Word | Token]) -> EventDate:
        """Return the date of an event whose words (predicate or noun) are tokens.

        See the module docstring for the policy.
        """
        words = [t if isinstance(t, Word) else word_of(t) for t in tokens]
        if words:
            self._read_to(words[0])
        found = self._attached(words)
        if found is not None:
            if found.usable and found.stamp is not None:
                return _dated(found.stamp, found.mention.text)
            return self._fallback()
        anchor, lead = self._before, self._lead
        if anchor is not None and not anchor.future:
            if (
                self._index - anchor.sentence <= CARRY_SENTENCES
                # after a background date ("In 2008, he was convicted."), a sentence
                # without a date of its own is back in the story
                and (lead is None or self._is_current(anchor.stamp))
            ) or self._continues_story():
                return _dated(anchor.stamp, anchor.text, carried=True)
        # the story's day dates the sentence that names it only from its main line
        if lead is not None and (lead.sentence < self._index or self._lead_main):
            return _dated(lead.stamp, lead.text, carried=True)
        return self._fallback()

    def _continues_story(self) -> bool:
        """Return True when the sentence last read continues the story ("Then", "Later")."""
        if self._continues is None:
            self._continues = continues_narrative(self._text, self._words)
        return self._continues

    def _attached(self, tokens: Sequence[Word]) -> _Found | None:
        """Return the expression of the sentence that dates the event, if any."""
        start, end = self._range
        inside = [t for t in tokens if start <= t.i < end]
        if not inside or not self._found:
            return None
        # hops from the event words up to each of their heads, and the heads that
        # report the event's clause ("said on Tuesday that ...")
        hops: dict[int, int] = {}
        reporting: set[int] = set()
        for token in inside:
            node, n, reported = token, 0, False
            while True:
                if n < hops.get(node.i, n + 1):
                    hops[node.i] = n
                    if reported:
                        reporting.add(node.i)
                    else:
                        reporting.discard(node.i)
                if node.head.i == node.i:
                    break
                reported = reported or node.dep_ in _REPORTED_DEPS
                node, n = node.head, n + 1
        own = {t.i for t in inside}
        mid = inside[0].i
        table = doc_words(inside[0].doc)

        def distance(f: _Found) -> int:
            return min(abs(f.start - mid), abs(f.end - 1 - mid))

        best: tuple[int, int, int] | None = None
        chosen: _Found | None = None
        for f in self._found:
            if f.modifier:
                if f.governor not in own:
                    continue
                rank = (0, 0, distance(f))
            elif f.governor in hops:
                # the event's own clause dates it before the report of it does:
                # "announced on Tuesday he had asked for the resignation Monday night"
                rank = (1 if f.governor in reporting else 0, hops[f.governor], distance(f))
            elif f.clause in hops:
                rank = (1, 0, distance(f))
            elif (up := _joins_at(table[f.clause], hops, self._words)) is not None \
                    and f.usable \
                    and not f.future and f.mention.kind != NARRATIVE and not f.mention.ongoing:
                rank = (2, hops[up], distance(f))
            else:
                continue
            # a limit ("since 2019") only counts when nothing else dates the event
            if not f.usable:
                rank = (rank[0] + 10, *rank[1:])
            if best is None or rank < best:
                best, chosen = rank, f
        return chosen

    def _fallback(self) -> EventDate:
        """Return the publication date as the event date (None when unknown)."""
        return self._published_date


@lru_cache(maxsize=1024)
def _publication(published: str | None) -> tuple[dt.date | None, EventDate]:
    """Return the publication day of an ISO date string (None when it is not one), and
    the date of an event that only the publication dates.

    Cached: every document asks, and a corpus has few publication days.
    """
    day = parse_iso_day(published)
    if day is None:
        return None, EventDate(date=None, precision=None, fallback=True)
    return day, EventDate(date=day.isoformat(), precision="day", fallback=True)


def _dated(stamp: Stamp, text: str, carried: bool = False) -> EventDate:
    """Return the EventDate of a resolved expression."""
    return EventDate(stamp.iso, stamp.precision, fallback=False, text=" ".join(text.split()),
                     carried=carried)


def _counts_from_speech(mention: Mention) -> bool:
    """Return True for a day word inside a quotation ("today", "last night"): it counts
    from the day the words were said, not from the publication day."""
    return mention.quoted and mention.kind == PUBLISHED and mention.unit == "day"


def _reported(governor: Word, attached: Word) -> Word:
    """Return the verb a date belongs to when the parser hung it on a reported clause.

    In "Baku said on Monday it would reopen the border", the parser often attaches
    "on Monday" to "reopen"; a date that stands between the reporting verb and the
    rest of the reported clause (before its subject) dates the reporting.
    """
    head = governor.head
    if governor.dep_ != "ccomp" or head.i >= attached.left_edge.i:
        return governor
    others = [c.left_edge.i for c in governor.children if c.i != attached.i]
    if attached.right_edge.i < min([governor.i, *others]):
        return head
    return governor


def _joins_at(clause: Word, hops: dict[int, int], words: DateWords) -> int | None:
    """Return where a clause below the event joins the event's heads, through side links.

    A date in an adverbial clause, an infinitive or a later coordinated clause
    under the event dates the event too ("detained him as he tried to cross on
    Wednesday", "refused to sign on Wednesday", "withdrew, and troops entered on
    Wednesday"), and so does a relative clause that dates the occasion of the
    event ("killed in a bombing that happened on Monday"). Other relative clauses
    and reported clauses do not ("troops that arrived on June 28 left"; "said it
    would reopen on Friday"). Returns None when the clause does not join the
    event that way.
    """
    node = clause
    while node.i not in hops:
        if node.head.i == node.i or not (
            node.dep_ in _SIDE_DEPS or _free_relative(node) or _dates_occasion(node, words)
        ):
            return None
        node = _clause_head(node.head)
    return node.i


def _dates_occasion(clause: Word, words: DateWords) -> bool:
    """Return True for a relative clause on the noun after a preposition of time
    ("in a bombing that happened on Monday")."""
    noun = clause.head
    return clause.dep_ == "relcl" and noun.dep_ == "pobj" and noun.head.dep_ == "prep" \
        and noun.head.lower_ in words.occasion_prepositions


def _free_relative(clause: Word) -> bool:
    """Return True for a "what" clause that names a thing ("launched what it called a raid")."""
    return clause.dep_ == "ccomp" and any(
        c.lower_ == "what" and c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")
        for c in clause.children
    )


def _main_line(word: Word) -> bool:
    """Return True when word's clause is the sentence's main line, not a side clause.

    Main clauses and the clauses they report or coordinate count; relative and
    adverbial clauses ("a jet that shot down a plane on Tuesday") and clauses in the
    past perfect ("had failed to meet its obligations in 2021") are background,
    so their dates are not carried into the next sentence.
    """
    node = _clause_head(word)
    while True:
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in node.children):
            return False
        if node.head.i == node.i:
            return True
        if node.dep_ not in _MAIN_DEPS:
            return False
        node = _clause_head(node.head)


def _clause_head(word: Word) -> Word:
    """Return the verb heading word's clause (the sentence root when there is none)."""
    node = word
    while node.pos_ not in _CLAUSE_POS and node.head.i != node.i:
        node = node.head
    return node

