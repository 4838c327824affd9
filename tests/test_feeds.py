"""Watching feeds: a news site on 127.0.0.1 (tests/feeds_server.py) serves feeds, a
sitemap, a JSON list and article pages, and pages that fail as real ones do; the real
pipeline, spaCy model and DuckDB store what `faultline watch` fetches."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import duckdb
import pytest
from feeds_server import ETAG, MODIFIED, Site, news_site
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st
from test_cli import run

from faultline.errors import FeedError, InputError, OptionError
from faultline.feeds import Round, read_sources
from faultline.feeds.fetch import Fetcher
from faultline.feeds.parse import page_document, read_listing
from faultline.feeds.sources import parse_interval
from faultline.service import Service
from faultline.settings import Settings
from faultline.store.feeds import Validators

#: The pages of the site whose text is stored, by the address the feeds give.
GOOD = {"/news/armenia-border.html", "/news/georgia-rail.html", "/news/moldova-envoy.html",
        "/news/kazakh-gas.html", "/news/finland-airspace.html",
        "/news/lithuania-balloons.html"}


@pytest.fixture
def site() -> Iterator[Site]:
    with news_site() as running:
        yield running


@pytest.fixture
def quick(settings: Settings, tmp_path: Path) -> Settings:
    """Settings for the test site: no pause between requests, a short timeout, a small
    size limit, and a database of the test's own."""
    return settings.with_(feed_delay=0.0, feed_timeout=1.0, feed_max_bytes=100_000,
                          db=tmp_path / "watch.duckdb")


def _rounds(settings: Settings, sources: Path, n: int) -> list[Round]:
    with Service(settings) as service:
        return list(islice(service.watch(sources, every="0.01", once=n == 1), n))


def _problems(found: Round) -> dict[str, str]:
    return {p.url.split("/", 3)[-1]: p.reason for p in found.problems}


# -- the sources file ---------------------------------------------------------------------

def test_read_sources_gives_urls_with_their_kinds_once_each(tmp_path: Path) -> None:
    path = tmp_path / "sources.txt"
    path.write_text("# my feeds\n\nhttps://a.example/rss\n  sitemap https://a.example/map.xml\n"
                    "JSON http://b.example/api\nhttps://a.example/rss\n", encoding="utf-8")
    found = read_sources(path)
    assert [(s.url, s.kind) for s in found] == [
        ("https://a.example/rss", "auto"), ("https://a.example/map.xml", "sitemap"),
        ("http://b.example/api", "json")]
    assert found[1].origin == f"{path}:4"


@pytest.mark.parametrize(("text", "says"), [
    ("ftp://a.example/feed\n", "sources.txt:1: not an http or https URL"),
    ("https://a.example/rss extra words\n", "give one URL a line"),
    ("https:///nohost\n", "no host"),
    ("# nothing but comments\n", "lists no feed"),
])
def test_read_sources_refuses_a_bad_file_with_its_line(tmp_path: Path, text: str,
                                                       says: str) -> None:
    path = tmp_path / "sources.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=says):
        read_sources(path)


def test_read_sources_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read sources file"):
        read_sources(tmp_path / "none.txt")


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("1h", 3600), ("90s", 90),
                                               ("2d", 172800), ("45", 45), (" 1.5M ", 90)])
def test_parse_interval_reads_units(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "soon", "15x", "infm", "nan"])
def test_parse_interval_refuses_what_is_no_time(text: str) -> None:
    with pytest.raises(OptionError, match="is not a time"):
        parse_interval(text)


# -- fetching and reading -----------------------------------------------------------------

def test_fetcher_sends_the_validators_back_and_reads_304_as_unchanged(
        site: Site, quick: Settings) -> None:
    with Fetcher(quick) as fetcher:
        first = fetcher.get(f"{site.base}/rss.xml")
        assert first is not None and first.validators == Validators(ETAG, MODIFIED)
        assert fetcher.get(f"{site.base}/rss.xml", first.validators) is None
    assert site.requests == [("/rss.xml", None, None, 200), ("/rss.xml", ETAG, MODIFIED, 304)]


def test_fetcher_follows_a_redirect_to_the_page(site: Site, quick: Settings) -> None:
    with Fetcher(quick) as fetcher:
        fetched = fetcher.get(f"{site.base}/old/moldova-envoy")
    assert fetched is not None and fetched.url == f"{site.base}/news/moldova-envoy.html"
    document = page_document(fetched)
    assert document.title == "Chisinau expels diplomat"
    assert document.text.startswith("Moldova expelled a Russian diplomat on Wednesday")


