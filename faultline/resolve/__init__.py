"""The resolve stage: what the words of a parsed document refer to.

mentions (the dictionary scans: gazetteer, people, places, sector phrases),
actors (country + sector for the arguments of a clause), discourse (pronouns,
titles, surnames), dates, and the people a document named (sightings, registry).
"""

from __future__ import annotations
