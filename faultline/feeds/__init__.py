"""Watching news feeds: `faultline watch` reads RSS and Atom feeds, sitemaps and JSON
lists of articles, fetches the new articles politely and ingests their text.

- sources.py: the sources file, one URL a line;
- fetch.py: HTTP with conditional GET, a pause per host, bounds on time and size;
- parse.py: the links a feed, sitemap or JSON list gives, an article's text;
- watch.py: the rounds (what is fetched, what is skipped, what is remembered).

What a round remembers between runs (validators, pages done with) is in the
database (faultline/store/feeds.py); the text goes through the service's ingest.
"""

from __future__ import annotations

from faultline.feeds.sources import Source, read_sources
from faultline.feeds.watch import Problem, Round, watch, watch_round

__all__ = ["Problem", "Round", "Source", "read_sources", "watch", "watch_round"]
