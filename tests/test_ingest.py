"""Tests of the ingest stage: readers, header detection, checks, skips and dedupe."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from faultline.errors import InputError
from faultline.ingest import (
    IngestSummary,
    dedupe,
    parse_date,
    read_inputs,
    register_format,
    skip_category,
    sniff_format,
    split_header,
    unregister_format,
)
from faultline.models import Document, Skip, text_hash
from faultline.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SETTINGS = Settings()

# Texts written for these tests. The foreign-language paragraphs say roughly
# the same as ENGLISH_PARAGRAPH.
ENGLISH_PARAGRAPH = (
    "The government announced on Monday that it would open new talks with the "
    "neighbouring countries. According to the foreign ministry, the negotiations over "
    "the shared border are due to begin before the end of the month, although the "
    "opposition has sharply criticised the plan and is demanding a vote in parliament."
)
GERMAN_PARAGRAPH = (
    "Die Regierung hat am Montag neue Gespräche mit den Nachbarländern angekündigt. "
    "Nach Angaben des Außenministeriums sollen die Verhandlungen über die gemeinsame "
    "Grenze noch in diesem Monat beginnen, obwohl die Opposition das Vorhaben scharf "
    "kritisiert hat und eine Abstimmung im Parlament verlangt."
)
FRENCH_PARAGRAPH = (
    "Le gouvernement a annoncé lundi l'ouverture de nouvelles discussions avec les pays "
    "voisins. Selon le ministère des Affaires étrangères, les négociations sur la "
    "frontière commune devraient commencer avant la fin du mois, bien que l'opposition "
    "ait vivement critiqué ce projet et réclame un vote au parlement."
)
TURKISH_PARAGRAPH = (
    "Hükümet pazartesi günü komşu ülkelerle yeni görüşmeler başlatacağını açıkladı. "
    "Dışişleri Bakanlığına göre sınır müzakereleri ay sonundan önce başlayacak, ancak "
    "muhalefet planı sert bir dille eleştirdi ve mecliste oylama istiyor."
)
RUSSIAN_PARAGRAPH = (
    "Правительство в понедельник объявило о новых переговорах с соседними странами. "
    "По словам министерства иностранных дел, переговоры о границе начнутся до конца месяца."
)


def read(*paths: str | Path, settings: Settings = SETTINGS, **kwargs: object) -> list:
    """Return everything read_inputs yields for paths, as a list."""
    return list(read_inputs([str(p) for p in paths], settings, **kwargs))  # type: ignore[arg-type]


def only(items: list) -> Document | Skip:
    """Return the single item of a list, failing the test if there are more or fewer."""
    assert len(items) == 1, items
    return items[0]


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to path, creating folders; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- plain text -----------------------------------------------------------


def test_ingest_reads_txt_title_byline_and_date_and_keeps_body_only() -> None:
    doc = only(read(FIXTURES / "harbour_talks.txt"))
    assert isinstance(doc, Document)
    assert doc.title == "Harbour Dispute Talks Resume After Two-Month Pause"
    assert doc.byline == "Mira Kestrel and Tomas Oyelaran"
    assert doc.date == "2025-03-14"
    assert doc.date_source == "text"
    assert doc.text.startswith("Delegations from Norland")
    assert "March 14, 2025" not in doc.text
    assert "Kestrel" not in doc.text
    assert "Harbour Dispute" not in doc.text
    assert doc.origin == str(FIXTURES / "harbour_talks.txt")
    assert doc.doc_id == doc.doc_hash == text_hash(doc.text)


@pytest.mark.parametrize(
    ("header", "title", "date", "byline"),
    [
        ("Ceasefire holds in the north\n4 July 2025\n", "Ceasefire holds in the north",
         "2025-07-04", None),
        ("2025-07-04\nCeasefire holds in the north\n", "Ceasefire holds in the north",
         "2025-07-04", None),
        ("Ceasefire holds in the north\nJul. 4, 2025\nBy Jane Doe\n",
         "Ceasefire holds in the north", "2025-07-04", "Jane Doe"),
        ("# Ceasefire holds in the north\nBY JANE DOE, STAFF REPORTER\n"
         "Published: Friday, July 4, 2025 10:32 AM EDT\n",
         "Ceasefire holds in the north", "2025-07-04", "JANE DOE, STAFF REPORTER"),
        ("Ceasefire holds in the north?\n\n\nUpdated 04.07.2025\n",
         "Ceasefire holds in the north?", "2025-07-04", None),
        ("By: Jane Doe\n", None, None, "Jane Doe"),
    ],
)
def test_ingest_txt_finds_header_in_several_layouts(
    tmp_path: Path, header: str, title: str | None, date: str | None, byline: str | None
) -> None:
    body = "Both armies reported no shooting along the line on Friday.\n\nMore detail follows."
    doc = only(read(write(tmp_path / "a.txt", header + "\n" + body)))
    assert isinstance(doc, Document)
    assert (doc.title, doc.date, doc.byline) == (title, date, byline)
    assert doc.text == body


def test_ingest_txt_without_header_keeps_every_line_in_body(tmp_path: Path) -> None:
    lines = [
        "Both armies reported no shooting along the line on Friday.",
        "By evening, the observers had left the village.",
        "A second report is expected on 5 July 2025 from the mission.",
    ]
    doc = only(read(write(tmp_path / "a.txt", "\n".join(lines))))
    assert isinstance(doc, Document)
    assert (doc.title, doc.date, doc.byline) == (None, None, None)
    # one line break after a sentence separates paragraphs, as a blank line does
    assert doc.text == "\n\n".join(lines)


def test_ingest_txt_single_headline_is_the_body_not_a_title(tmp_path: Path) -> None:
    doc = only(read(write(tmp_path / "a.txt", "Army shells border village\nJuly 4, 2025\n")))
    assert isinstance(doc, Document)
    assert doc.text == "Army shells border village"
    assert doc.title is None
    assert doc.date == "2025-07-04"


def test_ingest_txt_date_line_beyond_header_zone_stays_in_body(tmp_path: Path) -> None:
    lines = [f"Paragraph {n} says something about the talks." for n in range(1, 8)]
    text = "\n".join(lines[:6] + ["July 4, 2025"] + lines[6:])
    doc = only(read(write(tmp_path / "a.txt", text)))
    assert isinstance(doc, Document)
    assert doc.date is None
    assert "July 4, 2025" in doc.text


def test_ingest_txt_strips_inline_tags_and_bold_markers(tmp_path: Path) -> None:
    text = "Troops <u>withdrew</u> from the <a href='x'>ridge</a> on **Tuesday**, officials said."
    doc = only(read(write(tmp_path / "a.txt", text)))
    assert isinstance(doc, Document)
    assert doc.text == "Troops withdrew from the ridge on Tuesday, officials said."


def test_ingest_txt_normalises_windows_line_ends(tmp_path: Path) -> None:
    doc = only(read(write(tmp_path / "a.txt", b"Talks stall\r\n\r\nNeither side moved.\r\n")))
    assert isinstance(doc, Document)
    assert (doc.title, doc.text) == ("Talks stall", "Neither side moved.")


def test_ingest_txt_first_line_going_on_in_lower_case_is_no_title(tmp_path: Path) -> None:
    doc = only(read(write(tmp_path / "a.txt", "Both sides agreed\nto a prisoner exchange.")))
    assert isinstance(doc, Document)
    assert (doc.title, doc.text) == (None, "Both sides agreed to a prisoner exchange.")


def test_ingest_txt_wrapped_at_a_fixed_width_is_one_paragraph(tmp_path: Path) -> None:
    text = (
        "Ceasefire holds\n\n"
        "Both armies reported no shooting along the line of contact on Friday,\n"
        "and observers from the mission said the villages near the front were\n"
        "calm for the first time in a month.\n"
    )
    doc = only(read(write(tmp_path / "a.txt", text)))
    assert isinstance(doc, Document)
    assert doc.title == "Ceasefire holds"
    assert doc.text == (
        "Both armies reported no shooting along the line of contact on Friday, and observers "
        "from the mission said the villages near the front were calm for the first time in "
        "a month."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("July 04, 2025", "2025-07-04"),
        ("4 July 2025", "2025-07-04"),
        ("2025-07-04", "2025-07-04"),
        ("Jul. 4, 2025", "2025-07-04"),
        ("Sept. 14, 2025", "2025-09-14"),
        ("July 4th, 2025", "2025-07-04"),
        ("2025-07-04T23:30:00.5+02:00", "2025-07-04"),
        ("2025-07-04 08:00:00", "2025-07-04"),
        ("Fri, 04 Jul 2025 10:00:00 GMT", "2025-07-04"),
        ("25/12/2025", "2025-12-25"),
        ("12/25/2025", "2025-12-25"),
        ("4/7/2025", None),  # April or July: not guessed
        ("2025-02-30", None),
        ("Mayday 4, 2025", None),
        ("Talks began on July 4, 2025 in Vienna", None),
        ("", None),
    ],
)
def test_parse_date_accepts_common_forms_and_refuses_guesses(
    value: str, expected: str | None
) -> None:
    assert parse_date(value) == expected


def test_split_header_of_one_long_sentence_finds_nothing() -> None:
    header = split_header("By the end of the week, both sides had withdrawn their tanks.")
    assert (header.title, header.byline, header.date) == (None, None, None)


# --- HTML -----------------------------------------------------------------


def test_ingest_reads_html_main_text_and_metadata() -> None:
    doc = only(read(FIXTURES / "ministry_page.html"))
    assert isinstance(doc, Document)
    assert doc.title == "Border crossing reopens after six weeks"
    assert doc.date == "2025-05-20"
    assert doc.date_source == "metadata"
    assert doc.url == "https://courier.example.org/world/border-crossing-reopens"
    assert doc.source == "The Lakeside Courier"
    assert doc.byline == "Ines Varga"
    assert doc.text.startswith("The main road crossing between Estavia and Morland")
    assert "joint checks were dropped" in doc.text
    assert "Subscribe" not in doc.text
    assert "Sport" not in doc.text


def test_ingest_html_paragraphs_are_separated_by_a_blank_line() -> None:
    doc = only(read(FIXTURES / "ministry_page.html"))
    assert isinstance(doc, Document)
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[1].startswith("Estavian customs officials said")


@pytest.mark.parametrize(
    ("head", "date", "date_source"),
    [
        ("", None, None),
        ('<meta property="article:published_time" content="2024-03-15T09:00:00Z">',
         "2024-03-15", "metadata"),
    ],
)
def test_ingest_html_date_comes_from_metadata_not_from_dates_the_text_mentions(
    tmp_path: Path, head: str, date: str | None, date_source: str | None
) -> None:
    page = (
        f"<html><head><title>Talks end</title>{head}</head><body><article><h1>Talks end</h1>"
        "<p>The talks that began on 12 March 2019 in Vienna ended without a deal, the "
        "mediators said on Friday.</p><p>The next round is due on 3 May 2025.</p>"
        "</article></body></html>"
    )
    doc = only(read(write(tmp_path / "page.html", page)))
    assert isinstance(doc, Document)
    assert (doc.date, doc.date_source) == (date, date_source)


def test_ingest_html_date_line_at_the_top_of_the_body_is_its_date(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Talks end</title></head><body><article><h1>Talks end</h1>"
        "<p>July 4, 2025</p><p>By Jane Doe</p><p>The talks ended without a deal on Friday, "
        "the mediators said.</p></article></body></html>"
    )
    doc = only(read(write(tmp_path / "page.html", page)))
    assert isinstance(doc, Document)
    assert (doc.title, doc.date, doc.byline) == ("Talks end", "2025-07-04", "Jane Doe")
    assert doc.text == "The talks ended without a deal on Friday, the mediators said."


def test_ingest_html_in_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="windows-1252"><title>Café talks</title></head>'
        "<body><p>Delegates met at a café in the old town on Monday and agreed "
        "to meet again in a month, the mediator said.</p></body></html>"
    )
    doc = only(read(write(tmp_path / "page.htm", html.encode("cp1252"))))
    assert isinstance(doc, Document)
    assert "café in the old town" in doc.text


def test_ingest_html_without_main_text_is_skipped_as_empty(tmp_path: Path) -> None:
    skip = only(read(write(tmp_path / "blank.html", "<html><body><div></div></body></html>")))
    assert isinstance(skip, Skip)
    assert skip.reason == "no text (no main text found in the HTML)"
    assert skip_category(skip.reason) == "empty"


def test_ingest_reading_txt_does_not_import_trafilatura() -> None:
    code = (
        "import sys\n"
        "from faultline.ingest import read_inputs\n"
        "from faultline.settings import Settings\n"
        f"items = list(read_inputs([{str(FIXTURES / 'harbour_talks.txt')!r}], Settings()))\n"
        "assert len(items) == 1 and items[0].title\n"
        "print('trafilatura' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --- JSON lines and JSON --------------------------------------------------


def test_ingest_reads_jsonl_records_and_ignores_extra_fields() -> None:
    path = FIXTURES / "wire.jsonl"
    first, second, third = read(path)
    assert isinstance(first, Document)
    assert first.doc_id == "wire-001"
    assert first.date == "2025-06-02"
    assert first.date_source == "record"
    assert (first.url, first.title, first.source) == (
        "https://wire.example.net/1", "Protesters detained in Ardania", "Example Wire"
    )
    assert first.origin == f"{path}:1"
    assert isinstance(second, Document)
    assert second.doc_id == "2"
    assert second.date == "2025-06-03"
    assert second.origin == f"{path}:2"
    # Line 3 is blank: it is passed over but still counted.
    assert isinstance(third, Document)
    assert third.origin == f"{path}:4"
    assert third.doc_id == third.doc_hash
    assert third.date is None and third.date_source is None


def test_ingest_jsonl_text_with_markup_and_entities_reads_as_the_txt(tmp_path: Path) -> None:
    body = (
        "Observers said <u>Ardania&#8217;s army</u> shelled two villages on <b>Monday</b>."
        "<p>Talks on trade &amp; transit were called off; turnout at the protest was &lt;5%"
        " of the town.</p>"
    )
    record = {"id": "m1", "title": "Shelling &amp; talks", "text": body}
    jsonl = only(read(write(tmp_path / "a.jsonl", json.dumps(record) + "\n")))
    txt = only(read(write(tmp_path / "a.txt", (
        "Shelling & talks\n\n"
        "Observers said Ardania\u2019s army shelled two villages on Monday.\n"
        "Talks on trade & transit were called off; turnout at the protest was <5% of the town.\n"
    ))))
    assert isinstance(jsonl, Document) and isinstance(txt, Document)
    assert (jsonl.title, jsonl.text) == (txt.title, txt.text)
    assert jsonl.text.split("\n\n")[1].endswith("was <5% of the town.")
    assert jsonl.doc_hash == txt.doc_hash


@pytest.mark.parametrize(
    ("record", "title", "date", "date_source", "byline"),
    [
        ({"title": "Talks resume"}, "Talks resume", "2025-07-04", "text", "Jane Doe"),
        ({"title": "Talks resume", "date": "2025-07-05", "byline": "Desk"},
         "Talks resume", "2025-07-05", "record", "Desk"),
        ({}, "Talks resume", "2025-07-04", "text", "Jane Doe"),
    ],
)
def test_ingest_json_record_top_lines_are_read_as_a_txt_header(
    tmp_path: Path, record: dict, title: str, date: str, date_source: str, byline: str
) -> None:
    text = "# Talks resume\nJuly 4, 2025\nBy Jane Doe\n\nThe envoys met again in Vienna."
    path = write(tmp_path / "a.json", json.dumps({"id": "h", "text": text, **record}))
    doc = only(read(path))
    assert isinstance(doc, Document)
    assert doc.text == "The envoys met again in Vienna."
    assert (doc.title, doc.date, doc.date_source, doc.byline) == (title, date, date_source, byline)


def test_ingest_json_record_title_stays_in_text_unless_repeated(tmp_path: Path) -> None:
    text = "Shelling resumed\n\nThe army fired on two villages."
    path = write(tmp_path / "a.json", json.dumps({"title": "Army fires", "text": text}))
    doc = only(read(path))
    assert isinstance(doc, Document)
    # a first line that differs from the record's title is body, as it would be in a .txt
    assert (doc.title, doc.text) == ("Army fires", text)


def test_ingest_jsonl_bad_lines_become_skips_and_later_lines_are_read(tmp_path: Path) -> None:
    good = {"id": "ok", "text": "Observers reported calm along the river on Sunday."}
    lines = [
        '{"id": "a", "text": "unfinished',
        json.dumps({"id": "b", "body": "no text field here"}),
        json.dumps({"id": "c", "text": ["a", "list"]}),
        json.dumps({"id": "d", "text": "   \n  "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "e", "text": None}),
        json.dumps(good),
    ]
    path = write(tmp_path / "mixed.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    reasons = [(item.origin, item.reason) for item in items if isinstance(item, Skip)]
    assert reasons == [
        (f"{path}:1", "line 1: not JSON: Unterminated string starting at (column 21)"),
        (f"{path}:2", 'line 2: no "text" field'),
        (f"{path}:3", 'line 3: "text" is an array, not a string'),
        (f"{path}:4", "line 4: no text (empty after stripping whitespace)"),
        (f"{path}:5", "line 5: not a JSON object (an array)"),
        (f"{path}:6", 'line 6: "text" is null, not a string'),
    ]
    assert [skip_category(reason) for _, reason in reasons] == [
        "malformed", "malformed", "malformed", "empty", "malformed", "malformed"
    ]
    docs = [item for item in items if isinstance(item, Document)]
    assert [(d.doc_id, d.origin) for d in docs] == [("ok", f"{path}:7")]


def test_ingest_jsonl_unknown_date_is_dropped_and_option_date_fills_it(tmp_path: Path) -> None:
    record = {"id": 7, "text": "The envoy returned home on Friday.", "date": "sometime soon"}
    path = write(tmp_path / "a.jsonl", json.dumps(record) + "\n")
    doc = only(read(path, default_date="2025-01-31"))
    assert isinstance(doc, Document)
    assert (doc.date, doc.date_source) == ("2025-01-31", "option")


def test_ingest_jsonl_with_utf8_bom_and_utf16_is_read(tmp_path: Path) -> None:
    content = json.dumps({"id": "x", "text": "Talks in Zürich ended without a deal."}) + "\n"
    for name, data in (
        ("bom8.jsonl", b"\xef\xbb\xbf" + content.encode("utf-8")),
        ("wide.jsonl", content.encode("utf-16")),
    ):
        doc = only(read(write(tmp_path / name, data)))
        assert isinstance(doc, Document), doc
        assert doc.text == "Talks in Zürich ended without a deal."


def test_ingest_reads_json_file_with_one_object_or_a_list(tmp_path: Path) -> None:
    one = write(tmp_path / "one.json", json.dumps({"id": "solo", "text": "A truce was agreed."}))
    many = write(
        tmp_path / "many.json",
        json.dumps([{"id": "p", "text": "Shelling resumed."}, {"id": "q"}]),
    )
    doc = only(read(one))
    assert isinstance(doc, Document)
    assert (doc.doc_id, doc.origin) == ("solo", str(one))
    first, second = read(many)
    assert isinstance(first, Document) and first.origin == f"{many}:1"
    assert second == Skip(f"{many}:2", 'record 2: no "text" field')


def test_ingest_malformed_json_file_is_skipped_with_position(tmp_path: Path) -> None:
    skip = only(read(write(tmp_path / "bad.json", '{"id": 1,\n "text": }')))
    assert skip == Skip(str(tmp_path / "bad.json"), "not JSON: Expecting value (line 2, column 10)")


# --- default date -----------------------------------------------------------


def test_ingest_default_date_fills_only_documents_without_one(tmp_path: Path) -> None:
    dated = write(tmp_path / "a.txt", "Talks end\n2024-11-02\n\nThe talks ended on Saturday.")
    undated = write(tmp_path / "b.txt", "The delegation flew home on Sunday.")
    first, second = read(dated, undated, default_date="2025-07-04")
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.date, first.date_source) == ("2024-11-02", "text")
    assert (second.date, second.date_source) == ("2025-07-04", "option")


def test_ingest_rejects_default_date_that_is_not_a_date() -> None:
    with pytest.raises(InputError, match="not a date"):
        read_inputs([], SETTINGS, default_date="yesterday")


# --- directories --------------------------------------------------------------


def test_ingest_reads_directory_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Second file: border guards exchanged fire.")
    write(root / "a.txt", "First file: a minister resigned.")
    page = "<html><body><p>Third file: a port was blockaded.</p></body></html>"
    write(root / "sub" / "c.HTML", page)
    write(root / "sub" / "deeper" / "d.jsonl", json.dumps({"id": "d", "text": "Fourth file."}))
    write(root / "notes.md", "Not read: wrong ending.")
    write(root / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(root / ".hidden.txt", "Not read: hidden.")
    write(root / ".git" / "x.txt", "Not read: hidden folder.")
    items = read(root)
    assert all(isinstance(item, Document) for item in items), items
    assert [item.origin for item in items] == [
        os.path.join(str(root), "a.txt"),
        os.path.join(str(root), "b.txt"),
        os.path.join(str(root), "sub", "c.HTML"),
        os.path.join(str(root), "sub", "deeper", "d.jsonl") + ":1",
    ]
    assert items[2].text == "Third file: a port was blockaded."


def test_ingest_directory_without_readable_files_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "only.csv", "a,b\n")
    skip = only(read(tmp_path))
    assert isinstance(skip, Skip)
    assert skip.origin == str(tmp_path)
    assert skip.reason.startswith("no readable files")
    assert skip_category(skip.reason) == "empty"


def test_ingest_explicit_file_with_other_ending_is_sniffed(tmp_path: Path) -> None:
    page = write(tmp_path / "page.dat", "<html><body><p>A ferry was seized.</p></body></html>")
    doc = only(read(page))
    assert isinstance(doc, Document)
    assert doc.text == "A ferry was seized."


# --- standard input -------------------------------------------------------------


def test_ingest_stdin_plain_text_bytes() -> None:
    stream = io.BytesIO(b"\n\nRiver talks collapse\n\nNeither delegation would sign the text.\n")
    doc = only(read("-", stdin=stream))
    assert isinstance(doc, Document)
    assert (doc.origin, doc.title, doc.text) == (
        "-", "River talks collapse", "Neither delegation would sign the text."
    )


def test_ingest_stdin_jsonl_from_text_stream() -> None:
    lines = [{"id": n, "text": f"Report number {n} on the ceasefire."} for n in range(1, 4)]
    stream = io.StringIO("  \n" + "\n".join(json.dumps(r) for r in lines) + "\n")
    items = read("-", stdin=stream)
    assert [(d.doc_id, d.origin) for d in items] == [("1", "-:2"), ("2", "-:3"), ("3", "-:4")]


def test_ingest_stdin_html_is_sniffed() -> None:
    stream = io.BytesIO(b"  <html><body><article><p>A convoy crossed the bridge.</p></article>"
                        b"</body></html>")
    doc = only(read("-", stdin=stream))
    assert isinstance(doc, Document)
    assert doc.text == "A convoy crossed the bridge."


def test_ingest_stdin_longer_than_sniff_window_is_read_whole() -> None:
    lines = [f"Line {n} of a long report on the negotiations." for n in range(3000)]
    doc = only(read("-", stdin=io.BytesIO("\n".join(lines).encode("utf-8"))))
    assert isinstance(doc, Document)
    assert doc.text == "\n\n".join(lines)


def test_ingest_stdin_empty_is_skipped() -> None:
    skip = only(read("-", stdin=io.BytesIO(b"  \n ")))
    assert skip == Skip("-", "no text (standard input is empty)")


def _read_memo(data: bytes, origin: str) -> Document:
    """Read a memo: a "Subject: ..." line, a blank line, the body (with Windows line ends)."""
    head, _, body = data.decode("utf-8").partition("\n\n")
    if not body.strip():
        raise InputError("no text (a memo without a body)")
    return Document.from_text(body.replace("\n", "\r\n") + "\r\n  ",
                              title=head.removeprefix("Subject: "), origin=origin)


def test_a_new_format_is_one_reader_and_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "memos"
    folder.mkdir()
    (folder / "a.memo").write_text(f"Subject: Talks\n\n{ENGLISH_PARAGRAPH}\nEnd.",
                                   encoding="utf-8")
    (folder / "b.memo").write_text("Subject: Nothing\n\n", encoding="utf-8")
    register_format("memo", _read_memo, suffixes=(".memo",),
                    sniff=lambda text: text.startswith("Subject:"))
    try:
        document, empty = read(folder)
        # whatever the reader gave, the text went through the one normaliser
        assert document.title == "Talks" and document.text == f"{ENGLISH_PARAGRAPH}\n\nEnd."
        assert document.doc_id == document.doc_hash == text_hash(document.text)
        assert empty == Skip(str(folder / "b.memo"), "no text (a memo without a body)")
        [sniffed] = read("-", stdin=io.BytesIO(f"Subject: Visit\n\n{ENGLISH_PARAGRAPH}".encode()))
        assert sniffed.title == "Visit" and sniffed.origin == "-"
        (tmp_path / "bare").mkdir()
        [nothing] = read(tmp_path / "bare")
        assert nothing.reason == (
            "no readable files (.txt, .html, .htm, .jsonl, .json, .memo) in the directory")
    finally:
        unregister_format("memo")
    [ignored] = read(folder)
    assert ignored.reason == "no readable files (.txt, .html, .htm, .jsonl, .json) in the directory"


def test_sniff_format_uses_first_non_blank_character() -> None:
    assert sniff_format(b'\n  {"id": 1}') == "jsonl"
    assert sniff_format(b"\xef\xbb\xbf<!DOCTYPE html>") == "html"
    assert sniff_format("\n{}".encode("utf-16")) == "jsonl"
    assert sniff_format("\ufeff{}".encode("utf-8-sig")) == "jsonl"
    assert sniff_format(b"[Updated] Talks end") == "text"


# --- skip reasons -------------------------------------------------------------------


def test_ingest_skips_missing_path_with_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    skip = only(read(missing))
    assert skip == Skip(str(missing), "no such file or directory")
    assert skip_category(skip.reason) == "missing"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  "])
def test_ingest_skips_empty_file_with_reason(tmp_path: Path, content: bytes) -> None:
    skip = only(read(write(tmp_path / "empty.txt", content)))
    assert skip == Skip(str(tmp_path / "empty.txt"), "no text (empty after stripping whitespace)")
    assert skip_category(skip.reason) == "empty"


def test_ingest_skips_empty_jsonl_file_with_reason(tmp_path: Path) -> None:
    skip = only(read(write(tmp_path / "empty.jsonl", "\n\n")))
    assert isinstance(skip, Skip)
    assert skip.reason.startswith("no text (no JSON records")


def test_ingest_skips_binary_file_with_reason(tmp_path: Path) -> None:
    data = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + bytes(range(256))
    for name in ("picture.txt", "picture.jsonl", "picture.html"):
        skip = only(read(write(tmp_path / name, data)))
        assert skip == Skip(str(tmp_path / name), "binary data (contains NUL bytes)")
        assert skip_category(skip.reason) == "binary"


def test_ingest_skips_control_character_soup_as_binary(tmp_path: Path) -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 0x41, 0x42, 0x43] * 50)
    skip = only(read(write(tmp_path / "soup.txt", data)))
    assert isinstance(skip, Skip)
    assert skip.reason == "binary data (70% of the first bytes are control codes)"


def test_ingest_skips_latin1_text_naming_the_bad_byte(tmp_path: Path) -> None:
    data = "Talks in Malmö ended.".encode("latin-1")
    skip = only(read(write(tmp_path / "old.txt", data)))
    reason = "not UTF-8 text (invalid byte 0xf6 at offset 13)"
    assert skip == Skip(str(tmp_path / "old.txt"), reason)
    assert skip_category(skip.reason) == "encoding"


def test_ingest_skips_undecodable_jsonl_line_and_reads_the_rest(tmp_path: Path) -> None:
    good = json.dumps({"id": "g", "text": "A new ambassador presented her credentials."})
    data = b'{"id": "bad", "text": "caf\xe9"}\n' + good.encode("utf-8") + b"\n"
    skip, doc = read(write(tmp_path / "a.jsonl", data))
    assert skip == Skip(
        f"{tmp_path / 'a.jsonl'}:1", "line 1: not UTF-8 text (invalid byte 0xe9 at offset 26)"
    )
    assert skip_category(skip.reason) == "encoding"
    assert isinstance(doc, Document) and doc.doc_id == "g"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"", "utf-16"),  # Python's utf-16 codec writes the byte-order mark itself
        (b"", "utf-32"),
    ],
)
def test_ingest_decodes_text_with_byte_order_mark(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    text = "Talks in Malmö ended without a statement."
    doc = only(read(write(tmp_path / "a.txt", data + text.encode(encoding))))
    assert isinstance(doc, Document)
    assert doc.text == text


def test_ingest_skips_file_over_max_bytes_with_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "The talks went on. " * 10)
    skip = only(read(path, settings=SETTINGS.with_(max_bytes=100)))
    assert skip == Skip(str(path), "190 bytes, over the limit of 100; raise max_bytes to read it")
    assert skip_category(skip.reason) == "too_large"
    doc = only(read(path, settings=SETTINGS.with_(max_bytes=190)))
    assert isinstance(doc, Document)


def test_ingest_limits_each_jsonl_line_not_the_whole_file(tmp_path: Path) -> None:
    small = json.dumps({"id": "s", "text": "A short report."})
    large = json.dumps({"id": "l", "text": "Very long report. " * 20})
    path = write(tmp_path / "a.jsonl", "\n".join([small, large, small.replace('"s"', '"t"')]))
    items = read(path, settings=SETTINGS.with_(max_bytes=100))
    assert [type(item).__name__ for item in items] == ["Document", "Skip", "Document"]
    skip = items[1]
    assert skip.origin == f"{path}:2"
    assert skip.reason == (
        f"line 2: {len(large) + 1} bytes, over the limit of 100; raise max_bytes to read it"
    )
    assert [d.doc_id for d in items if isinstance(d, Document)] == ["s", "t"]


def test_ingest_skips_stdin_over_max_bytes() -> None:
    skip = only(read("-", stdin=io.BytesIO(b"word " * 100), settings=SETTINGS.with_(max_bytes=50)))
    assert skip == Skip("-", "more than 50 bytes, over the limit of 50; raise max_bytes to read it")
    assert skip_category(skip.reason) == "too_large"


def test_ingest_skips_unreadable_file_with_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A socket is a file that cannot be opened, even by root (CI runs as root, and
    # root reads a file whatever its permissions say).
    monkeypatch.chdir(tmp_path)  # a socket's path must be short: bind a relative one
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("locked.txt")
        skip = only(read(tmp_path / "locked.txt"))
    assert isinstance(skip, Skip)
    assert skip.reason.startswith("cannot read")
    assert skip_category(skip.reason) == "unreadable"


# --- language -----------------------------------------------------------------------


@pytest.mark.parametrize("paragraph", [GERMAN_PARAGRAPH, FRENCH_PARAGRAPH, RUSSIAN_PARAGRAPH,
                                       TURKISH_PARAGRAPH])
def test_ingest_skips_non_english_text(tmp_path: Path, paragraph: str) -> None:
    skip = only(read(write(tmp_path / "foreign.txt", paragraph)))
    assert isinstance(skip, Skip)
    assert skip.reason.startswith("not English (")
    assert skip.reason.endswith("set english_only = false to keep it")
    assert skip_category(skip.reason) == "not_english"


def test_ingest_keeps_non_english_text_when_english_only_is_off(tmp_path: Path) -> None:
    settings = SETTINGS.with_(english_only=False)
    doc = only(read(write(tmp_path / "foreign.txt", GERMAN_PARAGRAPH), settings=settings))
    assert isinstance(doc, Document)


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH_PARAGRAPH,
        "Navy seizes tanker\n\nCoastguard vessels from Ardania boarded a Belmoran oil tanker "
        "in disputed waters on Sunday, officials in both capitals said.",
        "Rebels shell Dorvan airport, twelve killed",
        "Presidents Aliyev, Pashinyan, Erdogan, Putin, Macron, Scholz, Meloni, Sanchez, "
        "Tusk, Fiala, Orban, Fico, Nehammer, Frederiksen, Kristersson, Store and Stubb "
        "met in Tirana on Thursday for the summit.",
        # short news dense with names: 9% common English words, under the old 10% bar
        "Kyiv's SBU reports drone footage, filmed in mid-May, shows Russian forces building "
        "two additional fortified positions near Zaporizhzhia's southern border.",
        "Lavrov, Shoigu, Gerasimov, Naryshkin and Bortnikov brief Putin at Novo-Ogaryovo; "
        "Peskov says Kremlin reviews Kursk, Belgorod, Bryansk shelling reports by Ukrainian "
        "UAVs.",
        "Moldovan PM Recean, Romanian FM Toiu and Ukrainian FM Sybiha meet Chisinau, "
        "Bucharest, Kyiv counterparts; Transnistria, Tiraspol, Gagauzia, Comrat on the "
        "agenda.",
    ],
)
def test_ingest_keeps_english_including_short_and_name_heavy_texts(
    tmp_path: Path, text: str
) -> None:
    doc = only(read(write(tmp_path / "english.txt", text)))
    assert isinstance(doc, Document), doc


def test_ingest_language_check_applies_to_jsonl_records(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "de", "text": GERMAN_PARAGRAPH}),
             json.dumps({"id": "en", "text": ENGLISH_PARAGRAPH})]
    skip, doc = read(write(tmp_path / "a.jsonl", "\n".join(lines)))
    assert isinstance(skip, Skip) and skip.origin.endswith(":1")
    assert isinstance(doc, Document) and doc.doc_id == "en"


def test_ingest_asks_the_identifier_only_about_texts_it_is_not_sure_of(tmp_path: Path) -> None:
    # plain English prose is told by its function words, without the identifier's model
    from faultline.ingest.language import identifier

    identifier.cache_clear()
    assert isinstance(only(read(write(tmp_path / "en.txt", ENGLISH_PARAGRAPH))), Document)
    assert identifier.cache_info().currsize == 0
    assert isinstance(only(read(write(tmp_path / "de.txt", GERMAN_PARAGRAPH))), Skip)
    assert identifier.cache_info().currsize == 1


# --- de-duplication and summary -----------------------------------------------------


def test_dedupe_drops_same_text_in_two_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.txt", "Both sides agreed to a prisoner exchange.")
    second = write(tmp_path / "b.txt", "Both sides agreed to a prisoner exchange.")
    doc, skip = dedupe(read(first, second))
    assert isinstance(doc, Document)
    assert skip == Skip(str(second), f"duplicate of {doc.doc_id} ({first})")
    assert skip_category(skip.reason) == "duplicate"


def test_dedupe_treats_whitespace_variants_as_the_same_text(tmp_path: Path) -> None:
    record = json.dumps({"id": "rec-9", "text": "Both  sides agreed\nto a   prisoner exchange. "})
    jsonl = write(tmp_path / "a.jsonl", record + "\n")
    txt = write(tmp_path / "b.txt", "Both sides agreed to a prisoner exchange.\n")
    other = write(tmp_path / "c.txt", "Both sides rejected a prisoner exchange.")
    items = list(dedupe(read(jsonl, txt, other)))
    assert [type(item).__name__ for item in items] == ["Document", "Skip", "Document"]
    assert items[1] == Skip(str(txt), f"duplicate of rec-9 ({jsonl}:1)")


def test_ingest_summary_counts_documents_and_skips_by_category(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "A border post was attacked overnight.")
    write(tmp_path / "b.txt", "A border post was attacked overnight.")
    write(tmp_path / "c.txt", b"\x00\x01binary")
    write(tmp_path / "d.txt", "")
    write(tmp_path / "e.jsonl", "not json\n")
    summary = IngestSummary()
    for item in dedupe(read(tmp_path, tmp_path / "missing.txt")):
        summary.add(item)
    assert summary.read == 1
    assert dict(summary.skipped) == {
        "duplicate": 1, "binary": 1, "empty": 1, "malformed": 1, "missing": 1
    }
    assert summary.duplicates == 1
    assert summary.total_skipped == 5
    assert summary.describe() == (
        "1 document read, 5 skipped (1 binary, 1 duplicate, 1 empty, 1 malformed, 1 missing)"
    )


def test_skip_category_of_unknown_reason_is_other() -> None:
    assert skip_category("something nobody planned for") == "other"
