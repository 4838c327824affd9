"""Clauses from spaCy's dependency parse.

A Clause is one predicate with its arguments: who (subjects), to whom (objects,
prepositional targets), the chain of control verbs it heads ("agreed to
provide", "threatened to cut"), and what makes it not a plain fact: negation,
hypothetical modality, a condition, or a speaker it is attributed to.
The stage knows grammar, not politics: which words are events is the coder's
business, read from the lexicon. The few function-word lists it needs
(verbs of saying, aspect verbs) come in as a `Grammar` built from data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.extract.subjects import (
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    argument_conjuncts,
    continued_verb,
    misread_participle,
    misread_predicate,
    subjects_of,
)
from faultline.extract.tree import Word, doc_text, sentence_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from faultline.extract.quotes import Quotations

OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "attr", "oprd"})
#: The moods Clause.modality names (before its ":"), when a clause reports no fact.
MOODS = frozenset({"hypothetical", "conditional", "purpose", "question", "future"})


@dataclass(frozen=True)
class Grammar:
    """Function-word lists the clause finder needs; built from lexicon data."""

    speech: frozenset[str]
    aspect: frozenset[str]
    negating: frozenset[str]
    hypothetical_modals: frozenset[str]
    conditional_marks: frozenset[str]
    commit_adjectives: frozenset[str]
    #: Verbs that make everything under them imagined: "one can imagine X doing".
    hypothetical_verbs: frozenset[str] = frozenset()
    intention: frozenset[str] = frozenset()
    future_auxiliaries: frozenset[str] = frozenset()
    #: Objects and subjects that make a clause say nothing happened ("signed nothing").
    negative_objects: frozenset[str] = frozenset()
    #: Nouns whose infinitive is what is done: "took steps to ease".
    step_nouns: frozenset[str] = frozenset()
    #: Laws and resolutions, and the verbs that adopt them: "passed a resolution to
    #: expel the ambassador" expels him (an adopted text's infinitive is its act).
    instruments: frozenset[str] = frozenset()
    adopting: frozenset[str] = frozenset()
    #: Prepositions through which a gerund continues the predicate chain:
    #: "refrained from attending", "agreed on holding", "committed to providing".
    chain_preps: frozenset[str] = frozenset()
    #: Prepositions whose gerund the object of the verb before them does:
    #: "thanked Japan for sending aid", "warned Moscow against deploying troops".
    object_control_preps: frozenset[str] = frozenset()
    #: Nouns that make what their "of" phrase names talk, not fact: "allegations of
    #: shelling" (extract.irrealis reads the nouns; this, a gerund's clause).
    hypothetical_nouns: frozenset[str] = frozenset()
    #: Pronouns of the first person: within a quotation, only they stand for the speaker.
    first_person: frozenset[str] = frozenset()
    #: Pronouns of a person ("he", "her"): they stand for no organisation or state.
    personal_pronouns: frozenset[str] = frozenset()
    #: Nouns of bodies, not people ("government", "police"): no "he" stands for one.
    bodies: frozenset[str] = frozenset()
    #: Verbs that attribute a quotation without being verbs of saying elsewhere:
    #: '"...," Graham continued.'
    quoting: frozenset[str] = frozenset()
    #: Words of obligation: "X said Y must ...", "it is time for Y to ..." ask it of Y.
    obligation_modals: frozenset[str] = frozenset()
    #: Adverbs of "has yet to ratify": what the infinitive says is not done yet.
    not_yet: frozenset[str] = frozenset()
    #: Nouns of a country's divisions: "Kandahar Province" is Kandahar.
    divisions: frozenset[str] = frozenset()


class Clause:
    """One predicate and its arguments, as Words (see extract.tree) of a spaCy Doc.

    Only the predicate chain is found up front; arguments, negation, modality
    and speaker are worked out the first time they are asked for, since the
    coder reads them only for the few clauses whose predicate is an event.
    """

    def __init__(self, sent: Span, token: Word, chain: tuple[Word, ...], grammar: Grammar,
                 *, intended: bool = False, question: bool = False,
                 handed: tuple[Word, ...] = (), quotations: Quotations | None = None):
        self.sent = sent
        #: The governing predicate: the verb (or predicate adjective) heading the clause.
        self.verb = chain[0]
        #: verb followed by its open complements: (agreed, provide), (threatened, cut).
        self.chain = chain
        # the predicate as parsed, before aspect verbs handed over ("began to shell")
        self._token = token
        self._grammar = grammar
        self._intended = intended
        self._question = question
        # the aspect and intention verbs that handed over to the chain ("decided")
        self._handed = handed
        # the document's quotations, for a clause quoted in another sentence's words
        self._quotations = quotations
        #: Of a continuation (see continuation()): whether the verb's form shows it.
        self.evident = False
        # worked out on first use (see the properties below)
        self._subjects_cache: tuple[tuple[Word, ...], bool] | None = None
        self._arguments_cache: tuple[tuple[Word, ...], tuple[tuple[str, Word], ...]] | None = None
        self._complement_cache: tuple[Word, ...] | None = None
        self._speech_cache: tuple[Word | None, tuple[Word, ...]] | None = None
        self._negated_cache: bool | None = None
        self._modality_cache: tuple[str | None] | None = None
        self._position_cache: str | None = None

    def __repr__(self) -> str:
        return f"Clause({' '.join(t.text for t in self.chain)!r})"

    @property
    def _subjects_passive(self) -> tuple[tuple[Word, ...], bool]:
        found = self._subjects_cache
        if found is None:
            subjects, passive = subjects_of(self._token, self._grammar.object_control_preps)
            found = self._subjects_cache = tuple(subjects), passive
        return found

    @property
    def subjects(self) -> tuple[Word, ...]:
        """Heads of the subject noun phrases (conjuncts expanded)."""
        return self._subjects_passive[0]

    @property
    def passive(self) -> bool:
        return self._subjects_passive[1]

    def continuation(self) -> Clause | None:
        """Return the clause read as continuing the verb of saying above it, or None.

        "The minister said the talks had stalled and blamed Ankara": the parse
        hangs "blamed" on "stalled", whose subject is "talks"; read as continuing
        "said", it has the minister as its subject, in the active voice, and is
        no longer reported by him (see extract.subjects.continued_verb). Its
        `evident` is True when the verb's form shows the reading ("had stalled and
        blamed"), False when only the words can tell ("the talks stalled and
        blamed"): which reading is right is then the coder's to decide.
        """
        continued = continued_verb(self._token, self._grammar.speech)
        if continued is None:
            return None
        outer, evident = continued
        other = Clause(self.sent, self._token, self.chain, self._grammar,
                       intended=self._intended, question=self._question, handed=self._handed,
                       quotations=self._quotations)
        other.evident = evident
        grammar = self._grammar
        other._subjects_cache = tuple(subjects_of(outer, grammar.object_control_preps)[0]), False
        speech_verb, speaker = _speech_context(outer, grammar)
        other._speech_cache = speech_verb, tuple(speaker)
        other._position_cache = _position(outer, speech_verb is not None)
        return other

    @property
    def _arguments(self) -> tuple[tuple[Word, ...], tuple[tuple[str, Word], ...]]:
        found = self._arguments_cache
        if found is None:
            objects, preps = _arguments(list(self.chain))
            found = self._arguments_cache = tuple(objects), tuple(preps)
        return found

    @property
    def objects(self) -> tuple[Word, ...]:
        """Heads of direct and indirect objects of every verb in the chain."""
        return self._arguments[0]

    @property
    def preps(self) -> tuple[tuple[str, Word], ...]:
        """(preposition, head of its object) for the verbs in the chain and their objects."""
        return self._arguments[1]

    @property
    def complement_subjects(self) -> tuple[Word, ...]:
        """Subject of the verb's complement clause ("demanded that X ...", "accused X of")."""
        found = self._complement_cache
        if found is None:
            found = self._complement_cache = tuple(
                s for v in self.chain for s in _complement_subjects(v))
        return found

    @property
    def _speech(self) -> tuple[Word | None, tuple[Word, ...]]:
        found = self._speech_cache
        if found is None:
            speech_verb, speaker = _speech_context(self._token, self._grammar)
            if speech_verb is None and not speaker and self._quotations is not None:
                # a sentence of a quotation whose speaker another sentence names:
                # `"We reject this. We will respond," the ministry said.`
                speech_verb = self._quotations.speech_verb(self._token)
                if speech_verb is not None:
                    speaker = subjects_of(speech_verb)[0]
            found = self._speech_cache = speech_verb, tuple(speaker)
        return found

    @property
    def speech_verb(self) -> Word | None:
        """The verb of saying that carries the clause, if any."""
        return self._speech[0]

    @property
    def speaker(self) -> tuple[Word, ...]:
        """Heads of the noun phrases of whoever the clause is attributed to."""
        return self._speech[1]

    @property
    def negated(self) -> bool:
        found = self._negated_cache
        if found is None:
            # "has not decided to send": the negated aspect verb negates what it hands over
            found = self._negated_cache = _is_negated(
                [*self._handed, *self.chain], list(self.objects), list(self.subjects),
                self._grammar)
        return found

    @property
    def modality(self) -> str | None:
        """Why the clause did not report something that happened, when it did not."""
        found = self._modality_cache
        if found is None:
            reported = self.speech_verb is not None
            found = self._modality_cache = (
                _modality(self._token, list(self.chain), self._grammar, reported,
                          self._question) or ("future" if self._intended else None),
            )
        return found[0]

    @property
    def position(self) -> str:
        """How deep the clause sits: "root", "conj", "reported", "complement", "embedded"."""
        found = self._position_cache
        if found is None:
            said = self.speech_verb
            if said is not None and not self.sent.start <= said.i < self.sent.end:
                # a sentence of a quotation whose speaker another sentence names
                found = self._position_cache = "reported"
            else:
                found = self._position_cache = _position(self._token, said is not None)
        return found


