"""The clause finder on long news sentences: whose act a clause reports, in which voice,
in whose words; with the real spaCy model. Every sentence was written for this file."""

from __future__ import annotations

import pytest
from test_coder import code_one

from faultline.extract.clauses import Clause
from faultline.extract.parsed import ParsedDoc
from faultline.extract.quotes import quotation_spans
from faultline.models import Document, Event
from faultline.nlp import load_pipeline
from faultline.pipeline import Coder


def _clauses(coder: Coder, text: str) -> dict[str, Clause]:
    """Return the clauses of a text by the text of their first verb."""
    doc = load_pipeline(coder.settings.model)(text)
    parsed = ParsedDoc(doc, Document.from_text(text), coder.knowledge)
    return {c.verb.text: c for k in range(len(parsed.sentences)) for c in parsed.clauses(k)}


def _words(words: tuple[object, ...]) -> list[str]:
    return [str(getattr(w, "text", w)) for w in words]


def _event(events: list[Event], text: str) -> Event:
    [event] = [e for e in events if e.event_text == text]
    return event


def _codes(actors: tuple[object, ...]) -> set[str | None]:
    return {getattr(a, "code", None) for a in actors}


# -- conjoined verbs ----------------------------------------------------------------------
def test_a_verbal_act_hung_on_a_reported_clause_is_the_speakers(coder: Coder) -> None:
    # spaCy hangs "blamed" on "stalled", whose subject is "talks"
    event = _event(code_one(coder, "The Peruvian foreign minister said the border talks had "
                                   "stalled and blamed Bolivia for the delay."), "blamed")
    assert (event.event, _codes(event.source), _codes(event.target)) == (
        "ACCUSE", {"PER"}, {"BOL"})
    event = _event(code_one(coder, "Manila said Chinese ships had rammed a supply boat and "
                                   "urged Beijing to respect the arbitral ruling."),
                   "urged respect")
    assert (_codes(event.source), _codes(event.target)) == ({"PHL"}, {"CHN"})
    # a participle after a comma, the same way
    event = _event(code_one(coder, "The Colombian defence minister said the ceasefire had "
                                   "collapsed, accusing Venezuela of sheltering the rebels."),
                   "accusing")
    assert (_codes(event.source), _codes(event.target)) == ({"COL"}, {"VEN"})


def test_a_reported_act_keeps_the_subject_of_its_clause(coder: Coder) -> None:
    clauses = _clauses(coder, "Officials said the rebels had seized the town and executed "
                              "ten soldiers.")
    assert _words(clauses["executed"].subjects) == ["rebels"]
    # "issued ... and demanded": nothing in the form, and the subject names an actor
    event = _event(code_one(coder, "Kyodo reported Tokyo summoned the Chinese ambassador and "
                                   "demanded an explanation."), "demanded")
    assert _codes(event.source) == {"JPN"}


def test_a_conjunct_keeps_a_voice_of_its_own(coder: Coder) -> None:
    [event] = [e for e in code_one(coder, "Mali is under regional sanctions and was suspended "
                                          "by the African Union.") if e.event == "SANCTION"
               and e.event_text == "suspended"]
    assert (_codes(event.source), _codes(event.target)) == ({"IGO"}, {"MLI"})
    clauses = _clauses(coder, "Two activists were detained on Monday and deported to Georgia. "
                              "Several reporters were injured after attacking police officers.")
    assert clauses["deported"].passive
    assert not clauses["attacking"].passive
    assert _words(clauses["attacking"].subjects) == ["reporters"]


def test_a_conjunct_with_a_subject_or_tense_of_its_own_keeps_its_own_mood(coder: Coder) -> None:
    clauses = _clauses(coder, "Seoul said Pyongyang would send a delegation and called the "
                              "move a positive step.")
    assert clauses["send"].modality == "future"
    assert clauses["called"].modality is None
    clauses = _clauses(coder, "The Chilean court said the law should be suspended, and "
                              "ministers criticised the ruling.")
    assert clauses["criticised"].modality is None
    # a bare verb shares the auxiliary: both acts are hypothetical, also after a
    # subject of its own
    clauses = _clauses(coder, "Baku would close the border and expel the diplomats.")
    assert clauses["expel"].modality == "hypothetical:would"
    clauses = _clauses(coder, "Analysts said the talks could collapse and the army resume its "
                              "offensive.")
    assert clauses["resume"].modality == "hypothetical:could"


