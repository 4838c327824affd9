"""The web app's fixtures: a real database made by ingesting the bundled sample corpus
through the normal pipeline, once per session, and apps served over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from faultline.settings import Settings

#: The write token of the writable apps in the tests.
TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="session")
def token() -> str:
    """The write token of the writable apps in the tests."""
    return TOKEN


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """A database of the sample corpus (read by every app; never written)."""
    from faultline.pipeline import sample_corpus
    from faultline.service import Service

    db = tmp_path_factory.mktemp("web") / "sample.duckdb"
    with Service(settings.with_(db=db)) as service:
        report = service.ingest([str(sample_corpus())])
    assert report.new_events > 100
    return db


@pytest.fixture(scope="session")
def web_settings(settings: Settings, sample_db: Path) -> Settings:
    """Settings of a read-only server over the sample database."""
    return settings.with_(db=sample_db)


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[object]:
    """An in-process client of a read-only app over the sample database."""
    from fastapi.testclient import TestClient

    from faultline.web import create_app

    with TestClient(create_app(web_settings)) as test_client:
        yield test_client


@pytest.fixture
def writable_db(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample database that a test may write."""
    copy = tmp_path / "writable.duckdb"
    shutil.copyfile(sample_db, copy)
    return copy