def _conjuncts(token: Word) -> list[Word]:
    """Return token and the nouns coordinated with it ("Armenia and Azerbaijan")."""
    return argument_conjuncts(token)


#: Verbs in these relations are adjectives or names in disguise ("Moscow-funded
#: outlet", "the arrested men"), not clauses.
NON_CLAUSE_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "det", "appos"})


_PREDICATE_POS = frozenset({"VERB", "AUX"})


#: Where a participle stands as a noun: "the accused", "the wounded".
_NOUN_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})
#: Dependents only a verb has.
_VERB_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "aux", "auxpass", "agent", "ccomp",
                        "xcomp"})


def _is_predicate(token: Word, grammar: Grammar) -> bool:
    if token.dep_ in NON_CLAUSE_DEPS:
        return False
    if token.pos_ == "VERB":
        # "Police said the accused attacked ...": a participle with a determiner,
        # standing where a noun stands, names a person, not an act
        return not (token.tag_ in {"VBN", "VBD"} and token.dep_ in _NOUN_DEPS
                    and any(c.dep_ == "det" for c in token.children)
                    and not any(c.dep_ in _VERB_DEPS for c in token.children))
    # "is willing to withdraw": the copula carries a committing adjective
    return token.pos_ == "AUX" and (
        token.dep_ == "ROOT"
        or any(c.dep_ == "acomp" and c.lemma_.lower() in grammar.commit_adjectives
               for c in token.children)
    )


