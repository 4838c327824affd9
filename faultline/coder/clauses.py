"""Coding one clause: the event it states, if any.

The clause's predicate chain is matched against the lexicon (coder.match); the
clause is then read, in the order of `ClauseCoder.code`, for what makes it no act
of its own (a refused act, an attack told again by its toll, a law's doing, a
mishap, the content of another event), for its doers and targets (coder.roles),
for PLOVER's rules on obligations, crowds, allegations, refusals and intentions,
and for what sets it aside (negated, hypothetical, a background or standing
state, a comment withheld, a purpose).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from faultline.coder import readings
from faultline.coder.lexicon import NO_EVENT, Lexicon
from faultline.coder.match import Match, entry_of_noun, match_clause, objects_of, phrase_objects
from faultline.coder.records import Records
from faultline.coder.roles import Roles, filled
from faultline.extract import Clause
from faultline.extract.clauses import for_clause
from faultline.extract.irrealis import Irrealis
from faultline.extract.parsed import ParsedDoc
from faultline.models import Actor, Event


class Outcome(NamedTuple):
    """What coding one clause gave: an event or none, and what the discourse learns
    from it (its subjects; the targets of an event)."""

    event: Event | None
    subjects: Sequence[Actor]
    targets: Sequence[Actor] = ()


@dataclass(frozen=True)
class _Act:
    """What a clause is read to say so far: the lexicon match (the entry, the verb that
    carried it), the event type and mode it codes to, its modality (extract.clauses),
    and who did it (sources) to whom (targets)."""

    match: Match
    event: str
    mode: str | None
    modality: str | None
    sources: list[Actor]
    targets: list[Actor]


class ClauseCoder:
    """Codes the clauses of one parsed document, one at a time."""

    def __init__(self, parsed: ParsedDoc, lexicon: Lexicon, irrealis: Irrealis, roles: Roles,
                 records: Records) -> None:
        self.parsed = parsed
        self.lexicon = lexicon
        self.irrealis = irrealis
        self.roles = roles
        self.records = records
        self.actors = parsed.actors
        self._matches: dict[int, Match | None] = {}
        #: Of a verbal event judging an act its object names ("condemned the attack"):
        #: that act's type ("" when the noun names none of itself: "the strike") and the
        #: noun that named it, by event id, to aim the judgement at its doer.
        self.about: dict[str, tuple[str, str]] = {}
        #: Events aimed by what came before: "responded by recalling its envoy"
        #: (answers another's act) and apologies (go to whom the doer's act wronged).
        self.responses: set[str] = set()
        self.apologies: set[str] = set()

    def code(
        self, clause: Clause, by_verb: dict[int, Clause], consumed: set[int]
    ) -> Outcome | None:
        """Return the event a clause states (if any) and what it tells the discourse.

        The readings are tried in the order below, which matters: each may end the
        clause, set it aside, or read it as another act."""
        match = self._reading(clause)
        if match is None:
            if clause.verb.lemma_.lower() in self.lexicon.grammar.speech:
                # whoever speaks is whom "it" and "they" will mean next
                speakers = self.roles.resolve_all(clause.subjects)
                return Outcome(self._implicating(clause, speakers), speakers)
            return None
        if self._refused(clause, match, by_verb) or self._told_again(clause, match, by_verb) \
                or readings.quoted_word(clause.verb, self.parsed.words):
            return None
        instrument = readings.instrument(clause, self.lexicon.instruments)
        if self._no_actor_acts(clause, match, instrument):
            return None
        speaker, subjects = self._doers(clause, instrument)
        if self._things_permit(clause, match, subjects) or self._own_act_defended(
                clause, match):
            return Outcome(None, subjects)
        clause, speaker, subjects = self._continued(clause, match, by_verb, speaker, subjects)
        self._consume(clause, consumed)
        if self._content_of_another(clause, by_verb):
            return None
        controller = readings.object_controller(clause, match, self.lexicon.using)
        if controller is not None:
            # "leading elites to accuse ...": the object of the first verb acts
            subjects = self.roles.resolve_all([controller], speaker)
        stated = self._act(clause, match, subjects, speaker)
        act = self._as_obligation(clause, stated, speaker)
        if act is None:
            return Outcome(None, subjects)
        act = self._as_crowd(clause, act, subjects)
        act = self._as_allegation(clause, act, speaker)
        if act is None:
            return Outcome(None, subjects)
        act, negated = self._as_refusal(clause, act)
        reason = self._set_aside_reason(clause, act, negated, by_verb)
        if reason is not None:
            self.records.set_aside(act.event, reason, " ".join(t.text for t in clause.chain),
                                   clause.sent)
            return Outcome(None, subjects)
        act = self._as_intention(clause, act)
        if match.entry.reverse:
            act = replace(act, sources=act.targets, targets=act.sources)
        act = self._as_peacekeeping(clause, act)
        act = self._with_authority(clause, act)
        if (not act.sources and not act.targets) or self._trip_at_home(act):
            return Outcome(None, subjects)
        coded = self.records.event(
            clause.sent, act.match.entry, act.match.verb, clause.chain, clause.position,
            act.event, act.mode, act.sources, act.targets, speaker,
        )
        if self._no_partner(act, coded):
            self.records.set_aside(act.event, "no partner", clause.verb.text, clause.sent)
            return Outcome(None, subjects)
        self._aim(clause, act, coded)
        return Outcome(coded, subjects, act.targets)

    # -- what the clause names ---------------------------------------------------------
    def _reading(self, clause: Clause) -> Match | None:
        """Return the lexicon entry the clause matches, or the obligation or allegation it
        reports; None when it names no event."""
        lexicon = self.lexicon
        match = self._match(clause)
        if match is None and readings.reported_obligation(clause, lexicon.obligation_modals):
            # "X said Y must drop its barriers": X demands it of Y
            match = Match(lexicon.obligation, clause.verb)
        if match is None and readings.alleged(clause, lexicon.alleging):
            # "claimed the rioters were sent by the government": an allegation
            match = Match(lexicon.allegation, clause.verb)
        if match is None and self._body_left(clause):
            # "Armenia left the CSTO": ties cut with an organisation
            match = Match(lexicon.departure, clause.verb)
        if match is not None and match.entry.event == NO_EVENT:
            # "released a statement", "signed a decree": a use the lexicon says is no event
            match = None
        return match

    def _implicating(self, clause: Clause, speakers: list[Actor]) -> Event | None:
        """Return the accusation of a statement that ties another to a hostile act
        ("Kyiv said Moscow was behind the attack"), else None."""
        accused = self.roles.resolve_all(readings.implicated(clause.verb, self.lexicon),
                                         speakers)
        own = {a.code for a in speakers if a.code}
        if not own or not any(a.code and a.code not in own for a in accused):
            return None
        made = self.lexicon.allegation
        return self.records.event(clause.sent, made, clause.verb, clause.chain,
                                  clause.position, made.event, made.mode, speakers,
                                  accused, [])

    def _no_partner(self, act: _Act, coded: Event) -> bool:
        """Return True for an act done with a partner (plover.yaml coding: partnered) by
        a verb that names none ("the cabinet met to discuss the budget"): one doer of a
        state, and no one it met or talked with but a target the coder filled in. An
        organisation's members meet each other ("NATO ministers gathered"), a mediator's
        partners are the sides it mediates between, attending a summit meets it and a
        host whoever it hosts (grammar.yaml hosting)."""
        return (coded.event in self.lexicon.ontology.coding.partnered
                and not act.match.entry.objects
                and act.match.verb.lemma_.lower() not in self.lexicon.hosting
                and bool(coded.target)
                and all(filled(a) for a in coded.target)
                and not any(a.org for a in coded.source) and coded.mode != "third-party")

    def _body_left(self, clause: Clause) -> bool:
        """Return True when the clause leaves an organisation the text names."""
        verb = clause.verb
        if verb.lemma_.lower() not in self.lexicon.leaving:
            return False
        # the organisation by its name ("the CSTO"), not its seat ("left Brussels") or a
        # meeting of it ("left the NATO summit")
        names = self.parsed.mentions.names
        bodies = [w for w in [*objects_of(verb), *phrase_objects(verb, ["from"])]
                  if w.i in names]
        return any(a.org and a.sector is None for a in self.roles.resolve_all(bodies))

    def _refused(self, clause: Clause, match: Match, by_verb: dict[int, Clause]) -> bool:
        """Return True, and set the act aside, when the clause is what another refuses."""
        head = clause.verb.head
        if clause.verb.dep_ == "acl" and head.dep_ == "dobj":
            # "blocked a joint statement condemning China": what the refused text says
            head = head.head
        elif not readings.complement(clause.verb):
            return False
        if head.i in by_verb and (
                (refused := self._match(by_verb[head.i])) is not None
                and refused.entry.event == self.lexicon.refusal.event):
            # "ruled out recognising Kosovo": what is refused is not done
            self.records.set_aside(match.entry.event, "refused", clause.verb.text, clause.sent)
            return True
        return False

    def _told_again(self, clause: Clause, match: Match, by_verb: dict[int, Clause]) -> bool:
        """Return True when the clause tells again the act of the clause it hangs on, or
        what that act made possible."""
        head = clause.verb.head
        if (clause.verb.dep_ in {"advcl", "acl"} and clause.verb.tag_ == "VBG"
                and clause.verb.lemma_.lower() in self.lexicon.enabling):
            # "reopened the crossing, allowing trucks to pass", "a judgement
            # allowing the court to require ...": what the act made possible, not a
            # concession of its own
            return True
        # "strikes hit Gaza City, killing 20 people": the same attack, told by its toll
        return (clause.verb.dep_ == "advcl" and clause.verb.tag_ == "VBG" and head.i in by_verb
                and (told := self._match(by_verb[head.i])) is not None
                and told.entry.event == match.entry.event)

    def _no_actor_acts(self, clause: Clause, match: Match, instrument: bool) -> bool:
        """Return True when no actor does what the clause says: a law's verbal act, a
        participle describing a noun (readings.described), a mishap."""
        lexicon = self.lexicon
        if (instrument and lexicon.ontology.is_verbal(match.entry.event)) \
                or readings.described(clause, match, lexicon):
            return True
        # "the disaster killed 38 passengers", "wildfires destroying the rainforest":
        # no one did it
        return bool(clause.subjects) and not clause.passive and all(
            s.lemma_.lower() in lexicon.mishaps for s in clause.subjects)

    # -- who speaks and who acts -------------------------------------------------------
    def _doers(self, clause: Clause, instrument: bool) -> tuple[list[Actor], list[Actor]]:
        """Return the clause's speaker and its subjects, as actors."""
        speaker = self.roles.resolve_all(clause.speaker)
        subjects = self.roles.resolve_all(clause.subjects, speaker)
        if not clause.passive and not any(a.code for a in subjects):
            # "a night raid by Shabaab gunmen killed four guards": whose the act named
            # as the subject was
            subjects = [a for s in clause.subjects
                        if (act := entry_of_noun(s, self.lexicon)) is not None
                        and act.event != NO_EVENT
                        for a in self.roles.of_noun(s, act, None, speaker)[0]
                        if a.code] or subjects
        if instrument and not clause.passive and not any(a.code for a in subjects):
            # "the new policy prohibits flights to Cuba": what a law does, its
            # maker does (whoever the text spoke of last, else the country it is set in)
            subjects = [a for a in self.parsed.discourse.last if a.code] or \
                self.actors.authority(clause.verb, None)
        return speaker, subjects

    def _things_permit(self, clause: Clause, match: Match, subjects: list[Actor]) -> bool:
        """Return True when things, not actors, do a cooperative verbal act."""
        onto = self.lexicon.ontology
        # "a licence allowing him to buy weapons", "the ruling permitting ...": no actor
        return (not clause.passive and onto.is_verbal(match.entry.event)
                and onto.is_cooperative(match.entry.event)
                and readings.things(clause.subjects, subjects))

    def _own_act_defended(self, clause: Clause, match: Match) -> bool:
        """Return True when an actor backs its own act, which supports no one: "Israel
        defended its air strikes", "Baku justified its decision" (not "praised his
        counterpart": a person)."""
        if clause.passive or match.verb.lemma_.lower() not in self.lexicon.justifying:
            return False
        lexicon = self.lexicon
        owned = [o for o in objects_of(match.verb) if (
            o.lemma_.lower() in lexicon.deeds or entry_of_noun(o, lexicon) is not None)
            and any(c.dep_ == "poss" and c.lower_ in lexicon.possessives
                    for c in o.children)]
        # (what names an actor of its own, with a sector or a code not borrowed from the
        # possessive, is someone: "its ally Belarus")
        return bool(owned) and not any(a.sector or (a.code and not a.borrowed)
                                       for a in self.roles.resolve_all(owned))

    def _continued(
        self, clause: Clause, match: Match, by_verb: dict[int, Clause],
        speaker: list[Actor], subjects: list[Actor],
    ) -> tuple[Clause, list[Actor], list[Actor]]:
        """Return the clause to code, its speaker and subjects: the clause a verbal act
        continues, when the act goes on from it."""
        continuing = clause.continuation()
        if continuing is not None and self._verbal(match) and not self._verbal(
                self._match(by_verb[clause.verb.head.i]) if clause.verb.head.i in by_verb
                else None) and (continuing.evident or not any(a.code or a.sector
                                                              for a in subjects)):
            # "said the talks had stalled and blamed Ankara": the speaker blamed
            clause = continuing
            speaker = self.roles.resolve_all(clause.speaker)
            subjects = self.roles.resolve_all(clause.subjects, speaker)
        return clause, speaker, subjects

    def _consume(self, clause: Clause, consumed: set[int]) -> None:
        """Add to `consumed` the words of the event nouns this clause tells itself."""
        for verb in clause.chain:
            for o in objects_of(verb):
                consumed.add(o.i)
                if o.lemma_.lower() in self.lexicon.responsibility:
                    # "claimed responsibility for the bombing": the bombing is this event
                    consumed.update(w.i for w in phrase_objects(o, ["for"]))

    def _content_of_another(self, clause: Clause, by_verb: dict[int, Clause]) -> bool:
        """Return True when the clause is what another event (not a verb of saying) is
        about."""
        top = clause.verb
        while top.dep_ == "xcomp" and top.head is not top:
            top = top.head
        if top is not clause.verb and top.dep_ == "pcomp" \
                and top.head.head.lemma_.lower() in self.lexicon.blaming:
            # "accused Kigali of trying to grab the mines": what the attempt was at is
            # blamed too
            return True
        head = clause.verb.head
        if clause.verb.dep_ == "acl" and any(
                m.dep_ == "mark" and m.lower_ == "that" for m in clause.verb.children) and (
                (named := entry_of_noun(head, self.lexicon)) is not None
                and self.lexicon.ontology.is_verbal(named.event)):
            # "the council's demand that it free the reporters", "a pledge that troops
            # would leave": what the demand or the pledge says, not an act of its own
            return True
        if clause.verb.dep_ == "pcomp":
            if head.lower_ in self.lexicon.time_preps and not clause.passive:
                # "after meeting Putin, Orban criticised ...": two acts, one after the other
                return False
            head = head.head
            if head.lemma_.lower() in self.lexicon.blaming:
                # "three Serbs suspected of attacking a patrol": what someone is blamed
                # for, as with an act's noun (coder.nominal _blamed_act)
                return True
        # "demanded that Armenia accept ...", "advocating for blocking ...",
        # "called for the troops to leave": the content of another event, not an
        # event of its own
        return (
            (clause.verb.dep_ in {"ccomp", "pcomp"} or for_clause(clause.verb))
            and head.lemma_.lower() not in self.lexicon.grammar.speech
            and head.i in by_verb
            and self._match(by_verb[head.i]) is not None
        )

    # -- what the act is ---------------------------------------------------------------
    def _act(self, clause: Clause, match: Match, subjects: list[Actor], speaker: list[Actor]
             ) -> _Act:
        """Return the act the match names, with its sources and targets (coder.roles): of
        the entry's type, or of a threat when a hostile act is promised."""
        lexicon = self.lexicon
        entry = match.entry
        event, mode = entry.event, entry.mode
        modality = clause.modality
        onto = lexicon.ontology
        coding = onto.coding
        complement = match.complement
        # "vowed to", "is ready to": what commits its subject to the act it names
        committing = lexicon.commissive | lexicon.grammar.commit_adjectives
        if complement is not None:
            if match.verb.lemma_.lower() in committing and not onto.is_cooperative(
                complement.event
            ):
                event, mode = coding.threat, None
            if mode is None:
                mode = onto.complement_modes.get(event, {}).get(complement.event)
        elif match.verb.lemma_.lower() in lexicon.commissive and any(
                v.i > match.verb.i and v.lemma_.lower() in lexicon.response_verbs
                for v in clause.chain):
            # "vowed to retaliate", "swore to respond": a promised answer is a threat
            event, mode = coding.threat, None
        sources, targets = self.roles.of_clause(clause, match, subjects, speaker)
        return _Act(match, event, mode, modality, sources, targets)

    def _as_obligation(self, clause: Clause, act: _Act, speaker: list[Actor]) -> _Act | None:
        """Return the act as the speaker's demand when it is reported as an obligation;
        None for a maxim."""
        lexicon = self.lexicon
        modality = act.modality
        if not (modality and modality.startswith("hypothetical:")
                and clause.speech_verb is not None):
            return act
        modal = modality.split(":", 1)[1]
        onto = lexicon.ontology
        voiced = {a.code for a in speaker if a.code}
        if modal not in lexicon.obligation_modals:
            if voiced and not onto.is_cooperative(
                    act.event) and not onto.is_verbal(act.event) and act.sources and {
                    a.code for a in act.sources if a.code} <= voiced:
                # "said Athens could expel Turkish diplomats", "warned Baku may shut the road":
                # a hostile act the speaker's own side may (or would) do is a threat
                event = onto.coding.threat
                mode = onto.complement_modes.get(event, {}).get(act.event)
                return replace(act, event=event, mode=mode, modality=None)
            return act
        # "X said Y must withdraw": X asks Y for it; "said the law should be
        # changed" asks no one
        targets, sources = (act.sources or act.targets), speaker
        if readings.things(clause.subjects, targets) or readings.anyone(
                clause.subjects, lexicon):
            # ("people must know ...", "no leader should assume ...": a maxim)
            return None
        event = lexicon.obligation.event
        mode = lexicon.ontology.complement_modes.get(event, {}).get(act.event)
        return replace(act, event=event, mode=mode, modality=None, sources=sources,
                       targets=targets)

    def _as_crowd(self, clause: Clause, act: _Act, subjects: list[Actor]) -> _Act:
        """Return the act as a demonstration when a crowd protests, as a note of protest
        when a state demonstrates."""
        lexicon = self.lexicon
        match = act.match
        if (match.verb.lemma_.lower() in lexicon.crowd_verbs
                and lexicon.ontology.is_verbal(act.event)
                and readings.crowd(clause.subjects, subjects, lexicon)):
            # "thousands of Serbians protested the lockdown": a demonstration, not a note
            made = lexicon.demonstration
            return replace(act, event=made.event, mode=made.mode)
        if (match.verb.lemma_.lower() in lexicon.crowd_verbs
                and act.event == lexicon.demonstration.event
                and readings.authority(clause.subjects, subjects, lexicon)):
            # "the foreign ministry protested": a state's protest is a note, not a march
            made = lexicon.complaint
            return replace(act, event=made.event, mode=made.mode, match=Match(made, match.verb))
        if act.event == lexicon.demonstration.event and act.mode in lexicon.obstruction \
                and subjects and all((a.sector or "").lower() in lexicon.authorities
                                     for a in subjects) \
                and not clause.passive and match.verb.dep_ != "acl" \
                and not any(s.pos_ == "PRON" for s in clause.subjects):
            # "soldiers sealed off the palace", "police blocked the road": a state that
            # obstructs restricts movement
            made = lexicon.cordon
            return replace(act, event=made.event, mode=made.mode, match=Match(made, match.verb))
        return act

    def _as_allegation(self, clause: Clause, act: _Act, speaker: list[Actor]) -> _Act | None:
        """Return the act as the speaker's accusation when it is claimed by a verb of
        alleging; None when the claim is about no one else."""
        lexicon = self.lexicon
        speech = clause.speech_verb
        if not (speech is not None and speech.lemma_.lower() in lexicon.alleging
                and not lexicon.ontology.is_cooperative(act.event) and speaker):
            return act
        # "claimed the government had sent the rioters": the speaker accuses
        made = lexicon.allegation
        targets, sources = (act.sources or act.targets), speaker
        own = {(a.code, a.sector) for a in speaker}
        if not any((a.code or a.sector) and (a.code, a.sector) not in own
                   for a in targets):
            # "Trump claimed he won": no one else is said to have done anything
            return None
        return replace(act, event=made.event, mode=made.mode, match=Match(made, speech),
                       sources=sources, targets=targets)

    def _as_refusal(self, clause: Clause, act: _Act) -> tuple[_Act, bool]:
        """Return the act and whether it is negated: a negated act of accepting is a
        refusal, not negated."""
        lexicon = self.lexicon
        negated = readings.negated(clause, act.match, lexicon.request.event)
        if negated and readings.refuses(act.match.verb, lexicon.refusing):
            # "will not accept the proposal": the refusal is the event, and the speaker
            # of "said it would not accept" its doer
            made = lexicon.refusal
            return replace(act, event=made.event, mode=made.mode, modality=None,
                           match=Match(made, act.match.verb)), False
        return act, negated

    def _set_aside_reason(self, clause: Clause, act: _Act, negated: bool,
                          by_verb: dict[int, Clause]) -> str | None:
        """Return why the act did not happen ("negated", "hypothetical:..." and the other
        reasons of extract.irrealis, "background", "standing", "comment", "purpose"), or
        None when it did."""
        lexicon = self.lexicon
        onto = lexicon.ontology
        event, modality, verb = act.event, act.modality, act.match.verb
        reason = self.irrealis.clause(negated, modality)
        if reason is not None:
            return reason
        said = clause.speech_verb
        if said is not None and any(c.dep_ == "neg" for c in said.children):
            # "the court did not find that police had beaten them": not asserted
            return "negated"
        if not modality and readings.background(verb, lexicon.history_units):
            return "background"
        if not modality and (readings.standing(verb, lexicon.standing)
                             or readings.state_since(verb)
                             or (readings.present_passive(verb)
                                 and not onto.is_verbal(event)
                                 and verb.lemma_.lower() not in lexicon.punctual
                                 and act.match.entry.noun is None)):
            # "Russia supplies most of Armenia's gas", "the party is banned": a state
            # of affairs, not an event ("two soldiers are killed" is news: punctual;
            # so is an event a light verb carries, "a rally is held")
            return "standing"
        if event in onto.coding.answers and any(
                w.i > verb.i and w.lemma_.lower() in lexicon.commenting
                for w in clause.chain):
            # "declined to comment": a comment withheld, and PLOVER codes no comments
            return "comment"
        purpose = readings.purpose(clause.verb)
        if modality == "future" and purpose is not None and (
                onto.is_cooperative(event) or not onto.is_verbal(event)) and (
                purpose.head.i in by_verb and self._match(by_verb[purpose.head.i]) is not None):
            # "met in Geneva to discuss the dispute", "sent police to help fight the
            # gangs": what the act was for, told with it (a team sent "to investigate"
            # or "to demand" does speak)
            return "purpose"
        if modality == "future" and purpose is not None and not onto.is_cooperative(event) \
                and not onto.is_verbal(event) \
                and purpose.head.lemma_.lower() not in lexicon.grammar.speech:
            # "troops stayed on the border to stop smugglers from crossing": why they
            # stayed, no threat (a threat is said: "vowed to retaliate")
            return "purpose"
        return None

    def _as_intention(self, clause: Clause, act: _Act) -> _Act:
        """Return an act announced for the future as a promise or a threat."""
        onto = self.lexicon.ontology
        coding = onto.coding
        event = act.event
        if act.modality != "future" or event in {coding.promise, coding.threat}:
            return act
        # PLOVER: a promised cooperative act is a promise (AGREE), an announced
        # hostile act (or a promise with "unless") a threat; verbal conflict stays
        if onto.is_cooperative(event) and not readings.has_unless(clause.verb):
            if not any(a.code or a.sector for a in act.targets):
                # "said the cabinet will scrap the tax": done to no one, no
                # promise to anyone but the decision announced, coded as that act
                return act
            return replace(act, event=coding.promise, mode=None)
        if not onto.is_verbal(event) or onto.is_cooperative(event):
            mode = onto.complement_modes.get(coding.threat, {}).get(event)
            return replace(act, event=coding.threat, mode=mode)
        return act

    def _as_peacekeeping(self, clause: Clause, act: _Act) -> _Act:
        """Return the act as aid when the troops it sends are peacekeepers."""
        lexicon = self.lexicon
        peace = lexicon.peacekeeping
        if act.event in lexicon.ontology.coding.constructions["peacekeeping"].acts and any(
            readings.peacekeeping(o, lexicon.peacekeepers)
            for v in clause.chain for o in objects_of(v)
        ):
            # sending peacekeepers is aid (CAMEO 074), not a show of force
            return replace(act, event=peace.event, mode=peace.mode)
        return act

    def _with_authority(self, clause: Clause, act: _Act) -> _Act:
        """Return the act with a doer where the text names none: the authority of where an
        arrest or an attack happened (plover.yaml coding: authority), or of the country
        the text is set in for a passive."""
        sources = act.sources
        authority = self.lexicon.ontology.coding.authority_sector(act.event, act.mode)
        if authority is not None and not any(
                (a.code and a.home != "place") or a.sector for a in sources):
            # (a doer the text names, "protesters threw stones", keeps its place; the
            # resolver gives it the country; "a Kabul car bombing killed five" names
            # only where, which says whose unidentified forces)
            sources = self.roles.authority_at([*clause.chain, *clause.subjects], authority) \
                or [replace(a, text="", sector=authority, home="scene") for a in sources
                    if a.code] \
                or sources or self.actors.authority(clause.verb, authority)
        elif clause.passive and not sources:
            sources = self.actors.authority(clause.verb, None)
        else:
            return act
        return replace(act, sources=sources)

    def _trip_at_home(self, act: _Act) -> bool:
        """Return True for a trip to a town of the traveller's own country."""
        # "traveled to Cleveland": a trip at home meets no one
        return act.mode in self.lexicon.ontology.coding.trips and bool(act.targets) and all(
            self.roles.town(a) and a.code in {s.code for s in act.sources}
            for a in act.targets)

    def _aim(self, clause: Clause, act: _Act, coded: Event) -> None:
        """Note whom an event with no target of its own answers (coder.coder
        DocumentCoder._answering): the doer of the act a judgement names, the last act of
        another for a response or a protest, whom an apologiser wronged."""
        lexicon = self.lexicon
        match = act.match
        if lexicon.ontology.is_verbal(act.event) and not any(a.code for a in act.targets):
            # "condemned the attack": a judgement of an act is aimed at its doer
            # ("spoke out against the attack": the act the entry's preposition names)
            named = [*objects_of(match.verb),
                     *(tok for q, tok in clause.preps
                       if q in match.entry.preps or q in match.entry.with_prep)]
            if match.verb.lemma_.lower() in lexicon.judging:
                # "found the bombing justified": the parser makes the judged act the
                # subject of a clause of its own
                named += [s for c in match.verb.children if c.dep_ == "ccomp"
                          for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}]
            # "called for an investigation into the shooting": the act inquired into
            named = [*(inner for o in named for inner in phrase_objects(o, ["into", "over"])),
                     *named]
            judged = next(((e, o) for o in named if (e := entry_of_noun(o, lexicon))
                           is not None and e.event != NO_EVENT), None)
            if judged is not None:
                self.about[coded.id] = (judged[0].event, judged[1].lemma_.lower())
            elif (told := next((o for o in named if o.pos_ == "NOUN" and any(
                    c.dep_ == "det" and c.lower_ in lexicon.definite for c in o.children)),
                    None)) is not None:
                # "called the strike unacceptable": an act told before in that word,
                # whatever its kind
                self.about[coded.id] = ("", told.lemma_.lower())
        if readings.by_way_of_answer(clause.verb, lexicon.response_verbs) or (
                match.entry is lexicon.complaint) or (
                match.verb.lemma_.lower() in lexicon.returning):
            # (a protest with no one named protests the last act of another)
            self.responses.add(coded.id)
        if match.verb.lemma_.lower() in lexicon.apologizing:
            self.apologies.add(coded.id)

    # -- the lexicon's matches ---------------------------------------------------------

    def _verbal(self, match: Match | None) -> bool:
        """Return True when a match names a verbal act (an accusation, a demand...)."""
        return match is not None and match.entry.event != NO_EVENT \
            and self.lexicon.ontology.is_verbal(match.entry.event)

    def _match(self, clause: Clause) -> Match | None:
        """Return the clause's lexicon match, computed once per clause."""
        key = clause.verb.i
        if key not in self._matches:
            self._matches[key] = match_clause(clause, self.lexicon)
        return self._matches[key]
