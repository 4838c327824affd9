"""The command line, run in-process through its real entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from faultline import __version__
from faultline.cli import main

BRIEF_A = """Baku recalls envoy
March 3, 2025
By Test Desk

Azerbaijan recalled its ambassador from Moscow on Monday. Russian police detained
seven Azerbaijani citizens in Yekaterinburg.
"""
BRIEF_B = """Yerevan talks
2025-03-05

Armenia and Georgia signed a transit agreement. Armenian officials condemned the
Russian decision to ban Armenian brandy imports.
"""


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str | None = None) -> int:
    """Run `faultline ARGV` in this process; return its exit code."""
    import io
    import sys

    monkeypatch.setattr(sys, "argv", ["faultline", *argv])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(BRIEF_A, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(BRIEF_B, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def test_cli_prints_version(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                            ) -> None:
    assert run(["--version"], monkeypatch) == 0
    assert capsys.readouterr().out.strip() == f"faultline {__version__}"


def test_cli_code_writes_plover_records(corpus: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "events.jsonl"
    assert run(["code", str(corpus), "-o", str(out)], monkeypatch) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = {(r["event"], r["source"][0]["code"] if r["source"] else None) for r in records}
    assert ("SANCTION", "AZE") in kinds
    assert ("AGREE", "ARM") in kinds
    for record in records:
        for key in ("id", "doc_id", "date", "event", "mode", "context", "source", "target",
                    "eventText", "text", "span", "confidence"):
            assert key in record
        assert record["date"] in {"2025-03-03", "2025-03-05"}
    err = capsys.readouterr().err
    assert "empty.txt" in err and "skipped" in err


def test_cli_code_reads_stdin_with_date(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    text = "Turkey pledged support for Azerbaijan. Iran condemned the drills.\n"
    assert run(["code", "-", "--date", "2024-10-01"], monkeypatch, stdin=text) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["event"] for r in lines} >= {"SUPPORT", "ACCUSE"}
    assert {r["date"] for r in lines} == {"2024-10-01"}


def test_cli_code_codes_every_record_also_one_repeating_a_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Georgia expelled three Iranian diplomats on Monday."
    records = [{"id": "first", "text": text}, {"id": "second", "text": f"<p>{text}</p>"},
               {"id": "third", "text": "Kazakhstan recalled its ambassador from Iran."}]
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "events.jsonl"
    assert run(["code", str(source), "--date", "2024-02-07", "-o", str(out)], monkeypatch) == 0
    coded = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_id = {r["doc_id"]: (r["event"], r["source"][0]["code"], r["date"]) for r in coded}
    assert by_id["first"] == by_id["second"] == ("SANCTION", "GEO", "2024-02-05")
    assert "third" in by_id
    # each record's events are its own
    assert len({r["id"] for r in coded}) == len(coded)
    err = capsys.readouterr().err
    assert "3 documents" in err and "duplicate" not in err
    # storing is where a text is kept once
    assert run(["ingest", str(source), "--db", str(tmp_path / "w.duckdb")], monkeypatch) == 0
    err = capsys.readouterr().err
    assert "duplicate of first" in err and "2 new" in err


def test_cli_code_fails_in_one_line_when_nothing_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert run(["code", str(binary), str(tmp_path / "missing.txt")], monkeypatch) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "blob.txt" in err and "missing.txt" in err


def test_cli_rejects_bad_date_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["code", "-", "--date", "July 4"], monkeypatch, stdin="x") == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("faultline: error:") and "YYYY-MM-DD" in err
    assert len(err.splitlines()) == 1


def _counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    return int(docs), int(events)


def test_cli_ingest_twice_adds_nothing_the_second_time(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "news.duckdb"
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    first = _counts(db)
    assert first[0] == 2 and first[1] >= 4
    capsys.readouterr()
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    assert _counts(db) == first
    assert "0 new events" in capsys.readouterr().err


def test_cli_export_formats(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    db = tmp_path / "news.duckdb"
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    n_events = _counts(db)[1]
    plover = tmp_path / "out.jsonl"
    csv_path = tmp_path / "out.csv"
    parquet = tmp_path / "out.parquet"
    for fmt, path in (("plover", plover), ("csv", csv_path), ("parquet", parquet)):
        assert run(["export", "--db", str(db), "--format", fmt, "-o", str(path)],
                   monkeypatch) == 0
    assert len(plover.read_text(encoding="utf-8").splitlines()) == n_events
    with csv_path.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.reader(f))) == n_events + 1
    with duckdb.connect() as con:
        rows = con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchall()
    assert rows[0][0] == n_events


def test_cli_export_to_stdout(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "news.duckdb"
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    n_events = _counts(db)[1]
    capsys.readouterr()
    assert run(["export", "--db", str(db), "--format", "plover", "-o", "-"], monkeypatch) == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert len(records) == n_events and all("event" in r for r in records)
    assert "written to stdout" in captured.err
    assert not (Path.cwd() / "-").exists()
    assert run(["export", "--db", str(db), "--format", "parquet", "-o", "-"], monkeypatch) == 2
    assert "binary" in capsys.readouterr().err


def test_cli_export_without_database_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["export", "--db", str(tmp_path / "none.duckdb"), "-o", str(tmp_path / "x")],
               monkeypatch)
    assert code == 2
    assert "faultline ingest" in capsys.readouterr().err


def test_cli_lexicon_check_reports_line_of_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("entries:\n- verb: embargo\n  event: SANCTION\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "entries:\n- verb: embargo\n  event: SANCTION\n- verb: bless\n  event: BLESS\n",
        encoding="utf-8",
    )
    assert run(["lexicon", "check", str(good)], monkeypatch) == 0
    assert "ok: 1 entries" in capsys.readouterr().out
    assert run(["lexicon", "check", str(bad)], monkeypatch) == 1
    out = capsys.readouterr().out
    assert f"{bad}:4:" in out and "BLESS" in out


def test_cli_code_writes_set_aside_statements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    text = "Russia did not withdraw its troops. Baku could close the Russian House.\n"
    aside = tmp_path / "aside.jsonl"
    out = tmp_path / "events.jsonl"
    assert run(["code", "-", "-o", str(out), "--set-aside", str(aside)], monkeypatch,
               stdin=text) == 0
    assert out.read_text(encoding="utf-8") == ""
    records = [json.loads(x) for x in aside.read_text(encoding="utf-8").splitlines()]
    assert {(r["event"], r["reason"]) for r in records} >= {
        ("RETREAT", "negated"), ("COERCE", "hypothetical:could")}


def test_cli_actors_explains_a_person_and_lists_mentions(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "news.duckdb"
    (corpus / "c.txt").write_text(
        "Talks\n2024-02-02\n\nRussian Foreign Minister Sergey Lavrov condemned the drills. "
        "Lavrov also accused NATO of provocations.\n", encoding="utf-8")
    assert run(["ingest", str(corpus), "--db", str(db)], monkeypatch) == 0
    capsys.readouterr()
    assert run(["actors", "Lavrov", "--db", str(db), "--date", "2024-02-02"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Sergey Lavrov -> RUS GOV" in out and "Foreign Minister" in out
    assert "Lavrov" in out.split("mentions")[-1]
