"""Dependencies: statements that one actor depends on another, and for what.

A stage beside event coding: `extract` finds the statements in parsed
sentences (words from `lexicon`, the data file dependencies.yaml), the store
keeps them, and `edges` aggregates them into supplier -> dependent edges.
"""
