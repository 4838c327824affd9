"""Tests for the dated people table (faultline.resolve.people) and its data file."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from faultline.errors import InputError, LexiconError
from faultline.resolve.people import People, Person, load_people, name_key

ROOT = Path(__file__).resolve().parent.parent
ACTORS = ROOT / "faultline" / "data" / "actors"

#: PLOVER sectors (the manual's frequent and less frequent lists).
SECTORS = frozenset({
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS",
    "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC",
})
#: Surnames too common or too ambiguous to name anyone alone (see people.csv's header).
AMBIGUOUS = ["Kim", "Lee", "Park", "Moon", "Li", "Wang", "Singh", "Gandhi", "Khan", "Ali",
             "Hussein", "Abdullah", "Salman", "Zia", "Johnson", "Brown", "May", "Major",
             "Rice", "Harris", "Castro", "Morales", "Simonyan", "Rasmussen",
             "Montenegro", "Jonathan", "Costa", "Santos", "Nguyen", "Martin"]


@pytest.fixture(scope="session")
def tokenizer() -> Any:
    """The tokenizer of spaCy's English pipelines (rules only, no model needed)."""
    import spacy

    return spacy.blank("en").tokenizer


@pytest.fixture(scope="session")
def people() -> People:
    return load_people()


def words_of(tokenizer: Any, text: str) -> list[str]:
    return [token.text for token in tokenizer(text)]


