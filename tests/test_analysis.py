"""Relationship analytics on hand-made events stored through the real write path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import report
from test_cli import run

from faultline.analysis.base import Scope
from faultline.analysis.chains import chains, response_kind
from faultline.analysis.dyads import dyad
from faultline.analysis.relations import Scoring, relation_table, relations
from faultline.analysis.triads import kind_of, pivot_of, triad_table, triads
from faultline.errors import FaultlineError
from faultline.models import Document
from faultline.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "a.duckdb") as s:
        yield s


_serial = itertools.count(1000)


def _pair(store: Store, a: str, b: str, intensity: float, date: str, n: int = 1,
          event: str | None = None, **more: object) -> None:
    """Store n different events a -> b of the given intensity on a date."""
    kind = event or ("ACCUSE" if intensity < 0 else "CONSULT")
    for _ in range(n):
        # Numbers unique to each event keep their wording apart, so that they are
        # not taken for reports of one event.
        tags = " ".join(str(next(_serial)) for _ in range(8))
        report(store, f"{a} {kind.lower()} {b} {tags}.", source=a, target=b, event=kind,
               intensity=intensity, date=date, **more)  # type: ignore[arg-type]


def _relation(store: Store, a: str, b: str, **kwargs: object):  # type: ignore[no-untyped-def]
    found = [r for r in relations(store, **kwargs)  # type: ignore[arg-type]
             if r.actors == tuple(sorted((a, b)))]
    return found[0] if found else None


# -- relations ------------------------------------------------------------------


def test_relation_score_is_recency_weighted_and_shrunk(store: Store) -> None:
    report(store, "Armenia accused Azerbaijan of shelling.", source="ARM", target="AZE",
           event="ACCUSE", intensity=-2.0, date="2025-07-01")
    report(store, "Azerbaijan and Armenia set up a joint commission.", source="AZE",
           target="ARM", event="COOPERATE", intensity=6.0, date="2025-01-02")  # 180 days older
    r = _relation(store, "ARM", "AZE")
    # weights 1 and 0.5; sum(w * tone) = -0.2 + 0.3; prior 1
    assert r.score == pytest.approx(0.1 / 2.5)
    assert r.sign == "+" and (r.events, r.mentions) == (2, 2)
    ab, ba = r.directions
    assert (ab.source, ab.target, ab.events) == ("ARM", "AZE", 1)
    assert ab.score == pytest.approx(-0.2 / 2) and ba.score == pytest.approx(0.3 / 1.5)
    # recent half-life: the accusation alone; earlier: the commission
    assert (r.recent, r.earlier) == (pytest.approx(-0.1), pytest.approx(0.3))
    assert r.trend == pytest.approx(-0.4)
    assert (r.first_date, r.last_date) == ("2025-01-02", "2025-07-01")
    shorter = _relation(store, "ARM", "AZE", scoring=Scoring(half_life_days=30))
    assert shorter.score < 0, "with a short memory the recent accusation dominates"


def test_one_strong_event_gives_minus_half_and_thin_old_evidence_stays_near_zero(
    store: Store,
) -> None:
    report(store, "Russian jets bombed Ukrainian positions.", source="RUS", target="UKR",
           event="ASSAULT", intensity=-10.0, date="2025-06-01")
    report(store, "Turkey criticised Greece.", source="TUR", target="GRC", event="ACCUSE",
           intensity=-2.0, date="2020-06-01")
    assert _relation(store, "RUS", "UKR").score == pytest.approx(-0.5)
    old = _relation(store, "TUR", "GRC")
    assert -0.001 < old.score < 0 and old.recent is None and old.trend is None


def test_repeated_report_counts_once(store: Store) -> None:
    for text in ("Georgian police arrested Russian journalist Pavel Sorokin in Tbilisi.",
                 "Police in Tbilisi arrested the Russian journalist Pavel Sorokin."):
        report(store, text, source="GEO:COP", target="RUS", event="COERCE", intensity=-5.0,
               date="2025-03-03", mode="arrest")
    r = _relation(store, "GEO", "RUS")
    assert (r.events, r.mentions) == (1, 2)
    assert r.score == pytest.approx(-0.5 / 2)
    assert r.evidence[0].n_mentions == 2


def test_every_actor_of_an_event_pairs_with_every_other_side(store: Store) -> None:
    report(store, "Russia and Belarus warned Ukraine and Moldova.", source=("RUS", "BLR"),
           target=("UKR", "MDA", "UKR"), event="THREATEN", intensity=-7.0,
           date="2025-01-01")
    pairs = {r.actors: r.events for r in relations(store)}
    assert pairs == {("RUS", "UKR"): 1, ("MDA", "RUS"): 1, ("BLR", "UKR"): 1,
                     ("BLR", "MDA"): 1}


def test_relations_leave_out_domestic_events_and_undated_ones(store: Store) -> None:
    report(store, "Russian police detained protesters in Moscow.", source="RUS:COP",
           target="RUS:CVL", event="COERCE", intensity=-5.0, date="2025-01-01")
    report(store, "Iran accused Israel.", source="IRN", target="ISR", event="ACCUSE",
           intensity=-2.0, date=None)
    assert relations(store) == []


def test_evidence_lists_the_heaviest_events_with_their_sentences(store: Store) -> None:
    _pair(store, "AZE", "RUS", -2.0, "2025-06-01", n=3)
    report(store, "Azerbaijan closed the Russian House in Baku.", source="AZE", target="RUS",
           event="COERCE", intensity=-7.0, date="2025-06-02", confidence=0.9)
    r = _relation(store, "AZE", "RUS", evidence=2)
    assert len(r.evidence) == 2
    first = r.evidence[0]
    assert first.sentence == "Azerbaijan closed the Russian House in Baku."
    assert (first.source, first.target, first.event, first.date) == (
        "AZE", "RUS", "COERCE", "2025-06-02")
    # an event counts the square of its confidence
    assert first.confidence == 0.9
    assert first.weight == pytest.approx(0.81) and first.contribution == pytest.approx(-0.567)
    assert first.doc_id and first.cluster_id == first.event_id
    assert abs(r.evidence[1].contribution) <= abs(first.contribution)
    assert _relation(store, "AZE", "RUS", evidence=0).evidence == ()


def test_relations_window_actor_and_sector_level(store: Store) -> None:
    _pair(store, "ARM:GOV", "RUS:GOV", -2.0, "2024-01-10")
    _pair(store, "ARM:MED", "RUS:GOV", 4.0, "2025-01-10")
    _pair(store, "FRA", "DEU", 4.0, "2025-01-10")
    assert {r.actors for r in relations(store, actor="ARM")} == {("ARM", "RUS")}
    late = _relation(store, "ARM", "RUS", scope=Scope(since=dt.date(2025, 1, 1)))
    assert late.events == 1 and late.score > 0
    early = _relation(store, "ARM", "RUS", scope=Scope(until=dt.date(2024, 12, 31)))
    weight = 0.5 ** (356 / 180)  # scored as of the end of the window
    assert early.events == 1 and early.score == pytest.approx(-0.2 * weight / (weight + 1))
    by_sector = {r.actors for r in relations(store, Scope(sectors=True))}
    assert {("ARM:GOV", "RUS:GOV"), ("ARM:MED", "RUS:GOV")} <= by_sector
    assert [r.actors for r in relations(store, min_events=2)] == [("ARM", "RUS")]


def test_relation_table_has_the_same_scores(store: Store) -> None:
    _pair(store, "ARM", "AZE", -9.0, "2024-05-01", n=2, event="ASSAULT")
    _pair(store, "AZE", "TUR", 4.0, "2024-05-01")
    table = relation_table(store).to_pylist()
    assert {(r["x"], r["y"]): r["score"] for r in table} == {
        r.actors: pytest.approx(r.score) for r in relations(store)}


def test_month_dated_events_count_from_the_middle_of_their_month(store: Store) -> None:
    report(store, "In June, Armenia protested.", source="ARM", target="AZE", event="ACCUSE",
           intensity=-2.0, date="2025-06", precision="month")
    r = _relation(store, "ARM", "AZE", scope=Scope(until=dt.date(2025, 7, 1)))
    weight = 0.5 ** (16 / 180)  # June 15 is 16 days before July 1
    assert r.score == pytest.approx(-0.2 * weight / (weight + 1))


def test_a_doubtful_coding_weighs_less_than_a_sure_one(store: Store) -> None:
    report(store, "Georgia struck Russian positions.", source="GEO", target="RUS",
           event="ASSAULT", intensity=-9.0, date="2025-05-01", confidence=0.9)
    report(store, "After what was described as Iranian shelling of Iraqi villages.",
           source="IRN", target="IRQ", event="ASSAULT", intensity=-9.0, date="2025-05-01",
           confidence=0.45)
    sure, doubtful = _relation(store, "GEO", "RUS"), _relation(store, "IRN", "IRQ")
    # an event counts the square of its confidence: 0.81 and 0.2025
    assert sure.score == pytest.approx(-0.9 * 0.81 / 1.81)
    assert doubtful.score == pytest.approx(-0.9 * 0.2025 / 1.2025)
    assert abs(doubtful.score) < abs(sure.score) / 2.5, "a doubtful coding barely moves it"
    linear = _relation(store, "IRN", "IRQ", scoring=Scoring(confidence_power=1))
    assert linear.score == pytest.approx(-0.9 * 0.45 / 1.45)


def test_a_sure_accord_outweighs_a_doubtful_attack_in_relations_and_triads(
    store: Store,
) -> None:
    report(store, "Armenia and Azerbaijan signed a border accord.", source="ARM",
           target="AZE", event="AGREE", intensity=4.0, date="2025-05-01", confidence=0.9)
    report(store, "Officials spoke of an alleged Azerbaijani raid on an Armenian post.",
           source="AZE", target="ARM", event="ASSAULT", intensity=-9.0, date="2025-05-01",
           confidence=0.45)
    _triangle(store, {("ARM", "RUS"): -2, ("AZE", "RUS"): -2}, date="2025-05-01")
    r = _relation(store, "ARM", "AZE")
    assert r.score == pytest.approx((0.81 * 0.4 - 0.2025 * 0.9) / (0.81 + 0.2025 + 1))
    assert r.sign == "+" and r.recent == pytest.approx(r.score)
    [t] = triads(store, by="year")
    assert t.signs["ARM-AZE"] == "+" and (t.kind, t.pivot) == ("two_against_one", "RUS")
    assert [(h.kind, h.signs["ARM-AZE"]) for h in t.history] == [("two_against_one", "+")]
    # counted in proportion to confidence, the doubtful attack would turn the pair hostile
    linear = Scoring(confidence_power=1)
    assert _relation(store, "ARM", "AZE", scoring=linear).sign == "-"


def test_evidence_shows_a_sure_coding_before_a_doubtful_heavier_one(store: Store) -> None:
    report(store, "Azerbaijan accused Russia of torturing its citizens.", source="AZE",
           target="RUS", event="ACCUSE", intensity=-2.0, date="2025-06-01", confidence=0.9)
    report(store, "Reports spoke of a drone strike by Azerbaijan on a Russian base.",
           source="AZE", target="RUS", event="ASSAULT", intensity=-10.0, date="2025-06-01",
           confidence=0.5)
    sure, doubtful = _relation(store, "AZE", "RUS").evidence
    assert (sure.event, sure.confidence, doubtful.event) == ("ACCUSE", 0.9, "ASSAULT")
    # the strike moves the score more (0.25 against 0.162), but it may be miscoded
    assert abs(doubtful.contribution) > abs(sure.contribution)


# -- organisations -----------------------------------------------------------------


def test_each_organisation_is_an_actor_of_its_own(store: Store) -> None:
    _pair(store, "ARM", "IGO/EU", 4.0, "2025-03-03", event="AGREE")
    _pair(store, "ARM", "IGO/CSTO", -4.0, "2025-03-05", event="SANCTION")
    _pair(store, "IGO/Arab League", "ISR", -2.0, "2025-03-05")
    _pair(store, "ARM", "IGO", -2.0, "2025-03-06")  # an organisation nobody named
    _pair(store, "PSE/Hamas:REB", "ISR", -9.0, "2025-03-06", event="ASSAULT")
    assert {r.actors: r.sign for r in relations(store)} == {
        ("ARM", "EU"): "+", ("ARM", "CSTO"): "-", ("ARAB_LEAGUE", "ISR"): "-",
        ("ARM", "IGO"): "-", ("ISR", "PSE"): "-"}  # a group of one country keeps its code
    assert [(r.source, r.target, r.events) for r in dyad(store, "ARM", "eu")] == [
        ("ARM", "EU", 1)]
    assert [r.by_type for r in dyad(store, "ARM", "IGO")] == [{"ACCUSE": 1}]
    assert {r.actors for r in relations(store, actor="CSTO")} == {("ARM", "CSTO")}
    by_sector = {r.actors for r in relations(store, Scope(sectors=True))}
    assert {("ARM", "EU"), ("ISR", "PSE:REB")} <= by_sector


def test_organisations_are_corners_of_triangles_and_sides_of_chains(store: Store) -> None:
    _triangle(store, {("ARM", "IGO/EU"): 4, ("ARM", "RUS"): -2, ("IGO/EU", "RUS"): -2})
    _triangle(store, {("ARM", "IGO/CSTO"): -2, ("IGO/CSTO", "RUS"): 4})
    found = {t.actors: t for t in triads(store)}
    assert set(found) == {("ARM", "EU", "RUS"), ("ARM", "CSTO", "RUS")}
    assert (found[("ARM", "EU", "RUS")].kind, found[("ARM", "EU", "RUS")].pivot) == (
        "two_against_one", "RUS")
    assert found[("ARM", "CSTO", "RUS")].kind == "two_against_one"
    report(store, "The European Union answered Armenia.", source="IGO/EU", target="ARM",
           event="AGREE", intensity=4.0, date="2025-03-02")
    [chain] = chains(store, "ARM", "EU")
    assert chain.actors == ("ARM", "EU")
    assert [(s.source, s.target) for s in chain.steps][-1] == ("EU", "ARM")


# -- dyads ----------------------------------------------------------------------


def test_dyad_counts_each_direction_per_period(store: Store) -> None:
    _pair(store, "ARM", "AZE", -2.0, "2025-01-03", n=2)
    _pair(store, "ARM", "AZE", -9.0, "2025-01-20", event="ASSAULT")
    _pair(store, "AZE", "ARM", 1.0, "2025-02-01")
    rows = dyad(store, "ARM", "AZE", by="month")
    assert [(r.period, r.source, r.target, r.events) for r in rows] == [
        ("2025-01-01", "ARM", "AZE", 3), ("2025-02-01", "AZE", "ARM", 1)]
    january = rows[0]
    assert january.by_type == {"ACCUSE": 2, "ASSAULT": 1}
    assert january.by_quad == {3: 2, 4: 1}
    assert january.intensity == pytest.approx(-13.0)
    assert [r.period for r in dyad(store, "AZE", "ARM", by="year")] == ["2025-01-01"] * 2
    assert dyad(store, "ARM", "AZE", by="day")[0].period == "2025-01-03"


def test_dyad_at_sector_level_and_domestic(store: Store) -> None:
    _pair(store, "RUS:GOV", "AZE:MED", -2.0, "2025-01-03")
    _pair(store, "RUS:MIL", "AZE:MIL", -9.0, "2025-01-04", event="ASSAULT")
    _pair(store, "RUS:COP", "RUS:OPP", -5.0, "2025-01-05", event="COERCE")
    assert [r.events for r in dyad(store, "RUS:GOV", "AZE")] == [1]
    assert [(r.source, r.target) for r in dyad(store, "RUS:GOV", "AZE")] == [("RUS:GOV", "AZE")]
    assert sum(r.events for r in dyad(store, "RUS", "AZE")) == 2
    domestic = dyad(store, "RUS", "RUS")
    assert [(r.source, r.target, r.by_type) for r in domestic] == [
        ("RUS", "RUS", {"COERCE": 1})]


def test_dyad_refuses_bad_actor_and_period(store: Store) -> None:
    with pytest.raises(FaultlineError, match="RUS:GOV"):
        dyad(store, "RUS GOV", "AZE")
    with pytest.raises(FaultlineError, match="quarter"):
        dyad(store, "RUS", "AZE", by="fortnight")


# -- chains ---------------------------------------------------------------------


def test_chain_links_answers_and_classes_them(store: Store) -> None:
    report(store, "Azerbaijan detained Russian citizens.", source="AZE", target="RUS",
           event="COERCE", intensity=-5.0, date="2025-07-01")
    report(store, "Russia detained an Azerbaijani community leader.", source="RUS",
           target="AZE", event="COERCE", intensity=-5.0, date="2025-07-03")
    report(store, "Azerbaijan shelled a Russian post.", source="AZE", target="RUS",
           event="ASSAULT", intensity=-10.0, date="2025-07-10")
    report(store, "Russia called for calm.", source="RUS", target="AZE", event="REQUEST",
           intensity=-2.0, date="2025-07-12")
    report(store, "Russia sent aid to Azerbaijan.", source="RUS", target="AZE", event="AID",
           intensity=7.0, date="2025-09-30")  # answers nothing within 30 days
    [chain] = chains(store, "AZE", "RUS")
    assert chain.actors == ("AZE", "RUS") and (chain.start, chain.end) == (
        "2025-07-01", "2025-07-12")
    assert [(s.source, s.response, s.days_after) for s in chain.steps] == [
        ("AZE", None, None), ("RUS", "in_kind", 2), ("AZE", "escalation", 7),
        ("RUS", "de_escalation", 2)]
    assert chain.responses == {"in_kind": 1, "escalation": 1, "de_escalation": 1}
    assert chain.steps[1].answers == chain.steps[0].cluster_id
    assert chain.steps[0].sentence == "Azerbaijan detained Russian citizens."
    assert chains(store, "RUS", "AZE")[0].steps == chain.steps
    assert len(chains(store, "AZE", "RUS", days=1)) == 0
    assert len(chains(store)) == 1


def test_chains_need_day_dates_and_can_leave_out_publication_dates(store: Store) -> None:
    report(store, "In May, Armenia accused Russia.", source="ARM", target="RUS",
           event="ACCUSE", intensity=-2.0, date="2025-05", precision="month")
    report(store, "Russia accused Armenia on May 20.", source="RUS", target="ARM",
           event="ACCUSE", intensity=-2.0, date="2025-05-20")
    assert chains(store, "ARM", "RUS") == []
    report(store, "Armenia answered Russia with a protest.", source="ARM", target="RUS",
           event="ACCUSE", intensity=-2.0, date="2025-05-22", fallback=True)
    [chain] = chains(store, "ARM", "RUS")
    assert [s.approximate for s in chain.steps] == [False, True]
    assert chains(store, "ARM", "RUS", exact_dates=True) == []


def test_chains_answer_the_first_reported_of_same_day_events(store: Store) -> None:
    text = "Armenia protested to Azerbaijan. Yerevan expelled two diplomats over the shelling."
    doc = Document.from_text(text, date="2025-04-01", origin="tests")
    with open_store(":memory:") as scratch:
        like = report(scratch, "Armenia protested to Azerbaijan.", source="ARM",
                      target="AZE", event="PROTEST", intensity=-4.0, date="2025-04-01")
    # ids in the opposite order to the text, so that only the text's order can decide
    lead, detail = (dataclasses.replace(like, id=id_, doc_id=doc.doc_id, doc_hash=doc.doc_hash,
                                        text=sentence, span=(start, start + len(sentence)))
                    for id_, sentence, start in (("z-lead", "Armenia protested to Azerbaijan.", 0),
                                                 ("a-detail", text[33:], 33)))
    store.write([doc], [lead, detail])
    report(store, "Azerbaijan protested to Armenia.", source="AZE", target="ARM",
           event="PROTEST", intensity=-4.0, date="2025-04-02")
    for _ in range(3):
        [chain] = chains(store, "ARM", "AZE")
        assert [s.event_id for s in chain.steps][0] == "z-lead"
        assert chain.steps[-1].answers == "z-lead"


def test_response_kinds() -> None:
    assert response_kind("COERCE", 4, -5, "COERCE", 4, -5) == "in_kind"
    assert response_kind("ACCUSE", 3, -2, "REJECT", 3, -2.5) == "in_kind"
    assert response_kind("ACCUSE", 3, -2, "ASSAULT", 4, -10) == "escalation"
    assert response_kind("ASSAULT", 4, -10, "ACCUSE", 3, -2) == "de_escalation"
    assert response_kind("CONSULT", 1, 1, "AGREE", 1, 4) == "in_kind"
    assert response_kind("AID", 2, 7, "ACCUSE", 3, -2) == "escalation"
    assert response_kind("ACCUSE", 3, -2, "AGREE", 1, 4) == "de_escalation"


# -- triads ---------------------------------------------------------------------


def _triangle(store: Store, signs: dict[tuple[str, str], float], n: int = 2,
              date: str = "2025-03-01") -> None:
    for (a, b), intensity in signs.items():
        _pair(store, a, b, intensity, date, n=n)


def test_triads_kinds_signs_and_pivots(store: Store) -> None:
    _triangle(store, {("ARM", "AZE"): -2, ("ARM", "RUS"): -2, ("AZE", "RUS"): -2})
    _triangle(store, {("FRA", "DEU"): 4, ("FRA", "ITA"): 4, ("DEU", "ITA"): 4})
    _triangle(store, {("USA", "GBR"): 4, ("USA", "IRN"): -2, ("GBR", "IRN"): -2})
    _triangle(store, {("TUR", "AZE"): 4, ("TUR", "ARM"): 4})  # with ARM-AZE above
    found = {t.actors: t for t in triads(store)}
    shared = found[("ARM", "AZE", "RUS")]
    assert shared.kind == "shared_enemy_without_reconciliation"
    assert shared.label == "shared enemy without reconciliation" and not shared.balanced
    assert shared.signs == {"ARM-AZE": "-", "ARM-RUS": "-", "AZE-RUS": "-"}
    assert shared.evidence == {"ARM-AZE": 2, "ARM-RUS": 2, "AZE-RUS": 2}
    assert shared.pivot is None
    assert found[("DEU", "FRA", "ITA")].kind == "allies"
    two = found[("GBR", "IRN", "USA")]
    assert (two.kind, two.pivot, two.balanced) == ("two_against_one", "IRN", True)
    friend = found[("ARM", "AZE", "TUR")]
    assert (friend.kind, friend.pivot) == ("friend_of_an_enemy", "TUR")
    assert len(found) == 4
    assert [t.actors for t in triads(store, actor="TUR")] == [("ARM", "AZE", "TUR")]
    table = {(r["a"], r["b"], r["c"]): r["kind"] for r in triad_table(store).to_pylist()}
    assert table == {k: t.kind for k, t in found.items()}


def test_triads_need_evidence_on_every_side_and_skip_generic_codes(store: Store) -> None:
    _triangle(store, {("ARM", "AZE"): -2, ("ARM", "RUS"): -2})
    _pair(store, "AZE", "RUS", -2.0, "2025-03-01", n=1)
    _triangle(store, {("ARM", "IGO"): -2, ("AZE", "IGO"): -2})
    assert triads(store, min_evidence=2) == []
    assert [t.actors for t in triads(store)] == [("ARM", "AZE", "RUS")]


def test_triads_history_by_period(store: Store) -> None:
    _triangle(store, {("ARM", "AZE"): 4, ("ARM", "RUS"): 4, ("AZE", "RUS"): 4},
              date="2021-05-01")
    _triangle(store, {("ARM", "AZE"): -2, ("ARM", "RUS"): -2, ("AZE", "RUS"): -2}, n=3,
              date="2025-05-01")
    [t] = triads(store, by="year")
    assert t.kind == "shared_enemy_without_reconciliation"
    assert [(h.period, h.kind) for h in t.history] == [
        ("2021-01-01", "allies"), ("2025-01-01", "shared_enemy_without_reconciliation")]
    assert triads(store)[0].history == ()


def test_kind_and_pivot_rules() -> None:
    actors = ("A", "B", "C")
    assert kind_of(0.1, 0.1, 0.1) == "allies"
    assert kind_of(0.1, -0.1, -0.1) == "two_against_one"
    assert pivot_of(actors, 0.1, -0.1, -0.1) == "C"
    assert kind_of(-0.1, 0.1, 0.1) == "friend_of_an_enemy"
    assert pivot_of(actors, -0.1, 0.1, 0.1) == "C"
    assert kind_of(-0.1, -0.1, -0.1) == "shared_enemy_without_reconciliation"
    assert kind_of(0.0, -0.1, -0.1) == "undecided"


# -- command line -----------------------------------------------------------------


def test_cli_analysis_commands_print_json_and_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cli.duckdb"
    with open_store(db) as store:
        _triangle(store, {("ARM", "AZE"): -2, ("ARM", "RUS"): -2, ("AZE", "RUS"): -2})
        report(store, "Russia answered Azerbaijan.", source="RUS", target="AZE",
               event="ACCUSE", intensity=-2.0, date="2025-03-04")
    assert run(["triads", "--db", str(db), "--json"], monkeypatch) == 0
    [triad] = json.loads(capsys.readouterr().out)
    assert triad["actors"] == ["ARM", "AZE", "RUS"]
    assert triad["kind"] == "shared_enemy_without_reconciliation"
    assert triad["signs"] == {"ARM-AZE": "-", "ARM-RUS": "-", "AZE-RUS": "-"}
    assert run(["relations", "--db", str(db), "--json", "--actor", "AZE"], monkeypatch) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert [p["actors"] for p in pairs] == [["AZE", "RUS"], ["ARM", "AZE"]]
    assert all(p["score"] < 0 and p["evidence"][0]["sentence"] for p in pairs)
    assert run(["chains", "AZE", "RUS", "--db", str(db), "--json"], monkeypatch) == 0
    [chain] = json.loads(capsys.readouterr().out)
    assert [s["response"] for s in chain["steps"]] == [None, "in_kind"]
    assert run(["dyad", "AZE", "RUS", "--by", "year", "--db", str(db), "--json"],
               monkeypatch) == 0
    assert [r["events"] for r in json.loads(capsys.readouterr().out)] == [2, 1]
    monkeypatch.setenv("COLUMNS", "200")  # tables on one line each
    for command in (["relations"], ["triads", "--by", "quarter"], ["chains"],
                    ["dyad", "ARM", "RUS"]):
        assert run([*command, "--db", str(db)], monkeypatch) == 0
    shown = capsys.readouterr().out
    assert "shared enemy without reconciliation" in shown and "ARM-RUS" in shown


def test_cli_analysis_reports_bad_input_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "e.duckdb"
    open_store(db).close()
    cases = [
        (["dyad", "RUS", "AZE", "--by", "fortnight", "--db", str(db)], "unknown period"),
        (["relations", "--since", "last week", "--db", str(db)], "--since"),
        (["chains", "RUS", "--db", str(db)], "two actors"),
        (["triads", "--db", str(tmp_path / "missing.duckdb")], "no database"),
        (["dyad", "R?S", "AZE", "--db", str(db)], "not a code"),
    ]
    for argv, expected in cases:
        assert run(argv, monkeypatch) == 2, argv
        err = capsys.readouterr().err
        assert expected in err and err.count("\n") == 1, err


def test_triads_limit_keeps_the_best_evidenced(store: Store) -> None:
    _triangle(store, {("ARM", "AZE"): -2, ("ARM", "RUS"): -2, ("AZE", "RUS"): -2}, n=3)
    _triangle(store, {("DEU", "FRA", ): 4, ("DEU", "ITA"): 4, ("FRA", "ITA"): 4})
    every = triads(store, by="year")
    [first] = triads(store, by="year", limit=1)
    assert len(every) == 2 and first == every[0]
    assert first.actors == ("ARM", "AZE", "RUS") and first.history
