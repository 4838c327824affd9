"""Actors the dictionaries do not know: their country from the sentence's place or the
document's main country (resolve.scenes), with the real spaCy model."""

from __future__ import annotations

import pytest

from faultline.models import Document, Event
from faultline.pipeline import Coder


def code_document(coder: Coder, text: str, title: str | None = None) -> list[Event]:
    document = Document.from_text(text, title=title, date="2024-05-02")
    return [e for coded in coder.code([document]) for e in coded.events]


def _sources(event: Event) -> list[tuple[str | None, str | None, str | None]]:
    return [(a.code, a.sector, a.home) for a in event.source]


def test_scenes_give_a_titled_actor_the_country_the_sentence_is_set_in(coder: Coder) -> None:
    [event] = code_document(
        coder, "In the Canadian province of Manitoba, the premier accused the railway "
               "union of holding farmers hostage.")
    assert event.event == "ACCUSE"
    assert _sources(event) == [("CAN", "GOV", "scene")]


def test_scenes_give_a_titled_actor_the_country_the_document_is_about(coder: Coder) -> None:
    [event] = code_document(coder, "The senators accused the finance minister of hiding "
                                   "the costs.", title="Chilean senators reject pension reform")
    assert _sources(event) == [("CHL", "LEG", "document")]
    assert [(a.code, a.home) for a in event.target] == [("CHL", "document")]
    # the same sentence naming its country weighs more: nothing was borrowed
    [named] = code_document(coder, "Chilean senators accused the finance minister of "
                                   "hiding the costs.")
    assert _sources(named) == [("CHL", "LEG", None)]
    assert event.confidence < named.confidence


def test_scenes_take_the_headline_subject_on_a_tie(coder: Coder) -> None:
    text = ("The court ruled on Monday that the contract was void. Ugandan officials said "
            "the deal would go ahead.\n\nThe judges criticised the energy ministry.")
    events = code_document(coder, text, title="Kenyan court blocks Ugandan oil deal")
    [accuse] = [e for e in events if e.event_text == "criticised"]
    assert _sources(accuse) == [("KEN", "JUD", "document")]


def test_scenes_give_a_state_the_arrests_nobody_is_named_for(coder: Coder) -> None:
    [event] = code_document(coder, "At least forty people were arrested overnight.",
                            title="Georgian police break up opposition rally")
    assert event.event == "COERCE"
    assert _sources(event) == [("GEO", "COP", "document")]
    assert [a.code for a in event.target] == ["GEO"]


@pytest.mark.parametrize("sentence, code", [
    # the model reads the country after the comma as an apposition ...
    ("A car bomb killed four policemen near Qaraqosh, Iraq.", "IRQ"),
    # ... or as the last of a list, or as an adverbial noun
    ("A sniper killed two guards in Wadi Sirhan, Jordan.", "JOR"),
    ("A bomb killed two officers in Pine Hollow, Ohio, United States.", "USA"),
])
def test_scenes_read_the_country_set_after_a_town_nobody_knows(
    coder: Coder, sentence: str, code: str
) -> None:
    # the town is not in the gazetteer, the country after the comma is, and it beats
    # the country the rest of the document is about
    text = "Turkish jets struck targets in northern Syria on Monday.\n\n" + sentence
    events = code_document(coder, text, title="Turkish jets strike Syria")
    [attack] = [e for e in events if e.text == sentence]
    assert [a.code for a in attack.source] == [code]


def test_scenes_read_a_place_before_a_noun_of_division_as_the_place(coder: Coder) -> None:
    # "Kandahar Province" is Kandahar, not the start of a longer name nobody knows
    [event] = code_document(coder, "Gunmen killed four policemen in Kandahar Province.")
    assert [a.code for a in event.source] == ["AFG"]


DIGEST = ("Russian police arrested two Azerbaijani men in Yekaterinburg.\n\n"
          "Kazakh prosecutors charge an opposition journalist with libel. Two of his "
          "colleagues are arrested the same day.\n\n"
          "Chilean students march in Santiago against higher fees.")


def test_scenes_take_a_digests_paragraph_country_over_the_documents(coder: Coder) -> None:
    # a digest of the day's news, one story a paragraph: the arrests nobody is named
    # for in the second story are Kazakhstan's, not those of the first story's Russia
    events = code_document(coder, DIGEST)
    [arrested] = [e for e in events if e.event_text == "arrested" and e.source[0].home]
    assert _sources(arrested) == [("KAZ", "COP", "document")]


def test_scenes_carry_a_digests_story_on_through_paragraphs_naming_no_country(
        coder: Coder) -> None:
    # the third paragraph names no country: it goes on with the Kazakh story before it,
    # not the first story's Russia
    text = ("Russian police arrested two Azerbaijani men in Yekaterinburg.\n\n"
            "Kazakh prosecutors charge an opposition journalist with libel.\n\n"
            "Police detain two of his colleagues the same day.\n\n"
            "Chilean students march in Santiago against higher fees.")
    events = code_document(coder, text)
    [detained] = [e for e in events if e.event_text == "detain"]
    assert [a.code for a in detained.source] == ["KAZ"]