# (name as written, article date, code, sector, the person meant)
LOOKUPS = [
    ("Medvedev", "2009-06-01", "RUS", "GOV", "Dmitry Medvedev"),
    ("Medvedev", "2015-03-01", "RUS", "GOV", "Dmitry Medvedev"),
    ("Medvedev", "2023-05-01", "RUS", "GOV", "Dmitry Medvedev"),
    ("Pashinyan", "2017-06-01", "ARM", "OPP", "Nikol Pashinyan"),
    ("Pashinyan", "2019-06-01", "ARM", "GOV", "Nikol Pashinyan"),
    ("Nikol Pashinian", "2024-02-01", "ARM", "GOV", "Nikol Pashinyan"),
    ("Bush", "1990-08-02", "USA", "GOV", "George H. W. Bush"),
    ("Bush", "2005-01-01", "USA", "GOV", "George W. Bush"),
    ("Bush", "1994-06-01", "USA", "ELI", "George H. W. Bush"),
    ("Obama", "2012-01-01", "USA", "GOV", "Barack Obama"),
    ("Obama", "2020-01-01", "USA", "ELI", "Barack Obama"),
    ("Trump", "2010-01-01", "USA", "BUS", "Donald Trump"),
    ("Trump", "2022-06-01", "USA", "ELI", "Donald Trump"),
    ("Trump", "2025-06-01", "USA", "GOV", "Donald Trump"),
    ("Clinton", "1995-01-01", "USA", "GOV", "Bill Clinton"),
    ("Clinton", "2010-01-01", "USA", "GOV", "Hillary Clinton"),
    ("Powell", "2003-02-05", "USA", "GOV", "Colin Powell"),
    ("Powell", "2020-03-15", "USA", "GOV", "Jerome Powell"),
    ("Putin", "1998-12-01", "RUS", "SPY", "Vladimir Putin"),
    ("Vladimir Putin", "2010-01-01", "RUS", "GOV", "Vladimir Putin"),
    ("Sergei Lavrov", "2022-03-01", "RUS", "GOV", "Sergey Lavrov"),
    ("Peskov", "2020-01-01", "RUS", "GOV", "Dmitry Peskov"),
    ("Gerasimov", "2023-01-01", "RUS", "MIL", "Valery Gerasimov"),
    ("Margarita Simonyan", "2022-03-01", "RUS", "JRN", "Margarita Simonyan"),
    ("Patriarch Kirill", "2022-05-01", "RUS", "REL", "Patriarch Kirill"),
    ("Aliyev", "1999-01-01", "AZE", "GOV", "Heydar Aliyev"),
    ("Aliyev", "2020-09-27", "AZE", "GOV", "Ilham Aliyev"),
    ("Ilham Aliev", "2005-05-05", "AZE", "GOV", "Ilham Aliyev"),
    ("Karekin II", "2020-10-01", "ARM", "REL", "Karekin II"),
    ("Denis Pushilin", "2020-01-01", "UKR", "PRE", "Denis Pushilin"),
    ("Zelenskyy", "2023-01-01", "UKR", "GOV", "Volodymyr Zelensky"),
    ("Poroshenko", "2021-01-01", "UKR", "OPP", "Petro Poroshenko"),
    ("Yanukovych", "2016-01-01", "UKR", "ELI", "Viktor Yanukovych"),
    ("Zaluzhny", "2023-06-01", "UKR", "MIL", "Valerii Zaluzhnyi"),
    ("Lukashenka", "2021-05-23", "BLR", "GOV", "Alexander Lukashenko"),
    ("Erdoğan", "2010-01-01", "TUR", "GOV", "Recep Tayyip Erdoğan"),
    ("Netanyahu", "2022-01-01", "ISR", "OPP", "Benjamin Netanyahu"),
    ("Netanyahu", "2024-01-01", "ISR", "GOV", "Benjamin Netanyahu"),
    ("Khamenei", "2020-01-01", "IRN", "GOV", "Ali Khamenei"),
    ("Saddam", "2002-01-01", "IRQ", "GOV", "Saddam Hussein"),
    ("Saddam Hussein", "2005-01-01", "IRQ", "ELI", "Saddam Hussein"),
    ("King Hussein", "1994-10-26", "JOR", "GOV", "Hussein bin Talal"),
    ("Assad", "1995-01-01", "SYR", "GOV", "Hafez al-Assad"),
    ("Assad", "2015-01-01", "SYR", "GOV", "Bashar al-Assad"),
    ("Assad", "2025-03-01", "SYR", "ELI", "Bashar al-Assad"),
    ("al-Jolani", "2016-01-01", "SYR", "REB", "Ahmed al-Sharaa"),
    ("Ahmed al-Sharaa", "2025-06-01", "SYR", "GOV", "Ahmed al-Sharaa"),
    ("Nasrallah", "2020-01-01", "LBN", "REB", "Hassan Nasrallah"),
    ("el-Sisi", "2016-01-01", "EGY", "GOV", "Abdel Fattah el-Sisi"),
    ("Hemedti", "2023-06-01", "SDN", "PRM", "Mohamed Hamdan Dagalo"),
    ("Mugabe", "2008-06-01", "ZWE", "GOV", "Robert Mugabe"),
    ("Mugabe", "2019-01-01", "ZWE", "ELI", "Robert Mugabe"),
    ("Desmond Tutu", "1990-01-01", "ZAF", "REL", "Desmond Tutu"),
    ("Sharif", "2015-01-01", "PAK", "GOV", "Nawaz Sharif"),
    ("Sharif", "2023-01-01", "PAK", "GOV", "Shehbaz Sharif"),
    ("Kim Jong Un", "2018-06-12", "PRK", "GOV", "Kim Jong Un"),
    ("Kim Jong-un", "2018-06-12", "PRK", "GOV", "Kim Jong Un"),
    ("Wałęsa", "1992-01-01", "POL", "GOV", "Lech Wałęsa"),
    ("Walesa", "1992-01-01", "POL", "GOV", "Lech Wałęsa"),
    ("Djukanovic", "2019-01-01", "MNE", "GOV", "Milo Đukanović"),
    ("Orbán", "2012-01-01", "HUN", "GOV", "Viktor Orbán"),
    ("Ban Ki-moon", "2010-01-01", "IGO", "GOV", "Ban Ki-moon"),
    ("Ban Ki-moon", "2018-01-01", "KOR", "ELI", "Ban Ki-moon"),
    ("Guterres", "2000-01-01", "PRT", "GOV", "António Guterres"),
    ("Guterres", "2022-01-01", "IGO", "GOV", "António Guterres"),
    ("Stoltenberg", "2020-01-01", "IGO", "GOV", "Jens Stoltenberg"),
    ("Stoltenberg", "2025-06-01", "NOR", "GOV", "Jens Stoltenberg"),
    ("von der Leyen", "2015-01-01", "DEU", "GOV", "Ursula von der Leyen"),
    ("von der Leyen", "2023-01-01", "IGO", "GOV", "Ursula von der Leyen"),
    ("bin Laden", "2001-09-12", "IMG", "REB", "Osama bin Laden"),
    ("Pope Francis", "2016-01-01", "VAT", "REL", "Pope Francis"),
    ("Lula", "2005-01-01", "BRA", "GOV", "Luiz Inácio Lula da Silva"),
    ("Lula", "2015-01-01", "BRA", "ELI", "Luiz Inácio Lula da Silva"),
    ("Xi", "2020-01-01", "CHN", "GOV", "Xi Jinping"),
]


