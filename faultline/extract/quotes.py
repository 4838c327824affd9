"""Quotations: whose words stand between quotation marks.

A news quotation often runs over several sentences, with its speaker named
once, before it (`Pashinyan said: "A. B."`) or after it (`"A. B," Pashinyan
said.`). The parse sees reported speech only in the sentence that names the
speaker; the other sentences of the quotation read like the reporter's own.
`Quotations` pairs a document's quotation marks and finds, for each quotation,
the verb of saying outside it that attributes it, so that every clause inside
is reported by that speaker. This module is the one place that decides what
stands inside quotation marks: the clause finder, the dates and the coder's
statements all ask it.
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

#: Quotation marks that say which they are; a straight one says it by where it stands.
OPENING = frozenset("\u201c\u00ab\u201e")
CLOSING = frozenset("\u201d\u00bb")
STRAIGHT = frozenset('"')
#: What quotation_spans looks at: the marks, and line breaks that end paragraphs.
_MARKS = re.compile('[\u201c\u201d\u00ab\u00bb\u201e"\n]')
#: A straight mark followed by one of these (or a space) closes a quotation; one
#: after one of the others (or a space) opens one.
_BEFORE_CLOSING = frozenset(".,;:!?)]}")
_AFTER_OPENING = frozenset("([{\u2014\u2013")


def _opens(text: str, i: int, outside: bool) -> bool:
    """Return True when the quotation mark at text[i] opens a quotation (`outside`:
    none is open). A straight mark between two words does the opposite of the last."""
    char = text[i]
    if char in OPENING:
        return True
    if char in CLOSING:
        return False
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() or after in _BEFORE_CLOSING:
        return False
    before = text[i - 1] if i else " "
    if before.isspace() or before in _AFTER_OPENING:
        return True
    return outside


def _reopening(text: str, i: int) -> int:
    """Return where the quotation mark that opens the paragraph after text[i] stands,
    or -1 when that paragraph opens with none."""
    j = i
    while j < len(text) and text[j].isspace():
        j += 1
    if j < len(text) and (text[j] in OPENING or text[j] in STRAIGHT) and _opens(text, j, True):
        return j
    return -1


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Return the [start, end) character spans of a text's quotations, marks included.

    A quotation left open at the end of a paragraph goes on when the next
    paragraph opens with a quotation mark (the convention of news prose), or
    when the next paragraph's first mark closes a quotation (a later paragraph
    not reopened); it ends with its paragraph otherwise. A text whose first mark
    closes a quotation begins inside it.
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    # the next paragraph's opening mark, which reopens nothing
    skip = -1
    # where a quotation that may go on until the next closing mark began (the text's
    # start, or a quotation its paragraph ended), and where that paragraph ended
    ended: int | None = 0
    ended_at = 0
    for found in _MARKS.finditer(text):
        i, char = found.start(), found.group()
        if i == skip:
            continue
        if char == "\n":
            if start is None:
                if ended is not None and text[ended_at:i].strip():
                    # the paragraph after went by without a mark
                    ended = None
                continue
            skip = _reopening(text, i)
            if skip < 0:
                spans.append((start, i))
                start, ended, ended_at = None, start, i
        elif _opens(text, i, start is None):
            start = i if start is None else start
            ended = None
        elif start is not None:
            spans.append((start, i + 1))
            start = None
        elif ended is not None:
            # the quotation went on until this mark
            if spans and spans[-1][0] == ended:
                spans.pop()
            spans.append((ended, i + 1))
            ended = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


class QuotedText:
    """Which characters of a text stand between quotation marks (found on first use)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: tuple[list[tuple[int, int]], list[int]] | None = None

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The [start, end) character spans of the quotations, marks included."""
        return self._marks()[0]

    def _marks(self) -> tuple[list[tuple[int, int]], list[int]]:
        if self._found is None:
            spans = quotation_spans(self._text)
            self._found = spans, [a for a, _ in spans]
        return self._found

    def at(self, char: int) -> int:
        """Return the index of the quotation that holds character `char`, or -1."""
        spans, starts = self._marks()
        k = bisect_right(starts, char) - 1
        return k if k >= 0 and char < spans[k][1] else -1

    def quoted(self, char: int) -> bool:
        """Return True when character `char` stands between quotation marks."""
        return self.at(char) >= 0


class Quotations(QuotedText):
    """The quotations of one document and the verbs of saying that attribute them."""

    def __init__(self, words: Sequence[Word], sentences: Sequence[Span], text: str,
                 speech: AbstractSet[str],
                 reach: Callable[[int], None] | None = None) -> None:
        """`reach(k)` is called with the index of a sentence whose verb attributes a
        quotation in another sentence, before that verb is handed out."""
        super().__init__(text)
        self._words = words
        self._reach = reach
        self._sentences = sentences
        self._sentence_starts = [s.start_char for s in sentences]
        self._speech = speech
        self._verbs: dict[int, Word | None] = {}
        self._voices: dict[int, Word | None] = {}

    def holds(self, word: Word) -> bool:
        """Return True when `word` stands between quotation marks."""
        return self.at(word.idx) >= 0

    def speech_verb(self, word: Word) -> Word | None:
        """Return the verb of saying outside the quotation that holds `word`, or None
        when no quotation holds it or none attributes it."""
        k = self.at(word.idx)
        return None if k < 0 else self._attributed(k)

    def voice(self, word: Word) -> Word | None:
        """Return the verb of saying whose speaker says the quotation that holds `word`:
        the one that attributes it, else the last one before it in its paragraph
        (`X said the talks failed. "It is a disgrace."`). None outside a quotation."""
        k = self.at(word.idx)
        if k < 0:
            return None
        if k not in self._voices:
            self._voices[k] = self._attributed(k) or self._said_before(self.spans[k][0])
        return self._voices[k]

    def _attributed(self, k: int) -> Word | None:
        if k not in self._verbs:
            self._verbs[k] = self._attribution(k)
        return self._verbs[k]

    def _attribution(self, k: int) -> Word | None:
        start, end = self.spans[k]
        # `"A. B," X said.` names the speaker after the quotation; `X said: "A. B."`
        # before it, in the sentence that opens it
        after = [w for w in self._sentence_words(end - 1) if w.idx >= end]
        before = [w for w in self._sentence_words(start) if w.idx < start]
        for side in (after, before[::-1]):
            # the first verb on either side of the quotation, in its paragraph
            word = next((w for w in side if w.pos_ in {"VERB", "AUX"} or "\n" in w.text), None)
            if word is not None and self._says(word):
                return self._reached(word)
        if k and "\n" not in self._text[self.spans[k - 1][1]:start]:
            # `"A," he said. "B."`: the speaker goes on within the paragraph
            return self._attributed(k - 1)
        return None

    def _said_before(self, char: int) -> Word | None:
        """Return the first verb of saying of the last sentence before the one holding
        character `char`, in its paragraph, that has one outside quotation marks."""
        # where the paragraph begins (-1: with the text)
        paragraph = self._text.rfind("\n", 0, char)
        k = self._sentence_index(char)
        while k > 0 and self._sentences[k - 1].end_char > paragraph + 1:
            k -= 1
            sent = self._sentences[k]
            word = next((w for w in self._words[sent.start:sent.end]
                         if w.idx > paragraph and self._says(w)), None)
            if word is not None:
                return self._reached(word)
        return None

    def _says(self, word: Word) -> bool:
        """Return True for a verb of saying with a subject, outside quotation marks."""
        return (word.pos_ == "VERB" and word.lemma_.lower() in self._speech
                and bool(subjects_of(word)[0]) and not self.quoted(word.idx))

    def _reached(self, verb: Word) -> Word:
        if self._reach is not None:
            self._reach(self._sentence_index(verb.idx))
        return verb

    def _sentence_index(self, char: int) -> int:
        """Return the index of the sentence holding character `char`."""
        return max(bisect_right(self._sentence_starts, char) - 1, 0)

    def _sentence_words(self, char: int) -> Sequence[Word]:
        """Return the words of the sentence holding character `char`."""
        sent = self._sentences[self._sentence_index(char)]
        return self._words[sent.start:sent.end]