@pytest.mark.parametrize(("path", "says", "transient"), [
    ("/news/missing.html", "HTTP 404 Not Found", False),
    ("/news/huge.html", "cut off: more than the 100000 bytes the feed_max_bytes setting", False),
    ("/news/slow.html", "no answer within 1 s (setting feed_timeout)", True),
])
def test_fetcher_refuses_with_a_reason(site: Site, quick: Settings, path: str, says: str,
                                       transient: bool) -> None:
    with Fetcher(quick) as fetcher, pytest.raises(FeedError) as refused:
        fetcher.get(f"{site.base}{path}")
    assert str(refused.value).startswith(says)
    assert refused.value.transient is transient


def test_fetcher_refuses_a_body_larger_than_its_declared_length_allows(
        site: Site, quick: Settings) -> None:
    with Fetcher(quick.with_(feed_max_bytes=500)) as fetcher, pytest.raises(FeedError) as big:
        fetcher.get(f"{site.base}/news/armenia-border.html")
    assert str(big.value) == ("cut off: 822 bytes, more than the 500 bytes the feed_max_bytes "
                              "setting allows; not read further")


def test_fetcher_refuses_a_host_that_does_not_answer(quick: Settings) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with Fetcher(quick) as fetcher, pytest.raises(FeedError, match="cannot fetch") as refused:
        fetcher.get(f"http://127.0.0.1:{port}/rss.xml")
    assert refused.value.transient


def test_fetcher_pauses_between_two_requests_to_one_host(site: Site, quick: Settings) -> None:
    pauses: list[float] = []
    asked: list[str] = []
    with Fetcher(quick.with_(feed_delay=30.0), sleep=pauses.append,
                 on_fetch=asked.append) as fetcher:
        fetcher.get(f"{site.base}/sitemap.xml")
        assert pauses == []
        fetcher.get(f"{site.base}/latest.json")
    assert len(pauses) == 1 and 25 < pauses[0] <= 30
    assert asked == [f"{site.base}/sitemap.xml", f"{site.base}/latest.json"]


def test_fetcher_keeps_to_robots_txt_and_its_crawl_delay(site: Site, quick: Settings) -> None:
    site.robots += "Crawl-delay: 30\n"
    pauses: list[float] = []
    with Fetcher(quick, sleep=pauses.append) as fetcher:
        assert not fetcher.allowed(f"{site.base}/private/memo.html")
        assert fetcher.allowed(f"{site.base}/news/kazakh-gas.html")
        fetcher.get(f"{site.base}/news/kazakh-gas.html")
    assert site.statuses("/robots.txt") == [200]
    # feed_delay is 0, but the site asks for 30 s between two requests
    assert len(pauses) == 1 and 25 < pauses[0] <= 30


def test_page_document_refuses_what_is_not_html(site: Site, quick: Settings) -> None:
    with Fetcher(quick) as fetcher:
        fetched = fetcher.get(f"{site.base}/files/report.pdf")
    assert fetched is not None
    with pytest.raises(FeedError, match=r"not an HTML page \(application/pdf\)"):
        page_document(fetched)


def test_read_listing_reads_each_kind_of_source(site: Site, quick: Settings) -> None:
    with Fetcher(quick) as fetcher:
        listings = {path: read_listing(fetcher.get(f"{site.base}{path}"))  # type: ignore[arg-type]
                    for path in ("/rss.xml", "/atom.xml", "/sitemap.xml", "/latest.json")}
    rss = listings["/rss.xml"]
    assert rss.name == "Test Wire: Caucasus and Black Sea"
    # the relative link is made absolute against the feed's address
    assert rss.entries[1].url == f"{site.base}/news/georgia-rail.html"
    assert (rss.entries[0].title, rss.entries[0].date) == ("Border guards detain soldiers",
                                                           "2026-11-02")
    assert [e.url.rsplit("/", 1)[-1] for e in listings["/atom.xml"].entries] == [
        "kazakh-gas.html", "armenia-border.html", "slow.html"]
    assert listings["/sitemap.xml"].entries[0].date == "2026-11-06"
    # the JSON list's mailto link is no page to fetch
    [item] = listings["/latest.json"].entries
    assert item.url.endswith("/lithuania-balloons.html") and item.date.startswith("2026-11-07")


def test_read_listing_refuses_a_malformed_feed(site: Site, quick: Settings) -> None:
    with Fetcher(quick) as fetcher:
        fetched = fetcher.get(f"{site.base}/broken.xml")
    assert fetched is not None
    with pytest.raises(FeedError, match="malformed feed"):
        read_listing(fetched, "feed")


