"""The one place every reader's text passes on its way out.

read_inputs() hands the text of every Document any reader gives, whatever
its format, to clean_text() before anything else sees it: the language
check, the document's hash and identity, parsing. A change to what faultline
does to incoming text belongs here, so that every format gets it, and the
same article read from a .txt file, an HTML page, a JSON record or standard
input comes out as the same text:

- line ends: Windows, old Mac and Unicode line and paragraph separators
  become "\\n";
- HTML entities ("&amp;", "&#8217;", "&nbsp;") are decoded; only complete
  ones (with the final ";"), so "AT&T" and "R&D" stay as written;
- HTML tags left in the text (JSON fields often carry them) are removed:
  inline ones (<u>, <b>, <a href=...>) without a trace, line breaks and
  block ones (<br>, <p>, <div>, <li>, <h2>) as a paragraph break, as an
  HTML page's paragraphs are read, <script> and <style> with what they
  hold. Only the names of real HTML elements count as tags, so "<5%" or
  "a < b" stay as written;
- Markdown loses its marks: bold (**Tuesday**, __Tuesday__), headings
  ("## Background"), links ("[the report](https://...)" keeps "the report");
- invisible characters (zero-width spaces and joiners, soft hyphens,
  byte-order marks, direction marks, control characters) are removed, and
  every other kind of space (no-break, thin, em...) and tabs become one
  plain space; runs of spaces become one, lines lose leading and trailing
  spaces; the text is put in Unicode NFC;
- lines of one paragraph broken at a fixed width (a text wrapped at 72
  columns) are joined again, and paragraphs are separated by exactly one
  blank line ("\\n\\n"), whether the input put one or two line breaks
  between them (unwrap()).

clean_lines() does all of this but the last step, for readers that look at
the lines at the top of a text (a title, a date line, a byline) before the
body is cleaned.
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata

from faultline.ingest.textmeta import normalise_newlines
from faultline.models import Document, text_hash

#: Lines longer than this (characters) were not wrapped at a fixed width: they are paragraphs.
WRAP_MAX_CHARS = 120
#: Entities inside entities ("&amp;amp;") are decoded this many times at most.
_ENTITY_ROUNDS = 3

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Tags are matched only with the names of HTML elements and well-formed
# attributes, so that text which merely contains "<" is left alone.
_ATTRIBUTES = r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?"""
_INLINE_TAGS = (
    "a abbr b bdi bdo big body cite code data del dfn em font head html i img ins kbd link "
    "mark meta nobr picture q s samp small source span strike strong sub sup time tt u var wbr"
)
_BLOCK_TAGS = (
    "address article aside blockquote br caption center dd details div dl dt figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul"
)


def _tag(names: str) -> str:
    """Return a pattern matching an opening, closing or empty tag of one of the names."""
    return rf"</?(?:{'|'.join(names.split())})\b{_ATTRIBUTES}>"


_HIDDEN_BLOCK = re.compile(
    rf"<(script|style|noscript|template)\b{_ATTRIBUTES}>.*?</\1\s*>|<!--.*?-->",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG = re.compile(_tag(_BLOCK_TAGS), re.IGNORECASE)
_INLINE_TAG = re.compile(_tag(_INLINE_TAGS), re.IGNORECASE)
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.MULTILINE)
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:https?://|/)[^()\s]*\)")

# Unicode's space separators (category Zs) other than " ", and tabs.
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Invisible formatting characters (category Cf: soft hyphen, zero-width space,
# joiners, direction marks, word joiner, byte-order mark) and control characters.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\x00-\x08\x0e-\x1f\x7f-\x9f]"
)
_HYPHENS = re.compile("[\u2010\u2011]")
_LINE_SEPARATORS = re.compile("[\u2028\x85\x0b\x0c]")
_RUN_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
# A line that ends a sentence: its last mark, before closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\] ]*$")
_LIST_ITEM = re.compile(r"(?:[-*\u2022\u2013\u2014]|\d{1,3}[.)])\s")


def decode_entities(text: str) -> str:
    """Return text with its complete HTML entities ("&amp;", "&#8217;") decoded."""
    for _ in range(_ENTITY_ROUNDS):
        decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if decoded == text:
            break
        text = decoded
    return text


