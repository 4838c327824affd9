"""Compiled and pure-Python forms of the hot modules (faultline.native, setup.py)."""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from faultline import native

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _fingerprint(**env: str) -> dict:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "fingerprint.py")],
        capture_output=True, text=True, check=True, env={**os.environ, **env}, cwd=ROOT,
    )
    out: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return out


def _listed() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["tool"]["faultline"]["compiled"])


def test_compiled_and_pure_python_code_the_same() -> None:
    compiled = _fingerprint()
    pure = _fingerprint(FAULTLINE_PURE_PYTHON="1")
    assert pure["compiled"] is False
    if not native.compiled_files():
        pytest.skip("nothing is compiled here (built without a C compiler): one form only")
    assert compiled["compiled"] is True
    assert len(compiled["documents"]) > 350
    assert sum(len(d["events"]) for d in compiled["documents"]) > 500
    for i, (a, b) in enumerate(zip(compiled["documents"], pure["documents"], strict=True)):
        assert a == b, f"document {i} differs between compiled and pure Python"


def test_every_listed_module_is_compiled_when_any_is() -> None:
    built = {str(source.relative_to(ROOT)) for source, _ in native.compiled_files()}
    if not built:
        pytest.skip("nothing is compiled here (built without a C compiler)")
    assert built == set(_listed())
    assert native.running_compiled()
    assert not native.stale_sources()


def test_listed_modules_exist_and_are_not_packages() -> None:
    for path in _listed():
        assert (ROOT / path).is_file(), path
        assert not path.endswith("__init__.py"), path


def _package(tmp_path: Path, *, recorded: str | None) -> Path:
    """A package with one compiled module whose compiled.json records `recorded`."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "mod.py").write_text("X = 1\n")
    (package / "sub" / f"mod{SUFFIX}").write_bytes(b"\x7fELF")
    (package / f"shared__mypyc{SUFFIX}").write_bytes(b"\x7fELF")  # no source: not a module
    if recorded is not None:
        (package / native.MANIFEST).write_text(json.dumps({"sub/mod.py": recorded}))
    return package


def test_stale_sources_are_the_ones_not_compiled_as_they_are(tmp_path: Path) -> None:
    fresh = _package(tmp_path / "a", recorded=hashlib.sha256(b"X = 1\n").hexdigest())
    assert native.compiled_files(fresh) == [
        (fresh / "sub" / "mod.py", fresh / "sub" / f"mod{SUFFIX}")]
    assert native.stale_sources(fresh) == []
    # a file's time says nothing: an installed wheel dates every file by its installation
    os.utime(fresh / "sub" / f"mod{SUFFIX}", (1_000_000_000, 1_000_000_000))
    assert native.stale_sources(fresh) == []
    edited = _package(tmp_path / "b", recorded=hashlib.sha256(b"X = 2\n").hexdigest())
    assert native.stale_sources(edited) == [edited / "sub" / "mod.py"]
    unrecorded = _package(tmp_path / "c", recorded=None)
    assert native.stale_sources(unrecorded) == [unrecorded / "sub" / "mod.py"]


def test_pure_python_switch_imports_sources() -> None:
    code = ("import faultline, faultline.native as n; "
            "from faultline.extract import tree; from faultline.resolve import actors; "
            "print(faultline.NATIVE, tree.__file__.endswith('.py'), "
            "actors.__file__.endswith('.py'), n.running_compiled())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "FAULTLINE_PURE_PYTHON": "1"})
    assert out.stdout.split() == ["pure", "True", "True", "False"]
    assert out.stderr == ""