# -- relatives, gerunds, appositions --------------------------------------------------------
def test_a_relative_pronoun_beside_a_subject_is_the_fronted_object(coder: Coder) -> None:
    events = code_one(coder, "The prisoners, whom officials said Caracas had refused to "
                             "release, were flown to Bogota.")
    event = _event(events, "refused release")
    assert [a.text for a in event.source] == ["Caracas"]
    clauses = _clauses(coder, "Ankara backs several armed groups, one of which attacked a "
                              "Kurdish village on Sunday.")
    assert _words(clauses["attacked"].subjects) == ["groups"]


def test_a_gerund_after_an_object_is_the_objects_act(coder: Coder) -> None:
    clauses = _clauses(coder, "Pakistan thanked China for sending a medical team. Japan "
                              "warned North Korea against launching more missiles. Russia "
                              "responded by expelling two Estonian diplomats.")
    assert _words(clauses["sending"].subjects) == ["China"]
    assert _words(clauses["launching"].subjects) == ["Korea"]
    assert _words(clauses["expelling"].subjects) == ["Russia"]


def test_a_participle_modifying_the_subject_is_no_main_verb(coder: Coder) -> None:
    # the small model makes "wearing" ("driving") the root, and "gathered" a verb
    # whose subject is "goggles", or a clause modifying "tractors"
    [event] = code_one(coder, "On Saturday, thousands of Georgian protesters wearing "
                              "raincoats, ski masks, and goggles gathered around the parliament "
                              "building, blocking the entrances.")
    assert _codes(event.source) == {"GEO"}
    clauses = _clauses(coder, "Thousands of Serbian farmers driving tractors, trucks, and vans "
                              "gathered outside the ministry, blocking the gates.")
    assert (_words(clauses["gathered"].subjects), clauses["gathered"].position) == (
        ["Thousands"], "root")
    assert _words(clauses["blocking"].subjects) == ["Thousands"]


# -- misparses of the small model ------------------------------------------------------------
def test_known_misparses_of_news_prose_are_worked_around(coder: Coder) -> None:
    # the subject of a present-tense verb read as its modifier
    [event] = code_one(coder, "Turkey bombs Kurdish positions in northern Iraq.")
    assert (event.event, _codes(event.source)) == ("ASSAULT", {"TUR"})
    # ... or the verb itself read as a plural noun, in a sentence with no verb left
    [event] = code_one(coder, "The Chadian navy clashes with pirates near the coast.")
    assert (event.event, _codes(event.source)) == ("ASSAULT", {"TCD"})
    # (the subject read as an adjective)
    [event] = code_one(coder, "Senegal severs diplomatic relations with Qatar.")
    assert (event.event, _codes(event.source), _codes(event.target)) == (
        "SANCTION", {"SEN"}, {"QAT"})
    # (the object read as an apposition)
    [event] = code_one(coder, "Benin severs diplomatic and cultural ties with Taiwan.")
    assert (event.event, _codes(event.source), _codes(event.target)) == (
        "SANCTION", {"BEN"}, {"TWN"})
    # (a verb read as a singular noun, with a second verb)
    events = code_one(coder, "Ugandan riot police fire on marchers and arrest dozens of "
                             "students.")
    assert {(e.event, *_codes(e.source)) for e in events} == {("ASSAULT", "UGA"),
                                                              ("COERCE", "UGA")}
    # a participle standing as a noun is no clause
    clauses = _clauses(coder, "Police said the accused attacked two officers.")
    assert "accused" not in clauses
    # a past tense cannot go on a "to" infinitive: it goes on the verb above
    clauses = _clauses(coder, "The Kremlin said it had no plans to attack NATO and blamed the "
                              "West for escalating the war.")
    assert (_words(clauses["blamed"].subjects), _words(clauses["blamed"].speaker)) == (
        ["it"], ["Kremlin"])
    # a verb hung on the sentence's noun root is its predicate, active
    clauses = _clauses(coder, "Friends of the Earth, a London-based charity, paid for the "
                              "evacuation.")
    assert (_words(clauses["paid"].subjects), clauses["paid"].passive,
            clauses["paid"].position) == (["Friends"], False, "root")


