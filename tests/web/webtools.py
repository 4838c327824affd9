"""Helpers of the web tests."""

from __future__ import annotations

import json
from typing import Any


def rounded(value: Any) -> Any:
    """Return records as JSON-ready data (as the API sends them) with floats to 9 digits:
    DuckDB sums in parallel, so two runs may differ in the last digits."""
    if hasattr(value, "as_dict"):
        value = value.as_dict()
    value = json.loads(json.dumps(value))

    def walk(item: Any) -> Any:
        if isinstance(item, float):
            return round(item, 9)
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value)
