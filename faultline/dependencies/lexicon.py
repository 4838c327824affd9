"""The dependency lexicon: which words state dependence or leverage, and on what.

The bundled file is faultline/data/lexicon/dependencies.yaml (its header
documents the format); users add their own with the `dependency_lexicons`
setting. Every pattern remembers the file and line it came from, so each
stored statement can say which rule made it and a mistake is reported as
FILE:LINE: message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from faultline.errors import LexiconError
from faultline.extract.clauses import MOODS
from faultline.lexicon import (
    Problem,
    key_line,
    keys,
    merge_words,
    numbers,
    read_mapping,
    unknown_keys,
    words,
)
from faultline.resolve.phrases import read_user_file

BUNDLED = "dependencies.yaml"
#: Places in a sentence where a party can be, besides any preposition.
PLACES = frozenset({"subject", "object", "dative", "owner"})
WORD_CLASSES = ("verb", "noun", "adjective")
ENTRY_KEYS = frozenset({
    *WORD_CLASSES, "kind", "supplier", "dependent", "good", "needs_good", "with_prep",
    "object", "modifier", "note",
})
LIST_KEYS = ("percent", "qualifiers", "partitives", "anaphors", "states", "unreal_moods")
TOP_KEYS = frozenset({"version", "goods", "entries", "fractions", "numerators", *LIST_KEYS})
#: Top-level keys only a dependency lexicon has: how `lexicon check` tells the two apart.
#: Keys only a dependency lexicon has ("unreal_moods" is in the event grammar too).
OWN_KEYS = frozenset({"goods", "fractions", "numerators", "percent", "qualifiers",
                      "anaphors", "states"})


@dataclass(frozen=True)
class Good:
    """Something one side gets from another: gas (energy), wheat (food), arms (security)."""

    name: str
    sector: str


@dataclass(frozen=True)
class Pattern:
    """One word that states a dependence, and where its two parties are."""

    rule: str
    word: str
    #: "verb", "noun" or "adjective".
    word_class: str
    kind: str
    supplier: tuple[str, ...]
    dependent: tuple[str, ...]
    good: Good | None = None
    needs_good: bool = True
    with_prep: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DependencyLexicon:
    """Every dependency pattern indexed by word class and lemma, with the word lists."""

    patterns: dict[tuple[str, str], tuple[Pattern, ...]]
    #: Word (lemma) -> the good it names.
    goods: dict[str, Good]
    #: The words of `goods`, as a set (a sentence without one names no good).
    good_words: frozenset[str]
    percent: frozenset[str]
    fractions: dict[str, int]
    numerators: dict[str, int]
    qualifiers: frozenset[str]
    partitives: frozenset[str]
    anaphors: frozenset[str]
    states: frozenset[str]
    #: Moods in which a statement is no report of how things are.
    unreal_moods: frozenset[str]
    #: Every lemma that can state a dependence: a sentence without one is skipped.
    triggers: frozenset[str]
    version: str

    def find(self, word_class: str, lemma: str) -> tuple[Pattern, ...]:
        """Return the patterns of a word, most recently added first."""
        return self.patterns.get((word_class, lemma), ())


@dataclass
class LexiconParts:
    """What the files say, merged in reading order."""

    goods: dict[str, Good]
    good_words: dict[str, Good]
    lists: dict[str, list[str]]
    fractions: dict[str, int]
    numerators: dict[str, int]
    patterns: list[Pattern]


def _read_goods(
    data: Any, name: str, line: int, parts: LexiconParts, problems: list[Problem]
) -> None:
    if not isinstance(data, dict):
        problems.append(Problem(name, line, "goods must map each good to {sector, words}"))
        return
    for good in keys(data):
        spec = data[good]
        where = key_line(data, good)
        if not isinstance(spec, dict) or not isinstance(spec.get("sector"), str):
            problems.append(Problem(name, where, f"good {good!r} needs a sector and words"))
            continue
        unknown = unknown_keys(spec, ("sector", "words"))
        if unknown:
            problems.append(Problem(name, key_line(spec, unknown[0]), f"good {good!r}: unknown "
                                    f"key(s) {', '.join(sorted(unknown))}; known: sector, words"))
            continue
        try:
            named = words(spec.get("words"))
        except ValueError as exc:
            problems.append(Problem(name, key_line(spec, "words"), f"good {good!r}: {exc}"))
            continue
        item = Good(str(good).lower(), str(spec["sector"]).lower())
        parts.goods[item.name] = item
        for word in [item.name, *named]:
            parts.good_words[word] = item


def _read_entry(
    raw: Any, name: str, parts: LexiconParts, problems: list[Problem]
) -> list[Pattern]:
    line = raw.get("__line__", 0) if isinstance(raw, dict) else 0
    if not isinstance(raw, dict):
        problems.append(Problem(name, line, f"an entry must be a mapping, not {raw!r}"))
        return []
    unknown = unknown_keys(raw, ENTRY_KEYS)
    if unknown:
        problems.append(Problem(name, line, f"unknown key(s) {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(sorted(ENTRY_KEYS))}"))
        return []
    classes = [c for c in WORD_CLASSES if raw.get(c) is not None]
    if len(classes) != 1:
        problems.append(Problem(name, line, "an entry needs exactly one of 'verb', 'noun' or "
                                "'adjective'"))
        return []
    if not isinstance(raw.get("kind"), str) or not raw["kind"].strip():
        problems.append(Problem(name, line, "an entry needs a kind (supply, reliance, "
                                "control, ...)"))
        return []
    try:
        found = words(raw[classes[0]])
        supplier = tuple(words(raw.get("supplier")))
        dependent = tuple(words(raw.get("dependent")))
        with_prep = frozenset(words(raw.get("with_prep")))
        objects = frozenset(words(raw.get("object")))
        modifiers = frozenset(words(raw.get("modifier")))
    except ValueError as exc:
        problems.append(Problem(name, line, str(exc)))
        return []
    for side, places in (("supplier", supplier), ("dependent", dependent)):
        if not places:
            problems.append(Problem(name, line, f"an entry needs a {side}: a list of places "
                                    f"({', '.join(sorted(PLACES))} or a preposition)"))
            return []
        bad = [p for p in places if p not in PLACES and not p.isalpha()]
        if bad:
            problems.append(Problem(name, line, f"{side}: {', '.join(bad)} is no place; use "
                                    f"{', '.join(sorted(PLACES))} or a preposition"))
            return []
    good = None
    if raw.get("good") is not None:
        good = parts.goods.get(str(raw["good"]).lower())
        if good is None:
            problems.append(Problem(name, line, f"good {raw['good']!r} is not defined; known: "
                                    f"{', '.join(sorted(parts.goods))}"))
            return []
    needs_good = raw.get("needs_good", True)
    if not isinstance(needs_good, bool):
        problems.append(Problem(name, line, "needs_good must be true or false"))
        return []
    return [
        Pattern(rule=f"{name}:{line}:{word}", word=word, word_class=classes[0],
                kind=str(raw["kind"]).strip().lower(), supplier=supplier, dependent=dependent,
                good=good, needs_good=needs_good and good is None, with_prep=with_prep,
                objects=objects, modifiers=modifiers)
        for word in found
    ]


def check_dependency_texts(
    texts: Sequence[tuple[str, str]],
) -> tuple[LexiconParts, list[Problem]]:
    """Parse dependency lexicon files in order; return what they say and the problems found."""
    parts = LexiconParts({}, {}, {k: [] for k in LIST_KEYS}, {}, {}, [])
    problems: list[Problem] = []
    for name, text in texts:
        data = read_mapping(text, name, problems, "a dependency lexicon")
        if data is None:
            continue
        for key in unknown_keys(data, TOP_KEYS):
            problems.append(Problem(name, key_line(data, key), f"unknown top-level key "
                                    f"{key!r}; known: {', '.join(sorted(TOP_KEYS))}"))
        if "goods" in data:
            _read_goods(data["goods"], name, key_line(data, "goods"), parts, problems)
        merge_words(data, name, parts.lists, problems, {"unreal_moods": MOODS})
        for key, target in (("fractions", parts.fractions), ("numerators", parts.numerators)):
            if key in data:
                try:
                    target.update(numbers(data[key], key))
                except ValueError as exc:
                    problems.append(Problem(name, key_line(data, key), str(exc)))
        entries = data.get("entries") or []
        if not isinstance(entries, list):
            problems.append(Problem(name, key_line(data, "entries"), "entries must be a list"))
            continue
        for raw in entries:
            parts.patterns.extend(_read_entry(raw, name, parts, problems))
    return parts, problems


def build_dependency_lexicon(texts: Sequence[tuple[str, str]]) -> DependencyLexicon:
    """Return a DependencyLexicon from (name, YAML text) pairs; raise LexiconError on problems."""
    parts, problems = check_dependency_texts(texts)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise LexiconError(f"dependency lexicon has errors: {shown}{more}")
    patterns: dict[tuple[str, str], list[Pattern]] = {}
    for pattern in reversed(parts.patterns):  # later files first: they win
        patterns.setdefault((pattern.word_class, pattern.word), []).append(pattern)
    lists = parts.lists
    digest = hashlib.sha256("\0".join(t for _, t in texts).encode()).hexdigest()[:8]
    return DependencyLexicon(
        patterns={k: tuple(v) for k, v in patterns.items()},
        goods=dict(parts.good_words),
        good_words=frozenset(parts.good_words),
        percent=frozenset(lists["percent"]),
        fractions=dict(parts.fractions),
        numerators=dict(parts.numerators),
        qualifiers=frozenset(lists["qualifiers"]),
        partitives=frozenset(lists["partitives"]) | frozenset(lists["percent"])
        | frozenset(parts.fractions),
        anaphors=frozenset(lists["anaphors"]),
        states=frozenset(lists["states"]),
        unreal_moods=frozenset(lists["unreal_moods"]),
        triggers=frozenset(word for _, word in patterns),
        version=f"deplex-{digest}",
    )


def is_dependency_lexicon(data: Any) -> bool:
    """Return True when parsed YAML looks like a dependency lexicon, not an event one."""
    if not isinstance(data, dict):
        return False
    if OWN_KEYS & set(data):
        return True
    entries = data.get("entries")
    return isinstance(entries, list) and any(
        isinstance(e, dict) and ("kind" in e or "adjective" in e) for e in entries
    )


def read_dependency_texts(extra: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """Return the bundled dependency lexicon text followed by the user's files."""
    root = resources.files("faultline.data") / "lexicon"
    return [(BUNDLED, (root / BUNDLED).read_text(encoding="utf-8"))] + [
        (str(p), read_user_file(p, "dependency lexicon")) for p in extra
    ]


@lru_cache(maxsize=8)
def load_dependency_lexicon(extra: tuple[Path, ...] = ()) -> DependencyLexicon:
    """Return the bundled dependency lexicon extended by the given user files (cached)."""
    return build_dependency_lexicon(read_dependency_texts(extra))
