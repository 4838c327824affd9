"""Reader parity: one article in every input form gives the same events.

The article is written for this test. Each form carries it the way that
format usually does: a .txt with title and date lines (also hard-wrapped, with
Windows line ends and typographic spaces), an HTML page, JSON records whose
text holds inline markup and HTML entities, and standard input.
"""

from __future__ import annotations

import html
import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from faultline.ingest import read_inputs
from faultline.models import Document, Skip
from faultline.settings import Settings

TITLE = "Georgia and Turkey sign border deal as protests grow"
DATE = "2024-03-15"
PARAGRAPHS = [
    "Georgia and Turkey signed an agreement on trade & transit at the border in Ankara on "
    "Thursday, officials said. Georgia\u2019s prime minister praised the deal as a step toward "
    "closer ties.",
    "Hundreds of protesters gathered outside the parliament in Tbilisi on Wednesday and accused "
    "the government of betraying local farmers. Police arrested 12 demonstrators, the interior "
    "ministry said.",
    "Russia criticised the agreement on Friday. The Kremlin said it would review its rules for "
    "Georgian goods, which make up <5% of its imports.",
]
TEXT = "\n\n".join(PARAGRAPHS)
#: The body as a JSON field often carries it: paragraphs in <p>, inline tags, entities.
MARKED_UP = (
    "<p><u>Georgia and Turkey</u> signed an agreement on <b>trade &amp; transit</b> at the "
    "border in <a href=\"https://example.org/ankara\">Ankara</a> on Thursday, officials said. "
    "Georgia&#8217;s prime minister praised the deal as a step toward closer ties.</p>"
    "<p>Hundreds of protesters gathered outside the parliament in Tbilisi on "
    "<i>Wednesday</i> and accused the government of betraying local farmers. Police arrested "
    "12&nbsp;demonstrators, the interior ministry said.<br/><br/>"
    "Russia criticised the agreement on Friday. The Kremlin said it would review its "
    "rules for Georgian goods, which make up <5% of its imports.</p>"
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html.escape(TITLE)
    + "</title><meta property=\"article:published_time\" content=\"" + DATE + "T09:00:00Z\">"
    "</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article>"
    "<h1>" + html.escape(TITLE) + "</h1>"
    + "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in PARAGRAPHS)
    + "</article><footer>Copyright the example desk</footer></body></html>"
)
TXT = f"{TITLE}\n\nMarch 15, 2024\n\n{TEXT}\n"
RECORD = {"id": "deal-1", "title": TITLE, "date": DATE, "text": MARKED_UP}


def _wrapped_txt() -> bytes:
    """Return the .txt hard-wrapped at 64 columns, with Windows line ends and odd spaces."""
    body = "\n\n".join(textwrap.fill(p, 64) for p in PARAGRAPHS)
    body = body.replace("12 demonstrators", "12\u00a0demonstrators").replace(
        "closer ties", "closer\u200b ties")
    return f"\ufeff{TITLE}\nMarch 15, 2024\n\n{body}\n".replace("\n", "\r\n").encode("utf-8")


FORMS: dict[str, tuple[str, bytes]] = {
    "txt": ("article.txt", TXT.encode("utf-8")),
    "txt, wrapped": ("article.txt", _wrapped_txt()),
    "html": ("article.html", PAGE.encode("utf-8")),
    "jsonl": ("article.jsonl", (json.dumps(RECORD) + "\n").encode("utf-8")),
    "json": ("article.json", json.dumps(RECORD, ensure_ascii=False).encode("utf-8")),
    "stdin, text": ("-", TXT.encode("utf-8")),
    "stdin, html": ("-", PAGE.encode("utf-8")),
    "stdin, jsonl": ("-", (json.dumps(RECORD) + "\n").encode("utf-8")),
}


def _read(form: str, tmp_path: Path, settings: Settings) -> Document:
    """Return the one Document read from the article in the given form."""
    name, data = FORMS[form]
    if name == "-":
        items = list(read_inputs(["-"], settings, stdin=io.BytesIO(data)))
    else:
        path = tmp_path / name
        path.write_bytes(data)
        items = list(read_inputs([str(path)], settings))
    assert len(items) == 1 and not isinstance(items[0], Skip), items
    return items[0]


def _events(document: Document, coder: Any) -> list[tuple[Any, ...]]:
    """Return what the coder makes of a document: type, actors, date and sentence of each."""
    [coded] = coder.code([document])
    return sorted(
        (e.event, tuple(str(a.code) for a in e.source), tuple(str(a.code) for a in e.target),
         e.date, e.text)
        for e in coded.events
    )


@pytest.fixture(scope="module")
def expected(loaded_coder: Any) -> list[tuple[Any, ...]]:
    """The events of the article's plain text, published on DATE."""
    from faultline.resolve.registry import Registry

    loaded_coder.registry = Registry()
    return _events(Document.from_text(TEXT, date=DATE), loaded_coder)


def test_the_article_has_events_dated_from_its_text(expected: list[tuple[Any, ...]]) -> None:
    assert len(expected) >= 3
    # "on Thursday", "on Wednesday" are read against the publication date
    assert {date for *_, date, _ in expected} >= {"2024-03-14", "2024-03-13"}


@pytest.mark.parametrize("form", list(FORMS))
def test_every_input_form_gives_the_same_text_and_events(
    form: str, tmp_path: Path, settings: Settings, coder: Any,
    expected: list[tuple[Any, ...]],
) -> None:
    document = _read(form, tmp_path, settings)
    assert (document.title, document.date) == (TITLE, DATE)
    assert document.text == TEXT
    assert _events(document, coder) == expected
