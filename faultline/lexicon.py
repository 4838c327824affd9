"""Reading faultline's YAML knowledge files, and their mistakes as FILE:LINE: message.

The event lexicon (data/lexicon/grammar.yaml, verbs.yaml, nouns.yaml), the
dependency lexicon (dependencies.yaml) and the ontology (data/ontology/
plover.yaml) are read here: every mapping keeps the line it starts on (under
the key "__line__") and the line of each of its keys (`key_line`), so that a
checker can point at the exact line of an unknown key or a malformed value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from faultline.errors import LexiconError

#: Keys the loader adds to every mapping.
META_KEYS = frozenset({"__line__"})


@dataclass(frozen=True)
class Problem:
    """A line-precise mistake in a knowledge file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the line of each of its keys."""

    lines: dict[str, int]


#: libyaml's parser when PyYAML has it (several times faster), else PyYAML's own.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A YAML loader that records the line of every mapping and of every key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict((str(k), v) for k, v in loader.construct_mapping(node, deep=True).items())
    mapping["__line__"] = node.start_mark.line + 1
    mapping.lines = {str(loader.construct_object(key)): key.start_mark.line + 1
                     for key, _ in node.value}
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
# YAML 1.1 reads on/off/yes/no as booleans; in a lexicon they are words
# ("call on", "cut off"), so only true and false are booleans here.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def read_yaml(text: str, name: str) -> Any:
    """Return the YAML document of a file named `name`; LexiconError "NAME:LINE: ..." if
    it is not valid YAML."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(f"{name}:{line}: not valid YAML: {problem}") from None


def yaml_problem(exc: LexiconError, name: str) -> Problem:
    """Return the Problem a read_yaml error of file `name` states."""
    where, _, message = str(exc).removeprefix(f"{name}:").partition(":")
    return Problem(name, int(where) if where.isdigit() else 0, message.strip())


def key_line(mapping: Any, key: str) -> int:
    """Return the line of a key of a mapping read by read_yaml (else the mapping's line)."""
    lines = getattr(mapping, "lines", None)
    if lines is not None and key in lines:
        return int(lines[key])
    return int(mapping.get("__line__", 0)) if isinstance(mapping, dict) else 0


def keys(mapping: dict[str, Any]) -> list[str]:
    """Return the keys a file wrote in a mapping (not those the loader adds)."""
    return [k for k in mapping if k not in META_KEYS]


def words(value: Any) -> list[str]:
    """Return a word or a list of words, lower-cased; ValueError for anything else."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip().lower()]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v).strip().lower() for v in value]
    raise ValueError(f"expected a word or a list of words, got {value!r}")


def numbers(value: Any, what: str) -> dict[str, int]:
    """Return a mapping of words to whole numbers of 1 or more; ValueError otherwise."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must map words to whole numbers, got {value!r}")
    out: dict[str, int] = {}
    for word in keys(value):
        number = value[word]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ValueError(f"{what}: {word!r} must be a whole number of 1 or more")
        out[str(word).lower()] = number
    return out


def unknown_keys(mapping: dict[str, Any], known: Iterable[str]) -> list[str]:
    """Return the keys of a mapping that are not among `known`, in file order."""
    wanted = set(known)
    return [k for k in keys(mapping) if k not in wanted]


def read_mapping(text: str, name: str, problems: list[Problem], what: str) -> dict[str, Any] | None:
    """Return the top-level mapping of a knowledge file; None for an empty file, or with
    its mistake (not YAML, not a mapping: "`what` must be a mapping at the top") added
    to problems."""
    try:
        data = read_yaml(text, name)
    except LexiconError as exc:
        problems.append(yaml_problem(exc, name))
        return None
    if data is not None and not isinstance(data, dict):
        problems.append(Problem(name, 1, f"{what} must be a mapping at the top"))
        return None
    return data


def merge_words(
    data: dict[str, Any], name: str, lists: dict[str, list[str]], problems: list[Problem],
    allowed: Mapping[str, frozenset[str]] | None = None,
) -> None:
    """Add the word lists a file gives under the keys of `lists` to them, in order and
    without repeats; a list that is malformed, or holds a word its key does not
    allow (`allowed`), is a problem at the line of its key."""
    for key, merged in lists.items():
        if key not in data:
            continue
        try:
            found = words(data[key])
        except ValueError as exc:
            problems.append(Problem(name, key_line(data, key), f"{key}: {exc}"))
            continue
        known = (allowed or {}).get(key)
        if known is not None and not set(found) <= known:
            problems.append(Problem(name, key_line(data, key), f"{key}: "
                                    f"{', '.join(sorted(set(found) - known))} is not one of "
                                    f"{', '.join(sorted(known))}"))
            continue
        merged.extend(w for w in found if w not in merged)
