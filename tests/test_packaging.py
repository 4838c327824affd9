"""The package as users get it: a plain-Python wheel that works without the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "faultline"
#: What a source checkout gives the build besides the package itself.
BUILD_FILES = ["pyproject.toml", "README.md", "LICENSE"]

CODE_A_SENTENCE = """
import json, faultline
events = faultline.code_text("Azerbaijan expelled two Russian diplomats.", date="2025-07-01")
print(json.dumps({"package": faultline.__file__,
                  "events": [[e.event, e.source[0].code, e.target[0].code, e.date]
                             for e in events]}))
"""


def _package_files() -> set[str]:
    """Return the path of every file of the package's source, as a wheel names them."""
    return {path.relative_to(ROOT).as_posix() for path in PACKAGE.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the checkout's sources, as `pip install .` does."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_FILES:
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "faultline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--no-build-isolation", "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True, text=True,
    )
    [built] = out.glob("*.whl")
    return built


def test_wheel_is_plain_python_with_every_file_of_the_package(wheel: Path) -> None:
    assert wheel.name.endswith("-py3-none-any.whl"), "one wheel for every platform: no C"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {n for n in names if n.startswith("faultline/")} == _package_files()
    for data in ["faultline/data/lexicon/verbs.yaml", "faultline/data/actors/countries.csv",
                 "faultline/data/places/places.csv", "faultline/store/schema.sql",
                 "faultline/report/template.html"]:
        assert data in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.endswith((".so", ".pyd", ".c")) for n in names)


def test_unpacked_wheel_codes_a_sentence_outside_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # only the unpacked wheel on the path: nothing of the checkout can be found
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", CODE_A_SENTENCE], cwd=elsewhere, env=env,
                            capture_output=True, text=True, check=True)
    out = json.loads(result.stdout)
    assert Path(out["package"]).resolve() == (site / "faultline" / "__init__.py").resolve()
    assert out["events"] == [["SANCTION", "AZE", "RUS", "2025-07-01"]]


@pytest.mark.parametrize("command", [
    ["-m", "faultline", "--help"],
    ["-c", "import faultline.coder.lexicon"],
    ["-c", "import faultline"],
])
def test_starting_up_does_not_load_spacy(command: list[str]) -> None:
    # spaCy takes seconds to import: only the commands that parse text load it
    result = subprocess.run([sys.executable, "-X", "importtime", *command], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "faultline" in imported
    assert not {m for m in imported if m.split(".")[0] in {"spacy", "thinc"}}
