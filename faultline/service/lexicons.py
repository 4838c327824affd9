"""Checking users' lexicon files, event and dependency lexicons alike."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from faultline.errors import InputError
from faultline.service.results import LexiconCheck


def check_lexicons(files: Sequence[Path]) -> LexiconCheck:
    """Return every problem in these lexicon files (each file's kind is read from its
    content) and how many entries they hold; InputError when a file cannot be read."""
    from faultline.coder.lexicon import _read_yaml, check_texts
    from faultline.dependencies.lexicon import (
        check_dependency_texts,
        is_dependency_lexicon,
        read_dependency_texts,
    )
    from faultline.errors import LexiconError

    texts: list[tuple[str, str]] = []
    dependency_texts: list[tuple[str, str]] = []
    for path in files:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        try:
            own = is_dependency_lexicon(_read_yaml(text, str(path)))
        except LexiconError:
            own = False  # check_texts reports the YAML error with its line
        (dependency_texts if own else texts).append((str(path), text))
    entries, _, problems = check_texts(texts)
    n_entries = len(entries)
    if dependency_texts:
        # a user's file is read after the bundled one, whose goods it may use
        bundled = read_dependency_texts()
        parts, more = check_dependency_texts([*bundled, *dependency_texts])
        problems.extend(more)
        names = {name for name, _ in dependency_texts}
        n_entries += sum(1 for p in parts.patterns if p.rule.rsplit(":", 2)[0] in names)
    return LexiconCheck(files=len(files), entries=n_entries,
                        problems=[str(problem) for problem in problems])