def _chain(verb: Word, grammar: Grammar) -> list[Word]:
    """Return verb followed by its open complements ("agreed to undertake")."""
    chain = [verb]
    current = verb
    for _ in range(4):
        nxt = None
        for child in current.children:
            if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}:
                nxt = child
                break
            # "is willing to send": predicate adjective carrying the complement
            if child.dep_ == "acomp" and child.lemma_.lower() in grammar.commit_adjectives:
                nxt = child
                break
            # "refrain from attending", "agreed on holding" (pcomp gerunds)
            if child.dep_ == "prep" and child.lower_ in grammar.chain_preps:
                for grand in child.children:
                    if grand.dep_ == "pcomp" and grand.pos_ == "VERB":
                        nxt = grand
                        break
                if nxt is not None:
                    break
        if nxt is None:
            break
        chain.append(nxt)
        current = nxt
    return chain


def _preps_of(token: Word, depth: int = 0) -> list[tuple[str, Word]]:
    """Return (preposition, object) pairs under token, and one level further in.

    "called for sanctions against Nigeria" gives ("for", sanctions) and
    ("against", Nigeria). See _split_preps for the direct ones first.
    """
    direct, nested = _split_preps(token, depth)
    return direct + nested


def _split_preps(token: Word, depth: int = 0) -> tuple[list[tuple[str, Word]],
                                                        list[tuple[str, Word]]]:
    """Return (direct, nested) preposition pairs of a token."""
    out = []
    nested = []
    for child in token.children:
        # spaCy labels "to" in "sent aid to Pakistan" a dative: a preposition all the same
        if child.dep_ in {"prep", "agent"} or (child.dep_ == "dative" and child.pos_ == "ADP"):
            for grand in child.children:
                if grand.dep_ == "pobj":
                    for conj in _conjuncts(grand):
                        out.append((child.lemma_.lower(), conj))
                    if depth == 0:
                        nested.extend(_preps_of(grand, depth + 1))
                elif (grand.dep_ == "prep" and child.lower_ == "out"
                      and grand.lower_ == "of"):
                    # "pulled its troops out of Niger": out of a place is from it
                    out.extend(("from", conj) for g in grand.children if g.dep_ == "pobj"
                               for conj in _conjuncts(g))
    # nested phrases ("shared information on the plot with Saudi services") come last
    return out, nested


