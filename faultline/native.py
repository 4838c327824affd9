"""Compiled or pure Python: which form of faultline's hot modules runs.

The modules the coder spends its time in (pyproject.toml, [tool.faultline]
`compiled`) are compiled with mypyc when the package is built (setup.py). A
compiled module is an extension file next to its source, and Python imports it
in preference to the source. That is wrong in two cases, and then every
faultline module is imported from its source instead:

- FAULTLINE_PURE_PYTHON=1 is set: to debug, profile or compare with Python;
- a source file is not the one that was compiled (the build records a digest of
  each in compiled.json): it was edited or checked out after the build, and the
  compiled code would silently run the old version. One line on standard error
  says so; `make setup` compiles again.

It is all or nothing: compiled modules call each other directly and share
their classes, so a mix of old compiled and new source modules cannot work.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
ENV_PURE = "FAULTLINE_PURE_PYTHON"
#: Written by the build (setup.py) next to the compiled modules: the digest of each
#: source as it was compiled, by its path inside the package ("coder/coder.py").
MANIFEST = "compiled.json"


def compiled_files(package: Path = PACKAGE) -> list[tuple[Path, Path]]:
    """Return (source, compiled file) for every module of the package built as an extension."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    pairs = []
    # one walk, run at every start: the data folders hold no code
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = [d for d in subfolders if d not in {"data", "__pycache__"}]
        names = set(files)
        for name in files:
            if name.endswith(suffixes):
                module = name.split(".", 1)[0]
                if f"{module}.py" in names:
                    pairs.append((Path(folder, f"{module}.py"), Path(folder, name)))
    return sorted(pairs)


def source_digest(source: Path) -> str:
    """Return the digest the build records for a source file."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


def stale_sources(package: Path = PACKAGE,
                  pairs: list[tuple[Path, Path]] | None = None) -> list[Path]:
    """Return the sources that are not what was compiled (all of them without a record).

    Digests, not times: an installed wheel dates every file by its installation.
    """
    try:
        compiled = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        compiled = {}
    return [source for source, _ in (compiled_files(package) if pairs is None else pairs)
            if compiled.get(source.relative_to(package).as_posix()) != source_digest(source)]


def running_compiled(module: ModuleType | None = None) -> bool:
    """Return whether a module (by default the coder) was imported in its compiled form."""
    if module is None:
        from faultline.coder import coder

        module = coder
    return not str(module.__file__).endswith(".py")


class _SourceFinder:
    """Finds faultline's modules as source files, passing over compiled ones."""

    def find_spec(self, name: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if not name.startswith(f"{__package__}.") or path is None:
            return None
        leaf = name.rpartition(".")[2]
        for folder in path:
            source = os.path.join(folder, f"{leaf}.py")
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(name, source)
        # packages and anything else: the usual finders
        return None


def choose(environ: Mapping[str, str] = os.environ) -> str:
    """Make the compiled modules run only if they are wanted and up to date.

    Called by faultline/__init__.py before any compiled module is imported.
    Returns "compiled", "pure" (no compiled modules, or FAULTLINE_PURE_PYTHON=1)
    or "stale".
    """
    pairs = compiled_files()
    if not pairs:
        return "pure"
    if environ.get(ENV_PURE, "") not in {"", "0"}:
        _use_sources()
        return "pure"
    stale = stale_sources(PACKAGE, pairs)
    if stale:
        _use_sources()
        names = ", ".join(str(p.relative_to(PACKAGE.parent)) for p in stale[:3])
        more = f" and {len(stale) - 3} more" if len(stale) > 3 else ""
        print(f"faultline: {names}{more} changed since compiled; running all modules as "
              "Python (`make setup` compiles them again)", file=sys.stderr)
        return "stale"
    return "compiled"


def _use_sources() -> None:
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder())
