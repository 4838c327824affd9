"""The event lexicon: YAML files mapping verbs, nouns and phrases to PLOVER types.

Bundled files live in faultline/data/lexicon/; users add their own with the
`lexicons` setting (later files win for the same key). Every entry remembers
the file and line it came from, so each event can say which rule made it and
`faultline lexicon check` can point at the exact line of a mistake.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from faultline.coder.ontology import Ontology, load_ontology
from faultline.errors import LexiconError
from faultline.extract import Grammar

BUNDLED = ("grammar.yaml", "verbs.yaml", "nouns.yaml")

ENTRY_KEYS = {
    "verb", "noun", "particle", "object", "prep", "with_prep", "event", "mode",
    "context", "reverse", "transitive", "of_role", "alone", "note",
}


@dataclass(frozen=True)
class Entry:
    """One lexicon rule: a verb (optionally with particle and object) or a noun."""

    rule: str
    event: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    verb: str | None = None
    noun: str | None = None
    particle: str | None = None
    objects: frozenset[str] = frozenset()
    #: Prepositions whose object is the target, in order of preference.
    preps: tuple[str, ...] = ()
    #: The entry applies only when the verb has one of these prepositions.
    with_prep: frozenset[str] = frozenset()
    #: True: only with an object or complement; False: only without an object.
    transitive: bool | None = None
    #: For nouns: whether "X" in "<noun> of X" is the "source" or the "target".
    of_role: str | None = None
    #: For nouns: False when the noun codes only as the object of a light verb.
    alone: bool = True
    #: Source and target swap roles ("received aid from X": X is the source).
    reverse: bool = False

    @property
    def specificity(self) -> int:
        return (
            (2 if self.objects else 0)
            + (1 if self.particle else 0)
            + (1 if self.with_prep else 0)
            + (1 if self.transitive is not None else 0)
        )


@dataclass(frozen=True)
class Problem:
    """A line-precise lexicon error."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Lexicon:
    """All lexicon rules indexed for the coder, plus the grammar word lists."""

    grammar: Grammar
    verbs: dict[str, tuple[Entry, ...]]
    nouns: dict[str, Entry]
    light_verbs: frozenset[str]
    commissive: frozenset[str]
    target_verbs: frozenset[str]
    #: The entry used for "X said Y must ...", a demand of X on Y.
    obligation: Entry
    #: The entries used for judgements: "called the arrests illegal" / "... constructive".
    disapproval: Entry
    approval: Entry
    #: The entry used when violence is stopped: "stopped firing", "halted strikes".
    ceasefire: Entry
    #: The entry used when the troops deployed are peacekeepers (CAMEO 074).
    peacekeeping: Entry
    response_verbs: frozenset[str]
    describing: frozenset[str]
    #: "described X as unjustified" and its words of judgement.
    judging: frozenset[str]
    negative_judgements: frozenset[str]
    positive_judgements: frozenset[str]
    ownership: frozenset[str]
    occurrence: frozenset[str]
    cessation: frozenset[str]
    hypothetical_nouns: frozenset[str]
    hypothetical_determiners: frozenset[str]
    hypothetical_adjectives: frozenset[str]
    #: "violated the ceasefire": verbs whose object event did not take place.
    breaching: frozenset[str]
    #: "told X to withdraw": verbs that, with an object and an infinitive, ask it.
    directive: frozenset[str]
    #: The entry used for those: a REQUEST whose mode comes from the act asked.
    request: Entry
    #: Verbs whose simple present describes a standing relation, not an event.
    standing: frozenset[str]
    #: Last words of the noun entries, to skip nouns that cannot match quickly.
    noun_heads: frozenset[str]
    #: Every lemma that can start an event; a sentence without one is skipped.
    triggers: frozenset[str]
    #: Every single word the lexicon names, to repair the lemmatiser's slips.
    words: frozenset[str]
    partitives: frozenset[str]
    #: Nouns naming documents ("the Rome Statute"): a city before them is no actor.
    documents: frozenset[str]
    target_preps: tuple[str, ...]
    ontology: Ontology
    version: str
    sources: tuple[str, ...] = field(default_factory=tuple)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping as "__line__"."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
# YAML 1.1 reads on/off/yes/no as booleans; in a lexicon they are words
# ("call on", "cut off"), so only true and false are booleans here.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def _read_yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(f"{name}:{line}: not valid YAML: {problem}") from None


def _words(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip().lower()]
    if isinstance(value, list):
        return [str(v).strip().lower() for v in value]
    raise ValueError(f"expected a word or a list of words, got {value!r}")