@pytest.mark.parametrize(("body", "kind", "says"), [
    (b"[" * 100_000, "json", "malformed JSON"),
    (b'{"items": 3}', "auto", "JSON without a list of articles"),
    (b"<urlset><url><loc>x", "sitemap", "malformed sitemap"),
    (b"<html><body>hello</body></html>", "sitemap", "not a sitemap"),
    (b"   ", "auto", "empty answer"),
])
def test_read_listing_refuses_bad_bodies(body: bytes, kind: str, says: str) -> None:
    from faultline.feeds.fetch import Fetched

    with pytest.raises(FeedError, match=says):
        read_listing(Fetched("http://a.example/x", "", None, body, Validators()), kind)


def test_read_listing_reads_a_gzipped_sitemap_and_refuses_a_broken_one() -> None:
    import gzip

    from faultline.feeds.fetch import Fetched

    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
               b"<loc>/news/a.html#comments</loc></url></urlset>")
    packed = Fetched("http://a.example/map.xml.gz", "application/gzip", None,
                     gzip.compress(sitemap), Validators())
    assert [e.url for e in read_listing(packed).entries] == ["http://a.example/news/a.html"]
    broken = Fetched("http://a.example/map.xml.gz", "", None, b"\x1f\x8b\x08junk",
                     Validators())
    with pytest.raises(FeedError, match="malformed gzip data"):
        read_listing(broken)


@given(body=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode),
       kind=st.sampled_from(["auto", "feed", "sitemap", "json"]))
@examples(max_examples=150, deadline=None)
def test_read_listing_raises_nothing_but_feed_errors(body: bytes, kind: str) -> None:
    from faultline.feeds.fetch import Fetched

    try:
        listing = read_listing(Fetched("http://a.example/x", "", None, body, Validators()),
                               kind)
    except FeedError as exc:
        assert str(exc).strip()
    else:
        assert all(e.url.startswith(("http://", "https://")) for e in listing.entries)


# -- rounds -------------------------------------------------------------------------------

