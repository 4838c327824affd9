"""The analysis stage: relationships computed from the stored events, in DuckDB SQL.

Each module is a few functions that take an open Store and return data
(dataclasses with as_dict(), or Arrow tables): dyads, relations (signed
relationship states with evidence), chains (reciprocity), triads (closed
triangles) and clusters (the reports of each real-world event). All of them
count a real-world event once, through the store's `event_units` view.
"""