def _arguments(chain: list[Word]) -> tuple[list[Word], list[tuple[str, Word]]]:
    objects: list[Word] = []
    preps: list[tuple[str, Word]] = []
    nested: list[tuple[str, Word]] = []
    for verb in chain:
        for child in verb.children:
            if child.dep_ in OBJECT_DEPS and child.pos_ != "ADP":
                objects.extend(_conjuncts(child))
        direct, deeper = _split_preps(verb)
        preps.extend(direct)
        nested.extend(deeper)
    for obj in list(objects):
        direct, deeper = _split_preps(obj)
        preps.extend(direct)
        nested.extend(deeper)
    # phrases on the verb and its objects before phrases inside them
    return objects, preps + nested


def _complement_subjects(verb: Word) -> list[Word]:
    """Return subjects of a finite complement: "demanded that Baku release ..."."""
    out: list[Word] = []
    for child in verb.children:
        if child.dep_ == "ccomp" or for_clause(child):
            subs, _ = subjects_of(child)
            out.extend(subs)
    return out


def for_clause(verb: Word) -> bool:
    """Return True for a clause that "for" opens: "called for Russian troops to leave"
    (the parser makes "for" its mark and the clause an adverbial one)."""
    return verb.dep_ in {"advcl", "ccomp"} and any(
        c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)


def _is_negated(
    chain: list[Word], objects: list[Word], subjects: list[Word], grammar: Grammar
) -> bool:
    for k, verb in enumerate(chain):
        if any(c.dep_ == "neg" for c in verb.children):
            return True
        if verb.lemma_.lower() in grammar.negating and (
                k + 1 < len(chain) or any(c.dep_ == "dobj" for c in verb.children)):
            # "failed to intervene", "avoided a war"; but "the resolution failed after a
            # veto" says the veto took place
            return True
        if verb.lemma_.lower() in {"have", "be"} and any(
                c.dep_ == "advmod" and c.lower_ in grammar.not_yet for c in verb.children
        ) and any(c.dep_ == "xcomp" for c in verb.children):
            # "has yet to ratify the treaty": not done
            return True
        if any(c.dep_ in {"ccomp", "oprd"} and c.pos_ == "ADJ"
               and any(_negation(n) for n in c.children) for c in verb.children):
            # "found the defendant not guilty": the small clause's "not"
            return True
    for subj in subjects:
        # "Neither Baku nor Yerevan signed"
        if any(c.lower_ == "neither" and c.dep_ in {"preconj", "det", "cc"}
               for c in subj.children):
            return True
    head = chain[0].head
    if chain[0].dep_ in {"acl", "ccomp"} and any(
        c.dep_ == "det" and c.lower_ == "no" for c in head.children
    ):
        # "there is no evidence that Rwanda armed the rebels"
        return True
    for obj in [*objects, *subjects]:
        lemma = obj.lemma_.lower()
        if lemma in grammar.negative_objects or any(
            (c.dep_ == "det" and c.lemma_.lower() == "no") or _negation(c)
            for c in obj.children
        ):
            # "signed no deal", "found him not guilty"
            return True
    return False


def _negation(word: Word) -> bool:
    """Return True for a "not" of a word ("not guilty", which the parser may also
    hang as an adverb: "not-guilty")."""
    return word.dep_ == "neg" or (word.dep_ == "advmod" and word.lower_ == "not")


def _due(verb: Word, words: frozenset[str]) -> str | None:
    """Return the word of obligation an infinitive says is due ("it is time for Russia
    to withdraw", "it is high time for Moscow to release them"), else None."""
    if verb.dep_ in {"acl", "relcl"} and verb.head.dep_ == "attr":
        noun = verb.head
    elif for_clause(verb) and verb.head.lemma_.lower() == "be":
        noun = next((c for c in verb.head.children if c.dep_ in {"attr", "npadvmod"}
                     and c.lemma_.lower() in words), verb)
    else:
        return None
    return noun.lemma_.lower() if noun.lemma_.lower() in words else None


