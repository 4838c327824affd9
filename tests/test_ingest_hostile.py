"""Tests of the ingest stage against hostile input: links in loops, JSON nested past any
sense, stray NUL bytes, inputs that never end and FIFOs nobody writes to. Each ends in
Skips with a reason, and what can be read around them is read."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from faultline.ingest import read_inputs, skip_category
from faultline.models import Document, Skip
from faultline.settings import Settings

SETTINGS = Settings()
GOOD = "Azerbaijan expelled two Russian diplomats from Baku on Monday."
OTHER = "Armenia recalled its ambassador from Moscow on Tuesday."
DEEP = "[" * 100_000


def read(*paths: str | Path, settings: Settings = SETTINGS, **kwargs: Any) -> list:
    """Return everything read_inputs yields for paths, as a list."""
    return list(read_inputs([str(p) for p in paths], settings, **kwargs))


def texts(items: list) -> list[str]:
    """Return the texts of the Documents among items."""
    return [item.text for item in items if isinstance(item, Document)]


def reasons(items: list) -> list[str]:
    """Return the reasons of the Skips among items."""
    return [item.reason for item in items if isinstance(item, Skip)]


# --- links ----------------------------------------------------------------------------


def test_ingest_folder_with_a_file_linked_to_itself_reads_the_other_files(
    tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "self.txt").symlink_to("self.txt")
    (tmp_path / "z.txt").write_text(OTHER, encoding="utf-8")
    items = read(tmp_path)
    assert texts(items) == [GOOD, OTHER]
    [skip] = [item for item in items if isinstance(item, Skip)]
    assert skip.origin == str(tmp_path / "self.txt")
    assert skip.reason == "cannot read: Too many levels of symbolic links"
    assert skip_category(skip.reason) == "unreadable"


def test_ingest_links_in_a_loop_named_directly_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "one.txt").symlink_to("two.txt")
    (tmp_path / "two.txt").symlink_to("one.txt")
    assert reasons(read(tmp_path / "one.txt")) == [
        "cannot read: Too many levels of symbolic links"]


# --- JSON nested deeper than Python reads ----------------------------------------------


def test_ingest_deeply_nested_json_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    [skip] = read(path)
    assert skip == Skip(str(path), "not JSON faultline can read: nested too deeply")
    assert skip_category(skip.reason) == "malformed"


def test_ingest_deeply_nested_jsonl_field_costs_only_its_record(tmp_path: Path) -> None:
    nested = '{"id": "deep", "text": "x", "extra": ' + DEEP + "}"
    lines = [json.dumps({"id": "a", "text": GOOD}), nested, json.dumps({"id": "b", "text": OTHER})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert texts(items) == [GOOD, OTHER]
    assert reasons(items) == ["line 2: not JSON faultline can read: nested too deeply"]


def test_ingest_deeply_nested_json_on_stdin_is_skipped() -> None:
    stdin = io.BytesIO(('{"id": "deep", "text": ' + DEEP).encode())
    assert reasons(read("-", stdin=stdin)) == [
        "line 1: not JSON faultline can read: nested too deeply"]


def test_ingest_text_of_only_symbols_is_skipped_as_no_text() -> None:
    [skip] = read("-", stdin=io.BytesIO(DEEP.encode()))
    assert skip == Skip("-", "no text (no letters or digits, only punctuation or symbols)")
    assert skip_category(skip.reason) == "empty"


# --- NUL bytes ---------------------------------------------------------------------------


def test_ingest_nul_byte_in_a_jsonl_file_skips_only_its_record(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": GOOD}), '{"id": "b", "text": "bad\x00"}',
             json.dumps({"id": "c", "text": OTHER})]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert texts(items) == [GOOD, OTHER]
    assert [(s.origin, s.reason) for s in items if isinstance(s, Skip)] == [
        (f"{path}:2", "line 2: binary data (contains NUL bytes)")]


def test_ingest_binary_file_named_jsonl_is_still_skipped_whole(tmp_path: Path) -> None:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 40 + b"\n" * 30)
    assert read(path) == [Skip(str(path), "binary data (contains NUL bytes)")]


# --- inputs that never end, FIFOs ------------------------------------------------------


def test_ingest_dev_zero_is_read_only_up_to_max_bytes() -> None:
    [skip] = read("/dev/zero", settings=SETTINGS.with_(max_bytes=10_000))
    assert skip == Skip("/dev/zero", "more than 10000 bytes, over the limit of 10000; "
                                     "raise max_bytes to read it")


class _Endless(io.RawIOBase):
    """A stream that starts a JSON line and never ends it."""

    def __init__(self) -> None:
        super().__init__()
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = b'{"text": "' if not self.given else b"a" * len(buffer)
        size = min(len(buffer), len(chunk))
        buffer[:size] = chunk[:size]
        self.given += size
        return size


def test_ingest_stream_whose_line_never_ends_is_given_up() -> None:
    endless = _Endless()
    [skip] = read("-", stdin=io.BufferedReader(endless), settings=SETTINGS.with_(max_bytes=1000))
    assert skip == Skip("-:1", "line 1: more than 16000 bytes without a line end, over the "
                               "limit of 1000; the rest of the input is not read")
    assert skip_category(skip.reason) == "too_large"
    assert endless.given < 100_000


def _read_in_child(path: Path) -> list[str]:
    """Return what read_inputs makes of path, read by another Python process (which is
    killed if it has not finished in a minute: a FIFO must never block the reader)."""
    code = ("import sys\nfrom faultline.ingest import read_inputs\n"
            "from faultline.settings import Settings\n"
            "for item in read_inputs([sys.argv[1]], Settings()):\n"
            "    print(type(item).__name__, getattr(item, 'reason', '') or item.text)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.splitlines()


def test_ingest_fifo_nobody_writes_to_is_read_as_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)
    assert _read_in_child(fifo) == ["Skip no text (empty after stripping whitespace)"]


def test_ingest_fifo_a_process_writes_to_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as pipe:  # waits for the reader
            pipe.write(GOOD)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert _read_in_child(fifo) == [f"Document {GOOD}"]
    writer.join()


def test_ingest_folder_passes_over_fifos(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    assert _read_in_child(tmp_path) == [f"Document {GOOD}"]


@pytest.mark.parametrize("name", ["feed.jsonl", "page.html"])
def test_ingest_fifo_of_a_streamed_or_whole_format_is_read(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    content = (json.dumps({"text": GOOD}) + "\n" if name.endswith("jsonl")
               else f"<html><body><article><p>{GOOD}</p></article></body></html>")

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as pipe:
            pipe.write(content)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert _read_in_child(fifo) == [f"Document {GOOD}"]
    writer.join()
