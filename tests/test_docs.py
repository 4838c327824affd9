"""Every setting and every command is documented in the README."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
import typer.main

from faultline.cli import app
from faultline.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            names.extend(f"{name} {sub}" for sub in subcommands)
        else:
            names.append(name)
    return sorted(names)


@pytest.mark.parametrize("setting", [f.name for f in fields(Settings)])
def test_docs_describe_every_setting(setting: str) -> None:
    assert f"| `{setting}` |" in README


@pytest.mark.parametrize("command", _commands())
def test_docs_describe_every_command(command: str) -> None:
    assert f"faultline {command}" in README


def test_readme_opens_with_the_two_commands() -> None:
    head = README.split("\n## ")[0]
    assert "make demo" in head and "make test" in head
