"""PLOVER types, modes and contexts with CAMEO root, quad class and intensity."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from faultline.errors import LexiconError

_WORDS = re.compile(r"[\w'-]+")


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

    def contexts_of(self, text: str) -> tuple[str, ...]:
        """Return the contexts a sentence's words signal, in the ontology's order."""
        cues = self.context_words
        lowered = text.lower()
        found: set[str] = set()
        # words from the text, not token lemmas: a set lookup in C is cheaper
        for word in set(_WORDS.findall(lowered)):
            signalled = cues.get(word)
            if signalled is not None:
                found.update(signalled)
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


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Return the bundled PLOVER ontology."""
    text = (resources.files("faultline.data") / "ontology" / "plover.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(text)
        types = {}
        for name, spec in data["types"].items():
            modes = {
                str(m): ((v or {}).get("cameo"), (v or {}).get("intensity"))
                for m, v in (spec.get("modes") or {}).items()
            }
            types[name] = EventType(
                name=name,
                quad_class=int(spec["quad_class"]),
                cameo=str(spec["cameo"]),
                intensity=float(spec["intensity"]),
                modes=modes,
            )
        cues = yaml.safe_load(
            (resources.files("faultline.data") / "ontology" / "contexts.yaml").read_text("utf-8")
        )["contexts"]
        unknown = set(cues) - set(data["contexts"])
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
        return Ontology(
            types=types,
            contexts=frozenset(data["contexts"]),
            complement_modes={k: dict(v) for k, v in data["complement_modes"].items()},
            context_words={k: tuple(v) for k, v in words.items()},
            context_phrases=pattern,
            context_of_phrase=phrases,
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise LexiconError(f"bundled ontology plover.yaml is malformed: {exc}") from None
