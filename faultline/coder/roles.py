"""Who did it to whom: the source and target actors of a clause or of an event noun.

The roles are read off the parse (subjects, objects, the prepositions a lexicon
entry names, "by" phrases of passives and event nouns, the purposes and
conditions of an act), best first; each candidate word is resolved to actors
(resolve.actors) and the first that has a code is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import TYPE_CHECKING

from faultline.coder import readings
from faultline.coder.lexicon import NO_EVENT, Entry, Lexicon
from faultline.coder.match import Match, entry_of_noun, objects_of, phrase_objects
from faultline.extract import Clause
from faultline.extract.parsed import ParsedDoc
from faultline.extract.tree import Word, opposed
from faultline.models import Actor
from faultline.resolve.datetext import calendar_words
from faultline.resolve.mentions import PLACE_KINDS, TOWN_KINDS
from faultline.resolve.scenes import place_words

if TYPE_CHECKING:
    from spacy.tokens import Span

#: Kinds of name of a place where something happens: a town, a region, a capital.
_WHERE = TOWN_KINDS | {"capital"}


class Roles:
    """Finds the sources and targets of the events of one parsed document."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon) -> None:
        self.parsed = parsed
        self.lexicon = lexicon
        self.actors = parsed.actors

    def resolve_all(self, heads: Sequence[Word], speaker: Sequence[Actor] = ()) -> list[Actor]:
        """Return the actors the heads name, each once, in the order of the heads."""
        out: list[Actor] = []
        for head in heads:
            for actor in self.actors.resolve(head, speaker):
                if actor not in out:
                    out.append(actor)
        return out

    def of_clause(
        self, clause: Clause, match: Match, subjects: list[Actor], speaker: list[Actor]
    ) -> tuple[list[Actor], list[Actor]]:
        """Return (sources, targets) for a matched clause."""
        verbs = [match.complement_verb, match.verb] if match.complement_verb else [match.verb]
        if match.complement_verb and any(c.dep_ in {"dobj", "dative"}
                                         for c in match.verb.children):
            # "told Minsk to release the journalists", "telephoned Seoul to discuss
            # Pyongyang": whom the act addressed comes first
            verbs.reverse()
        sent = [s for s in clause.subjects if s.lemma_.lower() in self.lexicon.projectiles]
        if sent and match.entry.subjects and not any(a.code for a in subjects):
            return self._of_projectile(sent, match.verb, speaker)
        # "is committed to", "is prepared to": adjectives of commitment, not passives
        adjectival = clause.chain[0].lower_ in self.lexicon.grammar.commit_adjectives
        if clause.passive and not adjectival:
            agents = [tok for prep, tok in clause.preps if prep == "by"]
            # "two soldiers were killed in clashes with Armenian forces", "... in an
            # attack by the rebels": the other side of the fighting did it
            events = [tok for prep, tok in clause.preps if prep in {"in", "during"}
                      and entry_of_noun(tok, self.lexicon) is not None]
            agents += [o for tok in events for o in phrase_objects(tok, ["by", "with"])]
            # "were killed in an Ethiopian drone strike": whose the strike was, not its
            # target
            agents += events
            # "a pact signed between Ethiopia and Somalia": the parties did it
            between = [tok for prep, tok in clause.preps if prep in {"between", "among"}]
            agents += between
            named = next((s for s in clause.subjects if match.entry.noun is not None
                          and entry_of_noun(s, self.lexicon) is match.entry), None)
            if named is not None:
                # "Lebanon's appeal to Iraq was made public", "an attack on the convoy
                # was carried out by Hamas": the subject is the event, not its target
                sources, targets = self.of_noun(named, match.entry, None, speaker)
                return sources or self.first_with_code(agents, speaker=speaker), targets
            if any(a.code for a in subjects):
                return self.first_with_code(agents, speaker=speaker), subjects
            # "ties with Israel were severed by Bolivia": the target is in the subject;
            # "tents were airlifted to Morocco by Qatar": or in the verb's phrases
            patients = [*clause.subjects,
                        *(t for s in clause.subjects for _, t in readings.preps_of_verb(s)),
                        *(t for p, t in readings.preps_of_verb(match.verb)
                          if p in self.lexicon.target_preps and t not in events
                          and t not in between)]
            return (self.first_with_code(agents, speaker=speaker),
                    self.first_with_code(patients, speaker=speaker) or subjects)
        verb = match.verb
        if not subjects and verb.tag_ == "VBG" and verb.dep_ in {"pobj", "dobj", "nsubj"}:
            # a gerund used as a noun: "the shooting down of a flight by Russian air
            # defence" -- the doer is in a "by" phrase, the target in the "of" phrase
            of_objects = phrase_objects(verb, ["of"])
            doers = [*phrase_objects(verb, ["by"]),
                     *(b for o in of_objects for b in phrase_objects(o, ["by"]))]
            return (self.first_with_code(doers, speaker=speaker),
                    self.first_with_code(of_objects, speaker=speaker))
        subject_ids = {a.start for a in subjects}
        # made one by one: the first with a code ends the search, and most often
        # that is one of the first
        judged = match.entry.noun is None and self.lexicon.ontology.is_verbal(
            match.entry.event)
        # "vowed revenge for the killing of its general": whoever killed him, not him
        candidates = (d for c in self._target_candidates(clause, match, verbs)
                      if c.i not in subject_ids
                      for d in (self._doers(c) if judged and self._of_patient(c) else [c]))
        own = {a.code for a in subjects if a.code}
        if len(own) > 1 and readings.reciprocal(match.verb):
            # "Armenia and Azerbaijan blamed each other": each did it to the other
            return subjects, list(subjects)
        targets = self.first_with_code(candidates, own, speaker)
        if not any(a.code for a in targets):
            # "a Burkinabe raid on a Malian village killed seven herders": whom the
            # raid named as its subject was aimed at
            aimed = [a for s in clause.subjects
                     if (act := entry_of_noun(s, self.lexicon)) is not None
                     and act.event == match.entry.event
                     for a in self.of_noun(s, act, None, speaker)[1] if a.code]
            targets = aimed or targets
        return subjects, targets

    def _of_projectile(self, sent: list[Word], verb: Word, speaker: list[Actor]
                       ) -> tuple[list[Actor], list[Actor]]:
        """Return (sources, targets) of an act told by what it sent ("rockets fired from
        Lebanon hit Kiryat Shmona", "an Azerbaijani shell hit Sotk"): its origin named
        by the thing itself or a "from" phrase, and the place it arrived at."""
        launches = [c for s in sent for c in s.children if c.dep_ == "acl"]
        # (the parser may make "fired" the main verb and "landed" hang on it)
        verbs = [verb, *(c for c in verb.children if c.dep_ in {"advcl", "conj", "xcomp"}
                         and c.pos_ == "VERB")]
        if verb.dep_ in {"advcl", "conj", "xcomp"}:
            verbs.append(verb.head)
        origins = [*sent, *(o for h in [*sent, *launches, *verbs]
                            for o in phrase_objects(h, ["from"]))]
        sources = self.first_with_code(origins, speaker=speaker)
        places = [*(o for v in verbs for o in objects_of(v)),
                  *(t for v in verbs for p, t in readings.preps_of_verb(v)
                    if p in self.lexicon.location_preps or p in {"into", "on"})]
        return sources, self.first_with_code(places, {a.code for a in sources if a.code},
                                             speaker)

    def _target_candidates(self, clause: Clause, match: Match, verbs: list[Word]
                           ) -> Iterator[Word]:
        """Yield the heads that may name an active clause's target, best first."""
        verb = match.verb
        preferred = list(match.entry.preps)
        # the entry's own prepositions first ("withdrew troops from X": X), and
        # whoever did what they name ("spoke out against the raid by the police")
        yield from (t for p in preferred for q, tok in clause.preps if q == p
                    for t in (tok, *phrase_objects(tok, ["by"])))
        # "staged an anti-Japan rally": whom the rally named by the act is against
        if match.entry.noun is not None:
            yield from (m for head in verbs for o in objects_of(head)
                        if entry_of_noun(o, self.lexicon) is match.entry
                        for m in self._opposed(o))
        # "fired on and boarded a tanker": a preposition left without its object
        # shares the object of the verb conjoined after it
        for head in verbs:
            if any(c.dep_ == "prep" and not any(g.dep_ in {"pobj", "pcomp"}
                                                for g in c.children) for c in head.children):
                yield from (o for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB"
                            for o in objects_of(c) if o.dep_ != "nsubjpass")
        lexicon = self.lexicon
        coding = lexicon.ontology.coding
        if match.entry.noun and (match.entry.of_role or (
            "target" if match.entry.event in coding.of_target else "source"
        )) == "target":
            # "mounted an invasion of South Lebanon": the noun's "of" phrase
            yield from (o for n in objects_of(verb) for o in phrase_objects(n, ["of"]))
        judged = match.entry.noun is None and lexicon.ontology.is_verbal(match.entry.event)
        for verb in verbs:
            for obj in objects_of(verb):
                if obj.dep_ == "nsubjpass":
                    continue
                if judged and self._of_patient(obj):
                    # "condemned the arrest of the priests": whoever arrested them, named
                    # here or by the act before (coder.coder _answering), not the priests
                    yield from self._doers(obj)
                    continue
                if match.entry.noun is None or entry_of_noun(obj, lexicon) is not match.entry:
                    # ("launched a military operation": the act, not whom it hit)
                    yield obj
                # "rejected calls by Belarus": whoever made the rejected call;
                # "cut ties with France", "support for Kyiv": the partner of a relation
                # "overturned the convictions of two deputies": whose conviction
                yield from phrase_objects(obj, ["by", "from", "with", "for", "of"])
                # "expressed readiness to reopen the railway with Turkey"
                for clause_of in (c for c in obj.children if c.dep_ in {"acl", "relcl"}):
                    yield from (tok for _, tok in readings.preps_of_verb(clause_of))
        yield from clause.complement_subjects
        # "warned it would cut ties with France": the content names the target (not
        # of a denial: "denied its forces had targeted civilians" answers the accuser)
        contents = [] if match.entry.event in coding.answers else [
            c for c in match.verb.children if c.dep_ == "ccomp"]
        for content in contents:
            objects = [o for o in objects_of(content) if o.dep_ != "nsubjpass"]
            yield from objects
            yield from (w for o in objects for w in phrase_objects(o, ["with"]))
            yield from (tok for _, tok in readings.preps_of_verb(content))
            for obj in objects_of(content):
                yield from (tok for _, tok in readings.preps_of_verb(obj))
        # "warned it would use force if Armenia did not open the road": whom the
        # condition is put to
        marks = self.lexicon.grammar.conditional_marks
        for holder in [*verbs, *(c for c in match.verb.children if c.dep_ == "ccomp")]:
            for condition in (c for c in holder.children if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in marks for m in c.children)):
                yield from (c for c in condition.children if c.dep_ in {"nsubj", "nsubjpass"})
        wanted = [p for p in self.lexicon.target_preps if p not in preferred]
        onto = self.lexicon.ontology
        if onto.is_verbal(match.entry.event) and onto.is_cooperative(match.entry.event):
            # "held talks in Geneva", "signed an accord in Havana": where, not with whom
            wanted = [p for p in wanted if p not in lexicon.location_preps]
        if match.entry.event in coding.talk:
            # "agreed to resume talks on Kashmir": what about, not with whom
            wanted = [p for p in wanted if p not in lexicon.topic_preps]
        if not onto.is_cooperative(match.entry.event):
            # "lodged a protest after Chinese ships entered its waters", "sent frigates
            # after Athens signed the deal": acts of conflict answer whoever did
            # what they came after
            causes = self.lexicon.cause_marks
            for cause in (c for v in verbs for c in v.children if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in causes for m in c.children)):
                yield from (c for c in cause.children if c.dep_ in {"nsubj", "agent"})
        by_prep = sorted(
            (pair for pair in clause.preps if pair[0] in wanted),
            key=lambda pair: wanted.index(pair[0]),
        )
        yield from (tok for _, tok in by_prep)
        # "advocated for blocking Russian broadcasts", "called for expelling the envoy":
        # whom the act asked for is done to
        for verb in verbs:
            for prep in (c for c in verb.children if c.dep_ == "prep"):
                for act in (g for g in prep.children if g.dep_ == "pcomp" and g.pos_ == "VERB"):
                    yield from (o for o in objects_of(act) if o.dep_ != "nsubjpass")
        # "began a hunger strike to protest against Sweden's decision",
        # "demonstrated, calling for independence from Iraq": the purpose names the target
        # ("condemned the raid, calling it an act of war against Chad": a description of the
        # judged act, whose words name no target)
        purposes = [c for v in verbs for c in v.children
                    if c.dep_ in {"advcl", "xcomp"} and c.pos_ == "VERB"
                    and not (c.lemma_.lower() in lexicon.describing
                             and any(o.dep_ == "dobj" for o in c.children))]
        # "to help defend Saudi Arabia": through the purpose's own complement too, and
        # what a promise has or lets others do ("agreed to have its coast guard train
        # Chilean crews", "to allow the banker to be handed over to Poland")
        purposes += [c for p in purposes for c in p.children if c.pos_ == "VERB" and (
            c.dep_ == "xcomp" or (c.dep_ == "ccomp" and p.dep_ == "xcomp" and p.head in verbs))]
        for child in purposes:
            objects = [o for o in objects_of(child) if o.dep_ != "nsubjpass"]
            yield from objects
            yield from (tok for _, tok in readings.preps_of_verb(child))
            # "to allow the delivery of grain to Afghanistan"
            yield from (tok for o in objects for _, tok in readings.preps_of_verb(o))
        if clause.verb.dep_ == "advcl":
            # "sent experts to Bosnia to investigate ...": where the main act went
            yield from (tok for p, tok in readings.preps_of_verb(clause.verb.head)
                        if p in self.lexicon.target_preps)

    def _opposed(self, noun: Word) -> list[Word]:
        """Return the names a noun is said to be against: "an anti-Japan rally"."""
        return [m for m in noun.children if m.dep_ in {"amod", "compound", "nmod"}
                and opposed(self.parsed.words, m.i)]

    @staticmethod
    def _doers(tok: Word) -> list[Word]:
        """Return the words that name who did what an event noun names: its possessor
        ("Russia's seizure") and its "by" phrase."""
        return [*(c for c in tok.children if c.dep_ == "poss"), *phrase_objects(tok, ["by"])]

    def _of_patient(self, tok: Word) -> bool:
        """Return True for an event noun whose "of" phrase names whom the act was done
        to ("the arrest of the priests"), not who did it ("the withdrawal of troops")."""
        act = entry_of_noun(tok, self.lexicon)
        if act is None or act.event == NO_EVENT or not phrase_objects(tok, ["of"]):
            return False
        coding = self.lexicon.ontology.coding
        return (act.of_role or ("target" if act.event in coding.of_target
                                else "source")) == "target"

    def of_noun(
        self, tok: Word, entry: Entry, clause: Clause | None, speaker: list[Actor]
    ) -> tuple[list[Actor], list[Actor]]:
        """Return (sources, targets) of the event noun tok names with lexicon entry
        `entry` ("the arrest of X by Y"), in `clause` when a clause governs it."""
        coding = self.lexicon.ontology.coding
        location_preps = self.lexicon.location_preps
        of_role = entry.of_role or ("target" if entry.event in coding.of_target else "source")
        sources = [a for a in self.actors.resolve(tok, speaker, follow_of=False) if a.code]
        sources = sources or self.first_with_code(phrase_objects(tok, ["by"]))
        # "the attack, reportedly conducted by the Taliban": the agent of a participle
        # (which the parser may hang on the verb before: "died in the attack, ...")
        governor = tok.head.head if tok.dep_ == "pobj" else tok.head
        participles = [c for c in tok.children if c.dep_ == "acl"] + [
            c for c in governor.children if c.dep_ == "advcl" and c.tag_ == "VBN"
            and 0 < c.left_edge.i - tok.right_edge.i <= 2]
        sources = sources or self.first_with_code(
            [a for c in participles for a in phrase_objects(c, ["by"])])
        # "the shooting down of a flight by Russian air defence": the parser often
        # hangs the "by" phrase on the object
        of_heads = [h for o in phrase_objects(tok, ["of"])
                    for h in [o, *(c for c in o.children if c.dep_ == "appos")]]
        sources = sources or self.first_with_code(
            [a for o in of_heads for a in phrase_objects(o, ["by"])]
        )
        # "a meeting between the Indian and Chinese ministers": both take part
        sources = sources or self.first_with_code(phrase_objects(tok, ["between", "among"]))
        if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in self.lexicon.occurrence:
            # "clashes broke out between Indian and Chinese troops": the parser hangs
            # the parties on the verb
            sources = sources or self.first_with_code(
                phrase_objects(tok.head, ["between", "among"]))
        of_objects = phrase_objects(tok, ["of"])
        # "the detentions of Ugandan citizens in Mombasa": whom it was done to
        # before where
        targets = self.first_with_code(of_objects, {a.code for a in sources if a.code}) \
            if of_role == "target" else []
        # "an anti-Japan rally", "anti-American protests": whom it is against
        targets = targets or self.first_with_code(
            self._opposed(tok), {a.code for a in sources if a.code})
        targets = [a for a in targets if a.code] or self.first_with_code(
            # "from X" is where a withdrawal leaves; elsewhere it names the doer's origin
            phrase_objects(tok, [p for p in self.lexicon.target_preps
                                if p != "from" or entry.event in coding.from_target])
            # "the pledge to train Moldovan police": the target of what was pledged
            + [o for c in tok.children if c.dep_ in {"acl", "relcl"}
               for o in [*objects_of(c), *(t for _, t in readings.preps_of_verb(c))]],
            # "Russia's refusal to acknowledge its fault": its own, not a target
            {a.code for a in sources if a.code},
        )
        if of_objects:
            if of_role == "target" and not targets:
                # "the shelling of positions in northern Iraq": where, if not whose
                targets = self.first_with_code([
                    *of_objects,
                    *(t for o in of_objects for p, t in readings.preps_of_verb(o)
                      if p in location_preps),
                ])
            elif of_role == "source" and not sources:
                sources = self.first_with_code(of_objects)
        if not targets and tok.dep_ in {"nsubj", "nsubjpass"}:
            # "the deployment of NATO troops arrived in Bosnia"
            targets = self.first_with_code(
                [t for p, t in readings.preps_of_verb(tok.head) if p in self.lexicon.target_preps],
                {a.code for a in sources if a.code},
            )
        underwent = readings.undergoer(tok, self.lexicon.undergoing)
        caused = readings.cause(tok, self.lexicon.causing)
        # ("was the target of an attack", "provoked anger and protests": the verb
        # is the clause's, not the noun's)
        met = readings.accompanying(tok, self.lexicon.meeting_preps)
        verb = underwent or caused or (tok.head.head if tok.dep_ == "pobj" else tok.head)
        if clause is not None and verb.i == clause.verb.i or (
            clause is not None and verb in clause.chain
        ):
            responding = (
                tok.dep_ == "pobj" and verb.lemma_.lower() in self.lexicon.response_verbs
            )
            acting = (
                tok.dep_ in {"dobj", "attr"}
                and verb.lemma_.lower() not in self.lexicon.grammar.speech
                and verb.lemma_.lower() not in self.lexicon.describing
                and verb.lemma_.lower() not in self.lexicon.causing
                and verb.lemma_.lower() not in self.lexicon.undergoing
            )
            if caused is not None or (underwent is not None and underwent in clause.chain):
                # "the bill sparked protests", "the decision drew criticism from
                # Greece": others acted, against whoever the cause belongs to; "the
                # minister received a sentence", "the village came under attack",
                # "the convoy was the target of an attack": against whoever underwent it
                sources = sources or self.first_with_code(
                    [*phrase_objects(tok, ["from", "by"]), *phrase_objects(verb, ["from", "by"])])
                # ("the arrest of the journalists by Russian police drew protests": the
                # act that caused them is the doer's)
                causes = [(s, act) for s in clause.subjects if caused is not None
                          and (act := entry_of_noun(s, self.lexicon)) is not None]
                doers = [a for s, act in causes
                         for a in self.of_noun(s, act, None, speaker)[0] if a.code]
                targets = targets or doers or self.resolve_all(clause.subjects, speaker)
            if acting or responding or met is not None:
                # "Russia ratcheted up attacks", "Baku responded with arrests",
                # "the response was greeted with condemnation by Aliyev"
                subjects = self.resolve_all(clause.subjects, speaker)
                if clause.passive:
                    agents = self.first_with_code(
                        [t for p, t in clause.preps if p == "by"]
                    )
                    sources = sources or agents
                    targets = targets or subjects
                else:
                    sources = sources or subjects
                if not targets:
                    aimed = [c for c in verb.children
                             if c.dep_ in {"advcl", "xcomp"}
                             and c.lemma_.lower() in self.lexicon.target_verbs]
                    targets = self.first_with_code(
                        [o for a in aimed for o in objects_of(a)]
                        + [o for a in aimed for o in phrase_objects(a, ["at", "against"])]
                    )
        if entry.reverse:
            sources, targets = targets, sources
        authority = coding.authority_sector(entry.event, entry.mode)
        if authority is not None and not any(a.code for a in sources):
            # "three suicide bombings took place in Tunisia": where its clause says
            heads = [tok, tok.head] if tok.dep_ in {"nsubj", "nsubjpass"} and (
                tok.head.lemma_.lower() in self.lexicon.occurrence) else [tok]
            sources = self.authority_at(heads, authority) or sources
            if not sources and entry.event in coding.crowds and (tok.dep_ in {
                    "nsubj", "nsubjpass", "dobj", "ROOT"} or (
                    tok.dep_ == "pobj" and tok.head.lower_ not in self.lexicon.setting_preps)
                    or readings.cause(tok, self.lexicon.causing) is not None):
                # "the reform sparked protests", "after days of protests": the
                # civilians of where the text is set (not the protests an act was
                # done "in" or "during": told before)
                sources = self.actors.authority(tok, authority)
        return sources, targets

    def first_with_code(
        self,
        heads: Iterable[Word],
        own: AbstractSet[str] = frozenset(),
        speaker: Sequence[Actor] = (),
    ) -> list[Actor]:
        """Return the actors of the first head that has a code; else the first actors.

        Actors whose code is borrowed from a pronoun naming the source itself
        ("withdrew its troops") are the source's own, not a target; and a head
        of the source's own country ("closed the Upper Lars checkpoint to
        Georgian trucks") gives way to a later one of another country.
        """
        fallback: list[Actor] = []
        same: list[Actor] = []
        for head in heads:
            actors = [a for a in self.actors.resolve(head, speaker)
                      if not (a.borrowed and a.code in own)]
            coded = [a for a in actors if a.code]
            if coded and not {a.code for a in coded} <= own:
                return actors
            if coded and not same:
                same = actors
            if not fallback and actors and self._names_actor(head, actors):
                fallback = actors
        return same or fallback

    def _names_actor(self, head: Word, actors: Sequence[Actor]) -> bool:
        """Return True if an uncoded head still names an actor: it has a sector
        ("rebels") or is a name ("Islamic Salvation Front"), but is neither a date
        ("Saturday", "December") nor a common noun ("the declaration")."""
        if any(a.code or a.sector for a in actors):
            return True
        calendar = calendar_words()
        # "mid-August": the month is a child, or the word after a hyphen
        near = self.parsed.words[head.i + 1:head.i + 3]
        joined = near[1:] if near and near[0].text == "-" else []
        return head.pos_ == "PROPN" and head.text[:1].isalpha() and not any(
            w.lower_.rstrip(".") in calendar for w in [head, *head.children, *joined]
        )

    def authority_at(self, heads: Sequence[Word], sector: str) -> list[Actor]:
        """Return the authority of the place an arrest or an attack happened in.

        "were detained in Yekaterinburg", "the arrest of dozens in the city of
        Yekaterinburg": whoever arrests people in Russia is the Russian state. An
        attack by nobody named ("a roadside bomb near Samarra killed ...") is coded,
        as PLOVER does, to unidentified armed forces (UAF) of the country it was in.
        `sector` is that of the authority (plover.yaml coding: authority).
        """
        location_preps = self.lexicon.location_preps
        for head in heads:
            for tok in head.subtree:
                if tok.dep_ != "pobj" or tok.head.lower_ not in location_preps:
                    continue
                for place in place_words(tok, self.actors.rules.place_preps):
                    hit = self.parsed.mentions.names.get(place.i)
                    if hit is not None and hit.entry.kind in PLACE_KINDS:
                        return [Actor(text=place.text, code=hit.entry.code, sector=sector,
                                      start=place.i, end=place.i + 1)]
        return []

    def town(self, actor: Actor) -> bool:
        """Return True when an actor is a place named as such (a city or a region, not a
        country or its capital)."""
        hit = self.parsed.mentions.names.get(actor.start)
        return hit is not None and hit.entry.kind in TOWN_KINDS

    def complete(
        self, sent: Span, sources: list[Actor], targets: list[Actor], event: str = ""
    ) -> tuple[list[Actor], list[Actor]]:
        """Give actors known only by their sector ("the president", "police") a country
        (resolve.actors.DocActors.complete), and an act of `event` with no target one."""
        sources, targets = self.actors.complete((sent.start, sent.end), sources, targets)
        targets = self._beyond_forum(sent, event, sources, targets)
        return sources, self._scene(sent, event, sources, targets) \
            or self._named_other(sent, event, sources, targets) \
            or self._domestic(sources, targets)

    def _beyond_forum(self, sent: Span, event: str, sources: list[Actor],
                      targets: list[Actor]) -> list[Actor]:
        """Return the targets of a complaint or a denial, the other side its sentence
        names instead of the court or body that hears the case (grammar forums): "filed
        a case at the ICJ over its border with Chile" is against Chile. Not the body
        itself accused ("accused the ICC of bias"), nor its seat ("in The Hague")."""
        lexicon, words = self.lexicon, self.parsed.words
        if event not in lexicon.ontology.coding.answers and event != lexicon.blame.event:
            return targets
        if not targets or not all(
                (a.org or "").lower() in lexicon.forums and a.end > a.start and (
                    words[a.end - 1].dep_ not in {"dobj", "nsubjpass"}
                    or words[a.end - 1].pos_ != "PROPN") for a in targets):
            return targets
        names = self.parsed.mentions.names
        seat = {w.i for a in targets for w in words[a.end - 1].subtree} | {
            w.i for w in words[sent.start:sent.end]
            if w.dep_ == "pobj" and w.head.lower_ in lexicon.location_preps
            and (hit := names.get(w.i)) is not None and hit.entry.kind in _WHERE
            for w in w.subtree}
        return self._named_other(sent, event, sources, [], seat) or targets

    def _named_other(self, sent: Span, event: str, sources: list[Actor],
                     targets: list[Actor], skip: AbstractSet[int] = frozenset()
                     ) -> list[Actor]:
        """Return the target of an act whose text names none, when its sentence names one
        country besides the doer's: that country ("called for duties on Brazilian
        steel", "agreed to send its navy to patrol near Japanese waters"); none
        otherwise (two others leave it open, and no other leaves the act at home). What
        the doer's own words name is not another side ("the envoy for the Sudan talks
        resigned"), nor whom the act it answers was done to ("vowed revenge for the
        killing of the Lebanese commander")."""
        if not event or any(a.code for a in targets):
            return []
        own = {a.code for a in sources if a.code}
        if len(own) != 1:
            return []
        words = self.parsed.words
        skip = set(skip) | {w.i for a in sources if a.end > a.start
                            for w in words[a.end - 1].subtree}
        skip |= {w.i for prep in words[sent.start:sent.end]
                 if prep.dep_ == "prep" and prep.lower_ in self.lexicon.reason_preps
                 and prep.head.pos_ == "NOUN" for w in prep.subtree}
        # ("under an Egyptian-brokered truce": the broker is no other side)
        skip |= {w.i for broker in words[sent.start:sent.end]
                 if broker.dep_ == "amod" and broker.lower_ in self.actors.rules.brokering
                 for w in broker.subtree}
        named = set(self.actors.scenes.named(sent.start, sent.end, skip)) - own
        if len(named) != 1:
            return []
        return [Actor(text="", code=named.pop(), home="scene")]

    def _scene(self, sent: Span, event: str, sources: list[Actor], targets: list[Actor]
               ) -> list[Actor]:
        """Return the target of an act whose text names none, by a doer from another
        country than the one the sentence is set in (the place it names, else the
        document's): that country ("Russian agents planted the bomb", in a story set in
        Ukraine; "Turkey sent rescue teams", in one set in Syria); none otherwise."""
        onto = self.lexicon.ontology
        if not event or any(a.code for a in targets):
            return []
        own = {a.code for a in sources if a.code}
        home = self.actors.home((sent.start, sent.end))
        # ("Pashinyan and Aliyev initialled a treaty in Washington", "the government and
        # the rebels signed a deal in Doha": two doers, no target)
        if len(own) != 1 or sum(1 for a in sources if a.code) > 1 or home is None \
                or home.code in own or home.code in onto.generic_codes:
            return []
        return [Actor(text="", code=home.code, home=home.source)]

    def _domestic(self, sources: list[Actor], targets: list[Actor]) -> list[Actor]:
        """Return the targets of an act whose target has no country: the source's own
        country, as annotators code a domestic act ("the governor resigned", "police
        arrested the protesters", "the court overturned the convictions"). Target
        words that name nobody ("the bill") give way to an unnamed target."""
        if any(a.code for a in targets):
            return targets
        generic = self.lexicon.ontology.generic_codes
        own = {a.code for a in sources if a.code and a.code not in generic}
        if len(own) != 1:
            return targets
        if any(a.named and not a.sector for a in targets):
            # "accused Rosatom Academy of ...": someone the dictionaries do not know
            return targets
        code = own.pop()
        grouped = [replace(a, code=code, home="domestic") for a in targets if a.sector]
        return grouped or [Actor(text="", code=code, home="domestic")]


def filled(actor: Actor) -> bool:
    """Return True for a target the text did not name but the coder filled in: the
    doer's own country (Roles._domestic) or where the sentence is set (Roles._scene)."""
    return actor.home == "domestic" or (not actor.text and actor.home in {"scene", "document"})