@pytest.mark.parametrize(("text", "date", "code", "sector", "name"), LOOKUPS)
def test_people_codes_a_name_by_the_article_date(
    people: People, tokenizer: Any, text: str, date: str, code: str, sector: str, name: str
) -> None:
    words = words_of(tokenizer, text)
    hit = people.match(words, 0, date)
    assert hit is not None, f"{text!r} is not found"
    length, person = hit
    assert length == len(words)
    assert (person.code, person.sector, person.name) == (code, sector, name)


def found(people: People, text: str, date: str | None) -> Person:
    """Return the row a whole name stands for, failing the test if there is none."""
    person = people.lookup(text, date)
    assert person is not None, f"{text!r} is not found"
    return person


def test_people_picks_the_office_held_that_day(people: People) -> None:
    assert found(people, "Medvedev", "2009-06-01").role == "President"
    assert found(people, "Medvedev", "2015-03-01").role == "Prime Minister"
    # a year alone is read as its middle
    assert found(people, "Medvedev", "2009").role == "President"


def test_people_keeps_international_bodies_apart_by_org(people: People) -> None:
    assert found(people, "Stoltenberg", "2020-01-01").org == "NATO"
    assert found(people, "Guterres", "2022-01-01").org == "UN"
    assert found(people, "bin Laden", "2001-09-12").org == "al-Qaeda"


@pytest.mark.parametrize("surname", AMBIGUOUS)
def test_people_does_not_match_ambiguous_surnames_alone(people: People, surname: str) -> None:
    assert people.lookup(surname, "2020-01-01") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("Rahul Gandhi", "IND"), ("Imran Khan", "PAK"), ("Boris Johnson", "GBR"),
     ("Theresa May", "GBR"), ("Fidel Castro", "CUB"), ("Moon Jae-in", "KOR"),
     ("Khaleda Zia", "BGD"), ("Isaac Herzog", "ISR"), ("Alen Simonyan", "ARM")],
)
def test_people_matches_full_names_of_ambiguous_surnames(
    people: People, tokenizer: Any, text: str, code: str
) -> None:
    hit = people.match(words_of(tokenizer, text), 0, "2020-01-01")
    assert hit is not None and hit[1].code == code


def test_people_match_takes_the_longest_name_and_leaves_titles_and_possessives(
    people: People, tokenizer: Any
) -> None:
    words = words_of(tokenizer, "President Putin's envoy met Kim Jong Un in Hanoi.")
    assert people.match(words, 0, "2019-02-27") is None  # "President" is a title, not a name
    hit = people.match(words, 1, "2019-02-27")
    assert hit is not None and hit[0] == 1 and hit[1].name == "Vladimir Putin"
    assert words[2] == "'s"
    hit = people.match(words, words.index("Kim"), "2019-02-27")
    assert hit is not None and hit[0] == 3 and hit[1].code == "PRK"


def test_people_names_match_only_with_their_capitals(people: People) -> None:
    assert people.match(["the", "bush", "burned"], 1, "2005-01-01") is None
    assert people.match(["PUTIN"], 0, "2020-01-01") is None
    assert people.match(["Bush"], 0, "2005-01-01") is not None
    assert people.match(["Bush"], 5, "2005-01-01") is None
    assert people.match([",", "Bush"], 0, "2005-01-01") is None


def test_people_without_a_date_returns_the_office_held_longest(people: People) -> None:
    putin = people.lookup("Putin")
    assert putin is not None and (putin.role, putin.start) == ("President", "2012-05-07")
    # an undated text about Obama is about the president more often than the former one
    obama = people.lookup("Obama")
    assert obama is not None and (obama.code, obama.sector) == ("USA", "GOV")
    # one country over all dates, or the one served longest
    annan = people.lookup("Kofi Annan")
    assert annan is not None and annan.code == "IGO"
    saakashvili = people.lookup("Saakashvili")
    assert saakashvili is not None and saakashvili.code == "GEO"


def test_people_before_any_row_takes_the_nearest(people: People) -> None:
    early = people.lookup("Pashinyan", "1990-01-01")
    assert early is not None and early.sector == "OPP"


def test_people_rejects_a_date_that_is_not_iso(people: People) -> None:
    with pytest.raises(InputError):
        people.lookup("Putin", "20 May 2019")


def test_people_prefers_the_former_office_row_after_a_term(tmp_path: Path) -> None:
    table = tmp_path / "people.csv"
    table.write_text(
        "name,aliases,code,sector,role,start,end\n"
        "Ana Testa,Testa,ITA,GOV,Prime Minister,2000-01-01,2010-12-31\n"
        "Ana Testa,,ITA,ELI,former Minister,2001-01-01,2002-01-01\n",
        encoding="utf-8",
    )
    people = load_people([table])
    # the term row is nearer in time, but she no longer holds the office
    later = people.lookup("Testa", "2011-06-01")
    assert later is not None and later.sector == "ELI"
    during = people.lookup("Testa", "2005-06-01")
    assert during is not None and during.sector == "GOV"


