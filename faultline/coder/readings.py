"""How a clause reads: predicates over its words that decide whether and how the coder
codes it (a crowd or an authority as subject, a law as doer, a maxim, a standing state,
a purpose, a refusal's complement, a past-perfect history ...), and the prepositional
phrases it reaches. Each is one reading the coder (coder.clauses, coder.nominal)
applies to a clause or an event noun.
"""

from __future__ import annotations

from collections.abc import Sequence

from faultline.coder.lexicon import NO_EVENT, Lexicon
from faultline.coder.match import Match, entry_of_noun
from faultline.extract import Clause
from faultline.extract.tree import Word, doc_words
from faultline.models import Actor


def crowd(heads: Sequence[Word], actors: Sequence[Actor], lexicon: Lexicon) -> bool:
    """Return True when a clause's subjects are a crowd, not a state: a plural ("Serbians",
    "protesters") or a count ("thousands of ..."), none of them an authority."""
    if not heads or any((a.sector or "").lower() in lexicon.authorities for a in actors):
        return False
    return all(h.tag_ in {"NNS", "NNPS"} or h.lemma_.lower() in lexicon.partitives
               for h in heads)


def authority(heads: Sequence[Word], actors: Sequence[Actor], lexicon: Lexicon) -> bool:
    """Return True when a clause's subjects are a state or its authorities: a named
    country or capital ("Vietnam", "Hanoi"), a ministry, a government."""
    return bool(actors) and all(
        (a.sector or "").lower() in lexicon.authorities
        or (a.code and a.sector is None and a.org is None)
        for a in actors) and not any(h.tag_ in {"NNS", "NNPS"} for h in heads)


def instrument(clause: Clause, instruments: frozenset[str]) -> bool:
    """Return True when a clause's doer is a law, charter or treaty: "the constitution
    requires both houses to confirm", "the pact bans ...", "the majority required by
    the constitution", "the ruling permitting dual citizenship"."""
    verb = clause.chain[0]
    doers: Sequence[Word]
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        # a participle that describes a noun has it for doer
        doers = [verb.head]
    else:
        doers = [t for p, t in clause.preps if p == "by"] if clause.passive \
            else clause.subjects
    return bool(doers) and all(s.lemma_.lower() in instruments for s in doers)


def described(clause: Clause, match: Match, lexicon: Lexicon) -> bool:
    """Return True for a verbal act in a participle that describes a noun, with no doer:
    "people accused of crimes", "a person wanted by ..." are no accusation made."""
    verb = clause.chain[0]
    onto = lexicon.ontology
    return (verb.dep_ == "acl" and verb.tag_ == "VBN" and onto.is_verbal(match.entry.event)
            and not onto.is_cooperative(match.entry.event)
            and not any(p == "by" for p, _ in clause.preps))


def negated(clause: Clause, match: Match, demand: str) -> bool:
    """Return whether a matched clause is negated: "urged Iran not to enrich uranium"
    is a demand all the same, its "not" being what is demanded."""
    if clause.negated and any(o.startswith("not ") for o in match.entry.objects) \
            and not any(c.dep_ == "neg" for c in match.verb.children):
        # "pleaded not guilty": the "not" is part of what the entry matched
        return False
    if not clause.negated or match.entry.event != demand:
        return clause.negated
    k = clause.chain.index(match.verb)
    negs = [any(c.dep_ == "neg" for c in v.children) for v in clause.chain]
    return any(negs[:k + 1]) or not any(negs[k + 1:])


def refuses(verb: Word, refusing: frozenset[str]) -> bool:
    """Return True for a negated verb of accepting in the active voice: "will not
    accept", "does not recognise" (its own "not", not one of a verb above it; "has
    never recognised" is a stance kept, no act)."""
    return (verb.lemma_.lower() in refusing
            and any(c.dep_ == "neg" and c.lower_ != "never" for c in verb.children)
            and not any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children))


def reciprocal(verb: Word) -> bool:
    """Return True when a verb's object is "each other" or "one another", directly or
    after a preposition ("clashed with each other")."""
    heads = [c for c in verb.children if c.dep_ in {"dobj", "dative"}]
    heads += [g for c in verb.children if c.dep_ == "prep" for g in c.children
              if g.dep_ == "pobj"]
    return any((h.lower_ == "other" and any(c.lower_ == "each" for c in h.children))
               or (h.lower_ == "another" and any(c.lower_ == "one" for c in h.children))
               for h in heads)


def by_way_of_answer(verb: Word, response_verbs: frozenset[str]) -> bool:
    """Return True for the act a response is made by: "responded by recalling"."""
    head = verb.head
    return (verb.dep_ == "pcomp" and head.lower_ == "by"
            and head.head.lemma_.lower() in response_verbs)


