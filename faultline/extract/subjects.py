"""Who does what: the subjects of a verb in a parsed sentence.

A verb's own subject when it has one, else the one it shares with the verb it
hangs on: a conjoined verb ("canceled the visit and summoned the ambassador"),
a control complement ("agreed to provide"), an adjunct ("Speaking after the
talks, Erdogan said ..."), a gerund after a preposition ("responded by
arresting", but "thanked Japan for sending": Japan sends), a relative clause
("Serbia, which is blocking the crossings, ..."). Borrowing a subject does not
borrow its voice: "is under sanctions and was condemned" is passive on its own.
Where spaCy's parse of news prose is known to slip, the rule that works around
it says so.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from faultline.extract.tree import NOMINALS, Word, conjuncts, doc_words

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
#: Tags of relative pronouns: "which", "that", "who", "whom".
_RELATIVE_TAGS = frozenset({"WDT", "WP"})


def argument_conjuncts(token: Word) -> list[Word]:
    """Return token and the nouns (or adjectives used as nouns) coordinated with it."""
    return conjuncts(token, NOMINALS | {"ADJ"})


def subjects_of(verb: Word, object_control: AbstractSet[str] = frozenset()
                ) -> tuple[list[Word], bool]:
    """Return (subject heads, passive) for a verb, borrowing from its head when needed.

    `object_control` holds the prepositions whose gerund the governing verb's
    object does: "thanked Japan for sending aid", "accused Baku of shelling".
    """
    node: Word | None = verb
    for _ in range(6):
        if node is None:
            break
        own = _own_subjects(node)
        if own is not None:
            heads, passive = own
            if node is not verb:
                # a borrowed subject keeps the verb's own voice where it has one
                voice = _own_voice(verb)
                passive = passive if voice is None else voice
            return heads, passive
        if node.dep_ == "pcomp":
            prep, governor = node.head, node.head.head
            objects = [c for c in governor.children if c.dep_ == "dobj"]
            if prep.lower_ in object_control and objects and governor is not prep:
                # "warned Moscow against deploying troops": Moscow would deploy them
                return [t for o in objects for t in argument_conjuncts(o)], bool(_own_voice(verb))
            # "responded by encouraging X": the subject of "responded"
            node = governor
            continue
        if node.dep_ in {"conj", "xcomp", "advcl", "acomp"} and node.head is not node:
            # conjoined verbs share the subject; so do control complements
            node = node.head
            continue
        if (node.dep_ == "ccomp" and node.left_edge.i > 0
                and node.doc[node.left_edge.i - 1].dep_ == "cc" and node.head is not node):
            # "said X and warned that ...": the parser hangs the second verb of
            # saying under the first; after "and" it is that verb's conjunct
            node = node.head
            continue
        infinitive = node.tag_ == "VB" and node.dep_ in {"acl", "relcl"}
        owners = [c for c in node.head.children if c.dep_ == "poss" and c.pos_ in NOMINALS] \
            if infinitive and node.head is not node else []
        if owners:
            # "welcomed Uganda's decision to withdraw its troops": Uganda withdraws them
            return [t for o in owners for t in argument_conjuncts(o)], bool(_own_voice(verb))
        if ((node.dep_ == "acl" and node.tag_ == "VBG" or infinitive) and node.head.dep_ == "dobj"
                and node.head.head is not node.head):
            # "issued a declaration demanding ...", "passed a resolution to expel ...":
            # whoever issued it demands
            node = node.head.head
            continue
        if (infinitive and node.head.dep_ == "pobj"
                and node.head.head.head is not node.head.head):
            # "voted on a bill to close ...": whoever voted on it
            node = node.head.head.head
            continue
        if node.dep_ in {"relcl", "acl"} and node.head is not node:
            misread = misread_participle(node)
            if misread is not None:
                return [t for h in misread for t in argument_conjuncts(h)], False
            if misread_predicate(node):
                root = node.head if node.head.dep_ == "ROOT" else node.head.head
                return argument_conjuncts(root), False
            # "the police who arrested ..." / "troops deployed in ...": the modified noun
            return argument_conjuncts(node.head), node.tag_ == "VBN" and node.dep_ == "acl"
        break
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and node is not None and any(
        c.dep_ == "expl" for c in node.children
    ):
        # "There is no treaty as Baku pushes its aims, demanding ...": a participle
        # hung on an empty "there is" belongs to the nearest clause before it
        words = doc_words(verb.doc)
        for prior in reversed(words[verb.token.sent.start:verb.i]):
            if prior.pos_ in {"VERB", "AUX"} and prior.dep_ != "aux":
                subjects = [c for c in prior.children if c.dep_ == "nsubj"]
                if subjects:
                    return [t for h in subjects for t in argument_conjuncts(h)], False
    return [], False


def _own_subjects(node: Word) -> tuple[list[Word], bool] | None:
    """Return (subject heads, passive) of the subjects a verb itself has, or None."""
    # a stray symbol read as a subject ("+Russia threatened") is no subject; the parser
    # sometimes hangs the subject on an auxiliary ("The US has been encouraging":
    # "US" under "been")
    holders = [node, *(c for c in node.children if c.dep_ in {"aux", "auxpass"})]
    active = [c for h in holders for c in h.children if c.dep_ in SUBJECT_DEPS
              and c.dep_ != "expl" and any(ch.isalnum() for ch in c.text)]
    passive = [c for c in node.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    heads = active or passive
    if not heads:
        return None
    misread = misread_participle(node)
    if misread is not None:
        return [t for h in misread for t in argument_conjuncts(h)], False
    relative = node.dep_ == "relcl" and node.head is not node
    if len(heads) > 1 and any(_is_relative(h) for h in heads) \
            and not all(_is_relative(h) for h in heads):
        # "fighters which, officials said, France refused to repatriate": beside a
        # subject of its own, the relative pronoun is the clause's fronted object
        heads = [h for h in heads if not _is_relative(h)]
    if len(heads) > 1 and not passive:
        # one verb, two subjects: "hundreds of students wearing shirts and caps
        # marched" -- the later one is the last item of the participle's objects
        heads = heads[:1]
    out: list[Word] = []
    for h in heads:
        if relative and _is_relative(h):
            # a relative pronoun ("which", "one of which") stands for the noun the
            # clause modifies
            h = node.head
        out.extend(argument_conjuncts(h))
    return out, bool(passive) and not active


def _is_relative(word: Word) -> bool:
    """Return True for a relative pronoun, alone or in a partitive: "which", "some of which"."""
    if word.tag_ in _RELATIVE_TAGS:
        return True
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        g.dep_ == "pobj" and g.tag_ in _RELATIVE_TAGS for g in c.children)
        for c in word.children)


def _own_voice(verb: Word) -> bool | None:
    """Return True (passive) or False (active) when a verb's own auxiliaries or form
    say which, None when it shares them ("was arrested and charged")."""
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    if verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ != "to" for c in verb.children):
        # "after attacking police", "was expelled and has since returned"
        return False
    # the tagger reads "were detained and deported" with a past tense: no evidence
    return None


def misread_predicate(verb: Word) -> bool:
    """Return True when a verb hung on a sentence's noun root is the sentence's predicate.

    "Mothers for Peace, a Kyiv-based network, paid for the evacuation" has no
    verb at its root: the small model hangs "paid" on the name, or on the
    apposition after it, as if it were "a network paid by ...". A past form
    after a comma, with no passive auxiliary and no "by" agent, is the predicate
    of the sentence's noun.
    """
    head = verb.head
    if head.dep_ == "appos":
        head = head.head
    if head.dep_ != "ROOT" or head.pos_ not in {"NOUN", "PROPN"} or verb.i < head.i:
        return False
    if verb.tag_ not in {"VBD", "VBN"} or verb.i == 0 or verb.doc[verb.i - 1].text != ",":
        return False
    return not any(c.dep_ in {"auxpass", "agent"} for c in verb.children)


def misread_participle(node: Word) -> list[Word] | None:
    """Return the real subject when spaCy read a participle phrase as the main verb.

    In "protesters wearing masks, scarves and helmets gathered near parliament"
    the small model makes "wearing" the root, with "protesters" its subject,
    and "gathered" either a conjunct whose subject is "helmets", the last of the
    objects, or a clause modifying one of those objects. A finite verb so hung
    on an auxiliary-less participle shares the participle's subject instead.
    """
    if node.tag_ not in {"VBD", "VBZ", "VBP"}:
        return None
    if node.dep_ == "conj":
        participle = node.head
        own = [c for c in node.children if c.dep_ == "nsubj"]
        if len(own) != 1:
            return None
        edge = own[0].left_edge.i
        if not participle.i < edge < node.i or edge == 0:
            return None
        joint = node.doc[edge - 1]
        if joint.dep_ != "cc" and joint.text != ",":
            return None
    elif node.dep_ == "acl":
        noun = node.head
        while noun.dep_ == "conj" and noun.head is not noun:
            noun = noun.head
        if noun.dep_ != "dobj":
            return None
        participle = noun.head
    else:
        return None
    if participle.tag_ != "VBG" or any(c.dep_ in {"aux", "auxpass"}
                                       for c in participle.children):
        return None
    before = [c for c in participle.children if c.dep_ == "nsubj" and c.i < participle.i]
    return before or None


def continued_verb(verb: Word, speech: AbstractSet[str]) -> tuple[Word, bool] | None:
    """Return the verb of saying a conjunct or a participle may continue, where the
    parser hung it on that verb's complement instead, and whether its form shows it.

    "The minister said the talks had stalled and blamed Ankara" (or "...,
    accusing Ankara"): spaCy hangs "blamed" ("accusing") on "stalled", sharing
    the subject "talks"; it may as well continue "said", with the minister as
    its subject. The form shows it when the complement has an auxiliary the
    conjunct cannot share ("had stalled and blamed", "would withdraw and
    blamed"); in "reported Iran issued warrants and demanded ..." only the words
    can tell. Never when the complement's auxiliary carries both verbs ("would
    withdraw and blame"), nor when "that" opens a second complement ("and that
    troops shelled ...").
    """
    if verb.dep_ == "conj":
        if verb.tag_ in {"VB", "VBG"}:
            return None
    elif verb.dep_ != "advcl" or verb.tag_ != "VBG" or verb.left_edge.i == 0 \
            or verb.doc[verb.left_edge.i - 1].text != ",":
        return None
    complement = verb.head
    outer = complement.head
    if complement.dep_ != "ccomp" or outer is complement or outer.lemma_.lower() not in speech:
        return None
    deps = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
    if any(c.dep_ in deps or c.dep_ == "mark" for c in verb.children):
        return None
    if not any(c.dep_ in deps for c in complement.children):
        return None
    evident = any(c.dep_ in {"aux", "auxpass"} and c.lower_ != "to"
                  for c in complement.children) \
        and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)
    return outer, evident
