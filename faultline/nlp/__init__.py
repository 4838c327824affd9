"""The nlp stage: load the spaCy pipeline once per process and parse in batches."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from faultline.errors import ModelError
from faultline.settings import MODEL_PACKAGES, Settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: Components the coder does not read; disabling them saves parse time.
UNUSED_COMPONENTS = ("ner",)

T = TypeVar("T")


def _model_path(name: str) -> str | Path:
    """Return what spacy.load needs for a model short name, package or path."""
    package = MODEL_PACKAGES.get(name, name)
    if Path(package).exists():
        return Path(package)
    try:
        module = importlib.import_module(package)
    except ImportError:
        hint = (
            "run `make model-md`"
            if package == MODEL_PACKAGES["en_core_web_md"]
            else "run `make setup` or pip install it"
        )
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (package {package!r}); {hint}, "
            f"or choose another with FAULTLINE_MODEL ({', '.join(MODEL_PACKAGES)})"
        ) from None
    # Re-packaged pipelines expose their data directory in one of two ways.
    if hasattr(module, "model_path"):
        return Path(module.model_path())
    return package


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """Return the spaCy pipeline for a model name, loaded once per process."""
    import spacy

    target = _model_path(model)
    try:
        nlp = spacy.load(target, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelError(f"cannot load spaCy pipeline {model!r}: {exc}") from None
    log.info("loaded spaCy pipeline %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


def parse(
    items: Iterable[tuple[str, T]], settings: Settings
) -> Iterator[tuple[Doc, T]]:
    """Parse (text, context) pairs in batches; yield (Doc, context) in input order."""
    nlp = load_pipeline(settings.model)
    parsed = nlp.pipe(
        items,
        as_tuples=True,
        batch_size=settings.batch_size,
        n_process=settings.processes,
    )
    # A batch is taken whole before the caller codes it: coding each document
    # while spaCy's per-document components are mid-batch made the whole run
    # 2-5 % slower, more on a busy machine (bench/bench_e2e.py).
    while batch := list(islice(parsed, settings.batch_size)):
        yield from batch