def _entries(
    data: dict[str, Any], name: str, ontology: Ontology, problems: list[Problem]
) -> list[Entry]:
    out: list[Entry] = []
    for raw in data.get("entries") or []:
        line = raw.get("__line__", 0) if isinstance(raw, dict) else 0
        if not isinstance(raw, dict):
            problems.append(Problem(name, line, f"an entry must be a mapping, not {raw!r}"))
            continue
        unknown = set(raw) - ENTRY_KEYS - {"__line__"}
        if unknown:
            problems.append(
                Problem(name, line, f"unknown key(s) {', '.join(sorted(unknown))}; "
                        f"known: {', '.join(sorted(ENTRY_KEYS))}")
            )
            continue
        event = str(raw.get("event", "")).upper()
        if event not in ontology.types:
            problems.append(
                Problem(name, line, f"event {raw.get('event')!r} is not a known type; "
                        f"known: {', '.join(sorted(ontology.types))}")
            )
            continue
        mode = raw.get("mode")
        if mode is not None and str(mode) not in ontology.types[event].modes:
            problems.append(
                Problem(name, line, f"mode {mode!r} is not a mode of {event}; known: "
                        f"{', '.join(ontology.types[event].modes) or 'none'}")
            )
            continue
        try:
            verbs = _words(raw.get("verb"))
            nouns = _words(raw.get("noun"))
            objects = frozenset(_words(raw.get("object")))
            preps = tuple(_words(raw.get("prep")))
            with_prep = frozenset(_words(raw.get("with_prep")))
            context = tuple(_words(raw.get("context")))
        except ValueError as exc:
            problems.append(Problem(name, line, str(exc)))
            continue
        bad_context = [c for c in context if c not in ontology.contexts]
        if bad_context:
            problems.append(Problem(name, line, f"unknown context(s) {', '.join(bad_context)}"))
            continue
        if raw.get("of_role") not in (None, "source", "target"):
            problems.append(Problem(name, line, "of_role must be 'source' or 'target'"))
            continue
        if bool(verbs) == bool(nouns):
            problems.append(Problem(name, line, "an entry needs exactly one of 'verb' or 'noun'"))
            continue
        base = Entry(
            rule=f"{name}:{line}",
            event=event,
            mode=str(mode) if mode is not None else None,
            context=context,
            objects=objects,
            preps=preps,
            with_prep=with_prep,
            transitive=(bool(raw["transitive"]) if "transitive" in raw else None),
            of_role=(str(raw["of_role"]) if raw.get("of_role") else None),
            reverse=bool(raw.get("reverse", False)),
            alone=bool(raw.get("alone", True)),
        )
        # a particle list may hold null: "with or without a particle"
        raw_particles = raw.get("particle")
        if not isinstance(raw_particles, list):
            raw_particles = [raw_particles]
        particles: list[str | None] = [
            None if p is None else str(p).strip().lower() for p in raw_particles
        ]
        for word in verbs:
            for particle in particles:
                out.append(replace(base, rule=f"{base.rule}:{word}", verb=word,
                                   particle=particle))
        for word in nouns:
            out.append(replace(base, rule=f"{base.rule}:{word}", noun=word))
    return out


GRAMMAR_KEYS = (
    "speech", "aspect", "negating", "hypothetical_modals", "conditional_marks",
    "commit_adjectives", "light_verbs", "partitives", "target_preps", "commissive",
    "intention", "future_auxiliaries", "hypothetical_verbs", "target_verbs",
    "response_verbs", "describing", "judging", "negative_judgements",
    "positive_judgements", "ownership", "occurrence", "cessation", "hypothetical_nouns",
    "standing", "hypothetical_determiners", "directive", "hypothetical_adjectives",
    "breaching", "documents",
)


def _bundled_texts() -> list[tuple[str, str]]:
    root = resources.files("faultline.data") / "lexicon"
    return [(name, (root / name).read_text(encoding="utf-8")) for name in BUNDLED]


def check_texts(
    texts: Sequence[tuple[str, str]], ontology: Ontology | None = None
) -> tuple[list[Entry], dict[str, list[str]], list[Problem]]:
    """Parse lexicon files; return (entries, grammar lists, problems found)."""
    onto = ontology or load_ontology()
    entries: list[Entry] = []
    lists: dict[str, list[str]] = {k: [] for k in GRAMMAR_KEYS}
    problems: list[Problem] = []
    for name, text in texts:
        try:
            data = _read_yaml(text, name)
        except LexiconError as exc:
            path, line, message = str(exc).split(":", 2)
            problems.append(Problem(path, int(line or 0), message.strip()))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Problem(name, 1, "a lexicon file must be a mapping at the top"))
            continue
        for key in data:
            if key not in GRAMMAR_KEYS and key not in {"entries", "version", "__line__"}:
                problems.append(
                    Problem(name, data["__line__"], f"unknown top-level key {key!r}")
                )
        for key in GRAMMAR_KEYS:
            if key in data:
                try:
                    words = _words(data[key])
                    lists[key].extend(w for w in words if w not in lists[key])
                except ValueError as exc:
                    problems.append(Problem(name, data["__line__"], f"{key}: {exc}"))
        entries.extend(_entries(data, name, onto, problems))
    return entries, lists, problems


