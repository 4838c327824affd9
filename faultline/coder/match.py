"""Matching a clause against the event lexicon: which entry its predicate chain names.

Verb entries with an object, particle or preposition first, then a light verb
with an event noun ("launched an offensive"), then bare verbs; judgements
("described the arrests as illegal"), ended violence ("stopped firing") and
directives ("told Minsk to withdraw") by the constructions of plover.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from faultline.coder.lexicon import NO_EVENT, Entry, Lexicon
from faultline.extract import Clause
from faultline.extract.clauses import for_clause
from faultline.extract.subjects import subjects_of
from faultline.extract.tree import Word
from faultline.resolve.datetext import calendar_words

#: What a verb of judging says when its judgement is in no word list: "called the
#: notion a waste of time", "was called National Day" name or judge, and are no call.
NAMING = Entry(rule="grammar:judging", event=NO_EVENT)


class Match(NamedTuple):
    """The lexicon entry a clause matched, and the verb that carried it."""

    entry: Entry
    verb: Word
    #: An event named by the complement of a control verb ("threatened to cut").
    complement: Entry | None = None
    complement_verb: Word | None = None


def _particle(verb: Word) -> str | None:
    """Return the particle of a phrasal verb ("cut off" -> "off"), or None."""
    for child in verb.children:
        if child.dep_ == "prt":
            return child.lemma_.lower()
    # "brushed aside the criticism": the parser makes "aside" an adverb
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ == "aside" and child.i == verb.i + 1:
            return "aside"
    # "summoned the ambassador home", "was called home": an adverb after the object
    for child in verb.children:
        if child.dep_ in {"advmod", "oprd"} and child.lower_ == "home" and child.i > verb.i:
            return "home"
    return None


def objects_of(verb: Word) -> list[Word]:
    """Return the objects of a verb (a passive's subject among them), conjuncts included."""
    out = []
    for child in verb.children:
        if child.dep_ in {"dobj", "dative", "attr", "oprd", "nsubjpass"} and child.pos_ != "ADP":
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head is not verb:
        # "the decree signed by the Pope": the noun a participle describes is its object
        out.append(verb.head)
    elif verb.dep_ == "relcl" and verb.head is not verb and (
            any(o.tag_ in {"WDT", "WP"} for o in out) or (
                not out and any(c.dep_ == "nsubj" for c in verb.children))):
        # "the loan that Minsk received", "the loan Minsk received": the noun the
        # relative clause describes is its object
        out = [o for o in out if o.tag_ not in {"WDT", "WP"}] + [verb.head]
    return out


def noun_keys(token: Word) -> list[str]:
    """Return the lexicon keys a noun can match: with compounds, bare, with "of X"."""
    lemma = token.lemma_.lower()
    # modifiers as written, lower-cased: spaCy lemmatises "media" to "medium"
    mods = [c.lower_ for c in token.children
            if c.dep_ in {"compound", "amod"} and c.i < token.i]
    keys = []
    if mods:
        keys.append(" ".join([*mods[-2:], lemma]))
        # each modifier with the head: "joint naval patrol" is a "joint patrol"
        keys.extend(f"{m} {lemma}" for m in reversed(mods))
    keys.append(lemma)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    keys.insert(0, f"{lemma} of {grand.lemma_.lower()}")
        elif child.dep_ == "prep" and child.lower_ in {"against", "on", "at"}:
            # "strikes against militant hideouts" are attacks, not walkouts
            keys.insert(0, f"{lemma} {child.lower_}")
        elif child.dep_ == "prt":
            # "the shooting down of an airliner"
            keys.insert(0, f"{lemma} {child.lower_}")
    return keys


def _month(token: Word) -> bool:
    """Return True for a month's name ("began on March 13"), not a march."""
    return token.tag_ == "NNP" and token.lower_ in calendar_words()


def entry_of_noun(token: Word, lexicon: Lexicon) -> Entry | None:
    """Return the lexicon entry an event noun matches ("the arrest of X"), or None."""
    if _month(token):
        return None
    for key in noun_keys(token):
        entry = lexicon.nouns.get(key)
        if entry is not None:
            return entry
    return None


class _VerbFeatures(NamedTuple):
    """What a verb's lexicon entries may ask of it, computed once per verb."""

    particle: str | None
    object_lemmas: frozenset[str]
    preps: frozenset[str]
    has_object: bool
    subject_lemmas: frozenset[str]


def _appositions(word: Word) -> list[Word]:
    """Return the appositions of a word and theirs, in order ("X, a minister, a pardon")."""
    found: list[Word] = []
    for child in word.children:
        if child.dep_ == "appos":
            found += [child, *_appositions(child)]
    return found


def _verb_features(verb: Word, entries: Sequence[Entry],
                   partitives: AbstractSet[str]) -> _VerbFeatures:
    """Return what the verb's `entries` may ask of it: the objects and prepositions
    only when one of them asks for some."""
    objects = objects_of(verb)
    has_object = bool(objects) or any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children)
    object_lemmas: set[str] = set()
    if any(entry.objects for entry in entries):
        for obj in objects:
            # "granted the senator a full pardon", "granted Akhmetov, a former minister,
            # a pardon": the parser often hangs the second object of a two-object verb
            # on the first, as an apposition (of an apposition)
            given = _appositions(obj)
            for second in given:
                object_lemmas.update(noun_keys(second))
            if obj.dep_ == "dative" and (given or any(o.dep_ == "dobj" for o in objects)):
                # the first of two objects is only whom the second is given to
                continue
            object_lemmas.update(noun_keys(obj))
            if obj.lemma_.lower() in partitives:
                # "captured part of a stronghold": the stronghold is what was taken;
                # "sent dozens of warships": warships were sent
                for inner in phrase_objects(obj, ["of"]):
                    object_lemmas.update(noun_keys(inner))
        # a small clause "found the pilot guilty", "pleaded guilty": its adjective is
        # what the verb says
        # ("pleaded not guilty": the adjective with its "not")
        object_lemmas.update(
            f"not {c.lemma_.lower()}" if any(n.dep_ == "neg" for n in c.children)
            else c.lemma_.lower() for c in verb.children
            if c.dep_ in {"ccomp", "acomp", "oprd"} and c.pos_ == "ADJ")
        # "gave the rebels three days to surrender": the parser reads the time given
        # as an adverbial noun, the infinitive as its clause
        object_lemmas.update(key for c in verb.children if c.dep_ == "npadvmod" and any(
            g.dep_ in {"acl", "relcl"} and g.tag_ == "VB" for g in c.children)
            for key in noun_keys(c))
        # an entry's object may be a prepositional phrase of the verb: "withdrew from
        # the treaty" is "from treaty", "kept in custody" "in custody"
        for child in verb.children:
            if child.dep_ == "prep":
                for inner in child.children:
                    if inner.dep_ == "pobj":
                        object_lemmas.update(f"{child.lower_} {key}" for key in noun_keys(inner))
                    elif inner.dep_ == "prep":
                        # "walked out of the talks": the parser hangs "of" on "out"
                        object_lemmas.update(f"{inner.lower_} {key}" for g in inner.children
                                             if g.dep_ == "pobj" for key in noun_keys(g))
    preps: set[str] = set()
    if any(entry.with_prep for entry in entries):
        # prepositions of the verb and of its objects ("held drills with Sri Lankan
        # ships"), but those of a time: "called Erdogan on Tuesday" is no "call on"
        calendar = calendar_words()
        # (the parser makes "by" an agent even after an active verb: "spoke by phone")
        preps = {c.lower_ for t in [verb, *objects] for c in t.children
                 if c.dep_ in {"prep", "agent"} and not _of_time(c, calendar)}
        # "called for the bill to be dropped": the parser makes "for" the mark of
        # the clause that follows
        preps.update("for" for c in verb.children if for_clause(c))
    subject_lemmas: frozenset[str] = frozenset()
    if any(entry.subjects for entry in entries):
        # "US troops would be leaving Syria": who does it decides what it is
        # ("thousands of demonstrators gathered": those the count is of)
        # (of a passive, whoever did it: "reporters were beaten by masked men")
        # ("a convoy surrounded by protesters": a participle after its noun, or
        # with a "by" agent, is passive too)
        passive = any(c.dep_ in {"auxpass", "nsubjpass", "agent"} for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN")
        doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"] if passive else subjects_of(verb)[0]
        subjects = [t for s in doers
                    for t in [s, *(phrase_objects(s, ["of"]) if s.like_num
                                   or s.lemma_.lower() in partitives else [])]]
        subject_lemmas = frozenset(key for s in subjects for key in noun_keys(s))
    return _VerbFeatures(_particle(verb), frozenset(object_lemmas), frozenset(preps),
                         has_object, subject_lemmas)


def _of_time(prep: Word, calendar: AbstractSet[str]) -> bool:
    """Return True for a prepositional phrase of a time: "on Tuesday", "in 2019" (not
    "until", a deadline's own word: "gave them until Friday to leave")."""
    return prep.lower_ != "until" and any(g.dep_ == "pobj" and (g.lower_.rstrip(".") in calendar
                                     or (g.like_num and len(g.text) == 4))
               for g in prep.children)


def _verb_entry(
    entries: Sequence[Entry], features: _VerbFeatures, specific: bool
) -> Entry | None:
    for entry in entries:
        if (entry.specificity > 0) != specific:
            continue
        if entry.transitive is not None and entry.transitive != features.has_object:
            continue
        if entry.particle and entry.particle != features.particle:
            continue
        if entry.objects and not (entry.objects & features.object_lemmas):
            continue
        if entry.subjects and not (entry.subjects & features.subject_lemmas):
            continue
        if entry.with_prep and not (entry.with_prep & features.preps):
            continue
        return entry
    return None


def _noun_entry(verb: Word, lexicon: Lexicon) -> tuple[Entry, bool] | None:
    """Return the entry of the event noun a light verb carries, and whether it
    matched more than the bare noun ("air strike", "strike on", not "strike")."""
    lemma = verb.lemma_.lower()
    if lemma not in lexicon.light_verbs and f"{lemma} {_particle(verb)}" not in lexicon.light_verbs:
        # some carry an event only with their particle: "carried out an attack"
        return None
    # "went on strike", "came under attack" name the event in a prepositional phrase
    heads = [*objects_of(verb), *phrase_objects(verb, ["on", "into"])]
    # "granted the senator a full pardon": the parser often hangs the second object of
    # a two-object verb on the first, as an apposition
    heads += [c for h in heads if h.dep_ == "dative" for c in h.children if c.dep_ == "appos"]
    # "launched a wave of air strikes": the event is in the "of" phrase
    heads += [inner for h in heads if h.lemma_.lower() in lexicon.partitives
              for inner in phrase_objects(h, ["of"])]
    for obj in heads:
        if _month(obj):
            continue
        head = obj.lemma_.lower()
        keys = noun_keys(obj)
        # a compound ("air strike", "hunger strike": modifiers and the noun) says
        # most; then "strike on", "strike" in the order noun_keys gives
        compounds = [k for k in keys if k != head and k.endswith(f" {head}")]
        for key in [*compounds, *keys]:
            entry = lexicon.nouns.get(key)
            if entry is not None:
                return entry, key != head
    return None


def _entry_for(verb: Word, lexicon: Lexicon) -> Entry | None:
    """Return the entry a verb matches: specific verb entries, then light verb +
    event noun, then bare verb entries."""
    entries = lexicon.verbs.get(verb.lemma_.lower())
    carried = _noun_entry(verb, lexicon)
    noun, precise = carried if carried is not None else (None, False)
    if not entries or precise:
        # "launched air strikes", "launched strikes against hideouts" say more than
        # the verb with the bare noun ("launched a strike")
        return noun
    features = _verb_features(verb, entries, lexicon.object_partitives)
    return (
        _verb_entry(entries, features, specific=True)
        or noun
        or _verb_entry(entries, features, specific=False)
    )


def judged_as(word: Word) -> bool:
    """Return True for what a verb or its object is said to be: "called it a victory",
    "described the arrests as illegal", and the second object the parser makes of
    "calling it an aggression"."""
    if word.dep_ == "oprd" or (word.dep_ == "prep" and word.lower_ == "as"):
        return True
    if word.dep_ == "dobj" and word.pos_ == "ADJ":
        # "ruled the practice unconstitutional", parsed as an adjective object
        return True
    return word.dep_ == "dobj" and any(
        c.dep_ in {"dobj", "dative"} and c.i < word.i for c in word.head.children)


def _judgement(verb: Word, lexicon: Lexicon) -> Entry | None:
    """Return the entry for "described X as unjustified" / "called X constructive"."""
    if verb.lemma_.lower() not in lexicon.judging:
        return None
    words: list[Word] = []
    for holder in [verb, *(objects_of(verb))]:
        for child in holder.children:
            if judged_as(child):
                words.extend(child.subtree)
    # "ruled that the law was unconstitutional", "found the draft violated the
    # constitution": the judgement is the predicate of the content clause (which
    # the parser, after a long subject, may hang on the verb as a subjectless "and
    # is ...")
    for content in (c for c in verb.children if c.dep_ == "ccomp" or (
            c.dep_ == "conj" and c.lemma_ == "be"
            and not any(g.dep_ in {"nsubj", "nsubjpass", "expl"} for g in c.children))):
        words.append(content)
        words.extend(c for c in content.children if c.dep_ in {"acomp", "attr", "oprd"})
    lemmas = {w.lemma_.lower() for w in words} | {w.lower_ for w in words}
    # a word of blame or praise judges as well ("described the move as reckless")
    if lemmas & (lexicon.negative_judgements | lexicon.blame_words):
        return lexicon.disapproval
    if lemmas & (lexicon.positive_judgements | lexicon.praise_words):
        return lexicon.approval
    return None


def match_clause(clause: Clause, lexicon: Lexicon) -> Match | None:
    """Return the lexicon match of a clause's predicate chain, or None."""
    first = clause.chain[0]
    judged = _judgement(first, lexicon)
    if judged is not None:
        return Match(judged, first)
    if first.lemma_.lower() in lexicon.judging and any(
            c.dep_ == "oprd" for c in first.children):
        # "found him guilty" has an entry of its own; "called the notion a waste" none
        entry = _entry_for(first, lexicon)
        return Match(entry if entry is not None and entry.objects else NAMING, first)
    for k, verb in enumerate(clause.chain):
        if verb.lemma_.lower() not in lexicon.cessation:
            continue
        # "stopped firing", "halted the shelling": ending violence is a ceasefire
        ended = [_entry_for(v, lexicon) for v in clause.chain[k + 1:]]
        ended += [lexicon.nouns.get(key) for o in objects_of(verb) for key in noun_keys(o)]
        ends = lexicon.ontology.coding.constructions["ceasefire"].acts
        if any(e is not None and e.event in ends for e in ended):
            return Match(lexicon.ceasefire, verb)
    for k, verb in enumerate(clause.chain):
        entry = _entry_for(verb, lexicon)
        if entry is not None and verb.lemma_.lower() in lexicon.active_only and any(
                c.dep_ == "auxpass" for c in verb.children):
            # "the rally was met with protests": no meeting
            entry = NAMING
        if entry is None and _directs(verb, clause.chain[k + 1:], lexicon):
            # "told Minsk to withdraw": a demand on Minsk, of the act that follows
            entry = lexicon.request
        if entry is None:
            continue
        for later in clause.chain[k + 1:]:
            inner = _entry_for(later, lexicon)
            if inner is not None and inner.event != NO_EVENT:
                return Match(entry, verb, inner, later)
        return Match(entry, verb)
    return None


def _directs(verb: Word, rest: Sequence[Word], lexicon: Lexicon) -> bool:
    """Return True for "told X to <act>": a directive verb, its object, an infinitive."""
    return (
        bool(rest)
        and verb.lemma_.lower() in lexicon.directive
        and any(c.dep_ in {"dobj", "dative"} for c in verb.children)
    )


def phrase_objects(token: Word, preps: Sequence[str]) -> list[Word]:
    """Return the objects of the given prepositions under token (or under its particle:
    in "the shooting down of a flight" the parser hangs "of" on "down")."""
    out: list[Word] = []
    holders = [token, *(c for c in token.children if c.dep_ == "prt")]
    for holder in holders:
        for child in holder.children:
            if (child.dep_ in {"prep", "agent"}
                    or (child.dep_ == "dative" and child.pos_ == "ADP")) \
                    and child.lower_ in preps:
                out.extend(g for g in child.children if g.dep_ == "pobj")
    return out
