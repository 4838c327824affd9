"""What the name dictionaries share: the longest-match lookup, blocked phrases and
user-file stamps."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from faultline.errors import LexiconError

#: An actor code: ISO 3166 alpha-3 or one of PLOVER's three-letter special codes.
CODE = re.compile(r"^[A-Z]{3}$")
#: What separates the first piece of a key from the rest.
FIRST_PIECE = re.compile(r"[ ',]")
#: A token made of punctuation only.
PUNCT_ONLY = re.compile(r"^[\W_]+$")
#: Rough spaCy token count of a name: dashes, apostrophes and commas are split off.
#: Any space may be a dash in the text ("air defence" / "air-defence"), so counts err high.
TOKEN_PIECES = re.compile(r"[-\u2010-\u2015\u2212',]|[^\s\-\u2010-\u2015\u2212',]+")
#: Words a WordMemo holds at most before it starts afresh.
MEMO_WORDS = 1 << 16
#: Dashes: a token such as "U.S.-led" or "Moscow-based" names what stands before one.
DASHES = re.compile(r"[-\u2010-\u2015\u2212]")

T = TypeVar("T")
#: What a table keeps for a name (an entry, a row number) and what a match returns.
S = TypeVar("S")
V = TypeVar("V")


@dataclass(frozen=True)
class Blocks:
    """Phrases inside which no name is matched ("Latin America", "New York Times")."""

    keys: frozenset[str]
    #: First piece of a blocked phrase -> most tokens a phrase starting with it spans.
    first: dict[str, int]
    longest: int

    @classmethod
    def of(
        cls, keys: Iterable[str], first_piece: Callable[[str], str],
        token_count: Callable[[str], int],
    ) -> Blocks:
        """Index blocked phrase keys by their first piece."""
        frozen = frozenset(keys)
        first: dict[str, int] = {}
        for key in frozen:
            piece = first_piece(key)
            first[piece] = max(first.get(piece, 0), token_count(key))
        return cls(frozen, first, max(first.values(), default=0))

    def limits(self, first_key: Callable[[str], str]) -> BlockLimits:
        """Return an empty table of the token -> limit answers covers() needs."""
        return BlockLimits(self, first_key)

    def covers(
        self,
        words: Sequence[str],
        start: int,
        length: int,
        limits: Mapping[str, int],
        span_key: Callable[[Sequence[str]], str],
    ) -> bool:
        """Return True if a blocked phrase covers words[start] and is not shorter than
        the match of `length` tokens there. `limits` comes from limits()."""
        if not self.keys:
            return False
        first = max(0, start - self.longest + 1)
        if not any(map(limits.__getitem__, words[first:start + 1])):
            return False  # the usual case: no blocked phrase begins near the match
        for begin in range(first, start + 1):
            limit = limits[words[begin]]
            if not limit:
                continue
            # phrases that reach words[start]; from there, none shorter than the match
            shortest = length if begin == start else start - begin + 1
            for size in range(shortest, min(limit, len(words) - begin) + 1):
                if span_key(words[begin:begin + size]) in self.keys:
                    return True
        return False


class BlockLimits(dict[str, int]):
    """Token -> most tokens a blocked phrase beginning with it spans (0 for none),
    worked out the first time a token is asked for."""

    def __init__(self, blocks: Blocks, first_key: Callable[[str], str]) -> None:
        super().__init__()
        self._first = blocks.first
        self._first_key = first_key

    def __missing__(self, word: str) -> int:
        limit = self[word] = self._first.get(self._first_key(word), 0)
        return limit


class WordMemo(dict[str, T]):
    """Word -> what `answer` says of it, worked out the first time the word is asked for.

    Lookups are plain dict lookups (`memo[word]`), so comprehensions over a
    document's words run at C speed; past MEMO_WORDS words the memo starts afresh.
    """

    def __init__(self, answer: Callable[[str], T]) -> None:
        super().__init__()
        self._answer = answer

    def __missing__(self, word: str) -> T:
        if len(self) >= MEMO_WORDS:
            self.clear()
        value = self[word] = self._answer(word)
        return value


class PhraseTable(Generic[S, V]):
    """A dictionary of names looked up on token sequences: the longest name at a token.

    A table (the gazetteer, the places) says what can begin at a token
    (`_start_of`, remembered per word in `_starts_of`), finds the longest name
    of several tokens (`_longest`), looks one token up (`_single`) and turns
    what it keeps into what a match returns (`_value`); its blocked phrases
    ("Latin America", "Paris Agreement") hide the names inside them.
    """

    #: Token -> None when no name begins with it, else the most tokens a name
    #: beginning with it spans and, when that is one, what the token itself names.
    _starts_of: WordMemo[tuple[int, S | None] | None]
    _blocks: Blocks
    _block_limits: BlockLimits

    def longest_match(self, words: Sequence[str], start: int) -> tuple[int, V] | None:
        """Return (token count, what it names) of the longest name starting at words[start].

        None when nothing starts there, or when the position lies inside a blocked
        phrase ("American" in "Latin American", "Paris" in "Paris Agreement"). A
        token such as "U.S.-led" or "Moscow-based", if spaCy keeps it whole, matches
        on its part before the dash.
        """
        if not 0 <= start < len(words):
            return None
        known = self._starts_of[words[start]]
        if known is None:
            return None
        limit, single = known
        if limit <= 1:
            # nothing longer begins here: the word's own entry, worked out once
            if single is None or self._blocked_at(words, start, 1):
                return None
            return 1, self._value(single)
        found = self._longest(words, start, min(limit, len(words) - start))
        if found is not None:
            return None if self._blocked_at(words, start, found[0]) else found
        head = self._dash_head(words[start])
        if head is not None and not self._blocked_at(words, start, 1):
            return 1, self._value(head)
        return None

    def may_begin(self, word: str) -> bool:
        """Return False when no name can begin with this token (a cheap test, cached)."""
        return self._starts_of[word] is not None

    def beginnings(self, words: Sequence[str], positions: Iterable[int]) -> list[int]:
        """Return those of the positions at which some name may begin (see may_begin)."""
        starts = self._starts_of
        return [i for i in positions if starts[words[i]] is not None]

    def _dash_head(self, word: str) -> S | None:
        """Return what the part of a token before a dash names ("U.S." in "U.S.-led")."""
        head = DASHES.split(word, maxsplit=1)[0]
        return self._single(head) if head and head != word else None

    def _blocked_at(self, words: Sequence[str], start: int, length: int) -> bool:
        """Return True if a blocked phrase covers words[start] and is not shorter than the match."""
        return self._blocks.covers(words, start, length, self._block_limits, self._span_key)

    # -- what each table says ---------------------------------------------------------
    def _longest(self, words: Sequence[str], start: int, most: int) -> tuple[int, V] | None:
        """Return (token count, value) of the longest name of at most `most` tokens from
        words[start], or None."""
        raise NotImplementedError

    def _single(self, word: str) -> S | None:
        """Return what one token names, or None."""
        raise NotImplementedError

    def _value(self, kept: S) -> V:
        """Return what a match returns for what the table keeps."""
        raise NotImplementedError

    def _span_key(self, words: Sequence[str]) -> str:
        """Return the key blocked phrases are looked up by."""
        raise NotImplementedError


def csv_rows(
    text: str, name: str, check_header: Callable[[list[str]], None], quote: str = "field"
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a dictionary's CSV text, values stripped.

    Blank lines and lines starting with '#' are skipped; `check_header` raises
    LexiconError for a header it refuses; a row of the wrong length or text that
    is no CSV is a LexiconError naming the file (and line).
    """
    numbered = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return
    reader = csv.reader(line for _, line in numbered)
    try:
        header = [h.strip() for h in next(reader)]
        check_header(header)
        for row in reader:
            number = numbered[reader.line_num - 1][0]
            if len(row) != len(header):
                raise LexiconError(
                    f"{name}, line {number}: expected {len(header)} fields, found {len(row)}"
                    f" (quote a {quote} that contains a comma)"
                )
            yield number, {h: v.strip() for h, v in zip(header, row, strict=True)}
    except csv.Error as exc:
        raise LexiconError(f"{name}: not valid CSV: {exc}") from None


def read_user_file(path: Path, what: str) -> str:
    """Return the text of a user's dictionary or lexicon file; LexiconError naming `what`
    if it cannot be read or is not UTF-8."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"cannot read {what} {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{what} {path} is not UTF-8 text") from None


def file_stamps(
    paths: Iterable[Path], what: str, suffixes: Sequence[str] = ()
) -> tuple[tuple[str, int], ...]:
    """Return (resolved path, modification time) of each user file, to key a cache.

    Raises LexiconError naming `what` when a file cannot be read or has the wrong
    suffix.
    """
    stamps = []
    for path in map(Path, paths):
        if suffixes and path.suffix.lower() not in suffixes:
            raise LexiconError(f"{what} {path} must be a {' or '.join(suffixes)} file")
        try:
            stamps.append((str(path.resolve()), path.stat().st_mtime_ns))
        except OSError as exc:
            raise LexiconError(f"cannot read {what} {path}: {exc.strerror}") from None
    return tuple(stamps)
