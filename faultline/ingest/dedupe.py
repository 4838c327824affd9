"""De-duplication: the same text read twice in one run is one document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from faultline.models import Document, Skip


def dedupe(items: Iterable[Document | Skip]) -> Iterator[Document | Skip]:
    """Yield items, turning a Document whose text was already seen into a Skip.

    Identity is Document.doc_hash (models.text_hash of the normalised text),
    so copies that differ only in whitespace or Unicode composition count as
    the same document, whatever their ids or titles. The Skip's reason names
    the first copy: "duplicate of <doc_id> (<origin>)". Skips pass through.
    """
    first: dict[str, Document] = {}
    for item in items:
        if isinstance(item, Document):
            earlier = first.get(item.doc_hash)
            if earlier is not None:
                yield Skip(item.origin, f"duplicate of {earlier.doc_id} ({earlier.origin})")
                continue
            first[item.doc_hash] = item
        yield item