def test_people_user_files_override_and_extend_the_bundled_table(tmp_path: Path) -> None:
    table = tmp_path / "mine.csv"
    table.write_text(
        "# my corrections\n"
        "name,aliases,code,sector,role,start,end,org\n"
        "Vladimir Putin,,RUS,MIL,President,2012-05-07,,\n",
        encoding="utf-8",
    )
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "people:\n"
        "  - name: Jana Nováková\n"
        "    aliases: [Nováková]\n"
        "    code: CZE\n"
        "    sector: OPP\n"
        "    role: opposition leader\n"
        "    start: 2021-01-05\n",
        encoding="utf-8",
    )
    gazetteer_csv = tmp_path / "actors.csv"
    gazetteer_csv.write_text("surface,code\nRuritania,XXR\n", encoding="utf-8")
    people = load_people([table, extra, gazetteer_csv])
    overridden = people.lookup("Putin", "2020-01-01")
    assert overridden is not None and overridden.sector == "MIL"
    kept = people.lookup("Putin", "2010-01-01")
    assert kept is not None and kept.role == "Prime Minister"
    added = people.lookup("Novakova", "2022-01-01")
    assert added is not None and (added.code, added.start) == ("CZE", "2021-01-05")
    assert len(people) == len(load_people()) + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,code,sector,role,start\nAna Testa,ITA,GOV,Mayor,May 2001\n", "not YYYY"),
        ("name,code,sector,role,start,end\nAna Testa,ITA,GOV,Mayor,2005,2001\n", "ends"),
        ("name,aliases,code,sector,role,start\nAna Testa,testa,ITA,GOV,Mayor,2001\n", "capital"),
        ("name,code,sector,role,start\nAna Testa,Italy,GOV,Mayor,2001\n", "three capital"),
        ("name,code,role,start\nAna Testa,ITA,Mayor,2001\n", "header"),
        ("name,code,sector,role,start\nAna Testa,ITA,GOV,Mayor,2001\n"
         "Ana Testa,ITA,OPP,Mayor,2001\n", "already has a row"),
    ],
)
def test_people_user_file_errors_say_what_is_wrong(
    tmp_path: Path, content: str, message: str
) -> None:
    table = tmp_path / "bad.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_people([table])


def test_people_missing_user_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_people([tmp_path / "absent.csv"])


# -- the bundled table ----------------------------------------------------------------------


def _bundled_rows() -> list[dict[str, str]]:
    text = (ACTORS / "people.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_people_table_is_large_and_well_formed(people: People) -> None:
    rows = _bundled_rows()
    assert len(rows) >= 1500
    assert len(people) == len(rows)
    countries = {
        line.split(",")[1]
        for line in (ACTORS / "countries.csv").read_text(encoding="utf-8").splitlines()[1:]
        if line and not line.startswith("#")
    }
    for row in rows:
        where = f"{row['name']} ({row['role']})"
        assert row["sector"] in SECTORS, where
        assert row["code"] in countries | {"IGO", "IMG"}, where
        if row["code"] in {"IGO", "IMG"}:
            assert row["org"], where


def day_after(end: str) -> str:
    """Return the ISO day after a table date (a year or a month ends on its last day)."""
    parts = [int(p) for p in end.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1}-01-01"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12}-{month % 12 + 1:02d}-01"
    return (dt.date(*parts) + dt.timedelta(days=1)).isoformat()


def test_people_table_gives_former_leaders_an_eli_row(people: People) -> None:
    heads = [
        p for p in people
        if p.sector == "GOV" and p.end and p.role in {"President", "Prime Minister", "King"}
    ]
    assert len(heads) > 500
    for head in heads:
        after = found(people, head.name, day_after(head.end or ""))
        # the day after the term: a former-office row, or another role of the same person
        assert after.name == head.name and after != head, head


def test_people_shared_names_stay_within_one_country(people: People) -> None:
    holders: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for alias in people.aliases(person.name):
            holders[name_key(alias)].add(person.name)
    home: dict[str, set[str]] = defaultdict(set)
    for person in people:
        if person.code not in {"IGO", "IMG"}:
            home[person.name].add(person.code)
    crossing = {
        key for key, names in holders.items()
        if len(names) > 1 and len(set().union(*(home[n] for n in names))) > 1
    }
    # Jordan's and Saudi Arabia's kings; the date picks the one on the throne
    assert crossing == {"King Abdullah"}
