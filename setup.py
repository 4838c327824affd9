"""Build faultline, compiling the modules the coder spends its time in.

Everything about the package is declared in pyproject.toml; this file only adds
the compiled modules. The modules listed under [tool.faultline] `compiled` are
type-checked and compiled to C with mypyc (part of mypy) when the package is
built. They stay ordinary Python files: faultline runs them as Python wherever
their compiled form is missing, was made from another version of the source
(compiled.json records what was compiled), or is turned off with
FAULTLINE_PURE_PYTHON=1 (see faultline/native.py).

    FAULTLINE_COMPILE=0 pip install .     build without compiling
    python setup.py build_ext --inplace   compile next to the sources (`make setup`)

A build that cannot compile (no C compiler, no Python headers) says so in one
line and installs the pure-Python package.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tomllib
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
#: The shared library of the compiled modules: faultline/compiled__mypyc.*.so.
GROUP = "faultline.compiled"
#: Written next to the compiled modules: the digest of each source compiled
#: (faultline/native.py MANIFEST).
MANIFEST = "compiled.json"
DIGESTS: dict[str, str] = {}


def compiled_sources() -> list[str]:
    """Return the paths of the modules to compile, as pyproject.toml lists them."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["tool"]["faultline"]["compiled"])


class OptionalBuildExt(build_ext):
    """Compile the extensions if possible; otherwise leave the package pure Python."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any failure leaves the pure package
            print(f"faultline: not compiled ({exc}); the package runs as pure Python",
                  file=sys.stderr)
            return
        if self.extensions:
            # what was compiled, for faultline/native.py to tell an edited source
            package = ROOT / "faultline" if self.inplace else Path(self.build_lib) / "faultline"
            (package / MANIFEST).write_text(json.dumps(DIGESTS, indent=1, sort_keys=True),
                                            encoding="utf-8")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            raise RuntimeError(f"compiling {ext.name} failed: {exc}") from exc


def extensions() -> list[Extension]:
    if os.environ.get("FAULTLINE_COMPILE", "1") == "0":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("faultline: mypy is not installed; the package runs as pure Python",
              file=sys.stderr)
        return []
    sources = compiled_sources()
    # read at the moment mypyc reads them
    DIGESTS.update({
        Path(path).relative_to("faultline").as_posix():
            hashlib.sha256((ROOT / path).read_bytes()).hexdigest()
        for path in sources
    })
    try:
        # mypyc reads [tool.mypy] from pyproject.toml, as `make typecheck` does
        return list(mypycify(sources, group_name=GROUP, opt_level="3"))
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - type errors exit
        reason = "type errors above" if isinstance(exc, SystemExit) else str(exc)
        print(f"faultline: not compiled (mypyc: {reason}); the package runs as pure Python",
              file=sys.stderr)
        return []


setup(ext_modules=extensions(), cmdclass={"build_ext": OptionalBuildExt})