# -- quotations -------------------------------------------------------------------------------
def test_the_speaker_named_after_a_quotation_speaks_all_of_it(coder: Coder) -> None:
    events = code_one(coder, '"We reject these accusations. Our troops never crossed the '
                             'border," Ethiopia\'s foreign ministry said on Friday.')
    event = _event(events, "reject")
    assert (event.event, _codes(event.source)) == ("REJECT", {"ETH"})
    assert event.attribution is not None and "ministry" in event.attribution


def test_the_speaker_named_before_a_quotation_speaks_all_of_it(coder: Coder) -> None:
    clauses = _clauses(coder, 'The Ghanaian foreign minister said: "Togo closed the border '
                              'without warning. We demand that Lome reopen it."')
    assert _words(clauses["demand"].speaker) == ["minister"]
    assert clauses["demand"].position == "reported"


def test_inverted_verb_of_saying_after_a_quotation_has_its_subject(coder: Coder) -> None:
    [event] = code_one(coder, '"Kyiv must withdraw its troops," added the Russian foreign '
                              'ministry.')
    assert (event.event, _codes(event.source), _codes(event.target)) == (
        "REQUEST", {"RUS"}, {"UKR"})


def test_in_a_quotation_third_person_pronouns_are_not_the_speaker(coder: Coder) -> None:
    events = code_one(coder, 'Eritrean troops shelled the border town on Monday. "They '
                             'shelled our villages again overnight," an Ethiopian official '
                             'said.')
    assert [_codes(e.source) for e in events] == [{"ERI"}, {"ERI"}]


def test_quotation_spans_go_on_across_paragraphs_only_when_reopened() -> None:
    text = 'He said: "One.\n\n"Two." Then "three\n\nFour.'
    spans = [text[a:b] for a, b in quotation_spans(text)]
    assert spans == ['"One.\n\n"Two."', '"three']


@pytest.mark.parametrize(("text", "inside"), [
    ('The minister said, "We met today." Then he left.', ['"We met today."']),
    # a straight mark before a space or a stop closes, one after a space opens
    ('He said "no" and "never"', ['"no"', '"never"']),
    ('"It is over,"he said, "for now"', ['"It is over,"', '"for now"']),
    ("he called it \u201ca trap\u201d and \u201ca lie", ["\u201ca trap\u201d", "\u201ca lie"]),
    ("\u00abNo\u00bb, the envoy said", ["\u00abNo\u00bb"]),
    # a text whose first mark closes a quotation begins inside it
    ('we met today," he said. "Talks go on" later', ['we met today,"', '"Talks go on"']),
    # a paragraph not reopened goes on with the quotation when its first mark closes it
    ('He said: "One.\n\nTwo." Then "three.\n\nFour.', ['"One.\n\nTwo."', '"three.']),
    ("No quotation here, only today.", []),
])
def test_quotation_spans(text: str, inside: list[str]) -> None:
    assert [text[a:b] for a, b in quotation_spans(text)] == inside


# -- irrealis ---------------------------------------------------------------------------------
def test_an_act_named_as_the_object_of_an_intention_has_not_happened(coder: Coder) -> None:
    [coded] = list(coder.code([Document.from_text(
        "Ethiopia is planning a new offensive in Tigray.", date="2024-05-01")]))
    assert coded.events == []
    assert [s.reason for s in coded.set_aside] == ["hypothetical:plan"]