def strip_markup(text: str) -> str:
    """Return text without HTML tags and Markdown marks; a line break or block tag
    (<br>, <p>, <div>, <li>) becomes a paragraph break."""
    text = _HIDDEN_BLOCK.sub("", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _INLINE_TAG.sub("", text)
    text = _HEADING.sub("", _LINK.sub(r"\1", text))
    return _BOLD.sub(r"\2", text)


def clean_lines(text: str) -> str:
    """Return text normalised as clean_text() does, but with its lines as they were broken."""
    text = decode_entities(normalise_newlines(text))
    text = normalise_newlines(text)  # "&#13;&#10;" decodes to a Windows line end
    text = _LINE_SEPARATORS.sub("\n", text.replace("\u2029", "\n\n"))
    text = strip_markup(text)
    text = _INVISIBLE.sub("", _HYPHENS.sub("-", _SPACES.sub(" ", text)))
    text = unicodedata.normalize("NFC", text)
    lines = (_RUN_OF_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _mid_sentence(line: str, following: str) -> bool:
    """Return whether a line breaks off inside a sentence (and not before a list item)."""
    return not _SENTENCE_END.search(line) and not _LIST_ITEM.match(following)


def _block_breaks(lines: list[str]) -> list[str]:
    """Return what each line break of a block of lines (no blank line between them) stands
    for: "" or " " when it only wrapped a paragraph, "\n\n" when it ends one."""
    pairs = list(zip(lines, lines[1:], strict=False))
    # Lines wrapped at a fixed width are short and break mostly inside sentences;
    # there, a line break is a wrap wherever the next word would not have fitted
    # on the line, also after a full stop ("the U.S." + "House").
    width = max(map(len, lines))
    wrapped = width <= WRAP_MAX_CHARS and 2 * sum(_mid_sentence(*p) for p in pairs) >= len(pairs)
    breaks = []
    for before, line in pairs:
        fits = len(before) + 1 + len(line.split()[0]) <= width
        if _mid_sentence(before, line) and line[:1].islower():
            wrap = True
        else:
            wrap = wrapped and not fits and not _LIST_ITEM.match(line)
        if not wrap:
            breaks.append("\n\n")
        elif before.endswith("-") and before[-2:-1].isalpha():
            breaks.append("")
        else:
            breaks.append(" ")
    return breaks


def unwrap(text: str) -> str:
    """Return text (as clean_lines() gives it) as paragraphs separated by one blank line,
    the lines of a paragraph wrapped at a fixed width joined again.

    In a block of lines with no blank line between them, a line break is a
    wrap when the line before does not end a sentence (".", "?", "!", ":",
    ";", perhaps before a closing quote) and the next line starts in lower
    case. When the lines of a block are at most WRAP_MAX_CHARS long and at
    least half of its breaks fall inside a sentence, the block was wrapped
    at a fixed width, and a break where the next word would not have fitted
    on the line is a wrap too. A word hyphenated across a wrap keeps its
    hyphen ("anti-" + "government"). Any other line break (after a sentence,
    a heading, a list item) separates paragraphs, as a blank line does:
    texts that put one line break between paragraphs read as those that put
    two.
    """
    if "\n" not in text:
        return text
    paragraphs = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        joined = lines[0]
        for glue, line in zip(_block_breaks(lines), lines[1:], strict=False):
            joined += glue + line
        paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def clean_text(text: str) -> str:
    """Return text as faultline reads it, whatever format it came in (see the module)."""
    return unwrap(clean_lines(text))


def clean_line(text: str | None) -> str | None:
    """Return a one-line field (a title, a byline) cleaned, on one line; None if blank."""
    if text is None:
        return None
    return " ".join(clean_lines(text).split()) or None


def cleaned(document: Document) -> Document:
    """Return the document with its text, title and byline cleaned (the same object when
    they already were), its hash and, unless the input named it, its id following the text."""
    text = clean_text(document.text)
    title, byline = clean_line(document.title), clean_line(document.byline)
    if (text, title, byline) == (document.text, document.title, document.byline):
        return document
    digest = text_hash(text)
    own_id = document.doc_id != document.doc_hash
    return dataclasses.replace(document, text=text, title=title, byline=byline,
                               doc_hash=digest, doc_id=document.doc_id if own_id else digest)