def things(heads: Sequence[Word], actors: Sequence[Actor]) -> bool:
    """Return True when a clause's subjects are things, not actors: common nouns that
    resolve to no code and no sector ("the gun laws should be changed")."""
    return bool(heads) and not any(a.code or a.sector for a in actors) and all(
        h.pos_ == "NOUN" for h in heads)


def anyone(heads: Sequence[Word], lexicon: Lexicon) -> bool:
    """Return True when a clause's subjects are anyone at all: "people", "everyone", "any
    leader", "no country" (grammar.yaml anyone, hypothetical_determiners)."""
    return bool(heads) and all(
        h.lemma_.lower() in lexicon.anyone or any(
            c.dep_ == "det" and c.lower_ in lexicon.anyone_determiners for c in h.children)
        for h in heads)


def reported_obligation(clause: Clause, modals: frozenset[str]) -> bool:
    """Return True for "X said Y must ...": reported speech with a modal of obligation."""
    if clause.speech_verb is None:
        return False
    return (clause.modality or "").split(":")[-1] in modals


def alleged(clause: Clause, alleging: frozenset[str]) -> bool:
    """Return True for the content of a verb that alleges ("claimed the protesters were
    sent by the government", "alleged the ministry is hiding the figures"): whatever
    another is said to have done there is the speaker's allegation."""
    speech = clause.speech_verb
    return (speech is not None and speech.lemma_.lower() in alleging
            and clause.verb.dep_ == "ccomp" and clause.verb.head.i == speech.i)


def implicated(speech: Word, lexicon: Lexicon) -> list[Word]:
    """Return whom a verb of saying ties to a hostile act: "said Moscow was behind the
    attack", "said foreign agents were involved in the riots" (the subjects of
    its content); none when the content ties no one to one."""
    for content in (c for c in speech.children if c.dep_ == "ccomp"):
        words = [content, *(c for c in content.children if c.dep_ in {"acomp", "attr"})]
        for word in words:
            for prep in (c for c in word.children if c.dep_ == "prep"):
                # "was behind" (a preposition of the list after "be"), "were involved
                # in" (a word of the list with "in")
                tied = (prep.lower_ in lexicon.implicating
                        and content.lemma_.lower() == "be") or (
                    prep.lower_ == "in" and word.lower_ in lexicon.implicating)
                if not tied:
                    continue
                for act in (g for g in prep.children if g.dep_ == "pobj"):
                    entry = entry_of_noun(act, lexicon)
                    if entry is not None and entry.event != NO_EVENT \
                            and not lexicon.ontology.is_cooperative(entry.event):
                        return [c for c in content.children
                                if c.dep_ in {"nsubj", "nsubjpass"}]
    return []


#: Quotation marks, straight and curly.
QUOTES = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"})


def quoted_word(verb: Word, words: Sequence[Word]) -> bool:
    """Return True for a verb quoted on its own, a word named rather than an act told:
    placards saying "jailed", banners reading "arrested"."""
    i = verb.i
    return 0 < i < len(words) - 1 and words[i - 1].text in QUOTES \
        and words[i + 1].text in QUOTES


def standing(verb: Word, standing: frozenset[str]) -> bool:
    """Return True for a standing-relation verb in the simple present, active or passive
    ("supplies", "is allowed to export grain")."""
    return verb.lemma_.lower() in standing and (
        (verb.tag_ in {"VBZ", "VBP"}
         and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children))
        or present_passive(verb))


def state_since(verb: Word) -> bool:
    """Return True for a state kept since a time: "the border has been closed since
    1993", "the party has been banned since 2015" (a passive perfect with "since")."""
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return (bool({"has", "have"} & aux) and "been" in aux and verb.tag_ == "VBN"
            and any(c.dep_ == "prep" and c.lower_ == "since" for c in verb.children))


def standing_noun(word: Word) -> bool:
    """Return True for an act named as a state one is in: "is under Western sanctions",
    "has been the subject of sanctions since 2011" (a state, not an event)."""
    prep = word.head
    if word.dep_ != "pobj" or prep.dep_ != "prep":
        return False
    holder = prep.head
    if prep.lower_ == "under":
        return holder.lemma_.lower() in {"be", "remain", "stay"}
    return (prep.lower_ == "of" and holder.dep_ == "attr"
            and holder.head.lemma_.lower() == "be"
            and any(c.dep_ == "prep" and c.lower_ == "since"
                    for t in (holder, holder.head) for c in t.children))


def cause(word: Word, causing: frozenset[str]) -> Word | None:
    """Return the verb whose subject caused the act a noun names, or None: "the bill
    sparked protests", "provoked anger and protests" (a later conjunct too)."""
    while word.dep_ == "conj" and word.head is not word:
        word = word.head
    head = word.head
    return head if word.dep_ == "dobj" and head.lemma_.lower() in causing else None


