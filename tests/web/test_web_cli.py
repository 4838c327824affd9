"""The command-line side of issue 13: `faultline alerts`, `faultline export --format cameo`,
and `faultline serve` refusing a database that is not there; and the server's memory
of results giving what the service gives."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from builders import run
from webtools import rounded

from faultline.service import Service
from faultline.settings import Settings
from faultline.web.cache import CachingService


def test_alerts_command_shows_the_escalation_and_its_events(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["alerts", "--db", str(sample_db), "--days", "180"], monkeypatch) == 0
    out = capsys.readouterr().out
    assert re.search(r"AZE - RUS escalation z -\d+\.\d", out)
    assert "RUS->AZE ASSAULT -10" in out
    assert "1 alerts (windows of 180 days" in out
    assert run(["alerts", "--db", str(sample_db), "--days", "180", "--json"], monkeypatch) == 0
    [alert] = json.loads(capsys.readouterr().out)
    assert alert["actors"] == ["AZE", "RUS"] and len(alert["evidence"]) == 3


def test_alerts_command_refuses_a_window_of_no_days(
        sample_db: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["alerts", "--db", str(sample_db), "--days", "0"], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith("faultline: error: ") and "must be positive" in err
    assert "Traceback" not in err


def test_export_cameo_writes_a_gdelt_style_table_of_every_event(
        sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        web_settings: Settings) -> None:
    out = tmp_path / "events.tsv"
    assert run(["export", "--db", str(sample_db), "--format", "cameo", "-o", str(out)],
               monkeypatch) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter="\t"))
    with Service(web_settings) as service:
        assert len(rows) == service.summary().events
    first = rows[0]
    assert list(first)[:4] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year"]
    assert {"EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "SOURCEURL",
            "PloverEvent"} <= set(first)
    with Service(web_settings) as service:
        earliest = service.summary().first_date or ""
    assert first["SQLDATE"] == earliest.replace("-", "")
    assert first["MonthYear"] == earliest.replace("-", "")[:6]
    assert all(r["QuadClass"] in {"1", "2", "3", "4"} for r in rows if r["EventRootCode"])
    eu = [r for r in rows if r["Actor1KnownGroupCode"] == "EU"]
    assert eu and all(r["Actor1CountryCode"] == "" and r["Actor1Code"].startswith("IGO")
                      for r in eu)
    dates = [r["SQLDATE"] for r in rows if r["SQLDATE"]]
    assert dates == sorted(dates)


def test_serve_refuses_a_database_that_is_not_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.duckdb"
    assert run(["serve", "--db", str(missing)], monkeypatch) == 2
    assert f"no database at {missing}" in capsys.readouterr().err


def test_remembered_results_are_the_services(web_settings: Settings) -> None:
    with Service(web_settings) as plain, CachingService(web_settings) as cached:
        for actor in ("ARM", "EU", "ARM:GOV"):
            assert (rounded([r.as_dict() for r in cached.relations(actor=actor)])
                    == rounded([r.as_dict() for r in plain.relations(actor=actor)]))
        assert (rounded([a.as_dict() for a in cached.alerts(actor="RUS", days=180)])
                == rounded([a.as_dict() for a in plain.alerts(actor="RUS", days=180)]))
        first = cached.dyad("ARM", "AZE")
        assert cached.dyad("ARM", "AZE") is first
        cached.forget()
        assert cached.dyad("ARM", "AZE") is not first
