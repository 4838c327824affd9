"""Actors the dictionaries know only in part: a title with its country in an
apposition, a suspect (resolve.actors, with the real spaCy model)."""

from __future__ import annotations

from faultline.models import Document, Event
from faultline.pipeline import Coder


def code_one(coder: Coder, text: str) -> list[Event]:
    document = Document.from_text(text, date="2024-05-02")
    return [e for coded in coder.code([document]) for e in coded.events]


def test_actors_take_the_country_of_a_title_in_an_apposition(coder: Coder) -> None:
    [event] = code_one(coder, "Bruno Rodriguez, the foreign minister of Cuba, rejected "
                              "the new sanctions.")
    assert [(a.code, a.sector) for a in event.source] == [("CUB", "GOV")]
    [blame] = code_one(coder, "Ahmed Karimi, a spokesman for the Iraqi army, blamed Israel "
                              "for the attack.")
    assert [a.code for a in blame.source] == ["IRQ"]


def test_actors_know_the_accused_as_a_party_of_a_domestic_case(coder: Coder) -> None:
    [event] = code_one(coder, "Danish police arrested the suspect near the border.")
    assert [(a.code, a.sector) for a in event.target] == [("DNK", "CRM")]