def undergoer(word: Word, undergoing: frozenset[str]) -> Word | None:
    """Return the verb whose subject undergoes the act a noun names, or None:
    "received a sentence", "came under attack", "was the target of an attack"."""
    head = word.head
    if word.dep_ == "dobj" and head.lemma_.lower() in undergoing:
        return head
    if word.dep_ != "pobj" or head.dep_ != "prep":
        return None
    holder = head.head
    if head.lower_ == "under" and holder.lemma_.lower() == "come":
        # ("is under attack" is a state: standing_noun)
        return holder
    if (head.lower_ == "of" and holder.dep_ == "attr" and holder.lemma_.lower()
            in {"target", "victim", "object"} and holder.head.lemma_.lower() == "be"):
        return holder.head
    return None


def accompanying(word: Word, preps: frozenset[str]) -> Word | None:
    """Return the verb an event noun goes with, or None: "said during a meeting with
    Modi", "spoke after talks with the Chinese premier" (the noun in a phrase of time
    on the verb, with its other party named)."""
    head = word.head
    if word.dep_ != "pobj" or head.dep_ != "prep" or head.lower_ not in preps:
        return None
    if not any(c.dep_ == "prep" and c.lower_ == "with"
               and any(o.dep_ == "pobj" for o in c.children) for c in word.children):
        return None
    holder = head.head
    return holder if holder.pos_ in {"VERB", "AUX"} else None


def complement(verb: Word) -> bool:
    """Return True for a gerund or infinitive that completes its head verb ("ruled out
    recognising", "refused to sign"), not an adjunct set off by a comma ("rejected the
    claim, accusing Kyiv of lying")."""
    head = verb.head
    if verb.dep_ not in {"advcl", "xcomp"} or verb.tag_ not in {"VBG", "VB"} or head is verb:
        return False
    words = doc_words(verb.doc)[min(head.i, verb.i):max(head.i, verb.i)]
    return not any(w.text == "," for w in words)


def purpose(verb: Word) -> Word | None:
    """Return the infinitive of purpose a verb is or hangs on ("met to discuss", "sent
    troops to help fight the rebels"), else None."""
    while verb.dep_ == "xcomp" and verb.head is not verb:
        verb = verb.head
    if verb.dep_ == "advcl" and verb.tag_ == "VB" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return verb
    return None


def background(verb: Word, history_units: frozenset[str] = frozenset()) -> bool:
    """Return True for a past-perfect passive relative clause, which tells a noun's
    history rather than news: "a treaty with Iran, which had been agreed under Obama",
    "the outlet that had been ordered to close weeks before"; and for a clause about a
    noun said to be years old ("murders committed years ago": `history_units`)."""
    aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    if verb.dep_ == "relcl" and verb.tag_ == "VBN" and {"had", "been"} <= aux:
        return True
    return verb.dep_ in {"acl", "relcl"} and any(
        c.lower_ == "ago" and any(g.lemma_.lower() in history_units for g in c.children)
        for c in verb.children)


def present_passive(verb: Word) -> bool:
    """Return True for a simple present passive with no agent: "the party is banned",
    "envoys are limited to two terms" tell how things stand, not what was done. (A
    standing charge, "is accused of", is still someone's word: verbal types stay.)"""
    if verb.tag_ != "VBN" or any(c.dep_ == "agent" for c in verb.children):
        return False
    aux = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    return bool(aux) and all(c.dep_ == "auxpass" and c.tag_ in {"VBZ", "VBP"} for c in aux)


def has_unless(verb: Word) -> bool:
    """Return True when a clause is conditioned by "unless": a threat, not a promise."""
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in verb.children
    )


def object_controller(clause: Clause, match: Match, using: frozenset[str] = frozenset()
                      ) -> Word | None:
    """Return the object that controls the matched verb ("urged X to ...", "led X to"),
    not one a verb of `using` names as the means ("used the hills to ambush the
    convoy": the user ambushes)."""
    k = clause.chain.index(match.verb)
    if k == 0:
        return None
    previous = clause.chain[k - 1]
    if previous.lemma_.lower() in using:
        return None
    for child in previous.children:
        if child.dep_ in {"dobj", "dative"}:
            return child
    return None


def peacekeeping(token: Word, peacekeepers: frozenset[str]) -> bool:
    """Return True when a noun phrase is about peacekeepers ("NATO peacekeeping troops")."""
    words = [token, *(g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj")]
    return any(t.lemma_.lower() in peacekeepers or any(
        c.lemma_.lower() in peacekeepers for c in t.children
    ) for t in words)


def preps_of_verb(verb: Word) -> list[tuple[str, Word]]:
    return [(c.lower_, g) for c in verb.children
            if c.dep_ == "prep" or (c.dep_ == "dative" and c.pos_ == "ADP")
            for g in c.children if g.dep_ == "pobj"]
