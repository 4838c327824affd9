"""The REST API in process (httpx through Starlette's TestClient), on the sample corpus
ingested into a real DuckDB database: every endpoint, its filters, pages and formats,
the write token, the limits and the answers to bad parameters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from webtools import rounded

from faultline.service import Service
from faultline.settings import Settings
from faultline.web import create_app


def _sides(event: dict[str, Any]) -> set[str]:
    return {a["org"].upper() if a["org"] and a["code"] == "IGO" else a["code"]
            for a in event["source"] + event["target"]}


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


# -- what the database holds ----------------------------------------------------------


def test_stats_counts_what_the_service_counts(client: TestClient, web_settings: Settings
                                               ) -> None:
    stats = _get(client, "/api/v1/stats")
    with Service(web_settings) as service:
        summary = service.summary()
    assert stats["documents"] == summary.documents == 45
    assert stats["events"] == summary.events
    assert stats["first_date"] == summary.first_date and stats["last_date"] == summary.last_date
    assert [tuple(d) for d in stats["top_dyads"]] == [tuple(d) for d in summary.top_dyads]


def test_index_lists_the_endpoints_and_says_the_server_is_read_only(client: TestClient
                                                                     ) -> None:
    index = _get(client, "/api/v1")
    assert index["writable"] is False
    assert "/api/v1/events" in index["endpoints"]
    assert "/api/v1/alerts" in index["endpoints"]


# -- events: filters, pages, formats ------------------------------------------------------


def test_events_pages_walk_every_event_once_newest_first(client: TestClient) -> None:
    first = _get(client, "/api/v1/events", limit=40)
    total, seen, dates = first["total"], [], []
    page = first
    while True:
        seen += [e["id"] for e in page["events"]]
        dates += [e["date"] for e in page["events"]]
        if page["next"] is None:
            break
        assert page["next_url"].endswith(f"cursor={page['next']}")
        page = _get(client, "/api/v1/events", limit=40, cursor=page["next"])
    assert len(seen) == len(set(seen)) == total == _get(client, "/api/v1/stats")["events"]
    known = [d for d in dates if d is not None]
    assert known == sorted(known, reverse=True)


def test_events_pair_filter_keeps_events_between_the_two_either_way(client: TestClient
                                                                      ) -> None:
    page = _get(client, "/api/v1/events", pair="ARM,AZE", limit=200)
    assert page["total"] == len(page["events"]) > 20
    directions = set()
    for e in page["events"]:
        sources = {a["code"] for a in e["source"]}
        targets = {a["code"] for a in e["target"]}
        assert ("ARM" in sources and "AZE" in targets) or ("AZE" in sources and "ARM" in targets)
        directions.add("ARM" in sources)
    assert directions == {True, False}


@pytest.mark.parametrize(("params", "holds"), [
    ({"actor": "RUS"}, lambda e: "RUS" in _sides(e)),
    ({"actor": "ARM:GOV"}, lambda e: any(a["code"] == "ARM" and a["sector"] == "GOV"
                                         for a in e["source"] + e["target"])),
    ({"org": "eu"}, lambda e: any((a["org"] or "").lower() == "eu"
                                  for a in e["source"] + e["target"])),
    ({"type": "ASSAULT,coerce"}, lambda e: e["event"] in {"ASSAULT", "COERCE"}),
    ({"quad": "4"}, lambda e: e["quad_class"] == 4),
    ({"mode": "arrest"}, lambda e: e["mode"] == "arrest"),
    ({"context": "military"}, lambda e: "military" in e["context"]),
    ({"since": "2024-01-01", "until": "2024-06-30"},
     lambda e: "2024-01-01" <= e["date"] <= "2024-06-30"),
    ({"q": "ceasefire"}, lambda e: "ceasefire" in e["text"].lower()),
    ({"q": "Russian peacekeepers"},
     lambda e: "russian" in e["text"].lower() and "peacekeepers" in e["text"].lower()),
    ({"place": "Yekaterinburg"}, lambda e: e["location"]["name"] == "Yekaterinburg"),
    ({"place": "AZE"}, lambda e: e["location"]["country"] == "AZE"),
    # around Armenia and Azerbaijan
    ({"bbox": "43,38,51,42"}, lambda e: 38 <= e["location"]["lat"] <= 42
     and 43 <= e["location"]["lon"] <= 51),
])
def test_events_filters_keep_only_matching_events(client: TestClient, params: dict[str, str],
                                                   holds: Any) -> None:
    page = _get(client, "/api/v1/events", limit=500, **params)
    assert page["events"], f"the sample corpus has events for {params}"
    assert page["total"] == len(page["events"])
    assert all(holds(e) for e in page["events"])
    everything = _get(client, "/api/v1/events", limit=500)["total"]
    assert page["total"] < everything


def test_events_of_one_document_come_with_its_title_and_cluster(client: TestClient) -> None:
    some = _get(client, "/api/v1/events", limit=1)["events"][0]
    page = _get(client, "/api/v1/events", doc=some["doc_id"], limit=100)
    assert {e["doc_id"] for e in page["events"]} == {some["doc_id"]}
    assert all(e["doc_title"] == some["doc_title"] and e["cluster_id"] for e in page["events"])


@pytest.mark.parametrize("sort", ["intensity", "-intensity", "confidence", "-confidence",
                                  "date"])
def test_events_sort_orders_every_page(client: TestClient, sort: str) -> None:
    column = sort.lstrip("-")
    values: list[Any] = []
    page = _get(client, "/api/v1/events", sort=sort, limit=70)
    while True:
        values += [e[column] for e in page["events"] if e[column] is not None]
        if not page["next"]:
            break
        page = _get(client, "/api/v1/events", sort=sort, limit=70, cursor=page["next"])
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_events_formats_serve_the_same_page(client: TestClient) -> None:
    params = {"pair": "ARM,AZE", "limit": 7, "sort": "date"}
    page = _get(client, "/api/v1/events", **params)
    ids = [e["id"] for e in page["events"]]

    plover = client.get("/api/v1/events", params={**params, "format": "plover"})
    assert plover.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line)["id"] for line in plover.text.splitlines()] == ids
    assert plover.headers["x-total-count"] == str(page["total"])
    assert 'rel="next"' in plover.headers["link"] and page["next"] in plover.headers["link"]

    flat = client.get("/api/v1/events", params={**params, "format": "csv"})
    assert flat.headers["content-type"].startswith("text/csv")
    assert [row["id"] for row in csv.DictReader(io.StringIO(flat.text))] == ids

    cameo = client.get("/api/v1/events", params={**params, "format": "cameo"})
    rows = list(csv.DictReader(io.StringIO(cameo.text), delimiter="\t"))
    assert [row["GLOBALEVENTID"] for row in rows] == ids
    first = page["events"][0]
    assert rows[0]["EventRootCode"] == first["cameo"]
    assert rows[0]["QuadClass"] == str(first["quad_class"])
    assert rows[0]["SQLDATE"] == first["date"].replace("-", "")
    assert rows[0]["PloverEvent"] == first["event"]
    assert {rows[0]["Actor1CountryCode"], rows[0]["Actor2CountryCode"]} == {"ARM", "AZE"}

    parquet = client.get("/api/v1/events", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.column("id").to_pylist() == ids
    assert 'filename="events.parquet"' in parquet.headers["content-disposition"]


# -- bad parameters: 422 problems, never 500 ----------------------------------------------


@pytest.mark.parametrize(("path", "params", "says"), [
    ("/api/v1/events", {"type": "BOMBARD"}, "unknown event type 'BOMBARD'"),
    ("/api/v1/events", {"quad": "7"}, "quad class '7'"),
    ("/api/v1/events", {"since": "2023-13-01"}, "is not a date"),
    ("/api/v1/events", {"since": "2024-02-01", "until": "2024-01-01"}, "after until"),
    ("/api/v1/events", {"limit": "0"}, "limit"),
    ("/api/v1/events", {"limit": "lots"}, "limit"),
    ("/api/v1/events", {"cursor": "not-a-cursor"}, "start again without a cursor"),
    ("/api/v1/events", {"sort": "loudness"}, "unknown sort"),
    ("/api/v1/events", {"format": "xlsx"}, "unknown format"),
    ("/api/v1/events", {"pair": "ARM"}, "not two actors"),
    ("/api/v1/events", {"actor": "x y"}, "is not a code"),
    ("/api/v1/events", {"bbox": "1,2,3"}, "west,south,east,north"),
    ("/api/v1/events", {"bbox": "50,40,40,45"}, "west <= east"),
    ("/api/v1/events", {"context": "astrology"}, "unknown context"),
    ("/api/v1/dyads/ARM/AZE", {"by": "decade"}, "unknown period"),
    ("/api/v1/relations", {"since": "yesterday"}, "is not a date"),
    ("/api/v1/triads", {"by": "century"}, "unknown period"),
    ("/api/v1/alerts", {"days": "0"}, "days"),
    ("/api/v1/chains", {"pair": "ARM,AZE,RUS"}, "not two actors"),
])
def test_bad_parameters_are_422_problems_that_say_what_to_give(
        client: TestClient, path: str, params: dict[str, str], says: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Invalid parameter"
    assert says in problem["detail"]


def test_a_cursor_of_another_sort_order_is_refused(client: TestClient) -> None:
    cursor = _get(client, "/api/v1/events", limit=2, sort="date")["next"]
    response = client.get("/api/v1/events", params={"cursor": cursor, "sort": "-intensity"})
    assert response.status_code == 422
    assert "sort=-intensity" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/documents/no-such-document",
                                  "/api/v1/clusters/no-such-cluster", "/api/v1/nothing-here"])
def test_what_is_not_there_is_a_404_problem(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


# -- documents, actors --------------------------------------------------------------------


def test_document_marks_its_event_words_actors_and_dates(client: TestClient) -> None:
    listing = _get(client, "/api/v1/documents", q="Tavush")
    assert listing["total"] == 1
    doc = _get(client, f"/api/v1/documents/{listing['documents'][0]['doc_id']}")
    text = doc["text"]
    assert doc["title"] == listing["documents"][0]["title"]
    kinds = {m["kind"] for m in doc["marks"]}
    assert {"sentence", "event", "source", "target", "date"} <= kinds
    for mark in doc["marks"]:
        assert 0 <= mark["start"] < mark["end"] <= len(text)
    events = {e["id"]: e for e in doc["events"]}
    for mark in doc["marks"]:
        if mark["kind"] == "event":
            assert text[mark["start"]:mark["end"]] in events[mark["ref"]]["eventText"].split()
        if mark["kind"] == "sentence":
            assert text[mark["start"]:mark["end"]] == events[mark["ref"]]["text"]
    assert any(text[m["start"]:m["end"]] == "Friday" for m in doc["marks"]
               if m["kind"] == "date")


def test_document_says_what_was_set_aside_and_why(client: TestClient) -> None:
    listing = _get(client, "/api/v1/documents", q="avoid a new war")
    doc = _get(client, f"/api/v1/documents/{listing['documents'][0]['doc_id']}")
    reasons = {(s["event_text"], s["reason"]) for s in doc["set_aside"]}
    assert ("war", "negated") in reasons
    assert doc["set_aside_coder"].startswith("coder-")
    assert any(m["kind"] == "set_aside" and "negated" in m["label"] for m in doc["marks"])
    without = _get(client, f"/api/v1/documents/{doc['doc_id']}", set_aside="false")
    assert without["set_aside"] is None


def test_actor_by_code_name_and_person(client: TestClient) -> None:
    arm = _get(client, "/api/v1/actors/ARM")
    assert arm["key"] == "ARM"
    assert arm["summary"]["as_source"] > 10 and arm["summary"]["as_target"] > 10
    assert {tuple(r["actors"]) for r in arm["relations"]} >= {("ARM", "AZE"), ("ARM", "RUS")}
    assert _get(client, "/api/v1/actors/Armenia")["key"] == "ARM"
    person = _get(client, "/api/v1/actors/Pashinyan")
    assert person["key"] is None
    assert any("Prime Minister 2018-05-08 to now" in line for line in person["explanation"])
    assert person["people"][0]["name"] == "Nikol Pashinyan"
    eu = _get(client, "/api/v1/actors/EU")
    assert eu["key"] == "EU" and eu["summary"]["as_source"] > 0


# -- analyses -------------------------------------------------------------------------------


def test_relations_pages_and_filters_match_the_service(client: TestClient,
                                                       web_settings: Settings) -> None:
    with Service(web_settings) as service:
        expected = [r.as_dict() for r in service.relations(evidence=2)]
        with_rus = service.relations(actor="RUS", evidence=0)
    first = _get(client, "/api/v1/relations", evidence=2, limit=5)
    second = _get(client, "/api/v1/relations", evidence=2, limit=5, offset=5)
    assert first["total"] == len(expected)
    assert rounded(expected[:10]) == rounded(first["relations"] + second["relations"])
    rus = _get(client, "/api/v1/relations", actor="RUS", evidence=0, limit=1000)
    assert [tuple(r["actors"]) for r in rus["relations"]] == [r.actors for r in with_rus]
    assert all("RUS" in r["actors"] and r["evidence"] == [] for r in rus["relations"])


def test_dyad_by_year_matches_the_service(client: TestClient, web_settings: Settings) -> None:
    dyad = _get(client, "/api/v1/dyads/ARM/AZE", by="year")
    with Service(web_settings) as service:
        expected = [p.as_dict() for p in service.dyad("ARM", "AZE", by="year")]
    assert rounded(dyad["periods"]) == rounded(expected)
    assert {p["period"][:4] for p in dyad["periods"]} >= {"2020", "2023"}


def test_chains_triads_dependencies_clusters(client: TestClient) -> None:
    chains = _get(client, "/api/v1/chains", pair="AZE,RUS")
    assert chains["total"] >= 1
    assert all(set(c["actors"]) == {"AZE", "RUS"} for c in chains["chains"])
    triads = _get(client, "/api/v1/triads", actor="RUS")
    kinds = {tuple(t["actors"]): t["kind"] for t in triads["triads"]}
    assert kinds[("ARM", "AZE", "RUS")] == "shared_enemy_without_reconciliation"
    deps = _get(client, "/api/v1/dependencies", actor="ARM")["dependencies"]
    assert any(d["supplier"] == "RUS" and d["dependent"] == "ARM" and d["good"] == "gas"
               for d in deps)
    repeated = _get(client, "/api/v1/clusters", min_mentions=1, limit=3)["clusters"]
    one = _get(client, f"/api/v1/clusters/{repeated[0]['cluster_id']}")
    assert one["cluster_id"] == repeated[0]["cluster_id"] and one["mentions"]


def test_alerts_find_the_escalation_between_azerbaijan_and_russia(client: TestClient) -> None:
    found = _get(client, "/api/v1/alerts", days=180)["alerts"]
    assert [(tuple(a["actors"]), a["kind"]) for a in found] == [(("AZE", "RUS"), "escalation")]
    alert = found[0]
    assert alert["z"] <= -2 and alert["events"] >= 2 and alert["history_windows"] >= 3
    # the latest window ends on the last day an event of the database is dated
    assert alert["window_end"] == _get(client, "/api/v1/stats")["last_date"]
    assert alert["evidence"][0]["event"] == "ASSAULT"
    assert all({"AZE", "RUS"} <= _sides(e) for e in alert["evidence"])
    # thirty-day windows: nothing in the last one breaks with the past
    assert _get(client, "/api/v1/alerts")["alerts"] == []
    assert _get(client, "/api/v1/alerts", days=180, actor="ARM")["alerts"] == []


# -- writing: the token, the limits ----------------------------------------------------------

ARTICLE = {"title": "Border talks", "date": "2025-11-03", "url": "https://example.org/a",
           "text": "Armenia and Azerbaijan signed a border agreement in Tbilisi on Monday. "
                   "Russia condemned the agreement."}


def test_a_server_without_a_token_takes_no_writes(client: TestClient, token: str) -> None:
    response = client.post("/api/v1/documents", json=ARTICLE,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "takes no uploads" in response.json()["detail"]


@pytest.fixture
def writer(web_settings: Settings, writable_db: Path, token: str) -> Any:
    """A client of an app with a write token over a copy of the sample database."""
    with TestClient(create_app(web_settings.with_(db=writable_db, token=token))) as c:
        yield c


def test_writes_need_the_right_token_and_are_stored(writer: TestClient, token: str) -> None:
    before = writer.get("/api/v1/stats").json()
    none = writer.post("/api/v1/documents", json=ARTICLE)
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    wrong = writer.post("/api/v1/documents", json=ARTICLE,
                        headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403 and wrong.json()["title"] == "Wrong token"
    assert writer.get("/api/v1/stats").json()["documents"] == before["documents"]

    right = writer.post("/api/v1/documents", json=ARTICLE,
                        headers={"Authorization": f"Bearer {token}"})
    assert right.status_code == 201, right.text
    stored = right.json()
    assert stored["new_documents"] == 1 and stored["new_events"] >= 2
    assert right.headers["location"] == f"/api/v1/documents/{stored['doc_ids'][0]}"
    after = writer.get("/api/v1/stats").json()
    assert after["documents"] == before["documents"] + 1
    assert after["events"] == before["events"] + stored["new_events"]
    doc = writer.get(right.headers["location"], params={"set_aside": "false"}).json()
    assert doc["title"] == "Border talks" and doc["url"] == ARTICLE["url"]
    assert {e["event"] for e in doc["events"]} >= {"AGREE", "ACCUSE"}
    # the same text again adds nothing
    again = writer.post("/api/v1/documents", json=[ARTICLE],
                        headers={"Authorization": f"Bearer {token}"}).json()
    assert again["new_documents"] == 0 and again["already_stored"] == 1


def test_json_lines_upload_reports_what_it_skipped(writer: TestClient, token: str) -> None:
    lines = "\n".join(json.dumps(r) for r in [
        {"id": "kz-1", "text": "Kazakhstan hosted talks between Armenia and Azerbaijan.",
         "date": "2025-11-04"},
        {"id": "empty-1", "text": "   \n "},
    ])
    response = writer.post("/api/v1/documents", content=lines.encode(),
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/x-ndjson"})
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["doc_ids"] == ["kz-1"] and stored["new_documents"] == 1
    assert [s["record"] for s in stored["skipped"]] == ["line 2"]
    assert "upload.jsonl" not in json.dumps(stored)


def test_uploaded_markup_is_shown_as_text_on_the_dashboard(writer: TestClient,
                                                          token: str) -> None:
    # the readers drop real tags from a title; what is left of markup is shown as text
    hostile = {"title": "<script>alert(1)</script> Talks <5% & more",
               "url": "javascript:alert(1)",
               "text": "Armenia accused Azerbaijan of shelling border villages on Monday.",
               "date": "2025-11-05"}
    stored = writer.post("/api/v1/documents", json=hostile,
                         headers={"Authorization": f"Bearer {token}"}).json()
    page = writer.get(f"/documents/{stored['doc_ids'][0]}", params={"set_aside": "false"})
    assert page.status_code == 200
    assert "<h1>Talks &lt;5% &amp; more</h1>" in page.text
    assert "<script>alert(1)" not in page.text and "javascript:" not in page.text


@pytest.mark.parametrize(("body", "content_type", "status", "says"), [
    (b"{not json", "application/json", 422, "not JSON"),
    (b'{"title": "no text"}', "application/json", 422, "has no text"),
    (b'{"text": "Armenia protested.", "date": "2025-02-30"}', "application/json", 422,
     "is not a date"),
    (b'{"text": "Armenia protested.", "url": 7}', "application/json", 422,
     "url must be a string"),
    (b"[]", "application/json", 422, "no documents given"),
])
def test_bad_uploads_are_refused_with_a_reason(writer: TestClient, token: str, body: bytes,
                                               content_type: str, status: int,
                                               says: str) -> None:
    response = writer.post("/api/v1/documents", content=body,
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": content_type})
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]


def test_a_body_over_max_bytes_is_413(web_settings: Settings, writable_db: Path,
                                      token: str) -> None:
    settings = web_settings.with_(db=writable_db, token=token, max_bytes=200)
    with TestClient(create_app(settings)) as small:
        response = small.post("/api/v1/documents", json={**ARTICLE, "text": "word " * 100},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413
    assert "at most 200" in response.json()["detail"]


# -- schema, docs, offline ---------------------------------------------------------------


def test_openapi_schema_describes_every_endpoint(client: TestClient) -> None:
    schema = _get(client, "/openapi.json")
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/events", "/api/v1/documents/{doc_id}", "/api/v1/actors/{actor}",
            "/api/v1/relations", "/api/v1/dyads/{a}/{b}", "/api/v1/chains", "/api/v1/triads",
            "/api/v1/dependencies", "/api/v1/clusters/{cluster_id}", "/api/v1/stats",
            "/api/v1/alerts", "/api/v1/documents"} <= paths
    assert "post" in schema["paths"]["/api/v1/documents"]
    assert not any(p.startswith("/pair") for p in paths), "the dashboard is not in the API"


def test_docs_page_loads_only_the_apps_own_scripts(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
