"""The event lexicon: YAML files mapping verbs, nouns and phrases to PLOVER types.

Bundled files live in faultline/data/lexicon/; users add their own with the
`lexicons` setting (later files win for the same key). Every entry remembers
the file and line it came from, so each event can say which rule made it and
`faultline lexicon check` can point at the exact line of a mistake.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from faultline.coder.ontology import Construction, Ontology, check_ontology, load_ontology
from faultline.errors import LexiconError
from faultline.extract import Grammar
from faultline.extract.clauses import MOODS
from faultline.lexicon import (
    Problem,
    key_line,
    merge_words,
    numbers,
    read_mapping,
    read_yaml,
    unknown_keys,
    words,
)
from faultline.resolve.actors import ResolverRules

#: The CLI's lexicon check reads files with it.
_read_yaml = read_yaml

BUNDLED = ("grammar.yaml", "verbs.yaml", "nouns.yaml")

#: The event of an entry that says a word in that use names no event ("released a
#: statement", "signed a decree"): it stops the coder from reading the word otherwise.
NO_EVENT = "NONE"

ENTRY_KEYS = {
    "verb", "noun", "particle", "object", "subject", "prep", "with_prep", "event", "mode",
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
    #: The entry applies only when the verb's subject is one of these nouns.
    subjects: frozenset[str] = frozenset()
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

    @cached_property
    def specificity(self) -> int:
        """Return how much an entry asks of a verb beyond its lemma (worked out once)."""
        return (
            (2 if self.objects else 0)
            + (2 if self.subjects else 0)
            + (1 if self.particle else 0)
            + (1 if self.with_prep else 0)
            + (1 if self.transitive is not None else 0)
        )


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
    occurrence: frozenset[str]
    #: Prepositions of time whose event noun with a "with" phrase went with the act
    #: of its verb: "said during a meeting with Modi" (readings.accompanying).
    meeting_preps: frozenset[str]
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
    #: Prepositions of what an act answers, after a noun ("revenge for the killing").
    reason_preps: frozenset[str]
    #: Units of time whose "ago" makes a noun's clause its history ("years ago").
    history_units: frozenset[str]
    #: Verbs of acts done at one moment, whose present passive is news, not a state.
    punctual: frozenset[str]
    #: "declined to comment": refusing these is no refusal PLOVER codes.
    commenting: frozenset[str]
    #: Last words of the noun entries, to skip nouns that cannot match quickly.
    noun_heads: frozenset[str]
    #: "claimed responsibility for the bombing": nouns through which an act is owned.
    responsibility: frozenset[str]
    #: Words of blame and praise: what a speaker says in them is an ACCUSE or a SUPPORT.
    blame_words: frozenset[str]
    #: Nouns of what someone did or decided ("its decision", "his record").
    deeds: frozenset[str]
    #: Verbs of backing that, said of one's own act, support no one.
    justifying: frozenset[str]
    #: Possessive pronouns ("defended its air strikes": its own act).
    possessives: frozenset[str]
    #: Words of blame that, before a noun, name a kind ("a terrorist attack").
    classifying: frozenset[str]
    praise_words: frozenset[str]
    #: "we", "our": in a speaker's words, the speaker's own side, never whom they judge.
    first_person: frozenset[str]
    #: Verbs that name their event only in the active voice: "was met with protests".
    active_only: frozenset[str]
    #: Verbs whose subject caused the event their object names, which others did.
    causing: frozenset[str]
    #: Verbs of making possible, which as a participle tell what an act made possible.
    enabling: frozenset[str]
    #: Prepositions of the setting an act took place in ("during the protests").
    setting_preps: frozenset[str]
    #: Verbs whose subject undergoes the event their object names ("received a sentence").
    undergoing: frozenset[str]
    #: Of those, the ones whose material object is only in prospect ("faces a sentence").
    facing: frozenset[str]
    #: Laws, charters, treaties: no actor, and what they require is no event.
    instruments: frozenset[str]
    #: Verbs of saying whose reported hostile act is an allegation of the speaker's.
    alleging: frozenset[str]
    #: "was behind the attack", "involved in the riots": words that tie someone to
    #: an act, which a speaker who says so accuses them of.
    implicating: frozenset[str]
    #: "the ceasefire collapsed": verbs whose subject came undone.
    collapsing: frozenset[str]
    #: "left the CSTO": verbs of leaving, whose object an organisation makes a departure.
    leaving: frozenset[str]
    #: "hosted the talks": verbs whose doer meets whoever it hosts, named or not.
    hosting: frozenset[str]
    #: "after meeting Putin": prepositions of a time, whose gerund is an act of its own.
    time_preps: frozenset[str]
    #: "the", "this": determiners of a noun that refers back to an act told before.
    definite: frozenset[str]
    #: Verbs that are a demonstration when a crowd does them ("thousands protested"),
    #: and the sectors of a state's authorities, which are no crowd.
    crowd_verbs: frozenset[str]
    authorities: frozenset[str]
    demonstration: Entry
    #: The entries of those statements (plover.yaml constructions blame, praise).
    blame: Entry
    praise: Entry
    #: What an alleging verb's hostile content makes (plover.yaml constructions).
    allegation: Entry
    #: "Armenia left the CSTO": leaving an organisation (plover.yaml constructions).
    departure: Entry
    #: "will not accept": a verb of accepting, negated (grammar.yaml refusing).
    refusing: frozenset[str]
    #: Verbs of apologising: with no target, aimed at whom the doer's last act wronged.
    apologizing: frozenset[str]
    #: Verbs whose act answers the last act of another: "returned fire".
    returning: frozenset[str]
    #: Things fired or sent that arrive of themselves: "rockets fired from Gaza landed".
    projectiles: frozenset[str]
    #: Nouns of a kind whose "of" phrase is what something is: "a form of blackmail".
    kinds: frozenset[str]
    #: Subordinators of the act a statement answers ("protested after ...").
    cause_marks: frozenset[str]
    #: What harms with no one doing it: "the disaster killed 38 passengers".
    mishaps: frozenset[str]
    #: Words that hold someone to blame for an act: "blamed X for the attack".
    blaming: frozenset[str]
    #: Subjects that are anyone at all ("people must know ..."), and their determiners.
    anyone: frozenset[str]
    anyone_determiners: frozenset[str]
    refusal: Entry
    #: A state's protest: a diplomatic complaint (plover.yaml complaint).
    complaint: Entry
    #: A state's obstruction: a restriction of movement (plover.yaml cordon), and the
    #: modes of protest it is made of.
    cordon: Entry
    #: Verbs whose object is the means of what follows: "used Iraq to attack Turkey".
    using: frozenset[str]
    #: Bodies that hear cases (their org names): a complaint filed with one is against
    #: the other side, not against the body.
    forums: frozenset[str]
    obstruction: frozenset[str]
    #: Every lemma that can start an event; a sentence without one is skipped.
    triggers: frozenset[str]
    #: Every single word the lexicon names, to repair the lemmatiser's slips.
    words: frozenset[str]
    partitives: frozenset[str]
    target_preps: tuple[str, ...]
    ontology: Ontology
    #: What the actor resolver reads: its word lists and the capitals' sector.
    resolver: ResolverRules
    #: Prepositions of the topic of talk, and of where rather than with whom.
    topic_preps: frozenset[str]
    location_preps: frozenset[str]
    #: Objects that stand for a part of what a verb acts on ("part of"), partitives included.
    object_partitives: frozenset[str]
    #: "X said Y must ...": modals of a demand.
    obligation_modals: frozenset[str]
    #: Nouns of peacekeeping: deploying them is aid.
    peacekeepers: frozenset[str]
    #: Moods in which an event is set aside.
    unreal_moods: frozenset[str]
    version: str
    sources: tuple[str, ...] = field(default_factory=tuple)


def _entries(
    data: dict[str, Any], name: str, ontology: Ontology, problems: list[Problem]
) -> list[Entry]:
    out: list[Entry] = []
    for raw in data.get("entries") or []:
        line = raw.get("__line__", 0) if isinstance(raw, dict) else 0
        if not isinstance(raw, dict):
            problems.append(Problem(name, line, f"an entry must be a mapping, not {raw!r}"))
            continue
        unknown = unknown_keys(raw, ENTRY_KEYS)
        if unknown:
            problems.append(
                Problem(name, line, f"unknown key(s) {', '.join(sorted(unknown))}; "
                        f"known: {', '.join(sorted(ENTRY_KEYS))}")
            )
            continue
        event = str(raw.get("event", "")).upper()
        if event != NO_EVENT and event not in ontology.types:
            problems.append(
                Problem(name, line, f"event {raw.get('event')!r} is not a known type; "
                        f"known: {', '.join(sorted(ontology.types))}")
            )
            continue
        mode = raw.get("mode")
        modes = ontology.types[event].modes if event in ontology.types else ()
        if mode is not None and str(mode) not in modes:
            problems.append(
                Problem(name, line, f"mode {mode!r} is not a mode of {event}; known: "
                        f"{', '.join(modes) or 'none'}")
            )
            continue
        try:
            verbs = words(raw.get("verb"))
            nouns = words(raw.get("noun"))
            objects = frozenset(words(raw.get("object")))
            subjects = frozenset(words(raw.get("subject")))
            preps = tuple(words(raw.get("prep")))
            with_prep = frozenset(words(raw.get("with_prep")))
            context = tuple(words(raw.get("context")))
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
            subjects=subjects,
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
    "positive_judgements", "ownership", "backing", "brokering", "statements", "occurrence",
    "meeting_preps", "obstruction", "forums", "using", "cessation", "hypothetical_nouns",
    "standing", "punctual", "hypothetical_determiners", "directive", "hypothetical_adjectives",
    "breaching", "documents", "topic_preps", "location_preps", "place_preps", "scene_preps",
    "reporting_sectors", "divisions", "reason_preps", "history_units",
    "object_partitives", "obligation_modals", "negative_objects", "step_nouns",
    "chain_preps", "object_control_preps", "pronouns", "object_pronouns", "peacekeepers",
    "unreal_moods", "responsibility", "blame_words", "praise_words", "first_person",
    "active_only", "causing", "instruments", "alleging", "crowd_verbs", "authorities",
    "commenting", "refusing", "apologizing", "returning", "projectiles", "counterparts", "kinds",
    "adopting", "state_nouns",
    "cause_marks", "mishaps", "anyone", "anyone_determiners", "blaming",
    "quoting", "not_yet", "undergoing", "facing", "setting_preps", "enabling",
    "classifying", "possessives", "justifying", "deeds", "implicating", "definite",
    "time_preps", "personal_pronouns", "bodies", "collapsing", "leaving", "hosting",
)
#: Top-level keys of grammar.yaml that map words to whole numbers.
GRAMMAR_TABLES = ("title_numbers",)


def _bundled_texts() -> list[tuple[str, str]]:
    root = resources.files("faultline.data") / "lexicon"
    return [(name, (root / name).read_text(encoding="utf-8")) for name in BUNDLED]


def check_texts(
    texts: Sequence[tuple[str, str]], ontology: Ontology | None = None
) -> tuple[list[Entry], dict[str, Any], list[Problem]]:
    """Parse lexicon files; return (entries, grammar lists and tables, problems found).

    A file with a top-level `types` table is an ontology (plover.yaml): it is
    checked as one, and adds nothing.
    """
    onto = ontology or load_ontology()
    entries: list[Entry] = []
    lists: dict[str, Any] = {k: [] for k in GRAMMAR_KEYS}
    lists.update({k: {} for k in GRAMMAR_TABLES})
    problems: list[Problem] = []
    for name, text in texts:
        data = read_mapping(text, name, problems, "a lexicon file")
        if data is None:
            continue
        if "types" in data:
            problems.extend(check_ontology(text, name)[1])
            continue
        for key in unknown_keys(data, (*GRAMMAR_KEYS, *GRAMMAR_TABLES, "entries", "version")):
            problems.append(Problem(name, key_line(data, key), f"unknown top-level key {key!r}"))
        merge_words(data, name, {k: lists[k] for k in GRAMMAR_KEYS}, problems,
                    {"unreal_moods": MOODS})
        for key in GRAMMAR_TABLES:
            if key in data:
                try:
                    lists[key].update(numbers(data[key], key))
                except ValueError as exc:
                    problems.append(Problem(name, key_line(data, key), str(exc)))
        entries.extend(_entries(data, name, onto, problems))
    return entries, lists, problems


def _construction(made: Construction) -> Entry:
    """Return the entry of an event a construction states (plover.yaml coding)."""
    return Entry(rule=made.rule, event=made.event, mode=made.mode, context=made.context)


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
    sets: dict[str, frozenset[str]] = {k: frozenset(lists[k]) for k in GRAMMAR_KEYS}
    # the word lists of the clause finder and of the resolver are named as their keys
    grammar = Grammar(**{f.name: sets[f.name] for f in fields(Grammar)})
    resolver = ResolverRules(
        **{f.name: sets[f.name] for f in fields(ResolverRules) if f.name in sets},
        title_numbers=dict(lists["title_numbers"]),
        capital_sector=ontology.capital_sector,
        generic_codes=ontology.generic_codes,
        fighting_codes=ontology.fighting_codes,
        domestic_sectors=ontology.domestic_sectors,
        foreign_sectors=ontology.foreign_sectors,
    )
    digest = hashlib.sha256("\0".join(t for _, t in texts).encode()).hexdigest()[:8]
    noun_heads = frozenset(key.split(" of ")[0].split()[-1] for key in nouns)
    triggers = (
        frozenset(ordered) | noun_heads | sets["judging"] | sets["cessation"]
        | sets["commit_adjectives"] | sets["directive"]
    )
    made = ontology.coding.constructions
    # each word list of the lexicon is named as its key in grammar.yaml
    word_lists = {f.name: sets[f.name] for f in fields(Lexicon)
                  if f.name in sets and f.name != "target_preps"}
    return Lexicon(
        **{**word_lists, "object_partitives": sets["object_partitives"] | sets["partitives"]},
        grammar=grammar,
        verbs=ordered,
        nouns=nouns,
        obligation=_construction(made["obligation"]),
        disapproval=_construction(made["disapproval"]),
        approval=_construction(made["approval"]),
        ceasefire=_construction(made["ceasefire"]),
        peacekeeping=_construction(made["peacekeeping"]),
        blame=_construction(made["blame"]),
        allegation=_construction(made["allegation"]),
        departure=_construction(made["departure"]),
        demonstration=_construction(made["demonstration"]),
        refusal=_construction(made["refusal"]),
        complaint=_construction(made["complaint"]),
        cordon=_construction(made["cordon"]),
        praise=_construction(made["praise"]),
        request=_construction(made["directive"]),
        noun_heads=noun_heads,
        triggers=triggers,
        words=triggers.union(*sets.values()),
        # the order in the file is the order of preference
        target_preps=tuple(lists["target_preps"]),
        ontology=ontology,
        resolver=resolver,
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
