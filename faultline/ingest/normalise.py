"""The one place every reader's text passes on its way out.

read_inputs() hands the text of every Document any reader gives, whatever
its format, to clean_text() before anything else sees it: the language
check, the document's hash and identity, parsing. A change to what faultline
does to incoming text belongs here, so that every format gets it.
"""

from __future__ import annotations

import dataclasses

from faultline.ingest.textmeta import normalise_newlines
from faultline.models import Document, text_hash


def clean_text(text: str) -> str:
    """Return text as faultline reads it: line ends as "\\n", no whitespace around it."""
    return normalise_newlines(text).strip()


def cleaned(document: Document) -> Document:
    """Return the document with its text cleaned (the same object when it already was),
    its hash and, unless the input named it, its id following the text."""
    text = clean_text(document.text)
    if text == document.text:
        return document
    digest = text_hash(text)
    own_id = document.doc_id != document.doc_hash
    return dataclasses.replace(document, text=text, doc_hash=digest,
                               doc_id=document.doc_id if own_id else digest)
