"""Property tests against the API's own OpenAPI schema (schemathesis): requests generated
from every operation's parameters, valid and not, never make the server fail (500).

The schema is read from the app; each generated request is sent in process to an app
over the sample database: a read-only one, and for uploads one that takes them with a
token (the generated requests do not know it, so they are refused, never stored). The
examples per operation are bounded to keep the run short.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from faultline.settings import Settings
from faultline.web import create_app

#: Generated requests per operation (schemathesis adds its boundary cases).
EXAMPLES = 15

# The schema does not depend on the database: read it from an app over none.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings()))
read_only = schema.exclude(method="POST")
uploads = schema.include(method="POST")


def send(client: TestClient, case: Any) -> Any:
    """Send a generated request through an in-process client; return the response."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    body = {}
    for key in ("json", "files"):
        if kwargs.get(key) is not None:
            body[key] = kwargs[key]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        body["content"] = data
    elif data is not None:
        body["data"] = data
    headers = dict(kwargs.get("headers") or {})
    if kwargs.get("cookies"):
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in kwargs["cookies"].items())
    return client.request(kwargs["method"], kwargs["url"], params=kwargs.get("params"),
                          headers=headers, **body)


def _answers_without_failing(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"]


@pytest.fixture(scope="module")
def writer(web_settings: Settings, tmp_path_factory: pytest.TempPathFactory,
           sample_db: Path, token: str) -> Iterator[TestClient]:
    """A client of an app that takes uploads with a token, over a copy of the sample."""
    import shutil

    db = tmp_path_factory.mktemp("schema") / "writable.duckdb"
    shutil.copyfile(sample_db, db)
    with TestClient(create_app(web_settings.with_(db=db, token=token))) as client:
        yield client


@read_only.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_generated_request_makes_the_server_fail(case: Any, client: TestClient) -> None:
    _answers_without_failing(send(client, case))


@pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload")
@uploads.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_generated_upload_makes_a_writable_server_fail(case: Any,
                                                          writer: TestClient) -> None:
    response = send(writer, case)
    _answers_without_failing(response)
    # 405: schemathesis also tries the path with methods it does not take
    assert response.status_code in {401, 403, 405, 413, 422}
