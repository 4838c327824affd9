"""The command line under duress: Ctrl-C, a path that is not there, a flood of bad lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from builders import run

from faultline.pipeline import SKIPS_KEPT, sample_corpus


def test_ctrl_c_during_ingest_exits_130_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    ingest = subprocess.Popen(
        [sys.executable, "-m", "faultline", "-v", "ingest", str(sample_corpus()), "--db",
         str(tmp_path / "news.duckdb")],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert ingest.stderr is not None
    for line in ingest.stderr:
        if "loaded spaCy pipeline" in line:  # parsing the first batch
            ingest.send_signal(signal.SIGINT)
            break
    _, rest = ingest.communicate(timeout=300)
    assert ingest.returncode == 130
    assert rest.splitlines() == [
        "faultline: interrupted (ingest keeps every batch it finished: run it again to go on)"]


def test_ingest_of_a_path_that_is_not_there_makes_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "news.duckdb"
    assert run(["ingest", str(tmp_path / "nowhere"), "--db", str(db)], monkeypatch) == 1
    assert "no such file or directory" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_flood_of_malformed_lines_is_counted_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = 3 * SKIPS_KEPT
    lines = [f"{{bad json {n}" for n in range(bad)]
    lines.append(json.dumps({"id": "ok", "text": "Azerbaijan expelled two Russian diplomats."}))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "1000")  # one line each, however long the path
    assert run(["code", str(feed), "-o", str(tmp_path / "events.jsonl")], monkeypatch) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:20] == [f"skipped {feed}:{n}: line {n}: not JSON: Expecting property name "
                        "enclosed in double quotes (column 2)" for n in range(1, 21)]
    assert err[20] == f"skipped {bad - 20} more inputs, not listed (--verbose lists every one)"
    assert err[21].startswith(f"1 documents, 1 events -> {tmp_path / 'events.jsonl'}; "
                              f"{bad} inputs skipped ({bad} malformed)")
    assert len(err) == 22


def test_a_run_keeps_the_first_skips_and_counts_them_all(tmp_path: Path) -> None:
    from faultline.pipeline import RunReport, code_paths
    from faultline.settings import Settings

    feed = tmp_path / "feed.jsonl"
    feed.write_text("not json\n" * (SKIPS_KEPT + 500), encoding="utf-8")
    report = RunReport()
    assert list(code_paths([str(feed)], Settings(), report=report)) == []
    assert len(report.skipped) == SKIPS_KEPT
    assert report.skipped[-1].origin == f"{feed}:{SKIPS_KEPT}"
    assert report.total_skipped == SKIPS_KEPT + 500
    assert report.skipped_by_reason == {"malformed": SKIPS_KEPT + 500}
