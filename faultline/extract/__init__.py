"""The extract stage: clauses (predicate, arguments, modality) from the dependency parse,
and the ParsedDoc every extractor reads (extract.parsed)."""

from __future__ import annotations

from faultline.extract.clauses import Clause, Grammar, extract_clauses

__all__ = ["Clause", "Grammar", "extract_clauses"]
