"""The resolve stage: actors (country + sector) for the arguments of a clause."""

from __future__ import annotations
