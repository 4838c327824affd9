"""The coder on sentences written by the team, with the real spaCy model."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from faultline.models import Document, Event
from faultline.pipeline import Coder

GOLDEN = Path(__file__).parent / "golden" / "events.csv"


def _rows() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


def code_one(coder: Coder, text: str, date: str | None = "2025-07-04") -> list[Event]:
    document = Document.from_text(text, date=date)
    return [e for coded in coder.code([document]) for e in coded.events]


def _top(events: list[Event]) -> Event | None:
    return max(events, key=lambda e: e.confidence) if events else None


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["sentence"][:50])
def test_coder_codes_golden_sentence(coder: Coder, row: dict[str, str]) -> None:
    events = code_one(coder, row["sentence"])
    top = _top(events)
    if row["event"] == "NONE":
        assert top is None, f"expected no event, got {top.event if top else None}"
        return
    assert top is not None, "expected an event, got none"
    assert top.event == row["event"]
    if row["source"]:
        assert {a.code for a in top.source} >= set(row["source"].split("|"))
    if row["target"]:
        assert {a.code for a in top.target} >= set(row["target"].split("|"))


def test_coder_records_rule_version_and_sentence(coder: Coder) -> None:
    events = code_one(coder, "Azerbaijan expelled two Russian diplomats. The talks went on.")
    assert len(events) == 1
    event = events[0]
    assert event.rule.startswith("verbs.yaml:")
    assert event.coder.startswith("coder-")
    assert event.text == "Azerbaijan expelled two Russian diplomats."
    assert event.span == (0, len(event.text))
    record = event.as_record()
    for key in ("id", "doc_id", "date", "event", "mode", "context", "source", "target",
                "eventText", "text", "span", "confidence"):
        assert key in record
    assert record["source"][0] == {"actorText": "Azerbaijan", "code": "AZE", "sector": None,
                                   "org": None}


def test_coder_carries_subject_across_conjoined_verbs(coder: Coder) -> None:
    events = code_one(
        coder, "Azerbaijan canceled a parliamentary visit to Moscow and summoned the Russian "
        "ambassador."
    )
    kinds = sorted(e.event for e in events)
    assert kinds == ["ACCUSE", "SANCTION"]
    assert all({a.code for a in e.source} == {"AZE"} for e in events)


def test_coder_sets_aside_negated_statement(coder: Coder) -> None:
    document = Document.from_text("Russia did not withdraw its troops from Armenia.")
    [coded] = list(coder.code([document]))
    assert coded.events == []
    assert [s.reason for s in coded.set_aside] == ["negated"]


def test_coder_sets_aside_event_nouns_after_any(coder: Coder) -> None:
    document = Document.from_text("Tehran said it would answer any strike on its nuclear sites.")
    [coded] = list(coder.code([document]))
    assert not any(e.event == "ASSAULT" for e in coded.events)
    assert ("ASSAULT", "hypothetical:any") in {(s.event, s.reason) for s in coded.set_aside}
    # without "any" the strike is a report
    [event] = code_one(coder, "Israel said its jets carried out a strike on Iranian sites.")
    assert event.event == "ASSAULT"


def test_coder_sets_aside_what_a_chain_expects(coder: Coder) -> None:
    document = Document.from_text("Analysts expect the shelling to resume near Bakhmut.")
    [coded] = list(coder.code([document]))
    assert coded.events == []
    assert [s.reason for s in coded.set_aside] == ["hypothetical:expect"]


def test_coder_codes_told_to_as_a_request_of_the_object(coder: Coder) -> None:
    [event] = code_one(coder, "Kyiv told Minsk to withdraw its troops from the border.")
    assert event.event == "REQUEST"
    assert ({a.code for a in event.source}, {a.code for a in event.target}) == ({"UKR"}, {"BLR"})
    [event] = code_one(coder, "Berlin told Budapest to release the detained activists.")
    assert (event.event, {a.code for a in event.target}) == ("REQUEST", {"HUN"})
    # any act with its own object and a purpose: whom it addressed is the target
    [event] = code_one(coder, "Japan's prime minister telephoned the South Korean president "
                              "to discuss North Korea.")
    assert (event.event, {a.code for a in event.target}) == ("CONSULT", {"KOR"})
    # told whom, that: reported speech, not a demand
    [event] = code_one(coder, "Serbia told reporters that Kosovo police had detained two Serbs.")
    assert event.event == "COERCE"


def test_coder_takes_carry_as_a_light_verb_only_with_out(coder: Coder) -> None:
    [event] = code_one(coder, "Russian forces carried out an airstrike on Kharkiv.")
    assert (event.event, event.event_text) == ("ASSAULT", "carried")
    # a broadcast that carried a rejection did not reject anything itself
    events = code_one(coder, "Tehran's rejection of the Omani proposal was carried by state radio.")
    assert [(e.event, e.event_text) for e in events] == [("REJECT", "rejection")]
    assert {a.code for a in events[0].source} == {"IRN"}


def test_coder_takes_the_partner_of_a_relation_as_target(coder: Coder) -> None:
    # the parser hangs "to Greece" on "cut"; the ties are with Sweden
    [event] = code_one(coder, "Turkey warned it would cut diplomatic ties with Sweden over its "
                              "weapons exports to Greece.")
    assert (event.event, {a.code for a in event.target}) == ("THREATEN", {"SWE"})
    # the parser hangs "on Taiwan" on the stance; the support is for Pyongyang's
    [event] = code_one(coder, "Moscow voiced support for Pyongyang's stance on Taiwan.")
    assert (event.event, {a.code for a in event.target}) == ("SUPPORT", {"PRK"})


def test_coder_reads_a_passive_event_noun_as_the_event_itself(coder: Coder) -> None:
    [event] = code_one(coder, "Kazakhstan's appeal to China for flood relief was made public "
                              "on Monday.")
    assert event.event == "REQUEST"
    assert ({a.code for a in event.source}, {a.code for a in event.target}) == ({"KAZ"}, {"CHN"})
    [event] = code_one(coder, "An attack on the Armenian convoy was carried out by Azerbaijani "
                              "drones.")
    assert ({a.code for a in event.source}, {a.code for a in event.target}) == ({"AZE"}, {"ARM"})


def test_coder_prefers_the_precise_event_noun_to_the_verb_with_a_bare_noun(coder: Coder) -> None:
    # "launch a strike" alone is a labour strike; "air strikes on" are attacks
    [event] = code_one(coder, "Israel launched air strikes on Hezbollah depots in Lebanon.")
    assert (event.event, event.mode) == ("ASSAULT", "aerial")
    [event] = code_one(coder, "Georgian teachers launched a hunger strike in Tbilisi.")
    assert (event.event, event.mode) == ("PROTEST", "hunger")


def test_coder_looks_through_partitive_objects(coder: Coder) -> None:
    [event] = code_one(coder, "Turkey sent hundreds of soldiers to northern Syria.")
    assert (event.event, {a.code for a in event.target}) == ("MOBILIZE", {"SYR"})
    [event] = code_one(coder, "Dozens of Russian warships were dispatched to the Baltic Sea.")
    assert event.event == "MOBILIZE"


def test_coder_takes_no_place_or_date_as_the_target_of_a_meeting(coder: Coder) -> None:
    [event] = code_one(coder, "Serbian and Kosovar negotiators met in Brussels on Tuesday.")
    assert event.event == "CONSULT"
    assert {a.code for a in event.source} == {"SRB", "KOS"}
    assert event.target == ()
    [event] = code_one(coder, "Armenian protesters rallied in mid-September.")
    # no month for a target: a protest the text aims at no one is a domestic one
    assert event.event == "PROTEST"
    assert [(a.text, a.code, a.home) for a in event.target] == [("", "ARM", "domestic")]
    # a name the dictionaries do not know is still kept as an uncoded actor
    [event] = code_one(coder, "Armenia accused Rosatom Academy of spreading false reports.")
    assert [a.text for a in event.target] == ["Rosatom Academy"]


def test_coder_knows_ordered_forces_and_deleted_posts(coder: Coder) -> None:
    [event] = code_one(coder, "Minsk ordered two battalions to the Lithuanian border.")
    assert (event.event, {a.code for a in event.target}) == ("MOBILIZE", {"LTU"})
    [event] = code_one(coder, "Iranian authorities deleted articles about the protests.")
    assert (event.event, event.mode) == ("COERCE", "censor")


def test_coder_repairs_lemmas_the_lemmatiser_clips(coder: Coder) -> None:
    # spaCy's small model reads "staged" as "stag"
    [event] = code_one(coder, "Armenian farmers staged a rally outside the Yerevan city hall.")
    assert (event.event, event.event_text) == ("PROTEST", "staged")


def test_coder_knows_weapons_launched_at_a_target_and_goods_carried(coder: Coder) -> None:
    [event] = code_one(coder, "Russia launched dozens of drones at Zaporizhzhia overnight.")
    assert (event.event, event.mode, {a.code for a in event.target}) == (
        "ASSAULT", "drone", {"UKR"})
    [event] = code_one(coder, "Jordan flew tons of food to northern Gaza.")
    assert (event.event, {a.code for a in event.source}) == ("AID", {"JOR"})


def test_coder_takes_the_place_of_an_unnamed_target_of_an_event_noun(coder: Coder) -> None:
    [event] = code_one(coder, "Iran's shelling of Kurdish camps in northern Iraq went on "
                              "for a week.")
    assert (event.event, {a.code for a in event.target}) == ("ASSAULT", {"IRQ"})


def test_coder_reads_a_list_of_names_parsed_as_an_apposition(coder: Coder) -> None:
    # (the sentence shape is the one the small model parses so; the test needs it)
    [event] = code_one(coder, "Mali, Burkina Faso and Niger signed a defence pact.")
    assert {a.code for a in event.source} == {"MLI", "BFA", "NER"}


def test_coder_reads_events_carried_by_completing_and_escalating(coder: Coder) -> None:
    [event] = code_one(coder, "Armenia completed the withdrawal of its troops from Tavush.")
    assert (event.event, event.event_text, {a.code for a in event.source}) == (
        "RETREAT", "completed", {"ARM"})
    [event] = code_one(coder, "Turkey intensified its bombardment of Kobani.")
    assert (event.event, {a.code for a in event.source}) == ("ASSAULT", {"TUR"})


def test_coder_codes_no_event_a_verb_undoes_or_an_adjective_doubts(coder: Coder) -> None:
    document = Document.from_text("Kyiv said Russian units had violated the Easter truce.")
    [coded] = list(coder.code([document]))
    assert not any(e.event == "RETREAT" for e in coded.events)
    assert ("RETREAT", "negated:violate") in {(s.event, s.reason) for s in coded.set_aside}
    document = Document.from_text("A Chinese blockade of Taiwan is unlikely this year.")
    [coded] = list(coder.code([document]))
    assert coded.events == []
    assert [s.reason for s in coded.set_aside] == ["hypothetical:unlikely"]


def test_coder_reads_no_actor_in_a_city_a_document_is_named_after(coder: Coder) -> None:
    [event] = code_one(coder, "Brazil ratified the Paris Agreement on climate change.")
    assert "FRA" not in {a.code for a in event.target}
    [event] = code_one(coder, "Moscow condemned the Kyiv government.")
    assert {a.code for a in event.target} == {"UKR"}


def test_coder_takes_no_topic_as_the_target_of_talks(coder: Coder) -> None:
    [event] = code_one(coder, "Russia and Turkey held talks on Syria.")
    assert (event.event, {a.code for a in event.source}) == ("CONSULT", {"RUS", "TUR"})
    assert event.target == ()


def test_coder_knows_boarded_ships_and_dumped_manure(coder: Coder) -> None:
    [event] = code_one(coder, "Iranian commandos boarded a Greek oil tanker in the Gulf of Oman.")
    assert (event.event, event.mode) == ("COERCE", "seize")
    [event] = code_one(coder, "Polish farmers dumped grain outside the Ukrainian consulate.")
    assert event.event == "PROTEST"


def test_coder_carries_negation_and_doubt_through_aspect_verbs(coder: Coder) -> None:
    for text in ("Turkey has not decided to send troops to Azerbaijan.",
                 "Turkey has decided whether to send troops to Azerbaijan."):
        [coded] = list(coder.code([Document.from_text(text)]))
        assert coded.events == [], text
        assert len(coded.set_aside) == 1, text
    [event] = code_one(coder, "Turkey decided to send troops to Azerbaijan.")
    assert event.event == "MOBILIZE"


def test_coder_takes_whom_a_condition_is_put_to_as_target(coder: Coder) -> None:
    [event] = code_one(coder, "Aliyev warned that Azerbaijan would use force if Armenia did "
                              "not withdraw its troops.")
    assert (event.event, {a.code for a in event.target}) == ("THREATEN", {"ARM"})


def test_coder_finds_sector_and_country_of_officials(coder: Coder) -> None:
    [event] = code_one(coder, "Azerbaijani police detained four Russian journalists.")
    assert (event.source[0].code, event.source[0].sector) == ("AZE", "COP")
    assert event.target[0].code == "RUS"
    assert event.mode == "arrest"
    assert (event.cameo, event.quad_class) == ("17", 4)
    assert event.intensity is not None and event.intensity < 0


PLOVER_TYPES_TABLE = Path(__file__).parent / "golden" / "plover_types.csv"


def _table_rows() -> list[dict[str, str]]:
    with PLOVER_TYPES_TABLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _row_ok(coder: Coder, row: dict[str, str]) -> bool:
    top = _top(code_one(coder, row["sentence"], date="2024-05-01"))
    if row["event"] == "NONE":
        return top is None
    if top is None or top.event != row["event"]:
        return False
    for side, actors in (("source", top.source), ("target", top.target)):
        if row[side] and not set(row[side].split("|")) & {a.code for a in actors}:
            return False
    return True


def test_coder_agrees_with_golden_table_of_every_plover_type(coder: Coder) -> None:
    """The table has 12+ sentences of each type and 30+ without an event.

    The coder is held to a floor rather than to every row, so that the table
    can keep hard cases the coder does not solve yet; the floors are set just
    under what it achieves and rise with it.
    """
    rows = _table_rows()
    results = [(row, _row_ok(coder, row)) for row in rows]
    by_type: dict[str, list[bool]] = {}
    for row, ok in results:
        by_type.setdefault(row["event"], []).append(ok)
    assert set(by_type) >= {"AGREE", "ASSAULT", "NONE"} and len(by_type) == 17
    assert all(len(v) >= 12 for v in by_type.values())
    overall = sum(ok for _, ok in results) / len(results)
    assert overall >= 0.9, f"golden table accuracy {overall:.3f}"
    modality = [ok for row, ok in results
                if row["structure"] in {"negation", "hypothetical", "conditional"}]
    assert sum(modality) / len(modality) >= 0.95
    weakest = min(sum(v) / len(v) for v in by_type.values())
    assert weakest >= 0.75, f"weakest type at {weakest:.2f}"


def test_coder_adds_contexts_signalled_by_the_sentence(coder: Coder) -> None:
    [event] = code_one(coder, "Azerbaijani troops shelled Armenian villages near the border.")
    assert set(event.context) >= {"military", "territory"}
    [event] = code_one(coder, "Moscow expelled two Armenian diplomats.")
    assert "diplomatic" in event.context and "military" not in event.context


def test_coder_dates_events_from_the_text_and_chains_relative_dates(coder: Coder) -> None:
    events = code_one(
        coder,
        "On March 3, Azerbaijan recalled its ambassador from Moscow. The next day Baku "
        "closed the Russian consulate. Armenia condemned the decision.",
        date="2025-03-10",
    )
    dated = {e.event_text: (e.date, e.date_precision, e.date_fallback) for e in events}
    assert dated["recalled"] == ("2025-03-03", "day", False)
    assert dated["closed"] == ("2025-03-04", "day", False)
    assert dated["condemned"][0] in {"2025-03-04", "2025-03-10"}


def test_coder_places_the_event_where_the_sentence_says(coder: Coder) -> None:
    [event] = code_one(coder, "Russian police detained seven Azerbaijani citizens in "
                              "Yekaterinburg on Friday.")
    assert event.location is not None
    assert (event.location.name, event.location.country) == ("Yekaterinburg", "RUS")
    assert event.location.lat is not None and 50 < event.location.lat < 60
    [event] = code_one(coder, "Azerbaijan expelled two Russian diplomats.")
    assert event.location is None


def test_coder_knows_a_described_person_by_surname_later_in_the_text(coder: Coder) -> None:
    events = code_one(
        coder, "Georgian opposition leader Nika Melia criticised the Russian embassy. "
               "Melia also accused Moscow of meddling in the election.",
    )
    later = [e for e in events if e.event_text == "accused"]
    assert [(a.code, a.sector) for a in later[0].source] == [("GEO", "OPP")]


def test_coder_carries_a_named_title_to_a_later_definite_mention(coder: Coder) -> None:
    events = code_one(
        coder, "Armenia's Foreign Minister Ararat Mirzoyan met Sergey Lavrov in Moscow on "
        "Monday. The minister later accused Russia of interfering in Armenian politics.")
    [accuse] = [e for e in events if e.event == "ACCUSE"]
    assert (accuse.source[0].code, accuse.source[0].sector) == ("ARM", "GOV")


def test_coder_leaves_a_title_nobody_was_named_with_uncoded(coder: Coder) -> None:
    events = code_one(coder, "The minister condemned the attack.")
    assert all(a.code is None for e in events for a in e.source)


@pytest.mark.parametrize("text, coded", [
    ("Norway supplies about a third of the natural gas used in Germany.", False),
    ("Kazakhstan sells uranium to France under a long-term contract.", False),
    ("Kazakhstan sold uranium to France under a long-term contract.", True),
    ("Norway supplied additional gas to Germany after the pipeline explosions.", True),
    ("Azerbaijan has delivered its first gas cargo to Hungary.", True),
    # a simple present passive with no agent tells how things stand
    ("Armenian airlines are barred from Azerbaijani airspace.", False),
    ("Georgian wine is banned in Russia.", False),
    ("On Monday Armenian airlines were barred from Azerbaijani airspace.", True),
    ("Georgian wine is banned by Russia from today.", True),
    # an act done at one moment is news in the present passive (summaries, headlines)
    ("Three Georgian border guards are wounded in a shooting near Gori.", True),
    ("A Moldovan opposition deputy is arrested at Chisinau airport.", True),
    # so is an event a light verb carries
    ("A nationwide general strike is held in Peru.", True),
])
def test_coder_sets_aside_standing_relations_in_the_simple_present(
    coder: Coder, text: str, coded: bool
) -> None:
    [result] = list(coder.code([Document.from_text(text)]))
    assert bool(result.events) == coded
    if not coded:
        assert [s.reason for s in result.set_aside] == ["standing"]


@pytest.mark.parametrize("text, coded", [
    ("The Kazakh embassy in Minsk declined to comment on the expulsions.", False),
    ("Belarus refused to confirm that the convoy had crossed the border.", False),
    ("Belarus refused to let the Lithuanian convoy cross the border.", True),
    ("Minsk declined to meet the Lithuanian envoy.", True),
])
def test_coder_sets_aside_a_comment_withheld(coder: Coder, text: str, coded: bool) -> None:
    [result] = list(coder.code([Document.from_text(text)]))
    assert [e.event for e in result.events] == (["REJECT"] if coded else [])
    if not coded:
        assert "comment" in [s.reason for s in result.set_aside]


@pytest.mark.parametrize("text, target", [
    ("The Polish Sejm voted down the government's proposal.", "POL"),
    ("Lithuania voted against the Russian resolution at the UN.", "RUS"),
])
def test_coder_reads_a_vote_against_as_a_rejection(coder: Coder, text: str, target: str) -> None:
    [event] = code_one(coder, text)
    assert (event.event, [a.code for a in event.target]) == ("REJECT", [target])


@pytest.mark.parametrize("text, event", [
    ("The Georgian president granted the jailed Russian journalist a full pardon.", "CONCEDE"),
    ("Minsk gave the two Lithuanian prisoners a pardon.", "CONCEDE"),
    ("Tokayev granted Marat Akhmetov, a former Kazakh minister, a full pardon.", "CONCEDE"),
    ("Baku handed Yerevan the bodies of four soldiers.", "RETREAT"),
])
def test_coder_reads_what_a_two_object_verb_gives(coder: Coder, text: str, event: str) -> None:
    # the first object receives; the second is what is given
    [coded] = code_one(coder, text)
    assert coded.event == event


@pytest.mark.parametrize("text, coded", [
    ("The Greek premier said Athens would not accept any Turkish claims in the Aegean.", True),
    ("Baku does not recognise the so-called elections in Karabakh.", True),
    ("Azerbaijan has never recognised the 1991 referendum in Karabakh.", False),
    ("Armenia did not attend the CSTO summit.", False),
])
def test_coder_reads_a_negated_acceptance_as_a_refusal(
    coder: Coder, text: str, coded: bool
) -> None:
    events = code_one(coder, text)
    assert [e.event for e in events] == (["REJECT"] if coded else [])


def test_coder_aims_responses_and_apologies_from_what_came_before(coder: Coder) -> None:
    events = code_one(coder, "Azerbaijan closed the Lachin corridor. Armenia responded by "
                             "recalling its ambassador.")
    [recall] = [e for e in events if e.event == "SANCTION"]
    assert [a.code for a in recall.target] == ["AZE"]
    events = code_one(coder, "Turkish jets shot down a Russian bomber near the Syrian border. "
                             "Months later, Erdogan apologised.")
    [apology] = [e for e in events if e.event == "SUPPORT"]
    assert [a.code for a in apology.target] == ["RUS"]


def test_coder_aims_a_protest_with_no_target_at_the_last_act(coder: Coder) -> None:
    events = code_one(coder, "A Chinese coast guard ship seized a Vietnamese trawler near the "
                             "Paracels. Vietnam protested.")
    [protest] = [e for e in events if e.event == "ACCUSE"]
    assert [a.code for a in protest.target] == ["CHN"]


def test_coder_codes_an_attack_told_by_its_toll_once(coder: Coder) -> None:
    # the participle of the toll and the noun naming the doer are the same attack
    events = code_one(coder, "Israeli strikes hit Gaza City, killing 20 people.")
    assert [(e.event, e.source[0].code, e.target[0].code) for e in events] == [
        ("ASSAULT", "ISR", "PSE")]


def test_coder_aims_a_judgement_at_what_it_is_said_of(coder: Coder) -> None:
    events = code_one(coder, '"This is a gross violation of international law," the Chinese '
                             'foreign ministry said of the Japanese move.')
    assert [(e.event, e.source[0].code, e.target[0].code) for e in events] == [
        ("ACCUSE", "CHN", "JPN")]


@pytest.mark.parametrize("text, doers", [
    ("The Lithuanian parliament passed a resolution to expel the Russian ambassador.", ["LTU"]),
    ("The Moldovan parliament voted on a bill to close the Russian cultural centre.", ["MDA"]),
    ("The Moldovan government proposed a bill to close the Russian cultural centre.", []),
])
def test_coder_reads_an_adopted_texts_infinitive_as_its_act(
    coder: Coder, text: str, doers: list[str]
) -> None:
    # adopted, the text's act is done by whoever adopted it; proposed, it is a plan
    assert [e.source[0].code for e in code_one(coder, text)] == doers


def test_coder_reads_wanting_another_to_act_as_a_demand(coder: Coder) -> None:
    # not an extradition by Stockholm, and no intention of Ankara's own
    [event] = code_one(coder, "Ankara wants Stockholm to extradite the Kurdish activists.")
    assert (event.event, event.source[0].code, event.target[0].code) == ("REQUEST", "TUR", "SWE")
    [event] = code_one(coder, "Moscow wants to expand trade with Tehran.")
    assert (event.event, event.source[0].code) == ("AGREE", "RUS")


@pytest.mark.parametrize("text, event", [
    # charge and hold by their frame
    ("Riot police charged the crowd in Tbilisi.", "ASSAULT"),
    ("Georgian police charged the protesters with hooliganism.", "ACCUSE"),
    ("Turkish police held three Greek fishermen for two days.", "COERCE"),
    ("The Turkish leader held talks with his Greek counterpart.", "CONSULT"),
    # a state's protest is a diplomatic one, a crowd's a demonstration
    ("The Vietnamese foreign ministry protested strongly on Monday.", "ACCUSE"),
    ("Vietnam protested to Beijing over the seizure of its trawler.", "ACCUSE"),
    ("Thousands of Vietnamese protested in Hanoi.", "PROTEST"),
    ("The Armenian opposition protested in Yerevan.", "PROTEST"),
    # wire phrases
    ("Armenia handed over control of four villages to Azerbaijan.", "RETREAT"),
    ("The Georgian delegation walked out of the talks in Geneva.", "SANCTION"),
    ("The Serbian president lashed out at Pristina.", "ACCUSE"),
    ("Tehran vowed to retaliate against Israel.", "THREATEN"),
    ("Kyiv promised to meet its obligations.", "AGREE"),
    ("Iran tested a new hypersonic missile.", "MOBILIZE"),
    ("Opposition supporters took to the streets in Tbilisi on Sunday.", "PROTEST"),
    ("Brussels opened an infringement procedure against Budapest.", "ACCUSE"),
    ("Armenian and Azerbaijani forces exchanged fire along the border.", "ASSAULT"),
    ("Moscow and Kyiv exchanged prisoners.", "RETREAT"),
    ("Hungary blocked EU aid to Ukraine.", "REJECT"),
    ("Sudanese paramilitaries besieged El Fasher.", "COERCE"),
    ("Morocco reopened its embassy in Tehran.", "SUPPORT"),
    ("Riyadh closed its embassy in Beirut.", "SANCTION"),
    ("Pakistan ordered Afghan refugees to leave the country.", "COERCE"),
    ("Moscow ordered two Estonian diplomats to leave.", "SANCTION"),
    ("The EU imposed a price cap on Russian oil.", "SANCTION"),
    ("Brussels unfroze funds for Hungary.", "CONCEDE"),
    # a word of blame judges whatever verb passes the judgement
    ("The Chinese ministry described the Japanese move as reckless.", "ACCUSE"),
    ("The Kenyan senator spoke out against the tax bill.", "ACCUSE"),
    ("The Kenyan president reprimanded the Ugandan envoy.", "ACCUSE"),
    # a court's judgement, however the parser hangs its adjective or its clause
    ("A Kenyan court ruled the levy unconstitutional.", "ACCUSE"),
    ("On Tuesday, the Kenyan high court ruled the finance ministry's practice of taxing "
     "farmers but not traders for the levy, or the road fund, is unlawful.", "ACCUSE"),
    # troops that leave withdraw; a minister who leaves travels
    ("The Kremlin said Russian troops left Armenia on Monday.", "RETREAT"),
    ("Russian peacekeepers left Nagorno-Karabakh in April.", "RETREAT"),
    ("Azerbaijan's foreign ministry called the deaths an act of ethnic violence.", "ACCUSE"),
    # an attack by the media or on a policy is made of words
    ("Russian media outlets have attacked the Armenian government for months.", "ACCUSE"),
    ("Russian state television attacked the Armenian prime minister.", "ACCUSE"),
    ("Militants attacked a police station in Dagestan.", "ASSAULT"),
    # what is traded decides what trading is
    ("Israel and Hezbollah traded fire across the border.", "ASSAULT"),
    ("Serbian and Kosovar officials traded accusations in Brussels.", "ACCUSE"),
    # brushing aside is refusing
    ("Beijing brushed aside the criticism from Manila.", "REJECT"),
    ("The Kremlin shrugged off the new sanctions.", "REJECT"),
    # a note handed over is what the note says; a person handed over is extradited
    ("Moscow handed a protest note to the Azerbaijani envoy.", "ACCUSE"),
    ("The Greek ministry handed a demarche to the Turkish ambassador.", "ACCUSE"),
    ("Kyrgyzstan handed over the suspect to Russia.", "COOPERATE"),
    # a strike is a walkout when the words say so
    ("French unions called a strike for Thursday.", "PROTEST"),
    ("Thousands of teachers joined the strike in Paris.", "PROTEST"),
    # what gathers decides what gathering is
    ("Protesters gathered outside the parliament in Tbilisi on Sunday.", "PROTEST"),
    ("Thousands of demonstrators converged on the presidential palace in Lima.", "PROTEST"),
    ("Hundreds of Russian soldiers arrived in Belarus for joint drills.", "MOBILIZE"),
    # taking sides, and attending only what is a meeting
    ("Poland sided with Kyiv in the dispute over grain.", "SUPPORT"),
    ("Lithuania stands with Ukraine.", "SUPPORT"),
    ("The Greek prime minister attended the summit in Brussels.", "CONSULT"),
    # appealing a court's decision contests it; appealing to someone asks them
    ("The Georgian opposition leader appealed the verdict.", "REJECT"),
    ("Georgia appealed to the European Union for help.", "REQUEST"),
    # "called for X to ...": the parser's "for" marks a clause, the call's content
    ("Moldova called for Russian troops to leave Transnistria.", "REQUEST"),
    ("Lithuania called for the sanctions on Minsk to be extended.", "REQUEST"),
    # designating a group a terrorist one judges it
    ("Moscow designated the Ukrainian battalion a terrorist organisation.", "ACCUSE"),
    # coming to someone's defence or aid
    ("France came to the defence of Greece in the maritime dispute.", "SUPPORT"),
    ("Russia rushed to the aid of Armenia after the earthquake.", "AID"),
    # the noun a relative clause describes is its object
    ("The aid that Russia sent to Armenia arrived on Monday.", "AID"),
    # "it is time for X to ...": what is due, asked of X
    ('"It is time for Russia to withdraw its troops," the Georgian president said.',
     "REQUEST"),
    ('"It is high time for Moscow to free the reporters," the Estonian minister said.',
     "REQUEST"),
    # what a cause brought about, a later conjunct too
    ("The Georgian media law has provoked anger and protests.", "PROTEST"),
    # what protesters block they obstruct
    ("Georgian protesters blocked the exits of the parliament building.", "PROTEST"),
    # the media's attacks are words
    ("Russian state television launched a fresh attack on the Armenian prime minister.",
     "ACCUSE"),
    # massing troops mobilizes them
    ("Azerbaijan has massed troops along the border with Armenia.", "MOBILIZE"),
    # whoever's resignation it is resigned
    ("The resignation of the Georgian prime minister ended the crisis.", "RETREAT"),
])
def test_coder_reads_words_by_their_frame(coder: Coder, text: str, event: str) -> None:
    [coded] = code_one(coder, text)
    assert coded.event == event


def test_coder_reads_what_a_judgement_calls_an_act_as_no_act(coder: Coder) -> None:
    # the parser makes "an aggression" a second object of "calling"
    for text in ('The Iraqi premier condemned the raid, calling it "an aggression on Iraq".',
                 "Lavrov described the arrests as an attack on the press."):
        assert [e.event for e in code_one(coder, text)] == ["ACCUSE"]


def test_coder_aims_a_judgement_through_its_preposition_at_the_doer(coder: Coder) -> None:
    events = code_one(coder, "The Iraqi prime minister spoke out against the air strike by "
                             "American forces.")
    [spoken] = [e for e in events if e.event == "ACCUSE"]
    assert [a.code for a in spoken.target] == ["USA"]
    events = code_one(coder, "Russian jets bombed a market in Idlib. The French foreign "
                             "ministry spoke out against the attack.")
    [spoken] = [e for e in events if e.event == "ACCUSE"]
    assert [a.code for a in spoken.target] == ["RUS"]


def test_coder_reads_object_pronoun_and_definite_plural_as_earlier_targets(coder: Coder) -> None:
    for second in ("The police later released them.", "The police later freed the journalists."):
        events = code_one(coder, "Russian police detained two Azerbaijani journalists in Moscow. "
                          + second)
        [freed] = [e for e in events if e.event == "RETREAT"]
        assert (freed.source[0].code, freed.source[0].sector) == ("RUS", "COP")
        assert (freed.target[0].code, freed.target[0].sector) == ("AZE", "JRN")


def test_coder_gives_the_two_ministers_both_countries(coder: Coder) -> None:
    events = code_one(coder, "Greek Defence Minister Nikos Dendias met Cypriot Defence Minister "
                      "Vasilis Palmas in Athens. The two ministers signed a cooperation plan.")
    [signed] = [e for e in events if e.event in {"AGREE", "SUPPORT", "COOPERATE"}]
    assert {a.code for a in signed.source} == {"GRC", "CYP"}


@pytest.mark.parametrize("second", [
    "The minister blamed Ankara for the failure of the talks.",
    "The minister met Turkish officials on Monday.",
    # a speaker nobody knows, facing a state, is placed as annotators place him
    "Nikos Testakis blamed Ankara for the failure of the talks.",
])
def test_coder_presumes_no_official_the_countryman_of_the_state_he_faces(
    coder: Coder, second: str
) -> None:
    # the document is about Greece; the official's own country is not given
    [event] = code_one(coder, "Greece is angry over the drilling. " + second)
    assert (event.source[0].code, event.target[0].code) == ("GRC", "TUR")


def test_coder_aims_words_of_conflict_at_the_doer_of_what_they_came_after(
    coder: Coder
) -> None:
    events = code_one(coder, "Japan lodged a protest after Chinese ships entered its "
                             "territorial waters.")
    # (the incursion it came after is an event of its own)
    assert [(e.event, e.target[0].code) for e in events] == [
        ("ACCUSE", "CHN"), ("COERCE", "JPN")]


def test_coder_aims_a_call_for_an_inquiry_at_the_doer_of_what_it_inquires_into(
    coder: Coder
) -> None:
    events = code_one(coder, "Police shot a student in Nairobi on Tuesday. Human Rights "
                             "Watch called for an investigation into the shooting.")
    [request] = [e for e in events if e.event == "REQUEST"]
    assert [(a.code, a.sector) for a in request.target] == [("KEN", "COP")]


def test_coder_aims_a_demand_for_an_act_at_whom_the_act_is_done_to(coder: Coder) -> None:
    [event] = code_one(coder, "Armenian officials are openly advocating for blocking Russian "
                              "television broadcasts.")
    assert (event.event, event.source[0].code, event.target[0].code) == ("REQUEST", "ARM", "RUS")


@pytest.mark.parametrize("text, events", [
    # what an act was for is told with it
    ("The Greek and Turkish ministers met in Geneva on Monday to discuss the dispute.",
     ["CONSULT"]),
    ("Chad sent troops to the border to help fight the rebels.", ["MOBILIZE"]),
    # a team sent to investigate or to demand does speak
    ("The UN sent a team to Bosnia to investigate the killings.", ["ACCUSE"]),
])
def test_coder_reads_an_infinitive_of_purpose_with_its_act(
    coder: Coder, text: str, events: list[str]
) -> None:
    assert sorted(e.event for e in code_one(coder, text)) == events


@pytest.mark.parametrize("text", [
    "India blamed Pakistan for the attack in Kashmir.",
    "India accused Pakistan of the bombing in Kashmir.",
])
def test_coder_reads_an_act_someone_is_blamed_for_as_the_accusation_s_content(
    coder: Coder, text: str
) -> None:
    # no second event of the attack by unidentified forces of India
    assert [(e.event, e.target[0].code) for e in code_one(coder, text)] == [("ACCUSE", "PAK")]


def test_coder_reads_what_is_refused_as_not_done(coder: Coder) -> None:
    assert [e.event for e in code_one(coder, "The Serbian president ruled out recognising "
                                              "Kosovo.")] == ["REJECT"]
    # an adjunct after a comma is an act of its own
    assert sorted(e.event for e in code_one(coder, "Moscow rejected the claim, accusing Kyiv "
                                                    "of lying.")) == ["ACCUSE", "REJECT"]


@pytest.mark.parametrize("text, event", [
    ("Washington quit the nuclear treaty with Tehran, which had been agreed under the "
     "previous president.", "SANCTION"),
    # a noun's clause said to be years old
    ("Georgian police detained two Armenian men in connection with murders committed "
     "years ago.",
     "COERCE"),
])
def test_coder_reads_a_past_perfect_relative_clause_as_history(
    coder: Coder, text: str, event: str
) -> None:
    [coded] = coder.code([Document.from_text(text)])
    assert [e.event for e in coded.events] == [event]
    assert [k.reason for k in coded.set_aside] == ["background"]


@pytest.mark.parametrize("text, targets", [
    ("Washington has urged allies such as Japan to restrict the airline's flights.", {"JPN"}),
    ("Russia warned countries including Finland and Sweden against joining NATO.",
     {"FIN", "SWE"}),
])
def test_coder_reads_a_group_by_the_members_it_names(
    coder: Coder, text: str, targets: set[str]
) -> None:
    [event] = code_one(coder, text)
    assert {a.code for a in event.target} == targets


def test_coder_finds_a_subject_the_parser_hangs_on_an_auxiliary(coder: Coder) -> None:
    # the parser makes "UK" the subject of "been", not of "encouraging"
    [event] = code_one(coder, "Talks ended. The UK has been encouraging allies such as Japan "
                              "to restrict the flights.")
    assert (event.event, event.source[0].code, event.target[0].code) == ("REQUEST", "GBR", "JPN")


def test_coder_reads_figures_of_speech_as_no_blow(coder: Coder) -> None:
    assert code_one(coder, "The Kenyan draft law seeks to strike a balance between the "
                           "interests at stake.") == []
    assert code_one(coder, "The Kenyan and Ugandan accounts of the meeting clashed.") == []


def test_coder_reads_a_verb_by_its_subject_where_the_entry_asks(coder: Coder) -> None:
    assert code_one(coder, "The Armenian minister left Moscow on Monday.") == []
    assert code_one(coder, "The Greek minister arrived in Ankara on Monday.") == []
    assert code_one(coder, "Thousands of people gathered to mourn the victims.") == []
    # announced for the future, a withdrawal is a promise
    [event] = code_one(coder, "Washington announced US troops would be leaving Syria.")
    assert (event.event, event.source[0].code, event.target[0].code) == ("AGREE", "USA", "SYR")


@pytest.mark.parametrize("text, event, codes", [
    ("Chile and Peru had poor relations for years, but the leaders of the two countries "
     "spoke by telephone on Friday.", "CONSULT", {"CHL", "PER"}),
    ("Chile and Peru had poor relations for years. The presidents of both countries spoke "
     "by phone on Friday.", "CONSULT", {"CHL", "PER"}),
    ("Russia and Ukraine exchanged prisoners. The two sides also agreed to meet again.",
     "AGREE", {"RUS", "UKR"}),
])
def test_coder_reads_the_two_countries_as_the_states_last_named(
    coder: Coder, text: str, event: str, codes: set[str]
) -> None:
    [coded] = [e for e in code_one(coder, text) if e.event == event]
    assert {a.code for a in coded.source} == codes


def test_coder_reads_a_quotation_in_the_voice_of_its_speaker(coder: Coder) -> None:
    text = ('The Kenyan opposition leader spoke to reporters in Nairobi. He said the '
            'government had broken its word. "They are betraying the farmers.\n\n'
            'It is a disgrace."')
    events = code_one(coder, text)
    blamed = [e for e in events if e.rule == "grammar:blame"]
    assert blamed and all(e.source[0].code == "KEN" for e in blamed)
    # the quotation goes on in its second paragraph, in the same voice
    assert any("disgrace" in e.text for e in blamed)


def test_coder_reads_a_quotation_in_the_voice_of_the_speaker_named_after_it(coder: Coder) -> None:
    events = code_one(coder, '"Romania\'s decision is a grave mistake. It will hurt the whole '
                             'region," the Moldovan foreign minister said.')
    [blamed] = [e for e in events if e.rule == "grammar:blame"]
    assert (blamed.event_text, blamed.source[0].code, blamed.target[0].code) == (
        "mistake", "MDA", "ROU")


def test_coder_reads_a_quotation_a_speaker_continued_in_their_voice(coder: Coder) -> None:
    events = code_one(coder, '"The new tax is a disgrace," the Kenyan opposition leader '
                             'continued.')
    [blamed] = [e for e in events if e.rule == "grammar:blame"]
    assert (blamed.source[0].code, blamed.source[0].sector) == ("KEN", "OPP")


def test_coder_forgets_a_speaker_at_a_new_paragraph(coder: Coder) -> None:
    events = code_one(coder, '"Romania\'s decision is a grave mistake," the Moldovan foreign '
                             'minister said on Tuesday.\n\n"It is a disgrace."')
    assert not [e for e in events if e.event_text == "disgrace"]


def test_coder_reads_a_word_of_blame_that_names_a_topic_as_no_judgement(coder: Coder) -> None:
    events = code_one(coder, "The Kenyan minister said the victims of abuse in police cells "
                             "had a right to compensation.")
    assert not [e for e in events if e.rule == "grammar:blame"]
    events = code_one(coder, "The Kenyan minister said the raid was an abuse of power.")
    assert [e.rule for e in events] == ["grammar:blame"]


def test_coder_leaves_a_quotation_without_a_speaker_alone(coder: Coder) -> None:
    events = code_one(coder, '"It is a disgrace," read a banner in the square.')
    assert not [e for e in events if e.rule == "grammar:blame"]


def test_coder_reads_no_meeting_into_a_passive_meet(coder: Coder) -> None:
    events = code_one(coder, "The Peruvian president's motorcade was met with protests in Lima.")
    assert "CONSULT" not in {e.event for e in events}


def test_coder_aims_a_denial_at_the_accuser(coder: Coder) -> None:
    events = code_one(coder, "Lithuania accused Belarus of pushing migrants across the "
                             "border. Minsk rejected the charge on Friday.")
    [denial] = [e for e in events if e.event == "REJECT"]
    assert denial.source[0].code == "BLR" and [a.code for a in denial.target] == ["LTU"]


def test_coder_aims_a_domestic_act_at_its_own_country(coder: Coder) -> None:
    [event] = code_one(coder, "Peruvian police arrested the protesters.")
    assert [(a.code, a.sector) for a in event.target] == [("PER", "CVL")]
    [event] = code_one(coder, "The Bolivian interior minister resigned on Friday.")
    assert (event.event, [(a.text, a.code) for a in event.target]) == ("RETREAT", [("", "BOL")])


def test_coder_aims_a_condemnation_of_an_act_at_its_doer(coder: Coder) -> None:
    events = code_one(coder, "Russian forces shelled a hospital in Kharkiv. "
                             "The German government strongly condemned the attack.")
    [condemned] = [e for e in events if e.event == "ACCUSE"]
    assert condemned.source[0].code == "DEU" and condemned.target[0].code == "RUS"


@pytest.mark.parametrize("text, target", [
    # the rockets came last, but the air strike is what Tehran condemned
    ("Israeli jets carried out an air strike on Damascus on Monday. Hours later, Syrian "
     "militants fired rockets at the Golan Heights. Iran condemned the air strike.", "ISR"),
    # a bare "strike" may be a walkout or an attack: the act told before in that word
    # says which
    ("Russian jets struck Aleppo on Monday. The Turkish president called the strike "
     "unacceptable.", "RUS"),
    # "calling it an act of war against Chad": Chad is the speaker's own side, the doer
    # of the condemned bombing the target
    ("Sudanese jets bombed a village in eastern Chad on Monday. Chad's president condemned "
     "the bombing, calling it an act of war against Chad.", "SDN"),
    # the verb "raided" and the noun "the raid" read as two types; one act all the same
    ("Sudanese troops raided a village in eastern Chad on Monday. Chad's president "
     "condemned the raid.", "SDN"),
    # words of blame with no one named: whom the speaker's own act was aimed at
    ("Kenya recalled its envoy from Somalia on Friday, saying the breach of the border "
     "accord was a disgrace.", "SOM"),
])
def test_coder_aims_a_judgement_at_whom_the_text_shows_it_is_about(
        coder: Coder, text: str, target: str) -> None:
    [blame] = [e for e in code_one(coder, text) if e.event == "ACCUSE"]
    assert [a.code for a in blame.target] == [target]


def test_coder_aims_a_judging_small_clause_at_the_doer_of_the_act(coder: Coder) -> None:
    # "found the bombing justified": the parser makes the bombing the subject of
    # "justified"; the rebels' shelling came last
    events = code_one(coder, "Russian jets bombed Aleppo on Monday. Hours later, Syrian "
                             "rebels shelled Latakia. The Iranian president found the "
                             "bombing justified.")
    [backed] = [e for e in events if e.event == "SUPPORT"]
    assert [a.code for a in backed.target] == ["RUS"]


@pytest.mark.parametrize("text, target", [
    # whom the act was done to is not whom its judge blames
    ("Armenian police detained two bishops on Monday. The Russian foreign minister "
     "described the detention of the clerics as arbitrary.", "ARM"),
    ("The Kremlin condemned the detention of the Russian sailors by Ukrainian border "
     "guards.", "UKR"),
    # an act whose "of" phrase is its doer is judged in that doer
    ("Kyiv welcomed the withdrawal of Russian troops from the island.", "RUS"),
    # threatened over an act done to someone: not at whom it was done to
    ("Iran vowed revenge for the killing of the Lebanese militia leader.", "IRN"),
])
def test_coder_aims_a_judgement_of_an_act_done_to_someone_at_its_doer(
        coder: Coder, text: str, target: str) -> None:
    [judged] = [e for e in code_one(coder, text)
                if e.event in {"ACCUSE", "SUPPORT", "THREATEN"}]
    assert [a.code for a in judged.target] == [target]


def test_coder_codes_one_act_of_a_sentence_once(coder: Coder) -> None:
    events = code_one(coder, "Somali officials said the attack had killed twelve soldiers "
                             "and injured twelve more.")
    assert len([e for e in events if e.event == "ASSAULT"]) == 1


def test_coder_reads_what_an_alleging_verb_says_another_did_as_an_accusation(
        coder: Coder) -> None:
    # no hostile verb in the content: the allegation is what makes it an event
    for text in ("Kyiv claimed the drones were launched by Russian forces.",
                 "Baku alleged that Armenian officials are hiding the casualty figures."):
        [accused] = code_one(coder, text)
        assert accused.event == "ACCUSE"
        assert [a.code for a in accused.source] != [a.code for a in accused.target]
    # what the speaker claims of itself accuses no one
    assert code_one(coder, "The Georgian president claimed she won the debate.") == []


def test_coder_reads_the_subject_of_an_undergoing_verb_as_the_target(coder: Coder) -> None:
    [attack] = code_one(coder, "The Azerbaijani convoy suffered an attack by Armenian forces.")
    assert (attack.event, [a.code for a in attack.source], [a.code for a in attack.target]) \
        == ("ASSAULT", ["ARM"], ["AZE"])
    [criticism] = code_one(coder, "Georgia faced sharp criticism from Russia over the vote.")
    assert ([a.code for a in criticism.source], [a.code for a in criticism.target]) \
        == (["RUS"], ["GEO"])
    for text in ("The Armenian village came under Azerbaijani attack.",
                 "The Azerbaijani convoy was the target of an Armenian attack."):
        [attack] = code_one(coder, text)
        assert [a.code for a in attack.target] != [a.code for a in attack.source]
    # a punishment one faces is only in prospect; sanctions one is under, a state
    assert code_one(coder, "The former Armenian minister faces a life sentence.") == []
    assert code_one(coder, "Belarus has been under EU sanctions since 2020.") == []


def test_coder_gives_protests_named_in_passing_to_the_civilians_of_the_place(
        coder: Coder) -> None:
    events = code_one(coder, "The Georgian parliament passed the law after weeks of "
                             "protests.")
    assert ("PROTEST", ["GEO"]) in [(e.event, [a.code for a in e.source]) for e in events]
    # a protest an act was done during was told before: no new one
    events = code_one(coder, "Georgian police detained twelve people during the protests.")
    assert [e.event for e in events] == ["COERCE"]


def test_coder_gives_what_a_law_does_to_whoever_the_text_spoke_of_last(coder: Coder) -> None:
    [ban] = code_one(coder, "Lithuania announced new rules for Belarusian hauliers on Friday. "
                            "The new regulation bans Belarusian trucks from its roads.")
    assert ([a.code for a in ban.source], [a.code for a in ban.target]) == (["LTU"], ["BLR"])


def test_coder_codes_armed_groups_by_the_country_they_belong_to(coder: Coder) -> None:
    for text, code in (("Turkish drones struck YPG fighters near Qamishli.", "SYR"),
                       ("Israeli jets bombed Islamic Jihad positions in Khan Younis.", "PSE"),
                       ("American drones hit a Kataib Hezbollah depot near Al-Qaim.", "IRQ")):
        [strike] = code_one(coder, text)
        assert (strike.event, [a.code for a in strike.target]) == ("ASSAULT", [code]), text


def test_coder_reads_naming_someone_a_wrongdoer_as_blame_but_not_a_kind_of_act(
        coder: Coder) -> None:
    [blame] = code_one(coder, '"The Azerbaijani leadership are terrorists," the Armenian '
                              'minister said.')
    assert (blame.event, [a.code for a in blame.target]) == ("ACCUSE", ["AZE"])
    events = code_one(coder, "The Armenian minister said a terrorist attack killed five "
                             "people in Yerevan.")
    assert "ACCUSE" not in [e.event for e in events]


def test_coder_reads_backing_ones_own_act_as_supporting_no_one(coder: Coder) -> None:
    events = code_one(coder, "Azerbaijan defended its air strikes on Armenian positions.")
    assert "SUPPORT" not in [e.event for e in events]
    assert code_one(coder, "The Georgian prime minister justified his government's handling.") == []
    # another's act, or a person, is backed
    [backed] = code_one(coder, "Turkey defended Azerbaijan's offensive.")
    assert (backed.event, [a.code for a in backed.target]) == ("SUPPORT", ["AZE"])
    [praised] = code_one(coder, "Erdogan praised his Azerbaijani counterpart.")
    assert (praised.event, [a.code for a in praised.target]) == ("SUPPORT", ["AZE"])


def test_coder_gives_a_passive_harm_to_the_other_side_of_the_fighting(coder: Coder) -> None:
    [killed] = code_one(coder, "Two Azerbaijani soldiers were killed in clashes with Armenian "
                               "forces, Baku said.")
    assert ([a.code for a in killed.source], [a.code for a in killed.target]) \
        == (["ARM"], ["AZE"])


def test_coder_gives_a_passive_act_to_the_authorities_its_sentence_named(
        coder: Coder) -> None:
    # the document is about Armenia, but Georgian police did the detaining: the
    # charges nobody is named for are Georgia's too
    events = code_one(coder, "Armenia has complained about Armenian truckers stuck at the "
                             "border for weeks. Georgian police on Friday detained two "
                             "Russian reporters, who were later charged with espionage.")
    assert {(e.event, e.source[0].code) for e in events} == {("COERCE", "GEO"),
                                                              ("ACCUSE", "GEO")}


def test_coder_reads_a_state_s_protests_at_an_act_as_a_complaint_at_its_doer(
        coder: Coder) -> None:
    events = code_one(coder, "The detention of two Azerbaijani reporters by Russian police "
                             "drew protests from Baku.")
    [complaint] = [e for e in events if e.source[0].code == "AZE"]
    assert (complaint.event, [a.code for a in complaint.target]) == ("ACCUSE", ["RUS"])
    # a crowd's protests are a demonstration
    [march] = code_one(coder, "The media law drew protests from Georgian students.")
    assert march.event == "PROTEST"


def test_coder_reads_out_of_a_place_as_from_it(coder: Coder) -> None:
    for text in ("France pulled its last troops out of Niger.",
                 "The United States pulled out of Afghanistan."):
        [left] = code_one(coder, text)
        assert left.event == "RETREAT" and [a.code for a in left.target] in (["NER"], ["AFG"])


@pytest.mark.parametrize("text", [
    "Kyiv dismissed Moscow's claims of a Ukrainian attack.",
    "Baku denied allegations of shelling Armenian villages.",
])
def test_coder_reads_what_an_allegation_names_as_said_not_done(
        coder: Coder, text: str) -> None:
    # the denial is the event; the act it denies is only alleged
    assert [e.event for e in code_one(coder, text)] == ["REJECT"]


def test_coder_reads_clashing_claims_as_no_clash(coder: Coder) -> None:
    events = code_one(coder, "Vietnam and China have clashing claims in the South China Sea.")
    assert "ASSAULT" not in {e.event for e in events}


@pytest.mark.parametrize("text, event", [
    ("Kosovo police arrested three Serbs suspected of attacking a patrol.", "COERCE"),
    # the coup is what Moscow is accused of plotting: no coup the text reports
    ("The Moldovan president accused Moscow of plotting a coup against her "
     "government.", "ACCUSE"),
])
def test_coder_reads_what_someone_is_suspected_of_as_no_act(
        coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


def test_coder_aims_a_denial_at_the_accuser_not_at_whom_the_denied_act_was_done_to(
        coder: Coder) -> None:
    events = code_one(coder, "Ukraine accused Russian forces of shelling Kharkiv. Moscow "
                             "denied that its forces had targeted civilians.")
    [denial] = [e for e in events if e.event == "REJECT"]
    assert [a.code for a in denial.target] == ["UKR"]


def test_coder_reads_what_a_blocked_text_says_as_not_said(coder: Coder) -> None:
    events = code_one(coder, "Hungary blocked a joint EU statement condemning China.")
    assert [(e.event, e.source[0].code) for e in events] == [("REJECT", "HUN")]


def test_coder_reads_a_verb_of_saying_in_a_demand_as_what_is_asked(coder: Coder) -> None:
    # "admit" is what Baku asks of Moscow, not Moscow speaking words of blame
    events = code_one(coder, "Aliyev demanded that Russia admit guilt, punish those "
                             "responsible and pay compensation.")
    assert [(e.event, e.source[0].code) for e in events] == [("REQUEST", "AZE")]


def test_coder_codes_an_act_told_in_a_gerund_of_time(coder: Coder) -> None:
    # two acts, one after the other: the meeting is no content of the criticism
    events = code_one(coder, "After meeting Putin in the Kremlin, Orban criticised EU "
                             "sanctions on Russia.")
    assert {(e.event, e.target[0].code) for e in events} == {("CONSULT", "RUS"),
                                                             ("ACCUSE", "IGO")}


@pytest.mark.parametrize("text, event", [
    # an entry for what the press does with words asks who did it, not whom it hit
    ("Georgian journalists were attacked by masked men.", "ASSAULT"),
    ("Serbian protesters were attacked by pro-government tabloids.", "ACCUSE"),
])
def test_coder_reads_a_passive_s_doer_as_the_entry_s_subject(
        coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


def test_coder_aims_an_act_with_no_target_at_the_country_it_is_set_in(
        coder: Coder) -> None:
    # the doer is foreign to the scene: the act was done to the country it happened in,
    # not to the doer's own (as a police arrest with no target is)
    events = code_one(coder, "Hours after the explosion in Kyiv, Ukraine's security service "
                             "said Russian agents had planted the bomb.")
    assert ("ASSAULT", "RUS", "UKR") in {(e.event, e.source[0].code, e.target[0].code)
                                         for e in events}
    [arrest] = code_one(coder, "Kenyan police arrested dozens of protesters on Tuesday.")
    assert [a.code for a in arrest.target] == ["KEN"]
    # two doers agree with each other: the city they met in is only where
    [deal] = code_one(coder, "The Armenian and Azerbaijani leaders initialled a peace "
                             "treaty in Washington.")
    assert not deal.target


def test_coder_reads_he_as_a_person_not_an_organisation(coder: Coder) -> None:
    # the Commission was the last subject, but no organisation is "he"
    events = code_one(coder, "Greek envoy Nikos Pappas criticised Turkey on Monday. The "
                             "European Commission said it had received no complaint from "
                             "Athens. He added, \"The Turkish survey is a cynical farce.\"")
    assert [e.source[0].code for e in events if e.event == "ACCUSE"] == ["GRC", "GRC"]


def test_coder_reads_he_as_a_person_not_a_body_named_by_its_noun(coder: Coder) -> None:
    # the government was the last subject, but "he" is the general it sanctioned
    events = code_one(coder, "In 2019 the Kenyan government imposed sanctions on Somali "
                             "general Ahmed Madobe. He was later arrested in Nairobi.")
    [arrest] = [e for e in events if e.event == "COERCE"]
    assert [a.code for a in arrest.target] == ["SOM"]


def test_coder_aims_fire_returned_at_whoever_fired_first(coder: Coder) -> None:
    events = code_one(coder, "Eritrean soldiers fired on an Ethiopian patrol near Zalambesa "
                             "on Friday. Ethiopian troops returned fire.")
    assert [(e.event, e.source[0].code, [a.code for a in e.target]) for e in events] == [
        ("ASSAULT", "ERI", ["ETH"]), ("ASSAULT", "ETH", ["ERI"])]


@pytest.mark.parametrize("text, event", [
    # readiness to do harm is a threat, to help a promise
    ("Kenya is ready to impose sanctions on Uganda.", "THREATEN"),
    ("Kenya is prepared to use force against the rebels in Lamu.", "THREATEN"),
    ("Kenya is willing to resume talks with Uganda.", "AGREE"),
    # a verb that only says more of the act its object names
    ("The EU tightened sanctions on Belarus.", "SANCTION"),
])
def test_coder_reads_a_committing_adjective_by_the_act_committed_to(
        coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


def test_coder_shares_the_object_of_a_conjoined_verb_with_a_bare_preposition(
        coder: Coder) -> None:
    # "fired on and boarded the ship": the ship was fired on
    events = code_one(coder, "Iranian gunboats fired on and boarded a British tanker in "
                             "the Strait of Hormuz.")
    assert {(e.event, e.target[0].code) for e in events} == {
        ("ASSAULT", "GBR"), ("COERCE", "GBR")}


def test_coder_codes_the_act_a_decision_names_by_whose_decision_it_was(
        coder: Coder) -> None:
    events = code_one(coder, "Kenya welcomed Uganda's decision to withdraw its troops "
                             "from Somalia.")
    assert [(e.event, e.source[0].code) for e in events] == [
        ("SUPPORT", "KEN"), ("RETREAT", "UGA")]


@pytest.mark.parametrize("text, event, source, target", [
    # what was fired or sent tells whose act it was, from where, and where it arrived
    ("Rockets fired from Lebanon hit the northern Israeli town of Kiryat Shmona on Monday.",
     "ASSAULT", "LBN", "ISR"),
    ("An Azerbaijani shell hit a house in the Armenian village of Sotk.",
     "ASSAULT", "AZE", "ARM"),
    ("A Turkish aid convoy reached Afrin on Friday.", "AID", "TUR", "SYR"),
])
def test_coder_codes_an_act_told_by_what_it_sent(
        coder: Coder, text: str, event: str, source: str, target: str) -> None:
    assert [(e.event, e.source[0].code, e.target[0].code)
            for e in code_one(coder, text)] == [(event, source, target)]


def test_coder_sets_aside_what_a_that_clause_of_an_accusation_says(coder: Coder) -> None:
    # neither the support nor the raids the rebels are said to make happened in the text
    events = code_one(coder, "Tensions rose over Addis Ababa's claims that Asmara arms a "
                             "militia which shells border towns.")
    assert [e.event for e in events if e.event in {"SUPPORT", "ASSAULT"}] == []


def test_coder_reads_a_word_of_blame_before_a_noun_as_a_kind(coder: Coder) -> None:
    # "propaganda videos" are videos of a kind; nobody judges anybody
    events = code_one(coder, "Activists in Seoul sent propaganda videos across the "
                             "border, officials said Tuesday.")
    assert [e.event for e in events if e.event == "ACCUSE"] == []


def test_coder_knows_a_described_person_by_a_surname_tagged_as_a_noun(coder: Coder) -> None:
    # the small model tags "Torres" as the plural of "torre"
    events = code_one(coder, "Peruvian Interior Minister Carlos Torres resigned on Sunday. "
                             "Torres has denied any wrongdoing.")
    assert [(e.event, e.source[0].code) for e in events] == [
        ("RETREAT", "PER"), ("REJECT", "PER")]


def test_coder_reads_they_as_the_subject_of_the_sentence_just_before(coder: Coder) -> None:
    # the sentence before codes nothing, but its subject is whom "they" means
    events = code_one(coder, "Kenya thanked Ethiopia for its support. Al-Shabaab is an "
                             "armed group based in southern Somalia. They attacked a police "
                             "post near Mandera on Friday.")
    [attack] = [e for e in events if e.event == "ASSAULT"]
    assert [a.code for a in attack.source] == ["SOM"]


def test_coder_reads_counterparts_as_of_the_other_countries(coder: Coder) -> None:
    # "her counterparts" are not of her own country
    events = code_one(coder, "Armenia and Azerbaijan agreed to a truce. The French foreign "
                             "minister telephoned her counterparts in the two nations.")
    [call] = [e for e in events if e.event == "CONSULT"]
    assert sorted(a.code for a in call.target) == ["ARM", "AZE"]


def test_coder_takes_whom_an_act_noun_was_done_to_before_where(coder: Coder) -> None:
    # "the detentions of Ugandan citizens in Mombasa": the citizens, not the town
    events = code_one(coder, "Uganda lodged a strong protest over the detentions of "
                             "Ugandan citizens in Mombasa.")
    [arrest] = [e for e in events if e.event == "COERCE"]
    assert [a.code for a in arrest.target] == ["UGA"]


def test_coder_reads_a_kind_of_wrong_as_a_judgement(coder: Coder) -> None:
    # "a form of blackmail" says what the demands are, not what they are about
    events = code_one(coder, "The Serbian president said Pristina's conditions for talks "
                             "were a form of blackmail.")
    assert [(e.event, e.source[0].code) for e in events if e.event == "ACCUSE"] == [
        ("ACCUSE", "SRB")]


def test_coder_takes_no_target_from_the_event_noun_itself(coder: Coder) -> None:
    # "military" makes the operation sound like an armed force: it is the act
    [event] = code_one(coder, "Azerbaijan launched a military operation in Nagorno-Karabakh "
                              "in September 2023.")
    assert event.event == "ASSAULT" and event.target[0].text == "Nagorno-Karabakh"


@pytest.mark.parametrize("text, events", [
    # one doer, no one named to meet: set aside with a reason
    ("The Kenyan cabinet met on Monday to discuss the budget.", []),
    # two doers meet each other; an organisation's members meet each other
    ("Greece and Turkey held talks in Ankara.", ["CONSULT"]),
    ("EU foreign ministers met in Luxembourg on Monday.", ["CONSULT"]),
    # a host meets whom it hosts, named or not
    ("The Armenian and Azerbaijani ministers agreed to a truce after talks hosted by the "
     "Russian foreign minister.", ["AGREE", "CONSULT"]),
])
def test_coder_reads_a_meeting_with_no_partner_as_none(
        coder: Coder, text: str, events: list[str]) -> None:
    assert [e.event for e in code_one(coder, text)] == events


def test_coder_codes_a_transnational_armed_group_also_by_where_it_fights(
        coder: Coder) -> None:
    # the group keeps its own code; the country the sentence is set in is added
    [attack] = code_one(coder, "Al-Qaeda fighters ambushed a Malian army convoy near "
                               "Timbuktu on Sunday.")
    assert [a.code for a in attack.source] == ["IMG", "MLI"]
    # a country already on that side is not added twice
    [clash] = code_one(coder, "Syrian troops and Islamic State militants clashed near "
                              "Palmyra.")
    assert [a.code for a in clash.source] == ["SYR", "IMG"]


@pytest.mark.parametrize("text, target", [
    # the one other country the sentence names is whom the promise concerns ...
    ("Australia agreed on Monday to send its navy to patrol near Japanese waters.", ["JPN"]),
    # ... but of two, the text does not say which: the act stays at home
    ("Australia agreed on Monday to send its navy to patrol near Japanese and Korean "
     "waters.", ["AUS"]),
    # ... and what the doer's own words name is no other side
    ("Norway's envoy for the Sudan talks stepped down on Friday.", ["NOR"]),
    # ... nor is the news agency the story was told to
    ("The Kenyan interior minister resigned on Friday, his spokesman told AFP.", ["KEN"]),
])
def test_coder_aims_an_act_without_a_target_at_the_one_other_country_named(
    coder: Coder, text: str, target: list[str]
) -> None:
    [event] = [e for e in code_one(coder, text) if e.event in {"AGREE", "RETREAT"}]
    assert [a.code for a in event.target] == target


def test_coder_reads_a_possessive_as_the_subject_named_before_it(coder: Coder) -> None:
    # "his" is the Tanzanian minister's, named earlier in the same sentence, not the
    # Kenyan president of the paragraph before
    events = code_one(coder, "Kenya's president praised the envoy on Monday.\n\nThe Tanzanian "
                             "foreign minister opened his tour of Uganda on Tuesday.")
    [visit] = [e for e in events if e.event == "CONSULT"]
    assert [a.code for a in visit.source] == ["TZA"]


@pytest.mark.parametrize("text, source, target", [
    # a meeting in a phrase of time on the verb took place, its subject meeting the
    # party named after "with"
    ("The Chilean minister announced the loan on Monday after talks with Peru's finance "
     "minister.",
     ["CHL"], ["PER"]),
    ("Speaking after talks with the Indian premier, the Nepali president said trade "
     "would grow.", ["NPL"], ["IND"]),
])
def test_coder_codes_a_meeting_told_as_the_time_of_another_act(
    coder: Coder, text: str, source: list[str], target: list[str]
) -> None:
    [meeting] = [e for e in code_one(coder, text) if e.event == "CONSULT"]
    assert ([a.code for a in meeting.source], [a.code for a in meeting.target]) == (
        source, target)


def test_coder_reads_no_meeting_into_talks_only_asked_for(coder: Coder) -> None:
    # talks called for are the demand's content, not talks held
    events = code_one(coder, "The Zambian envoy called for talks with the rebel commanders.")
    assert [e.event for e in events] == ["REQUEST"]


def test_coder_takes_the_parties_of_fighting_that_broke_out_from_the_verb(
        coder: Coder) -> None:
    # "between" hangs on "broke out", not on the noun
    [fighting] = code_one(coder, "Fighting erupted between Sudanese and South Sudanese "
                                 "forces near the oil field.")
    assert [a.code for a in fighting.source] == ["SDN", "SSD"]


@pytest.mark.parametrize("text, source", [
    # a backer beside the group's own nationality is not who the group is ...
    ("Rwandan-backed Congolese militiamen burned a market near Goma.", ["COD"]),
    # ... but with none of its own the owner still is
    ("Kremlin-funded broadcasters accused the Moldovan president of treason.", ["RUS"]),
])
def test_coder_takes_a_backed_group_for_its_own_nationality(
        coder: Coder, text: str, source: list[str]) -> None:
    [event] = code_one(coder, text)
    assert [a.code for a in event.source] == source


def test_coder_takes_no_broker_for_a_party(coder: Coder) -> None:
    # the broker of a truce neither keeps it nor is its target
    events = code_one(coder, "Eritrea pulled its troops back from the border under an "
                             "Egyptian-brokered truce.")
    assert {a.code for e in events for a in [*e.source, *e.target]} == {"ERI"}


def test_coder_codes_no_act_someone_is_blamed_for_attempting(coder: Coder) -> None:
    # what the attempt was at is blamed, as the attempt is: one accusation
    events = code_one(coder, "Kenya accused Somali troops of trying to seize the border town.")
    assert [(e.event, [a.code for a in e.target]) for e in events] == [("ACCUSE", ["SOM"])]


def test_coder_takes_whose_attack_it_was_for_the_doer_of_a_passive_killing(
        coder: Coder) -> None:
    # "in an Ethiopian drone strike" names who killed, and is not whom they killed
    events = code_one(coder, "Six herders were killed in an Ethiopian drone strike on "
                             "Tuesday.")
    killing = next(e for e in events if e.rule and e.rule.endswith("kill"))
    assert [a.code for a in killing.source] == ["ETH"]
    assert [a.text for a in killing.target] == ["Six herders"]


def test_coder_reads_the_noun_named_before_with_a_nationality_as_that_country(
        coder: Coder) -> None:
    # "the soldiers" are the Kenyan soldiers of the sentence before, though that
    # sentence coded no event
    events = code_one(coder, "Kenyan soldiers have manned the border post since 2015. "
                             "Uganda accused the soldiers of smuggling cattle.")
    [accusation] = events
    assert [a.code for a in accusation.target] == ["KEN"]


@pytest.mark.parametrize("text, event", [
    # a state's forces that obstruct restrict movement ...
    ("Bolivian soldiers set up roadblocks around the mine.", "COERCE"),
    ("Kenyan police blocked the road to the opposition leader's house.", "COERCE"),
    # ... a crowd that does protests
    ("Kenyan protesters blocked the main road to the airport.", "PROTEST"),
    # ... and so does a crowd that surrounds a convoy, told in the passive
    ("The Kenyan minister's convoy was surrounded by protesters in Nairobi.", "PROTEST"),
])
def test_coder_reads_an_obstruction_by_the_authorities_as_a_restriction(
        coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


def test_coder_reads_a_bare_plural_as_the_group_named_before(coder: Coder) -> None:
    # "troops" are the UN-led troops of the sentence before, whose own words name
    # their organisation, though that sentence coded no event
    events = code_one(coder, "UN-led troops have been in the region since 2019. Sudanese "
                             "officials urged troops to quit the border town.")
    [request] = [e for e in events if e.event == "REQUEST"]
    assert [a.code for a in request.target] == ["IGO"]


def test_coder_reads_the_statement_as_whoever_issued_it(coder: Coder) -> None:
    # "the statement" speaks for the ministry that issued the one named before
    events = code_one(coder, "The Peruvian foreign ministry released a statement late on "
                             "Friday. The statement urged Bolivia to reopen the border.")
    [request] = events
    assert ([a.code for a in request.source], [a.code for a in request.target]) == (
        ["PER"], ["BOL"])


@pytest.mark.parametrize("text, event", [
    # an envoy called home is recalled, a protest summons no one home ...
    ("Ghana summoned its ambassador to Togo home on Friday.", "SANCTION"),
    ("Ghana summoned Togo's envoy on Friday.", "ACCUSE"),
    # ... and troops ordered home withdraw
    ("Canada ordered its troops home from Mali.", "RETREAT"),
])
def test_coder_reads_an_envoy_called_home_as_recalled(
        coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


@pytest.mark.parametrize("text, target", [
    # a case filed at a court is against the other side it names ...
    ("Bolivia filed a case at the International Court of Justice over its border with "
     "Chile.", ["CHL"]),
    # ... but a body accused itself is the target
    ("Kenya accused the International Criminal Court of bias against Africans.", ["IGO"]),
])
def test_coder_aims_a_case_before_a_court_at_the_other_side(
        coder: Coder, text: str, target: list[str]) -> None:
    [event] = code_one(coder, text)
    assert [a.code for a in event.target] == target


def test_coder_aims_what_an_attack_did_at_whom_the_attack_was_on(coder: Coder) -> None:
    # the victims have no country of their own: the attack was on a Malian town
    [event] = code_one(coder, "A Burkinabe raid on a Malian border village killed "
                              "seven herders.")
    assert ([a.code for a in event.source], [a.code for a in event.target]) == (
        ["BFA"], ["MLI"])


def test_coder_takes_a_persons_country_from_one_of_whom_they_are(coder: Coder) -> None:
    # "one of Poland's richest bankers" says whose the man is
    [arrest] = code_one(coder, "Andrzej Nowak, one of Poland's richest bankers, was "
                               "detained in Portugal.")
    assert [a.code for a in arrest.target] == ["POL"]


def test_coder_takes_the_doer_of_an_act_named_as_the_subject_from_its_by_phrase(
        coder: Coder) -> None:
    [attack] = code_one(coder, "A night raid by al-Shabaab gunmen killed four Ugandan "
                               "guards.")
    assert ([a.code for a in attack.source], [a.code for a in attack.target]) == (
        ["SOM"], ["UGA"])


@pytest.mark.parametrize("text, event", [
    # politicians who clash quarrel ...
    ("The Kenyan president clashed with the opposition leader over the election results.",
     "ACCUSE"),
    # ... police who clash with a crowd fight it
    ("Kenyan police clashed with protesters in Nairobi.", "ASSAULT"),
])
def test_coder_reads_a_clash_by_its_parties(coder: Coder, text: str, event: str) -> None:
    assert [e.event for e in code_one(coder, text)] == [event]


@pytest.mark.parametrize("text", [
    "The rebel commander surrendered to Congolese troops on Sunday.",
    "The Kenyan suspect turned himself in to police.",
])
def test_coder_reads_giving_oneself_up_as_yielding(coder: Coder, text: str) -> None:
    assert [e.event for e in code_one(coder, text)] == ["CONCEDE"]


@pytest.mark.parametrize("text, event, target", [
    # a rally "anti-" a country is against it, held by whoever holds it
    ("Students held an anti-Japan march in Shanghai.", "PROTEST", ["JPN"]),
    # police who break up a rally disperse it: the rally took place
    ("Chinese police broke up a rally of farmers in Beijing.", "ASSAULT", ["CHN"]),
])
def test_coder_reads_whom_a_rally_is_against_and_its_breaking_up(
        coder: Coder, text: str, event: str, target: list[str]) -> None:
    [coded] = code_one(coder, text)
    assert (coded.event, [a.code for a in coded.target]) == (event, target)


@pytest.mark.parametrize("text, target", [
    # a promise to have or let others act is aimed at whom they act on
    ("Canada agreed on Tuesday to have its coast guard train Chilean crews.", ["CHL"]),
    ("Norway agreed to allow the banker to be handed over to Poland.", ["POL"]),
])
def test_coder_aims_a_promise_at_whom_what_it_lets_others_do_is_done_to(
        coder: Coder, text: str, target: list[str]) -> None:
    [promise] = [e for e in code_one(coder, text) if e.event == "AGREE"]
    assert [a.code for a in promise.target] == target


def test_coder_codes_no_act_that_a_demand_noun_says(coder: Coder) -> None:
    # what the council's demand says is no act of its own
    events = code_one(coder, "Ghana said Togo should respect the council's demand that it "
                             "free the reporters.")
    assert [e.event for e in events] == ["REQUEST"]


def test_coder_reads_no_blame_in_a_finding_only_supposed(coder: Coder) -> None:
    # the judges have found nothing yet: "if its judges find" is a condition
    events = code_one(coder, "Ghana's envoy spoke on Monday. The court may act if its "
                             "judges find that Togo's new law violates the charter.")
    assert [e.event for e in events] == []


def test_coder_takes_no_means_for_the_doer(coder: Coder) -> None:
    # "used Kenyan territory to raid Somalia": the militants raid, not the territory
    events = code_one(coder, "Somali militants used Kenyan territory to raid Ethiopian "
                             "border posts.")
    assert all([a.code for a in e.source] == ["SOM"] for e in events) and events


def test_coder_takes_the_parties_of_a_deal_signed_between_them(coder: Coder) -> None:
    # "between Ethiopia and Somalia" names who signed, not whom with
    events = code_one(coder, "Fishing rights were settled in a pact signed between "
                             "Ethiopia and Somalia.")
    assert ["ETH", "SOM"] in [[a.code for a in e.source] for e in events
                              if e.event == "AGREE"]


def test_coder_takes_no_maker_for_the_owner(coder: Coder) -> None:
    # the vehicles were made in the US; they were seized from Kenyan troops
    [seizure] = code_one(coder, "Somali militants seized two US-made armoured vehicles "
                                "from Kenyan troops.")
    assert [a.code for a in seizure.target] == ["KEN"]


@pytest.mark.parametrize("text, events", [
    # a charter or a ceasefire breached is no intrusion into a computer ...
    ("The Ghanaian minister said Togo's new law breaches the regional charter.", []),
    # ... a network breached is
    ("Hackers breached the Kenyan tax authority's computer network.", ["COERCE"]),
])
def test_coder_reads_a_breach_by_what_was_breached(
        coder: Coder, text: str, events: list[str]) -> None:
    assert [e.event for e in code_one(coder, text) if e.event != "ACCUSE"] == events


def test_coder_codes_the_seizure_of_any_kind_of_ship(coder: Coder) -> None:
    [seizure] = code_one(coder, "Yemeni pirates seized a Greek supertanker in the Gulf of "
                                "Aden.")
    assert (seizure.event, [a.code for a in seizure.target]) == ("COERCE", ["GRC"])