def _modality(
    verb: Word, chain: list[Word], grammar: Grammar, reported: bool, question: bool = False
) -> str | None:
    """Return why a clause is not a report of a real event (or None)."""
    if question:
        return "question"
    for ancestor in verb.ancestors:
        if ancestor.lemma_.lower() in grammar.hypothetical_verbs:
            return f"hypothetical:{ancestor.lemma_.lower()}"
    holder = verb.head.head
    if verb.tag_ == "VBG" and verb.head.lower_ == "of" \
            and holder.lemma_.lower() in grammar.hypothetical_nouns:
        # "denied allegations of shelling the town", "fears of attacking"
        return f"hypothetical:{holder.lemma_.lower()}"
    for above in (verb, *verb.ancestors):
        if above.dep_ in {"acl", "ccomp"} \
                and above.head.lemma_.lower() in grammar.hypothetical_nouns \
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in above.children):
            # "claims that Asmara arms a militia (which shells border towns)", "fears
            # that it will invade": what they say, not what happened
            return f"hypothetical:{above.head.lemma_.lower()}"
    content = verb
    while content.dep_ == "conj" and content.head is not content:
        content = content.head
    head = content.head
    if content.dep_ == "ccomp" and head is not content \
            and head.lemma_.lower() not in grammar.speech:
        # "the bill would allow people ... to be removed": what an unreal act would
        # bring about is unreal too
        modal = next((c.lower_ for c in head.children if c.dep_ == "aux"
                      and c.lower_ in grammar.hypothetical_modals), None)
        if modal is not None:
            return f"hypothetical:{modal}"
    for tok in chain[:-1]:
        # "analysts expect fighting to resume": what the chain leads to is expected
        if tok.lemma_.lower() in grammar.hypothetical_verbs:
            return f"hypothetical:{tok.lemma_.lower()}"
    infinitive = verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )
    if infinitive and (
        verb.head.lemma_.lower() in grammar.step_nouns
        or any(c.dep_ == "dobj" and c.lemma_.lower() in grammar.step_nouns
               for c in verb.head.children)
    ):
        # "took steps to ease the curfew": taking steps to do it is doing it
        return None
    due = _due(verb, grammar.obligation_modals) if infinitive else None
    if due is not None:
        # "it is time for Russia to withdraw": what must be done, asked of its subject
        return f"hypothetical:{due}"
    if infinitive and verb.dep_ in {"acl", "relcl"}:
        text = verb.head
        adopter = text.head.head if text.dep_ == "pobj" else text.head
        if (text.lemma_.lower() in grammar.instruments
                and adopter.lemma_.lower() in grammar.adopting):
            # "passed a resolution to expel the ambassador": what the text adopted says
            return None
        if text.lemma_.lower() in grammar.intention or text.lemma_.lower() == "intention":
            # "announced plans to challenge the law in court": an intention, which the
            # coder reads like the future tense (a threat, a promise)
            return "future"
        # "mechanisms to pressure Yerevan", "means to attack": a potential, not an act
        return "purpose"
    if infinitive and verb.dep_ == "advcl":
        # "sent experts to investigate": intended, like a promise or a threat
        return "future"
    node: Word | None = verb
    # whether the verb shares the auxiliaries of the verbs it hangs on
    sharing = True
    for _ in range(4):
        if node is None:
            break
        for child in node.children:
            lemma = child.lemma_.lower()
            if child.dep_ == "mark" and lemma in grammar.conditional_marks:
                return f"conditional:{lemma}"
            if child.dep_ == "aux" and lemma in grammar.hypothetical_modals and sharing:
                # "said it would allow": future-in-the-past of a reported intention
                if lemma == "would" and reported:
                    return "future"
                return f"hypothetical:{lemma}"
        if node.dep_ in {"conj", "xcomp"} and node.head is not node:
            sharing = sharing and _shares_auxiliaries(node)
            node = node.head
        else:
            break
    for k, tok in enumerate(chain):
        for child in tok.children:
            lemma = child.lemma_.lower()
            if child.dep_ == "aux" and lemma in grammar.hypothetical_modals and k:
                return f"hypothetical:{lemma}"
            if child.dep_ == "mark" and lemma in grammar.conditional_marks:
                # "has not decided whether to send": the chain is open
                return f"conditional:{lemma}"
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "aux" and child.lower_ in grammar.future_auxiliaries:
                return "future"
            # "is going to impose"
            if child.dep_ == "aux" and child.lower_ == "going" and node.tag_ == "VB":
                return "future"
        if node.dep_ in {"conj", "xcomp"} and node.head is not node \
                and _shares_auxiliaries(node):
            node = node.head
        else:
            break
    return None


