"""Coding one clause: the event it states, if any, and who did it to whom.

The clause's predicate chain is matched against the lexicon (coder.match); the
clause is then read, in order, for what makes it no act of its own (a refused
act, an attack told again by its toll, a law's doing, a mishap), for its doers,
for the rules of PLOVER on intentions, obligations and allegations, and for what
sets it aside (negated, hypothetical, a background or standing state, a comment
withheld, a purpose).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from faultline.coder import readings
from faultline.coder.lexicon import NO_EVENT, Lexicon
from faultline.coder.match import Match, entry_of_noun, match_clause, objects_of, phrase_objects
from faultline.coder.records import Records
from faultline.coder.roles import Roles
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
        #: that act's type, by event id, to aim the judgement at its doer.
        self.about: dict[str, str] = {}
        #: Events aimed by what came before: "responded by recalling its envoy"
        #: (answers another's act) and apologies (go to whom the doer's act wronged).
        self.responses: set[str] = set()
        self.apologies: set[str] = set()

    def code(
        self, clause: Clause, by_verb: dict[int, Clause], consumed: set[int]
    ) -> Outcome | None:
        """Return the event a clause states (if any) and what it tells the discourse."""
        lexicon = self.lexicon
        match = self._match(clause)
        if match is None and readings.reported_obligation(clause, lexicon.obligation_modals):
            # "X said Y must drop its barriers": X demands it of Y
            match = Match(lexicon.obligation, clause.verb)
        if match is None and readings.alleged(clause, lexicon.alleging):
            # "claimed the rioters were sent by the government": an allegation
            match = Match(lexicon.allegation, clause.verb)
        if match is not None and match.entry.event == NO_EVENT:
            # "released a statement", "signed a decree": a use the lexicon says is no event
            match = None
        if match is None:
            if clause.verb.lemma_.lower() in lexicon.grammar.speech:
                # whoever speaks is whom "it" and "they" will mean next
                return Outcome(None, self.roles.resolve_all(clause.subjects))
            return None
        head = clause.verb.head
        if head.i in by_verb and readings.complement(clause.verb) and (
                (refused := self._match(by_verb[head.i])) is not None
                and refused.entry.event == lexicon.refusal.event):
            # "ruled out recognising Kosovo": what is refused is not done
            self.records.set_aside(match.entry.event, "refused", clause.verb.text, clause.sent)
            return None
        if (clause.verb.dep_ == "advcl" and clause.verb.tag_ == "VBG" and head.i in by_verb
                and (told := self._match(by_verb[head.i])) is not None
                and told.entry.event == match.entry.event):
            # "strikes hit Gaza City, killing 20 people": the same attack, told by its toll
            return None
        instrument = readings.instrument(clause, lexicon.instruments)
        if (instrument and lexicon.ontology.is_verbal(match.entry.event)) \
                or readings.described(clause, match, lexicon):
            return None
        if clause.subjects and not clause.passive and all(
                s.lemma_.lower() in lexicon.mishaps for s in clause.subjects):
            # "the disaster killed 38 passengers", "wildfires destroying the rainforest":
            # no one did it
            return None
        speaker = self.roles.resolve_all(clause.speaker)
        subjects = self.roles.resolve_all(clause.subjects, speaker)
        if instrument and not clause.passive and not any(a.code for a in subjects):
            # "the new policy prohibits flights to Cuba": what a law does, its
            # maker does (whoever the text spoke of last, else the country it is set in)
            subjects = [a for a in self.parsed.discourse.last if a.code] or \
                self.actors.authority(clause.verb, None)
        onto = lexicon.ontology
        if (not clause.passive and onto.is_verbal(match.entry.event)
                and onto.is_cooperative(match.entry.event)
                and readings.things(clause.subjects, subjects)):
            # "a licence allowing him to buy weapons", "the ruling permitting ...": no actor
            return Outcome(None, subjects)
        continuing = clause.continuation()
        if continuing is not None and self._verbal(match) and not self._verbal(
                self._match(by_verb[clause.verb.head.i]) if clause.verb.head.i in by_verb
                else None) and (continuing.evident or not any(a.code or a.sector
                                                              for a in subjects)):
            # "said the talks had stalled and blamed Ankara": the speaker blamed
            clause = continuing
            speaker = self.roles.resolve_all(clause.speaker)
            subjects = self.roles.resolve_all(clause.subjects, speaker)
        for verb in clause.chain:
            for o in objects_of(verb):
                consumed.add(o.i)
                if o.lemma_.lower() in lexicon.responsibility:
                    # "claimed responsibility for the bombing": the bombing is this event
                    consumed.update(w.i for w in phrase_objects(o, ["for"]))
        head = clause.verb.head
        if clause.verb.dep_ == "pcomp":
            head = head.head
        if (
            (clause.verb.dep_ in {"ccomp", "pcomp"} or for_clause(clause.verb))
            and head.lemma_.lower() not in lexicon.grammar.speech
            and head.i in by_verb
            and self._match(by_verb[head.i]) is not None
        ):
            # "demanded that Armenia accept ...", "advocating for blocking ...",
            # "called for the troops to leave": the content of another event, not an
            # event of its own
            return None
        controller = readings.object_controller(clause, match)
        if controller is not None:
            # "leading elites to accuse ...": the object of the first verb acts
            subjects = self.roles.resolve_all([controller], speaker)
        entry = match.entry
        event, mode = entry.event, entry.mode
        modality = clause.modality
        onto = lexicon.ontology
        coding = onto.coding
        complement = match.complement
        if complement is not None:
            if match.verb.lemma_.lower() in lexicon.commissive and not onto.is_cooperative(
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
        if modality and modality.startswith("hypothetical:") and clause.speech_verb is not None:
            modal = modality.split(":", 1)[1]
            if modal in lexicon.obligation_modals:
                # "X said Y must withdraw": X asks Y for it; "said the law should be
                # changed" asks no one
                targets, sources = (sources or targets), speaker
                if readings.things(clause.subjects, targets) or readings.anyone(
                        clause.subjects, lexicon):
                    # ("people must know ...", "no leader should assume ...": a maxim)
                    return Outcome(None, subjects)
                inner_event = event
                event = lexicon.obligation.event
                mode = onto.complement_modes.get(event, {}).get(inner_event)
                modality = None
        if (match.verb.lemma_.lower() in lexicon.crowd_verbs and onto.is_verbal(event)
                and readings.crowd(clause.subjects, subjects, lexicon)):
            # "thousands of Serbians protested the lockdown": a demonstration, not a note
            made = lexicon.demonstration
            event, mode = made.event, made.mode
        elif (match.verb.lemma_.lower() in lexicon.crowd_verbs
              and event == lexicon.demonstration.event
              and readings.authority(clause.subjects, subjects, lexicon)):
            # "the foreign ministry protested": a state's protest is a note, not a march
            made = lexicon.complaint
            event, mode, match = made.event, made.mode, Match(made, match.verb)
        speech = clause.speech_verb
        if (speech is not None and speech.lemma_.lower() in lexicon.alleging
                and not onto.is_cooperative(event) and speaker):
            # "claimed the government had sent the rioters": the speaker accuses
            made = lexicon.allegation
            targets, sources = (sources or targets), speaker
            event, mode, match = made.event, made.mode, Match(made, speech)
            own = {(a.code, a.sector) for a in speaker}
            if not any((a.code or a.sector) and (a.code, a.sector) not in own
                       for a in targets):
                # "Trump claimed he won": no one else is said to have done anything
                return Outcome(None, subjects)
        event_text = " ".join(t.text for t in clause.chain)
        negated = readings.negated(clause, match, lexicon.request.event)
        if negated and readings.refuses(match.verb, lexicon.refusing):
            # "will not accept the proposal": the refusal is the event, and the speaker
            # of "said it would not accept" its doer
            made = lexicon.refusal
            event, mode, negated, modality = made.event, made.mode, False, None
            match = Match(made, match.verb)
        reason = self.irrealis.clause(negated, modality)
        if reason is not None:
            self.records.set_aside(event, reason, event_text, clause.sent)
            return Outcome(None, subjects)
        if not modality and readings.background(match.verb):
            self.records.set_aside(event, "background", event_text, clause.sent)
            return Outcome(None, subjects)
        if not modality and (readings.standing(match.verb, lexicon.standing)
                             or readings.state_since(match.verb)
                             or (readings.present_passive(match.verb)
                                 and not onto.is_verbal(event))):
            # "Russia supplies most of Armenia's gas": a state of affairs, not an event
            self.records.set_aside(event, "standing", event_text, clause.sent)
            return Outcome(None, subjects)
        if event in coding.answers and any(
                w.i > match.verb.i and w.lemma_.lower() in lexicon.commenting
                for w in clause.chain):
            # "declined to comment": a comment withheld, and PLOVER codes no comments
            self.records.set_aside(event, "comment", event_text, clause.sent)
            return Outcome(None, subjects)
        purpose = readings.purpose(clause.verb)
        if modality == "future" and purpose is not None and (
                onto.is_cooperative(event) or not onto.is_verbal(event)) and (
                purpose.head.i in by_verb and self._match(by_verb[purpose.head.i]) is not None):
            # "met in Geneva to discuss the dispute", "sent police to help fight the
            # gangs": what the act was for, told with it (a team sent "to investigate"
            # or "to demand" does speak)
            self.records.set_aside(event, "purpose", event_text, clause.sent)
            return Outcome(None, subjects)
        if modality == "future" and event not in {coding.promise, coding.threat}:
            # PLOVER: a promised cooperative act is a promise (AGREE), an announced
            # hostile act (or a promise with "unless") a threat; verbal conflict stays
            if onto.is_cooperative(event) and not readings.has_unless(clause.verb):
                event, mode = coding.promise, None
            elif not onto.is_verbal(event) or onto.is_cooperative(event):
                mode = onto.complement_modes.get(coding.threat, {}).get(event)
                event = coding.threat
        if entry.reverse:
            sources, targets = targets, sources
        peace = lexicon.peacekeeping
        if event in coding.constructions["peacekeeping"].acts and any(
            readings.peacekeeping(o, lexicon.peacekeepers)
            for v in clause.chain for o in objects_of(v)
        ):
            # sending peacekeepers is aid (CAMEO 074), not a show of force
            event, mode = peace.event, peace.mode
        authority = coding.authority_sector(event, mode)
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
        if not sources and not targets:
            return Outcome(None, subjects)
        if mode in coding.trips and targets and all(
                self.roles.town(a) and a.code in {s.code for s in sources} for a in targets):
            # "traveled to Cleveland": a trip at home meets no one
            return Outcome(None, subjects)
        coded = self.records.event(
            clause.sent, match.entry, match.verb, clause.chain, clause.position,
            event, mode, sources, targets, speaker,
        )
        if onto.is_verbal(event) and not any(a.code for a in targets):
            # "condemned the attack": a judgement of an act is aimed at its doer
            # ("spoke out against the attack": the act the entry's preposition names)
            named = [*objects_of(match.verb),
                     *(tok for q, tok in clause.preps
                       if q in match.entry.preps or q in match.entry.with_prep)]
            # "called for an investigation into the shooting": the act inquired into
            named = [*(inner for o in named for inner in phrase_objects(o, ["into", "over"])),
                     *named]
            judged = next((e for o in named if (e := entry_of_noun(o, self.lexicon)) is not None
                           and e.event != NO_EVENT), None)
            if judged is not None:
                self.about[coded.id] = judged.event
        if readings.by_way_of_answer(clause.verb, lexicon.response_verbs) or (
                match.entry is lexicon.complaint):
            # (a protest with no one named protests the last act of another)
            self.responses.add(coded.id)
        if match.verb.lemma_.lower() in lexicon.apologizing:
            self.apologies.add(coded.id)
        return Outcome(coded, subjects, targets)

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
