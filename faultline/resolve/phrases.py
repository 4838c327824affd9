"""Helpers shared by the name dictionaries: blocked phrases and user-file stamps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

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

T = TypeVar("T")


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