def _shares_auxiliaries(verb: Word) -> bool:
    """Return True unless a conjoined verb shows it has auxiliaries (or none) of its own.

    "would close the border and expel the envoy" shares "would"; "said Russia
    would withdraw and blamed Kyiv" (a finite verb after a bare one) and "should
    be opened, and critics blame him" (a subject of its own) do not.
    """
    if verb.dep_ != "conj" or verb.tag_ == "VB":
        # a bare verb goes on its head's auxiliary, also after a subject of its own:
        # "the talks could collapse and the war resume"
        return True
    if any(c.dep_ in SUBJECT_DEPS or c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children):
        return False
    return not (verb.head.tag_ == "VB" and verb.tag_ in {"VBD", "VBZ"})


def _speech_context(verb: Word, grammar: Grammar) -> tuple[Word | None, list[Word]]:
    """Return the verb of saying carrying this clause and the speaker's heads."""
    node = verb
    for _ in range(4):
        if node.dep_ == "conj" and node.head is not node:
            node = node.head
            continue
        if node.dep_ in {"ccomp", "parataxis"} and node.head is not node:
            head = node.head
            if head.lemma_.lower() in grammar.speech:
                speakers, _ = subjects_of(head)
                return head, speakers
        break
    # "..., a Jordanian official confirmed." is parsed with the speech verb as root
    # and the reported clause as its ccomp, handled above; "according to X" is a prep.
    for child in verb.children:
        if child.dep_ == "prep" and child.lemma_.lower() == "accord":
            for grand in child.children:
                if grand.dep_ == "prep":
                    return None, [g for g in grand.children if g.dep_ == "pobj"]
    return None, []


def _position(verb: Word, reported: bool) -> str:
    if verb.dep_ == "ROOT" or misread_predicate(verb) or (
            verb.dep_ == "acl" and misread_participle(verb) is not None):
        # the sentence's predicate, whatever the parse hung it on
        return "root"
    if verb.dep_ == "acl":
        # "a bill signed by the minister": background to the sentence's news
        return "background"
    if reported:
        return "reported"
    if verb.dep_ == "conj":
        node = verb
        while node.dep_ == "conj" and node.head is not node:
            node = node.head
        return "root" if node.dep_ == "ROOT" else "embedded"
    if verb.dep_ in {"ccomp", "parataxis"}:
        return "complement"
    return "embedded"


def span_text(span: Span) -> str:
    """Return a span's text sliced from the document's string."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def clauses_in_sentence(sent: Span, grammar: Grammar,
                        quotations: Quotations | None = None) -> Iterator[Clause]:
    """Yield a Clause for every predicate in the sentence that is not an open complement;
    `quotations` are the document's, for the speaker of a quotation named elsewhere."""
    in_chain: set[int] = set()
    # the document's text sliced: Span.text rebuilds the string token by token
    question = span_text(sent).rstrip().rstrip('"”\'').endswith("?")
    for token in sentence_words(sent):
        # only verbs and auxiliaries head clauses: test that first, it is cheap
        if token.pos_ not in _PREDICATE_POS or not _is_predicate(token, grammar) \
                or token.i in in_chain:
            continue
        if token.dep_ in {"xcomp", "aux", "auxpass"}:
            continue
        chain = full = _chain(token, grammar)
        # aspect verbs ("began to shell", "decided to impose") hand over to their
        # complement; verbs of intention ("plans to impose") make it a future act
        intended = False
        while len(chain) > 1 and (
            chain[0].lemma_.lower() in grammar.aspect
            or (chain[0].lemma_.lower() in grammar.intention
                # "wants Stockholm to extradite them": wanting another to act is asking
                # it of them (lexicon directive), no intention of one's own
                and not any(c.dep_ == "dobj" for c in chain[0].children))
        ):
            intended = intended or chain[0].lemma_.lower() in grammar.intention or (
                # "is going to supply"
                chain[0].lemma_.lower() == "go" and chain[0].tag_ == "VBG"
            )
            chain = chain[1:]
        in_chain.update(t.i for t in chain)
        yield Clause(sent, token, tuple(chain), grammar, intended=intended, question=question,
                     handed=tuple(full[:len(full) - len(chain)]), quotations=quotations)


def extract_clauses(doc: Doc, grammar: Grammar) -> Iterator[Clause]:
    """Yield the clauses of every sentence of a parsed document, in order."""
    for sent in doc.sents:
        yield from clauses_in_sentence(sent, grammar)
