"""The dashboard in a real browser: Playwright driving Debian's chromium against the app
served by uvicorn over the sample database, as a person would use it.

`make test` installs chromium when /usr/bin/chromium is missing (Playwright's own
browser download needs a network). Every page must load with no request to another
host and no script error. A screenshot of each page is kept in test-artifacts/.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from faultline.service import Service
from faultline.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
#: Chromium runs as root in CI: no sandbox; and nothing that would reach the network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def server(web_settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on a free port of this machine; yields its address."""
    import uvicorn

    from faultline.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(web_settings, warm_up=True), log_level="warning")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline, "the server did not start within 30 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"no chromium at {CHROMIUM}: install Debian's package (`make chromium`, "
                    "which `make test` runs)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """One browser page on the app, recording requests to other hosts and script errors."""

    def __init__(self, browser: Any, base: str) -> None:
        self.base = base
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text)
                     if msg.type == "error" else None)
        self.page.set_default_timeout(20_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlparse(url).netloc == urlparse(self.base).netloc or url.startswith("data:"):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort()

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        """Keep a screenshot of the page in test-artifacts/."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def check(self) -> None:
        assert self.elsewhere == [], "the dashboard must work without a network"
        assert self.errors == []


@pytest.fixture
def visit(browser: Any, server: str) -> Iterator[Visit]:
    opened = Visit(browser, server)
    yield opened
    opened.page.close()
    opened.check()


def test_overview_shows_the_network_the_alerts_and_the_busiest_pairs(
        visit: Visit, web_settings: Settings) -> None:
    with Service(web_settings) as service:
        events = service.summary().events
    page = visit.go("/?alert_days=180")
    page.wait_for_selector("#network[data-ready=true] .main-svg")
    # an actor circle and a line per relationship among the busiest actors
    assert page.locator("#network .scatterlayer .trace").count() > 10
    assert f"{events} events" in page.locator(".lead").inner_text()
    first_pair = page.locator("#pairs tbody tr").first.inner_text()
    assert first_pair.startswith("ARM – AZE")
    alert = page.locator(".alert.escalation").first
    assert "AZE – RUS" in alert.inner_text()
    assert alert.locator("mark.ev").count() >= 1
    visit.shot("overview")


def test_clicking_an_actor_in_the_network_opens_its_page(visit: Visit) -> None:
    page = visit.go("/")
    page.wait_for_selector("#network[data-ready=true] .main-svg")
    actors = page.locator("#network .scatterlayer .trace").last.locator("path.point")
    box = actors.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/actors/[A-Z_]+$"))
    assert page.locator("#relations tbody tr").count() >= 1
    visit.shot("actor-from-network")


def test_a_pair_shows_its_timeline_score_chains_and_evidence(
        visit: Visit, web_settings: Settings) -> None:
    with Service(web_settings) as service:
        [pair] = [r for r in service.relations(evidence=3) if r.actors == ("ARM", "AZE")]
    page = visit.go("/")
    page.locator("#pairs a.pair", has_text="ARM – AZE").click()
    page.wait_for_url(re.compile(r"/pair/ARM/AZE$"))
    page.wait_for_selector("#timeline[data-ready=true] .main-svg")
    assert page.locator("#timeline .barlayer .trace").count() == 4  # one per quad class
    assert "score" in page.locator("#score").inner_text()
    evidence = page.locator("#evidence li")
    assert evidence.count() == 3  # the relations views show the three that weigh most
    # the heaviest evidence first, as the service ranks it
    assert " ".join((pair.evidence[0].sentence or "").split())[:40] in evidence.first.inner_text()
    for k in range(3):  # each one's event words marked
        assert evidence.nth(k).locator("mark.ev").count() >= 1
    assert page.locator("table.events mark.ev").count() >= 5
    visit.shot("pair-ARM-AZE")


def test_evidence_opens_its_document_with_the_events_marked(visit: Visit) -> None:
    page = visit.go("/pair/ARM/AZE")
    page.locator("#evidence a.doc").first.click()
    page.wait_for_url(re.compile(r"/documents/\w+#e-\w+$"))
    text = page.locator("article#text")
    assert text.locator(".m-event").count() >= 1
    assert text.locator(".m-source").count() >= 1 and text.locator(".m-date").count() >= 1
    event_id = page.url.rsplit("#e-", 1)[1]
    assert page.locator(f"#e-{event_id}").count() == 1
    assert page.locator("#set-aside li").count() >= 1
    visit.shot("document")


def test_event_browser_filters_by_type_and_keeps_them_in_the_url(visit: Visit) -> None:
    page = visit.go("/events")
    everything = int(page.locator("h1 small").inner_text())
    page.select_option("#filters select[name=type]", "ASSAULT")
    page.fill("#filters input[name=pair]", "ARM,AZE")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"type=ASSAULT"))
    assert "pair=ARM%2CAZE" in page.url
    shown = int(page.locator("h1 small").inner_text())
    assert 0 < shown < everything
    types = page.locator("table.events tbody .type").all_inner_texts()
    assert types and set(types) == {"ASSAULT"}
    # the URL reproduces the view
    again = visit.go(urlparse(page.url).path + "?" + urlparse(page.url).query)
    assert int(again.locator("h1 small").inner_text()) == shown
    visit.shot("events-assault-ARM-AZE")


def test_time_slider_narrows_the_window(visit: Visit) -> None:
    page = visit.go("/")
    page.wait_for_selector("#slider:not([hidden])")
    page.locator("#from-month").evaluate(
        "el => { el.value = '48'; el.dispatchEvent(new Event('input')); "
        "el.dispatchEvent(new Event('change')); }")
    page.wait_for_url(re.compile(r"since=2024-09-01"))
    page.wait_for_selector("#network[data-ready=true] .main-svg")
    assert page.locator("input[name=since]").input_value() == "2024-09-01"
    pairs = page.locator("#pairs tbody tr").all_inner_texts()
    assert pairs and all(row.split("\t")[-1] >= "2024-09-01" for row in pairs)
    visit.shot("overview-since-2024-09")


def test_triangle_page_shows_the_armenia_azerbaijan_russia_triangle(visit: Visit) -> None:
    page = visit.go("/triads")
    page.locator("#triads a.triad", has_text="ARM, AZE, RUS").click()
    page.wait_for_url(re.compile(r"/triads/ARM/AZE/RUS$"))
    assert "shared enemy without reconciliation" in page.locator("#kind").inner_text()
    assert page.locator("table.pairs .neg").count() == 3
    visit.shot("triad-ARM-AZE-RUS")


def test_search_box_finds_an_actor_by_name_and_leads_to_its_page(visit: Visit) -> None:
    page = visit.go("/")
    page.fill("header input[name=q]", "Armenia")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Armenia"))
    page.locator("a.actor").click()
    page.wait_for_url(re.compile(r"/actors/ARM$"))
    assert "ARM – AZE" in page.locator("#relations").inner_text()
    visit.shot("actor-ARM")


def test_unknown_page_says_so(visit: Visit) -> None:
    page = visit.go("/documents/no-such-document")
    assert "no document 'no-such-document'" in page.locator("#problem").inner_text()
    # the browser reports the 404 itself in the console
    visit.errors = [e for e in visit.errors if "404" not in e]
