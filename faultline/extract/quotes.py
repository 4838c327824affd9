"""Quotations: whose words stand between quotation marks.

A news quotation often runs over several sentences, with its speaker named
once, before it (`Pashinyan said: "A. B."`) or after it (`"A. B," Pashinyan
said.`). The parse sees reported speech only in the sentence that names the
speaker; the other sentences of the quotation read like the reporter's own.
`Quotations` pairs a document's quotation marks and finds, for each quotation,
the verb of saying outside it that attributes it, so that every clause inside
is reported by that speaker.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from faultline.extract.subjects import subjects_of
from faultline.extract.tree import Word

if TYPE_CHECKING:
    from spacy.tokens import Span

#: Quotation marks; a sentence that leaves one open continues the quotation.
OPENING = frozenset({"\u201c"})
CLOSING = frozenset({"\u201d"})
STRAIGHT = frozenset({'"'})
#: What quotation_spans looks at: the marks, and line breaks that end paragraphs.
_MARKS = re.compile('[\u201c\u201d"\n]')


def starts_quote(char: str) -> bool:
    """Return True when a sentence's first character opens a quotation."""
    return char in OPENING or char in STRAIGHT


def quoting_after(sentence: str, quoting: bool) -> bool:
    """Return whether a quotation is open after a sentence, given whether one was open
    before it: a curly mark says which, a straight one opens or closes."""
    opened = max((sentence.rfind(c) for c in OPENING), default=-1)
    closed = max((sentence.rfind(c) for c in CLOSING), default=-1)
    curly = max(opened, closed)
    if curly >= 0:
        quoting = opened > closed
    straight = sum(sentence.count(c, curly + 1) for c in STRAIGHT)
    return quoting != (straight % 2 == 1)


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) character spans of a text's quotations, marks included.

    A quotation left open at the end of a paragraph goes on when the next
    paragraph opens with a quotation mark (the convention of news prose), and
    ends with its paragraph otherwise.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    # the next paragraph's opening mark, which reopens nothing
    skip = -1
    for found in _MARKS.finditer(text):
        i, char = found.start(), found.group()
        if i == skip:
            continue
        if char == "\n":
            if start is None:
                continue
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and starts_quote(text[j]):
                skip = j
                continue
            spans.append((start, i))
            start = None
        elif char in OPENING or (char in STRAIGHT and start is None):
            start = i if start is None else start
        elif start is not None:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


class Quotations:
    """The quotations of one document and the verbs of saying that attribute them."""

    def __init__(self, words: Sequence[Word], sentences: Sequence[Span], text: str,
                 speech: AbstractSet[str],
                 reach: Callable[[int], None] | None = None) -> None:
        """`reach(k)` is called with the index of a sentence whose verb attributes a
        quotation in another sentence, before that verb is handed out."""
        self._words = words
        self._reach = reach
        self._sentences = sentences
        self._sentence_starts = [s.start_char for s in sentences]
        self._text = text
        self._speech = speech
        # found on first use: most documents are asked about few of their words
        self._found: tuple[list[tuple[int, int]], list[int]] | None = None
        self._verbs: dict[int, Word | None] = {}

    @property
    def _spans(self) -> list[tuple[int, int]]:
        return self._marks()[0]

    @property
    def _span_starts(self) -> list[int]:
        return self._marks()[1]

    def _marks(self) -> tuple[list[tuple[int, int]], list[int]]:
        if self._found is None:
            spans = quotation_spans(self._text)
            self._found = spans, [a for a, _ in spans]
        return self._found

    def speech_verb(self, word: Word) -> Word | None:
        """Return the verb of saying outside the quotation that holds `word`, or None
        when no quotation holds it or none attributes it."""
        k = bisect_right(self._span_starts, word.idx) - 1
        if k < 0 or word.idx >= self._spans[k][1]:
            return None
        if k not in self._verbs:
            self._verbs[k] = self._attribution(k)
        return self._verbs[k]

    def holds(self, word: Word) -> bool:
        """Return True when `word` stands between quotation marks."""
        return self._quoted(word.idx)

    def _attribution(self, k: int) -> Word | None:
        start, end = self._spans[k]
        # `"A. B," X said.` names the speaker after the quotation; `X said: "A. B."`
        # before it, in the sentence that opens it
        after = [w for w in self._sentence_words(end - 1) if w.idx >= end]
        before = [w for w in self._sentence_words(start) if w.idx < start]
        for side in (after, before[::-1]):
            # the first verb on either side of the quotation, in its paragraph
            word = next((w for w in side if w.pos_ in {"VERB", "AUX"} or "\n" in w.text), None)
            if word is not None and word.pos_ == "VERB" and word.lemma_.lower() in self._speech \
                    and subjects_of(word)[0] and not self._quoted(word.idx):
                if self._reach is not None:
                    self._reach(self._sentence_index(word.idx))
                return word
        if k and "\n" not in self._text[self._spans[k - 1][1]:start]:
            # `"A," he said. "B."`: the speaker goes on within the paragraph
            if k - 1 not in self._verbs:
                self._verbs[k - 1] = self._attribution(k - 1)
            return self._verbs[k - 1]
        return None

    def _sentence_index(self, char: int) -> int:
        """Return the index of the sentence holding character `char`."""
        return max(bisect_right(self._sentence_starts, char) - 1, 0)

    def _sentence_words(self, char: int) -> Sequence[Word]:
        """Return the words of the sentence holding character `char`."""
        sent = self._sentences[self._sentence_index(char)]
        return self._words[sent.start:sent.end]

    def _quoted(self, char: int) -> bool:
        k = bisect_right(self._span_starts, char) - 1
        return k >= 0 and char < self._spans[k][1]
