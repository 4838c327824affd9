"""PLOVER types, modes and contexts with CAMEO root, quad class and intensity, and
the rules by which the coder applies them (data/ontology/plover.yaml).

`check_ontology` reads the file and reports every mistake as FILE:LINE: message
(`faultline lexicon check` runs it on a file with a `types` table);
`load_ontology` reads the bundled file once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from faultline.errors import LexiconError
from faultline.lexicon import (
    Problem,
    key_line,
    keys,
    read_yaml,
    unknown_keys,
    yaml_problem,
)

_WORDS = re.compile(r"[\w'-]+")
ONTOLOGY_FILE = "plover.yaml"
TOP_KEYS = ("version", "types", "complement_modes", "contexts", "coding", "generic_codes",
            "fighting_codes", "sectors")
CODING_KEYS = ("of_target", "from_target", "talk", "answers", "partnered", "crowds", "trips",
               "authority", "promise", "threat", "constructions")
#: The constructions the coder makes events of (plover.yaml coding: constructions).
CONSTRUCTIONS = ("obligation", "directive", "disapproval", "approval", "ceasefire",
                 "peacekeeping", "blame", "praise", "allegation",
                 "demonstration", "refusal", "complaint", "departure", "cordon")
SECTOR_KEYS = ("domestic", "foreign", "capital")
#: A PLOVER sector or actor code: three capital letters.
_CODE = re.compile(r"^[A-Z]{3}$")
#: How `authority` modes name an act of no mode.
NO_MODE = "none"


@dataclass(frozen=True)
class EventType:
    """One PLOVER type with its CAMEO-style figures and the modes it allows."""

    name: str
    quad_class: int
    cameo: str
    intensity: float
    modes: dict[str, tuple[str | None, float | None]]

    def figures(self, mode: str | None) -> tuple[str, int, float]:
        """Return (cameo root, quad class, intensity) for this type and mode."""
        cameo, intensity = self.modes.get(mode or "", (None, None))
        return cameo or self.cameo, self.quad_class, (
            intensity if intensity is not None else self.intensity
        )


@dataclass(frozen=True)
class Construction:
    """An event a construction states ("X said Y must ..."), and the rule it records."""

    event: str
    rule: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    #: The types of the act it is about (the attack a ceasefire ends).
    acts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Coding:
    """The rules by which the coder applies the ontology (plover.yaml `coding`)."""

    #: Types whose noun takes its target in an "of" phrase ("the arrest of X"), and
    #: in a "from" phrase ("the withdrawal from X").
    of_target: frozenset[str] = frozenset()
    from_target: frozenset[str] = frozenset()
    #: Types whose topic prepositions name the topic, not the other side.
    talk: frozenset[str] = frozenset()
    #: Types that, with no target of their own, answer the last act of another doer.
    answers: frozenset[str] = frozenset()
    #: Types done with a partner: with none named and a single doer, set aside.
    partnered: frozenset[str] = frozenset()
    #: Types a crowd does: named by a noun alone, their doer is the people of the scene.
    crowds: frozenset[str] = frozenset()
    #: Modes of a journey: to a place of the traveller's own country, no one is met.
    trips: frozenset[str] = frozenset()
    #: Type -> (sector of the authority that did it, sector by mode).
    authority: Mapping[str, tuple[str, Mapping[str, str]]] = field(default_factory=dict)
    #: The types of a promise and of a threat.
    promise: str = "AGREE"
    threat: str = "THREATEN"
    constructions: Mapping[str, Construction] = field(default_factory=dict)

    def authority_sector(self, event: str, mode: str | None) -> str | None:
        """Return the sector of the authority that did an act of this type and mode
        when nobody is named, or None when any actor may have done it."""
        found = self.authority.get(event)
        if found is None:
            return None
        sector, by_mode = found
        return by_mode.get(mode or NO_MODE, sector)


@dataclass(frozen=True)
class Ontology:
    """The PLOVER ontology as faultline uses it."""

    types: dict[str, EventType]
    contexts: frozenset[str]
    complement_modes: dict[str, dict[str, str]]
    #: Word -> the contexts it signals, its plural ("protests") included; phrases
    #: (several words) in one pattern.
    context_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    context_phrases: re.Pattern[str] | None = None
    context_of_phrase: dict[str, str] = field(default_factory=dict)
    coding: Coding = field(default_factory=Coding)
    #: Codes that name a kind of actor rather than one actor (IGO, NGO...).
    generic_codes: frozenset[str] = frozenset()
    #: Codes of armed groups that fight across borders, also coded by where they fight.
    fighting_codes: frozenset[str] = frozenset()
    #: Sectors of groups that act at home, and of those usually foreign where they act.
    domestic_sectors: frozenset[str] = frozenset()
    foreign_sectors: frozenset[str] = frozenset()
    #: The sector capitals and seats of power stand for.
    capital_sector: str = "GOV"

    def contexts_of(self, text: str) -> tuple[str, ...]:
        """Return the contexts a sentence's words signal, in the ontology's order."""
        cues = self.context_words
        lowered = text.lower()
        found: set[str] = set()
        # words from the text, not token lemmas: a set lookup in C is cheaper
        for word in filter(cues.__contains__, set(_WORDS.findall(lowered))):
            found.update(cues[word])
        if self.context_phrases is not None:
            # the pattern only finds phrases the text holds: most sentences hold none
            if any(phrase in lowered for phrase in self.context_of_phrase):
                found.update(self.context_of_phrase[m.group(0)]
                             for m in self.context_phrases.finditer(lowered))
        # in the ontology's order, which is alphabetical
        return tuple(sorted(found & self.contexts)) if found else ()

    @property
    def context_order(self) -> list[str]:
        return sorted(self.contexts)

    def is_cooperative(self, event: str) -> bool:
        """Return True for types in the two cooperation quads."""
        return self.types[event].quad_class in (1, 2)

    def is_verbal(self, event: str) -> bool:
        """Return True for types in the two verbal quads."""
        return self.types[event].quad_class in (1, 3)


class _Checker:
    """Reads plover.yaml, collecting its mistakes as Problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.types: dict[str, EventType] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def mapping(self, parent: dict[str, Any], key: str, known: tuple[str, ...] = ()
                ) -> dict[str, Any]:
        """Return parent[key] if it is a mapping (with only `known` keys, when given)."""
        value = parent.get(key)
        if not isinstance(value, dict):
            self.problem(key_line(parent, key), f"{key} must be a mapping")
            return {}
        for unknown in unknown_keys(value, known) if known else ():
            self.problem(key_line(value, unknown), f"unknown key {unknown!r} in {key}; "
                         f"known: {', '.join(known)}")
        return value

    def type_list(self, parent: dict[str, Any], key: str) -> frozenset[str]:
        """Return parent[key], a list of known type names."""
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key_line(parent, key), f"{key} must be a list of event types")
            return frozenset()
        for name in value:
            if name not in self.types:
                self.problem(key_line(parent, key), f"{key}: {name!r} is not a type; "
                             f"known: {', '.join(self.types)}")
        return frozenset(value)

    def mode_list(self, parent: dict[str, Any], key: str) -> frozenset[str]:
        """Return parent[key], a list of modes some type has."""
        value = parent.get(key, [])
        modes = {m for t in self.types.values() for m in t.modes}
        if not isinstance(value, list) or not all(isinstance(v, str) and v in modes
                                                  for v in value):
            self.problem(key_line(parent, key), f"{key} must be a list of modes; known: "
                         f"{', '.join(sorted(modes))}")
            return frozenset()
        return frozenset(value)

    def a_type(self, parent: dict[str, Any], key: str, value: Any) -> str:
        """Return value if it names a known type, else '' (and a problem)."""
        if not isinstance(value, str) or value not in self.types:
            self.problem(key_line(parent, key), f"{key}: {value!r} is not a type; "
                         f"known: {', '.join(self.types)}")
            return ""
        return value

    def codes(self, parent: dict[str, Any], key: str) -> frozenset[str]:
        """Return parent[key], a list of three-letter codes."""
        value = parent.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, str) and _CODE.match(v) for v in value
        ):
            self.problem(key_line(parent, key),
                         f"{key} must be a list of three-letter codes such as GOV")
            return frozenset()
        return frozenset(value)

    def a_mode(self, parent: dict[str, Any], key: str, event: str, mode: Any,
               label: str | None = None) -> bool:
        """Return True if mode is one of event's modes, else add a problem (about
        parent[key], called `label`)."""
        if event and str(mode) not in self.types[event].modes:
            self.problem(key_line(parent, key), f"{label or key}: {mode!r} is not a mode of "
                         f"{event}; known: {', '.join(self.types[event].modes) or 'none'}")
            return False
        return True

    # -- the sections --------------------------------------------------------------------
    def read_types(self, data: dict[str, Any]) -> None:
        for name in keys(self.mapping(data, "types")):
            spec = data["types"][name]
            line = key_line(data["types"], name)
            try:
                extra = unknown_keys(spec, ("quad_class", "cameo", "intensity", "modes"))
                if extra:
                    raise ValueError(f"unknown key(s) {', '.join(extra)}")
                quad = int(spec["quad_class"])
                if quad not in (1, 2, 3, 4):
                    raise ValueError("quad_class must be 1, 2, 3 or 4")
                modes = {
                    str(m): ((v or {}).get("cameo"), (v or {}).get("intensity"))
                    for m, v in (spec.get("modes") or {}).items() if m != "__line__"
                }
                self.types[name] = EventType(name=name, quad_class=quad,
                                             cameo=str(spec["cameo"]),
                                             intensity=float(spec["intensity"]), modes=modes)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self.problem(line, f"type {name}: {exc}; a type needs quad_class, cameo, "
                             "intensity and optionally modes")

    def read_complement_modes(self, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        table = self.mapping(data, "complement_modes")
        for governing in keys(table):
            event = self.a_type(table, governing, governing)
            inner = table[governing]
            if not isinstance(inner, dict):
                self.problem(key_line(table, governing), f"{governing}: map types to modes")
                continue
            out[governing] = {}
            for complement in keys(inner):
                self.a_type(inner, complement, complement)
                if self.a_mode(inner, complement, event, inner[complement]):
                    out[governing][complement] = str(inner[complement])
        return out

    def read_coding(self, data: dict[str, Any], contexts: frozenset[str]) -> Coding:
        coding = self.mapping(data, "coding", CODING_KEYS)
        authority: dict[str, tuple[str, Mapping[str, str]]] = {}
        table = self.mapping(coding, "authority") if "authority" in coding else {}
        for name in keys(table):
            event = self.a_type(table, name, name)
            spec = table[name]
            if not isinstance(spec, dict) or unknown_keys(spec, ("sector", "modes")) or not (
                isinstance(spec.get("sector"), str) and _CODE.match(spec["sector"])
            ):
                self.problem(key_line(table, name), f"authority {name}: give the sector "
                             "(a code such as GOV) and optionally modes: {mode: sector}")
                continue
            by_mode: dict[str, str] = {}
            for mode in keys(spec.get("modes") or {}):
                sector = spec["modes"][mode]
                if mode != NO_MODE:
                    self.a_mode(spec["modes"], mode, event, mode, f"authority {name}")
                if not (isinstance(sector, str) and _CODE.match(sector)):
                    self.problem(key_line(spec["modes"], mode), f"authority {name}: the "
                                 f"sector of mode {mode} must be a code such as COP")
                by_mode[str(mode)] = str(sector)
            authority[name] = (spec["sector"], by_mode)
        constructions: dict[str, Construction] = {}
        made = self.mapping(coding, "constructions")
        for name in CONSTRUCTIONS:
            if name not in made:
                self.problem(key_line(coding, "constructions"), f"construction {name} is missing")
        for name in keys(made):
            spec = made[name]
            line = key_line(made, name)
            if name not in CONSTRUCTIONS:
                self.problem(line, f"unknown construction {name!r}; known: "
                             f"{', '.join(CONSTRUCTIONS)}")
                continue
            if not isinstance(spec, dict) or unknown_keys(spec, ("event", "mode", "context",
                                                                 "acts", "rule")) \
                    or not isinstance(spec.get("rule"), str):
                self.problem(line, f"construction {name}: give event, rule and optionally "
                             "mode, context and acts")
                continue
            event = self.a_type(spec, "event", spec.get("event"))
            given = spec.get("mode")
            if given is not None:
                self.a_mode(spec, "mode", event, given)
            context = spec.get("context") or []
            if not isinstance(context, list) or any(c not in contexts for c in context):
                self.problem(key_line(spec, "context"), f"construction {name}: context must "
                             "list contexts of the ontology")
                context = []
            constructions[name] = Construction(event, spec["rule"],
                                               str(given) if given is not None else None,
                                               tuple(map(str, context)),
                                               self.type_list(spec, "acts"))
        return Coding(
            of_target=self.type_list(coding, "of_target"),
            from_target=self.type_list(coding, "from_target"),
            talk=self.type_list(coding, "talk"),
            answers=self.type_list(coding, "answers"),
            partnered=self.type_list(coding, "partnered"),
            crowds=self.type_list(coding, "crowds"),
            trips=self.mode_list(coding, "trips"),
            authority=authority,
            promise=self.a_type(coding, "promise", coding.get("promise")),
            threat=self.a_type(coding, "threat", coding.get("threat")),
            constructions=constructions,
        )


def check_ontology(text: str, name: str = ONTOLOGY_FILE) -> tuple[Ontology | None, list[Problem]]:
    """Read an ontology file; return it (None if unusable) and the mistakes found in it."""
    try:
        data = read_yaml(text, name)
    except LexiconError as exc:
        return None, [yaml_problem(exc, name)]
    check = _Checker(name)
    if not isinstance(data, dict):
        return None, [Problem(name, 1, "the ontology must be a mapping at the top")]
    for key in unknown_keys(data, TOP_KEYS):
        check.problem(key_line(data, key), f"unknown top-level key {key!r}; known: "
                      f"{', '.join(TOP_KEYS)}")
    check.read_types(data)
    complement_modes = check.read_complement_modes(data)
    contexts = data.get("contexts")
    if not isinstance(contexts, list) or not all(isinstance(c, str) for c in contexts):
        check.problem(key_line(data, "contexts"), "contexts must be a list of names")
        contexts = []
    context_set = frozenset(contexts)
    coding = check.read_coding(data, context_set)
    sectors = check.mapping(data, "sectors", SECTOR_KEYS)
    capital = sectors.get("capital", "GOV")
    if not (isinstance(capital, str) and _CODE.match(capital)):
        check.problem(key_line(sectors, "capital"), "capital must be a sector code such as GOV")
    ontology = Ontology(
        types=check.types,
        contexts=context_set,
        complement_modes=complement_modes,
        coding=coding,
        generic_codes=check.codes(data, "generic_codes"),
        fighting_codes=check.codes(data, "fighting_codes"),
        domestic_sectors=check.codes(sectors, "domestic"),
        foreign_sectors=check.codes(sectors, "foreign"),
        capital_sector=str(capital),
    )
    return (None if check.problems else ontology), check.problems


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Return the bundled PLOVER ontology, with its context words."""
    root = resources.files("faultline.data") / "ontology"
    ontology, problems = check_ontology((root / ONTOLOGY_FILE).read_text("utf-8"))
    if ontology is None:
        raise LexiconError("bundled ontology has errors: "
                           + "; ".join(str(p) for p in problems[:5]))
    try:
        cues = yaml.safe_load((root / "contexts.yaml").read_text("utf-8"))["contexts"]
    except (KeyError, TypeError, yaml.YAMLError) as exc:
        raise LexiconError(f"bundled contexts.yaml is malformed: {exc}") from None
    unknown = set(cues) - ontology.contexts
    if unknown:
        raise LexiconError(f"contexts.yaml names unknown contexts: {sorted(unknown)}")
    words: dict[str, list[str]] = {}
    phrases: dict[str, str] = {}
    for context, cue_words in cues.items():
        for cue in map(str, cue_words):
            if " " in cue:
                phrases.setdefault(cue, context)
            else:
                # with a crude plural: "protests" signals what "protest" does
                for form in (cue, f"{cue}s"):
                    words.setdefault(form, []).append(context)
    pattern = (re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(phrases, key=len,
                                                                     reverse=True)))
                          + r")\b") if phrases else None)
    return replace(
        ontology,
        context_words={k: tuple(v) for k, v in words.items()},
        context_phrases=pattern,
        context_of_phrase=phrases,
    )