def test_scenes_let_nothing_in_a_digest_point_back_into_another_story(coder: Coder) -> None:
    # "they" of the third story is not the second story's fighters
    text = ("Kenyan police arrested twelve activists in Nairobi.\n\n"
            "Boko Haram fighters attack a village in Borno State, killing nine people.\n\n"
            "Colombian marines fire warning shots at two Venezuelan patrol boats after they "
            "entered Colombian waters.")
    [entered] = [e for e in code_document(coder, text) if e.event_text == "entered"]
    assert "NGA" not in {a.code for a in entered.source}


def test_scenes_keep_titles_and_answers_of_a_digest_in_their_story(coder: Coder) -> None:
    # "the minister" of the third story is not the first story's, and what the minister
    # condemns is the blockade told in the same story, not the second story's march
    text = ("Kenya's interior minister banned a march in Nairobi.\n\n"
            "Chilean students march in Santiago against higher fees.\n\n"
            "Peruvian farmers block a highway near Cusco. The minister condemns the blockade.")
    [condemns] = [e for e in code_document(coder, text) if e.event_text == "condemns"]
    assert ([a.code for a in condemns.source], [a.code for a in condemns.target]) == (
        ["PER"], ["PER"])


def test_scenes_keep_a_storys_main_country_in_its_later_paragraphs(coder: Coder) -> None:
    # the same paragraphs in a story that stays on Russia: its main country holds
    text = DIGEST.replace("Chilean students march in Santiago", "Russian students march in "
                                                                "Moscow")
    events = code_document(coder, text)
    [arrested] = [e for e in events if e.event_text == "arrested" and e.source[0].home]
    assert _sources(arrested) == [("RUS", "COP", "document")]


def test_scenes_set_aside_an_event_whose_source_has_no_country(coder: Coder) -> None:
    document = Document.from_text("The minister condemned the attack.")
    [coded] = list(coder.code([document]))
    assert coded.events == []
    assert [s.reason for s in coded.set_aside] == ["no source"]


def test_scenes_code_a_named_group_nobody_knows_as_an_ngo(coder: Coder) -> None:
    [event] = code_document(coder, "The Open Rivers Foundation accused Peru of poisoning "
                                   "the Amazon.")
    assert _sources(event) == [("NGO", "SOC", None)]
    [local] = code_document(coder, "The Bolivian Rivers Foundation accused Peru of "
                                   "poisoning the Amazon.")
    assert [a.code for a in local.source] == ["BOL"]


def test_scenes_give_a_person_nobody_knows_the_country_the_document_is_about(
    coder: Coder,
) -> None:
    [event] = code_document(coder, "Tomas Reyes Vidal accused the finance minister of "
                                   "lying.", title="Chilean senators reject pension reform")
    assert _sources(event) == [("CHL", None, "document")]


def test_scenes_know_a_listed_person_by_surname_after_the_full_name(coder: Coder) -> None:
    events = code_document(
        coder, "British Prime Minister Boris Johnson attended the summit in Biarritz. "
               "On Tuesday Johnson criticised Brazil.", title="G7 leaders meet in France")
    [accuse] = [e for e in events if e.event == "ACCUSE"]
    assert [a.code for a in accuse.source] == ["GBR"]


def test_scenes_read_a_person_after_a_weekday_as_the_person(coder: Coder) -> None:
    [event] = code_document(coder, "On Tuesday Mitsotakis met with the Turkish president.")
    assert [(a.code, a.sector) for a in event.source] == [("GRC", "GOV")]


def test_scenes_take_a_place_for_where_never_for_who(coder: Coder) -> None:
    document = Document.from_text("A Lahore car bombing killed six people on Sunday.",
                                  date="2024-05-02")
    [coded] = list(coder.code([document]))
    # the city is no doer: the attack is by unidentified forces of its country, as
    # PLOVER codes an attack nobody is named for
    [event] = coded.events
    assert [(a.text, a.code, a.sector) for a in event.source] == [("", "PAK", "UAF")]
    # as a target the place still says whose airport was hit
    [event] = code_document(coder, "Taliban fighters attacked Lahore's airport.")
    assert [a.code for a in event.target] == ["PAK"]


def test_scenes_read_a_place_a_village_lies_near_as_the_scene(coder: Coder) -> None:
    # the police are Peru's: the village is near a Peruvian city, though the
    # document named Chile first
    events = code_document(coder, "Chile sent doctors to the region on Monday.\n\n"
                                  "Police detained twelve miners in a village near Arequipa "
                                  "on Tuesday.")
    [arrest] = [e for e in events if e.event == "COERCE"]
    assert [a.code for a in arrest.source] == ["PER"]
