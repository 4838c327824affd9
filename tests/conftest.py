"""Shared fixtures: the real spaCy pipeline and coder, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from faultline.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Default settings, independent of the environment of whoever runs the tests."""
    return load_settings(environ={})


@pytest.fixture(scope="session")
def loaded_coder(settings: Settings):  # type: ignore[no-untyped-def]
    """The real pipeline coder (spaCy model, lexicon, gazetteer), loaded once."""
    from faultline.pipeline import Coder

    return Coder(settings)


@pytest.fixture
def coder(loaded_coder):  # type: ignore[no-untyped-def]
    """The loaded coder with an empty people registry, so no test learns from another."""
    from faultline.resolve.registry import Registry

    loaded_coder.registry = Registry()
    return loaded_coder
