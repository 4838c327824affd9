"""The actor registry: people described in one document resolve in later ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from faultline.models import Document, Event
from faultline.pipeline import Coder, ingest
from faultline.resolve.registry import FROM_TABLE, Registry, Sighting
from faultline.settings import Settings
from faultline.store import open_store

# Two briefs written for these tests: the first describes a person the bundled
# people table does not know, the second names him by surname only.
DESCRIBED = ("Georgian opposition leader Nika Melia was detained by police outside the "
             "parliament in Tbilisi on Tuesday.")
SURNAME_ONLY = "Melia accused the government of persecuting its critics."


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _accusers(db: Path) -> list[tuple[str, str | None, str | None]]:
    with open_store(db, read_only=True) as store:
        rows = store.query(
            "SELECT source_text, source_code, source_sector FROM events "
            "WHERE event = 'ACCUSE' ORDER BY source_text"
        )
    return [tuple(r) for r in rows]


def test_registry_resolves_full_name_and_surname() -> None:
    registry = Registry([Sighting("Nika Melia", "GEO", "OPP", "opposition leader",
                                  "2024-03-12", "d1")])
    by_surname = registry.lookup("Melia", "2024-04-01")
    assert by_surname is not None
    assert (by_surname.name, by_surname.code, by_surname.sector) == ("Nika Melia", "GEO", "OPP")
    full = registry.lookup("Nika Melia")
    assert full is not None and full.code == "GEO"
    assert registry.lookup("Nika") is None
    assert registry.lookup("Unknown Person") is None


def test_registry_leaves_a_surname_shared_by_two_people_unresolved() -> None:
    registry = Registry([
        Sighting("Anna Berg", "SWE", "GOV", "minister", "2024-01-01", "d1"),
        Sighting("Tomas Berg", "NOR", "JRN", "journalist", "2024-02-01", "d2"),
    ])
    assert registry.lookup("Berg") is None
    tomas = registry.lookup("Tomas Berg")
    assert tomas is not None and tomas.code == "NOR"


def test_registry_picks_the_role_seen_nearest_the_date() -> None:
    registry = Registry([
        Sighting("Lena Holm", "DNK", "OPP", "opposition leader", "2019-05-01", "d1"),
        Sighting("Lena Holm", "DNK", "GOV", "prime minister", "2023-05-01", "d2"),
    ])
    early = registry.lookup("Holm", "2019-06-01")
    late = registry.lookup("Holm", "2024-01-01")
    assert early is not None and early.sector == "OPP"
    assert late is not None and late.sector == "GOV"
    assert len(registry) == 2


def test_registry_holds_a_sighting_once_per_day_and_ignores_uncoded() -> None:
    registry = Registry([
        Sighting("Lena Holm", "DNK", "OPP", None, "2019-05-01", "d1"),
        Sighting("Lena Holm", "DNK", "OPP", None, "2019-05-01", "d2"),
        Sighting("Lena Holm", "DNK", "OPP", None, "2019-05-02", "d3"),
        Sighting("No Country", None, "OPP", None, "2019-05-01", "d1"),
    ])
    assert len(registry) == 2
    assert registry.lookup("No Country") is None


def test_coder_carries_a_described_person_to_a_later_document(coder: Coder) -> None:
    first = Document.from_text(DESCRIBED, date="2024-03-12")
    later = Document.from_text(SURNAME_ONLY, date="2024-03-20")
    coded = list(coder.code([first, later]))
    [sighting] = [s for s in coded[0].people if s.name == "Nika Melia"]
    assert (sighting.code, sighting.sector, sighting.role) == (
        "GEO", "OPP", "Georgian opposition leader")
    [event] = [e for e in coded[1].events if e.event == "ACCUSE"]
    assert (event.source[0].code, event.source[0].sector) == ("GEO", "OPP")


def test_coder_without_the_earlier_document_cannot_place_the_surname(coder: Coder) -> None:
    events: list[Event] = [e for c in coder.code([Document.from_text(SURNAME_ONLY)])
                           for e in c.events]
    assert all(a.code is None for e in events for a in e.source)


def test_coder_records_people_from_the_people_table(coder: Coder) -> None:
    document = Document.from_text("Lavrov criticised the European Union.", date="2025-07-01")
    [coded] = list(coder.code([document]))
    lavrov = [s for s in coded.people if s.name == "Sergey Lavrov"]
    assert lavrov and lavrov[0].source == FROM_TABLE and lavrov[0].code == "RUS"


def test_ingest_keeps_the_registry_in_the_database(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "registry.duckdb"
    ingest([str(_write(tmp_path, "a.txt", DESCRIBED))], settings.with_(db=db),
           default_date="2024-03-12")
    # a separate run: what it knows of Melia can only come from the database
    ingest([str(_write(tmp_path, "b.txt", SURNAME_ONLY))], settings.with_(db=db),
           default_date="2024-03-20")
    assert ("Melia", "GEO", "OPP") in _accusers(db)
    with open_store(db, read_only=True) as store:
        [melia] = store.people("melia")
    assert (melia["name"], melia["code"], melia["sector"]) == ("Nika Melia", "GEO", "OPP")
    assert (melia["first_seen"], melia["last_seen"], melia["documents"]) == (
        "2024-03-12", "2024-03-12", 1)
    assert melia["roles"] == ["Georgian opposition leader"]


def test_ingest_into_a_fresh_database_does_not_know_the_surname(
    tmp_path: Path, settings: Settings
) -> None:
    db = tmp_path / "fresh.duckdb"
    ingest([str(_write(tmp_path, "b.txt", SURNAME_ONLY))], settings.with_(db=db))
    assert all(code is None for _, code, _ in _accusers(db))


def test_reingest_does_not_repeat_sightings(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "again.duckdb"
    path = str(_write(tmp_path, "a.txt", DESCRIBED))
    for _ in range(2):
        ingest([path], settings.with_(db=db), default_date="2024-03-12")
    with open_store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM person_sightings WHERE name = 'Nika Melia'"
                           ) == [(1,)]


@pytest.mark.parametrize("query", ["Melia", "nika"])
def test_actors_command_shows_registry(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], query: str,
) -> None:
    from test_cli import run

    db = tmp_path / "cli.duckdb"
    ingest([str(_write(tmp_path, "a.txt", DESCRIBED))], settings.with_(db=db),
           default_date="2024-03-12")
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["actors", query, "--db", str(db)], monkeypatch) == 0
    # a long database path wraps the table's title
    out = " ".join(capsys.readouterr().out.split())
    assert "actor registry" in out
    assert "Nika Melia" in out and "GEO" in out and "OPP" in out and "2024-03-12" in out