def test_watch_stores_the_good_pages_and_skips_each_bad_one_with_its_reason(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    [found] = _rounds(quick, site.sources_file(tmp_path), 1)
    assert found.new_documents == len(GOOD) and found.pages == len(GOOD)
    problems = _problems(found)
    assert problems.pop("broken.xml").startswith("malformed feed: ")
    assert problems == {
        "nowhere.xml": "HTTP 404 Not Found",
        "news/missing.html": "HTTP 404 Not Found",
        "news/huge.html": "cut off: more than the 100000 bytes the feed_max_bytes setting "
                          "allows; not read further",
        "files/report.pdf": "not an HTML page (application/pdf)",
        "private/memo.html": "its site's robots.txt does not allow fetching it",
        "news/slow.html": "no answer within 1 s (setting feed_timeout)",
    }
    assert [p.transient for p in found.problems if p.url.endswith("slow.html")] == [True]
    with duckdb.connect(str(quick.db), read_only=True) as con:
        urls = {row[0].removeprefix(site.base) for row in
                con.execute("SELECT url FROM documents").fetchall()}
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    # the redirected page is stored under the address it came from
    assert urls == GOOD
    assert events == len(found.events) and events >= len(GOOD)
    pairs = {(e["source"][0]["code"], e["target"][0]["code"], e["event"]) for e in found.events
             if e["source"] and e["target"]}
    assert ("ARM", "AZE", "COERCE") in pairs and ("MDA", "RUS", "SANCTION") in pairs
    # the article's page wins over the feed for the date and title
    moldova = [e for e in found.events if e["doc_title"] == "Chisinau expels diplomat"]
    assert moldova and all(e["date"] == "2026-11-04" for e in moldova)


def test_watch_second_round_asks_conditionally_and_stores_nothing_twice(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    first, second = _rounds(quick, site.sources_file(tmp_path), 2)
    assert first.new_documents == len(GOOD)
    # unchanged feeds answer 304; the Atom feed, whose slow page failed for a while,
    # is read again without validators, and only that page is fetched again
    assert site.statuses("/rss.xml") == [200, 304]
    assert site.statuses("/sitemap.xml") == [200, 304]
    assert site.statuses("/latest.json") == [200, 304]
    assert site.statuses("/atom.xml") == [200, 200]
    second_rss = [r for r in site.requests if r[0] == "/rss.xml"][1]
    assert second_rss[1:3] == (ETAG, MODIFIED)
    assert second.unchanged == 3 and second.new_documents == 0 and second.events == []
    assert site.statuses("/news/armenia-border.html") == [200]
    assert site.statuses("/news/missing.html") == [404]
    assert site.statuses("/private/memo.html") == []  # robots.txt says no
    assert site.statuses("/robots.txt") == [200]  # asked once a watch
    assert len(site.statuses("/news/slow.html")) == 2
    assert second.already_seen == 2  # the Atom feed's two pages read in round 1
    assert set(_problems(second)) == {"broken.xml", "nowhere.xml", "news/slow.html"}
    with duckdb.connect(str(quick.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(len(GOOD),)]


def test_watch_remembers_validators_in_the_database_between_runs(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    sources = site.sources_file(tmp_path)
    _rounds(quick, sources, 1)
    [again] = _rounds(quick, sources, 1)  # a new process under cron: a new service
    assert site.statuses("/rss.xml") == [200, 304] and again.unchanged == 3
    assert again.new_documents == 0


def test_watch_skips_a_text_already_stored_under_another_address(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    page = (Path(__file__).parent / "fixtures" / "feeds" / "georgia-rail.html").read_bytes()
    (tmp_path / "copy.html").write_bytes(page)
    with Service(quick) as service:
        assert service.ingest([str(tmp_path / "copy.html")]).new_documents == 1
    sources = tmp_path / "one.txt"
    sources.write_text(f"sitemap {site.base}/sitemap.xml\n{site.base}/rss.xml\n",
                       encoding="utf-8")
    [found] = _rounds(quick, sources, 1)
    # the feed's three good pages and the sitemap's one, one of them stored before
    assert found.already_stored == 1 and found.new_documents == 3
    with duckdb.connect(str(quick.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(4,)]


def test_watch_keeps_pages_over_the_limit_for_the_next_round(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    sources = tmp_path / "rss.txt"
    sources.write_text(f"{site.base}/rss.xml\n", encoding="utf-8")
    first, second = _rounds(quick.with_(feed_max_pages=2), sources, 2)
    assert (first.pages, first.waiting) == (2, 5)
    # the feed keeps its old validators, so the next round reads it and goes on
    assert site.statuses("/rss.xml") == [200, 200]
    assert (second.already_seen, second.pages, second.waiting) == (2, 1, 3)
    assert second.new_documents == 1 and _problems(second) == {
        "news/missing.html": "HTTP 404 Not Found"}


# -- the command line ---------------------------------------------------------------------

@pytest.fixture
def quick_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"FEED_DELAY": "0", "FEED_TIMEOUT": "1",
                        "FEED_MAX_BYTES": "100000"}.items():
        monkeypatch.setenv(f"FAULTLINE_{name}", value)


@pytest.mark.usefixtures("quick_env")
def test_cli_watch_once_prints_events_and_skips_then_exits_0(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    sources, db = site.sources_file(tmp_path), tmp_path / "cli.duckdb"
    assert run(["watch", str(sources), "--once", "--db", str(db)], monkeypatch) == 0
    out, err = capsys.readouterr()
    assert "ARM->AZE COERCE" in out and "MDA->RUS SANCTION" in out
    assert f"skipped {site.base}/news/missing.html: HTTP 404 Not Found\n" in err
    assert f"skipped {site.base}/news/slow.html: no answer within 1 s (setting " \
           "feed_timeout) (tried again next round, 3 times at most)" in err
    assert "6 new pages read (0 seen before), 6 new documents (0 already stored)" in err
    assert "Traceback" not in out + err
    assert run(["watch", str(sources), "--once", "--db", str(db)], monkeypatch) == 0
    out, err = capsys.readouterr()
    assert out == "" and "(3 unchanged)" in err and "0 new documents" in err


@pytest.mark.usefixtures("quick_env")
def test_cli_watch_exits_1_when_no_source_answers(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "bad.txt"
    sources.write_text(f"{site.base}/nowhere.xml\n{site.base}/broken.xml\n", encoding="utf-8")
    assert run(["watch", str(sources), "--once", "--db", str(tmp_path / "x.duckdb")],
               monkeypatch) == 1
    err = capsys.readouterr().err
    assert "nowhere.xml: HTTP 404 Not Found" in err and "Traceback" not in err


@pytest.mark.parametrize(("args", "says"), [
    (["--every", "soon"], "interval 'soon' is not a time"),
    ([], "cannot read sources file"),
])
def test_cli_watch_refuses_bad_options_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], says: str) -> None:
    sources = tmp_path / "sources.txt"
    if args:
        sources.write_text("https://a.example/rss\n", encoding="utf-8")
    assert run(["watch", str(sources), "--once", "--db", str(tmp_path / "x.duckdb"), *args],
               monkeypatch) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.duckdb").exists()


def test_cli_watch_interrupted_exits_130_in_one_line(site: Site, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    sources = tmp_path / "atom.txt"
    sources.write_text(f"{site.base}/atom.xml\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "FAULTLINE_FEED_DELAY": "0",
           "FAULTLINE_FEED_TIMEOUT": "60"}
    watching = subprocess.Popen(
        [sys.executable, "-m", "faultline", "watch", str(sources), "--db",
         str(tmp_path / "w.duckdb")],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert site.slow_asked.wait(120), "the watch never asked for the slow page"
        watching.send_signal(signal.SIGINT)
        out, err = watching.communicate(timeout=120)
    finally:
        watching.kill()
    assert watching.returncode == 130
    assert err.splitlines() == [
        "faultline: interrupted (ingest keeps every batch it finished: run it again to go on)"]


@pytest.mark.usefixtures("quick_env")
def test_cli_watch_prints_the_alerts_new_events_raise(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "alerts.duckdb"
    history = tmp_path / "history.txt"
    history.write_text("Border commission meets\n2026-06-10\n\nArmenia and Azerbaijan signed "
                       "an agreement on the demarcation of their border on Wednesday.\n",
                       encoding="utf-8")
    assert run(["ingest", str(history), "--db", str(db)], monkeypatch) == 0
    sources = tmp_path / "rss.txt"
    sources.write_text(f"{site.base}/rss.xml\n", encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setenv("FAULTLINE_ALERT_THRESHOLD", "0.5")
    assert run(["watch", str(sources), "--once", "--db", str(db)], monkeypatch) == 0
    out = capsys.readouterr().out
    assert "ARM - AZE escalation" in out
    # the alert comes after the round's events, with the events that caused it
    lines = out.splitlines()
    alert = next(i for i, line in enumerate(lines) if line.startswith("ARM - AZE escalation"))
    assert any("ARM->AZE COERCE" in line for line in lines[:alert])
    assert any(line.startswith("  2026-11-02 ARM->AZE COERCE") for line in lines[alert:])


def test_watch_gives_a_database_made_before_feeds_its_tables(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes((Path(__file__).parent / "fixtures" / "feeds" / "kazakh-gas.html")
                     .read_bytes())
    with Service(quick) as service:
        service.ingest([str(page)])
    with duckdb.connect(str(quick.db)) as con:
        con.execute("DROP TABLE feed_sources")
        con.execute("DROP TABLE feed_pages")
    sources = tmp_path / "sitemap.txt"
    sources.write_text(f"{site.base}/sitemap.xml\n", encoding="utf-8")
    first, second = _rounds(quick, sources, 2)
    assert first.new_documents == 1 and second.unchanged == 1
    with duckdb.connect(str(quick.db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM feed_pages").fetchall() == [(1,)]


def test_watch_gives_a_page_up_after_failing_max_tries_rounds(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    from faultline.feeds.watch import MAX_TRIES

    sources = tmp_path / "atom.txt"
    sources.write_text(f"{site.base}/atom.xml\n", encoding="utf-8")
    rounds = _rounds(quick, sources, MAX_TRIES + 2)
    assert len(site.statuses("/news/slow.html")) == MAX_TRIES
    assert [bool(r.problems) for r in rounds] == [True] * MAX_TRIES + [False, False]
    # the feed keeps its old validators while the page may still come, then answers 304
    assert site.statuses("/atom.xml") == [200] * (MAX_TRIES + 1) + [304]
    with duckdb.connect(str(quick.db), read_only=True) as con:
        assert con.execute("SELECT failures, reason FROM feed_pages WHERE url LIKE '%slow%'"
                           ).fetchall() == [(MAX_TRIES, "no answer within 1 s (setting "
                                                        "feed_timeout)")]


def test_watch_goes_on_when_another_process_keeps_the_database(
        site: Site, quick: Settings, tmp_path: Path) -> None:
    from test_store_concurrency import _held

    settings = quick.with_(lock_wait=0.2)
    sources = tmp_path / "sitemap.txt"
    sources.write_text(f"sitemap {site.base}/sitemap.xml\n", encoding="utf-8")
    with Service(settings) as service:
        rounds = service.watch(sources, every="0.01")
        assert next(rounds).new_documents == 1
        with _held(settings.db, "write"):
            busy = next(rounds)
        [problem] = busy.problems
        assert problem.url == str(settings.db) and problem.transient
        assert problem.reason.startswith(f"{settings.db} is in use by ")
        assert next(rounds).unchanged == 1
