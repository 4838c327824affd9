"""Knowledge files: the grammar word lists and the ontology's coding rules, read once,
extendable by the user's lexicons and checked line by line."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from builders import run

from faultline.coder.lexicon import check_texts, read_texts
from faultline.coder.ontology import check_ontology, load_ontology
from faultline.pipeline import code_text
from faultline.settings import Settings

PLOVER = (resources.files("faultline.data") / "ontology" / "plover.yaml").read_text("utf-8")


def line_of(text: str, fragment: str) -> int:
    """Return the number of the line of text that holds fragment."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_bundled_knowledge_files_have_no_mistakes() -> None:
    assert check_texts(read_texts())[2] == []
    ontology, problems = check_ontology(PLOVER)
    assert problems == [] and ontology is not None
    coding = load_ontology().coding
    assert coding.authority_sector("COERCE", "arrest") == "COP"
    assert coding.authority_sector("COERCE", None) == "COP"
    assert coding.authority_sector("COERCE", "seize") == "GOV"
    assert coding.authority_sector("ASSAULT", None) == "UAF"
    assert coding.authority_sector("PROTEST", None) == "CVL"
    assert coding.authority_sector("AGREE", None) is None
    assert load_ontology().generic_codes == {"IGO", "NGO", "IMG", "MNC", "ISM"}


def test_grammar_mistakes_name_the_line_of_their_key() -> None:
    text = ("speech: [say]\n"
            "colour: red\n"
            "pronouns: {it: 1}\n"
            "unreal_moods: [hypothetical, someday]\n"
            "title_numbers: {two: zero}\n")
    problems = [str(p) for p in check_texts([("mine.yaml", text)])[2]]
    assert problems == [
        "mine.yaml:2: unknown top-level key 'colour'",
        "mine.yaml:3: pronouns: expected a word or a list of words, got {'it': 1, "
        "'__line__': 3}",
        "mine.yaml:4: unreal_moods: someday is not one of conditional, future, "
        "hypothetical, purpose, question",
        "mine.yaml:5: title_numbers: 'two' must be a whole number of 1 or more",
    ]


def test_ontology_mistakes_name_their_line() -> None:
    text = (PLOVER.replace("  talk: [AGREE, CONSULT]", "  talk: [AGREE, CHAT]")
            .replace("  promise: AGREE", "  promise: AGREE\n  flavour: sweet")
            .replace("modes: {none: COP, arrest: COP", "modes: {none: COP, kidnap: COP"))
    ontology, problems = check_ontology(text, "mine.yaml")
    assert ontology is None
    assert [str(p) for p in problems] == [
        f"mine.yaml:{line_of(text, 'flavour')}: unknown key 'flavour' in coding; known: "
        "of_target, from_target, talk, answers, partnered, crowds, trips, authority, promise, "
        "threat, constructions",
        f"mine.yaml:{line_of(text, 'kidnap')}: authority COERCE: 'kidnap' is not a mode of "
        "COERCE; known: seize, restrict, censor, curfew, martial-law, arrest, deport, withhold, "
        "misinformation, cyber",
        f"mine.yaml:{line_of(text, 'CHAT')}: talk: 'CHAT' is not a type; known: AGREE, "
        "CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT, "
        "THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT",
    ]


def test_cli_lexicon_check_reads_an_ontology(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "plover.yaml"
    good.write_text(PLOVER, encoding="utf-8")
    assert run(["lexicon", "check", str(good)], monkeypatch) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLOVER.replace("  foreign: [REF, IGO]", "  foreign: [refugees]"),
                   encoding="utf-8")
    capsys.readouterr()
    assert run(["lexicon", "check", str(bad)], monkeypatch) == 1
    line = line_of(bad.read_text(encoding="utf-8"), "foreign: [refugees]")
    # the console may wrap the line: compare the words
    assert capsys.readouterr().out.split() == (
        f"{bad}:{line}: foreign must be a list of three-letter codes such as GOV").split()


def test_user_lexicon_extends_a_grammar_list(tmp_path: Path, settings: Settings) -> None:
    text = "Russia sent observer troops to Armenia."
    mine = tmp_path / "mine.yaml"
    mine.write_text("peacekeepers: [observer]\n", encoding="utf-8")
    [bundled] = code_text(text, settings, date="2024-01-01")
    [extended] = code_text(text, settings.with_(lexicons=(mine,)), date="2024-01-01")
    assert (bundled.event, bundled.mode) == ("MOBILIZE", "troops")
    # sending peacekeepers is aid (plover.yaml coding: constructions, peacekeeping)
    assert (extended.event, extended.mode) == ("AID", None)
    assert [a.code for a in extended.target] == ["ARM"]


def test_cli_lexicon_check_passes_every_bundled_knowledge_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = resources.files("faultline.data")
    files = [str(root / "lexicon" / name) for name in
             ("grammar.yaml", "verbs.yaml", "nouns.yaml", "dependencies.yaml")]
    files.append(str(root / "ontology" / "plover.yaml"))
    assert run(["lexicon", "check", *files], monkeypatch) == 0, capsys.readouterr().out


def test_a_lexicon_entry_of_no_event_stops_a_word_in_that_use(
    tmp_path: Path, settings: Settings
) -> None:
    text = "Moldova released two Transnistrian prisoners on Friday."
    assert {e.event for e in code_text(text, settings, date="2024-03-01")} == {"RETREAT"}
    mine = tmp_path / "mine.yaml"
    mine.write_text("entries:\n- verb: release\n  object: [prisoner]\n  event: none\n",
                    encoding="utf-8")
    assert code_text(text, settings.with_(lexicons=(mine,)), date="2024-03-01") == []
