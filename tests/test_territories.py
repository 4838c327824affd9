"""The territories table (faultline.resolve.territories): one convention for the
actors and the places of contested territories, and the user's file overriding it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from faultline.errors import LexiconError
from faultline.models import Document, Event
from faultline.pipeline import Coder
from faultline.resolve.gazetteer import load_gazetteer
from faultline.resolve.places import load_places
from faultline.resolve.territories import Territories, load_territories
from faultline.settings import Settings

HEADER = "territory,names,own,parent,authority,convention\n"


@pytest.fixture(scope="module")
def territories() -> Territories:
    return load_territories()


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _events(coder: Coder, text: str, date: str) -> list[Event]:
    document = Document.from_text(text, date=date)
    return [e for coded in coder.code([document]) for e in coded.events]


def test_territories_name_only_what_the_dictionaries_know(
    territories: Territories, tokenizer: Any,
) -> None:
    gazetteer, places = load_gazetteer(), load_places()
    for territory in territories:
        for name in territory.names:
            words = [t.text for t in tokenizer(name)]
            assert gazetteer.lookup(words) or places.lookup(words), (territory.name, name)


def test_territories_keep_the_codes_of_the_dictionaries_by_default(
    territories: Territories,
) -> None:
    # breakaway regions take their parent state (PLOVER), ISO territories their own code
    codes = {t.name: t.code("2020-06-01") for t in territories}
    assert codes["Crimea"] == "UKR" and codes["Nagorno-Karabakh"] == "AZE"
    assert codes["Northern Cyprus"] == "CYP" and codes["Abkhazia"] == "GEO"
    assert codes["Hong Kong"] == "HKG" and codes["Taiwan"] == "TWN"
    assert codes["Puerto Rico"] == "PRI" and codes["Kosovo"] == "KOS"


def test_territories_code_actors_and_places_alike_by_the_users_convention(
    tmp_path: Path, settings: Settings,
) -> None:
    own = tmp_path / "territories.csv"
    own.write_text(HEADER + "Crimea,Crimea|Sevastopol|Simferopol,,UKR,UKR|RUS:2014-03-18,"
                            "authority\n", encoding="utf-8")
    coder = Coder(settings.with_(territories=(own,)))
    text = "Police detained three Crimean Tatar activists in Simferopol."
    [after] = _events(coder, text, "2020-05-01")
    assert [a.code for a in after.source] == ["RUS"]
    assert after.location is not None and after.location.country == "RUS"
    [before] = _events(coder, text, "2012-05-01")
    assert [a.code for a in before.source] == ["UKR"]
    assert before.location is not None and before.location.country == "UKR"
    # the bundled convention: the parent state whatever the date
    [bundled] = _events(Coder(settings), text, "2020-05-01")
    assert bundled.location is not None and bundled.location.country == "UKR"


@pytest.mark.parametrize("row, message", [
    ("Crimea,Crimea,,UKR,UKR,ruled", "convention 'ruled'"),
    ("Crimea,Crimea,,UKR,UKR,own", "no code of its own"),
    ("Crimea,Crimea,,UKR,UKR|RUS:2014-13-01,authority", "not a date"),
    ("Crimea,Crimea,,UKR,RUS:2014-03-18|UKR:1991-08-24,authority", "time order"),
    ("Crimea,,,UKR,UKR,parent", "no names"),
])
def test_territories_file_errors_say_what_is_wrong(
    tmp_path: Path, row: str, message: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as caught:
        load_territories([path])
    assert "line 2" in str(caught.value)