def build_lexicon(texts: Sequence[tuple[str, str]]) -> Lexicon:
    """Return a Lexicon from (name, YAML text) pairs; raise LexiconError on problems."""
    ontology = load_ontology()
    entries, lists, problems = check_texts(texts, ontology)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise LexiconError(f"lexicon has errors: {shown}{more}")
    verbs: dict[str, list[Entry]] = {}
    nouns: dict[str, Entry] = {}
    for entry in entries:
        if entry.verb:
            verbs.setdefault(entry.verb, []).append(entry)
        elif entry.noun:
            nouns[entry.noun] = entry  # later files override earlier ones
    ordered = {
        # most specific first; among equals, the latest file wins
        k: tuple(sorted(reversed(v), key=lambda e: -e.specificity)) for k, v in verbs.items()
    }
    grammar = Grammar(
        speech=frozenset(lists["speech"]),
        aspect=frozenset(lists["aspect"]),
        negating=frozenset(lists["negating"]),
        hypothetical_modals=frozenset(lists["hypothetical_modals"]),
        conditional_marks=frozenset(lists["conditional_marks"]),
        commit_adjectives=frozenset(lists["commit_adjectives"]),
        intention=frozenset(lists["intention"]),
        future_auxiliaries=frozenset(lists["future_auxiliaries"]),
        hypothetical_verbs=frozenset(lists["hypothetical_verbs"]),
    )
    digest = hashlib.sha256("\0".join(t for _, t in texts).encode()).hexdigest()[:8]
    noun_heads = frozenset(key.split(" of ")[0].split()[-1] for key in nouns)
    triggers = (
        frozenset(ordered) | noun_heads | frozenset(lists["judging"])
        | frozenset(lists["cessation"]) | frozenset(lists["commit_adjectives"])
        | frozenset(lists["directive"])
    )
    return Lexicon(
        grammar=grammar,
        verbs=ordered,
        nouns=nouns,
        light_verbs=frozenset(lists["light_verbs"]),
        commissive=frozenset(lists["commissive"]),
        target_verbs=frozenset(lists["target_verbs"]),
        obligation=Entry(rule="grammar:obligation", event="REQUEST"),
        disapproval=Entry(rule="grammar:judgement", event="ACCUSE", mode="disapprove"),
        approval=Entry(rule="grammar:judgement", event="SUPPORT"),
        ceasefire=Entry(rule="grammar:cessation", event="RETREAT", mode="ceasefire"),
        peacekeeping=Entry(rule="grammar:peacekeeping", event="AID", context=("peacekeeping",)),
        response_verbs=frozenset(lists["response_verbs"]),
        describing=frozenset(lists["describing"]),
        judging=frozenset(lists["judging"]),
        negative_judgements=frozenset(lists["negative_judgements"]),
        positive_judgements=frozenset(lists["positive_judgements"]),
        ownership=frozenset(lists["ownership"]),
        occurrence=frozenset(lists["occurrence"]),
        cessation=frozenset(lists["cessation"]),
        hypothetical_nouns=frozenset(lists["hypothetical_nouns"]),
        hypothetical_determiners=frozenset(lists["hypothetical_determiners"]),
        hypothetical_adjectives=frozenset(lists["hypothetical_adjectives"]),
        breaching=frozenset(lists["breaching"]),
        directive=frozenset(lists["directive"]),
        request=Entry(rule="grammar:directive", event="REQUEST"),
        standing=frozenset(lists["standing"]),
        noun_heads=noun_heads,
        triggers=triggers,
        words=triggers | frozenset(w for key in GRAMMAR_KEYS for w in lists[key]),
        partitives=frozenset(lists["partitives"]),
        documents=frozenset(lists["documents"]),
        # the order in the file is the order of preference
        target_preps=tuple(lists["target_preps"]),
        ontology=ontology,
        version=f"lexicon-{digest}",
        sources=tuple(name for name, _ in texts),
    )



def read_texts(extra: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """Return the bundled lexicon texts followed by the user's files."""
    from faultline.resolve.phrases import read_user_file

    return _bundled_texts() + [(str(p), read_user_file(p, "lexicon file")) for p in extra]


@lru_cache(maxsize=8)
def load_lexicon(extra: tuple[Path, ...] = ()) -> Lexicon:
    """Return the bundled lexicon extended by the given user files (cached)."""
    return build_lexicon(read_texts(extra))
