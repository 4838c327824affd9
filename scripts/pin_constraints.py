"""Write constraints.txt: the exact version of everything faultline and its extras need.

    .venv/bin/python scripts/pin_constraints.py > constraints.txt

pyproject.toml declares ranges, so that faultline installs next to a user's own
libraries. `make demo`, `make test` and CI install from constraints.txt, so that
every run of them uses the same versions. This script walks the requirements of
pyproject.toml (the dependencies, every extra, the build system), and of each of
those, as installed in the running environment, and prints one `name==version`
a line: what the environment has, restricted to what faultline needs. To move to
newer versions, upgrade them in a virtual environment, run `make test` there and
run this script with its Python.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
#: The installer is pinned too: `make` upgrades it to this version first.
INSTALLER = "pip"


def canonical(name: str) -> str:
    """Return a distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_requirements(pyproject: dict) -> list[Requirement]:  # type: ignore[type-arg]
    """Return the build requirements, the dependencies and those of every extra."""
    project = pyproject["project"]
    lines = list(pyproject["build-system"]["requires"]) + list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    own = canonical(project["name"])
    return [r for r in map(Requirement, lines) if canonical(r.name) != own]


def pins(requirements: list[Requirement]) -> dict[str, str]:
    """Return {name: installed version} for the requirements and all they require."""
    found: dict[str, str] = {}
    todo = [(r, frozenset(r.extras)) for r in requirements]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement, extras = todo.pop()
        key = (canonical(requirement.name), extras)
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = importlib.metadata.distribution(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"{requirement.name} is not installed here: install faultline[dev] first")
        found[dist.metadata["Name"]] = dist.version
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(
                sub.marker.evaluate({"extra": extra}) for extra in extras | {""}
            ):
                todo.append((sub, frozenset(sub.extras)))
    return found


def main() -> None:
    with open(ROOT / "pyproject.toml", "rb") as f:
        pyproject = tomllib.load(f)
    found = pins(project_requirements(pyproject) + [Requirement(INSTALLER)])
    print("# Exact versions for `make demo`, `make test` and CI (pyproject.toml has the ranges).")
    print(f"# Written by scripts/pin_constraints.py with Python "
          f"{sys.version_info.major}.{sys.version_info.minor}.")
    for name in sorted(found, key=canonical):
        print(f"{name}=={found[name]}")


if __name__ == "__main__":
    main()
