"""Reading what a source answers: the article links of an RSS or Atom feed (feedparser), a
sitemap (urlset, or an index of sitemaps) or a JSON list, and an article page's text
(the HTML reader of faultline.ingest, which uses trafilatura).

Every refusal is a FeedError with a one-line reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from faultline.errors import FeedError, InputError
from faultline.feeds.fetch import Fetched
from faultline.feeds.sources import check_url
from faultline.models import Document

#: The media types an article page may have (a server that names none is given a try).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
#: The most a gzipped sitemap may unpack to: the sitemap protocol's own limit (50 MB).
MAX_UNPACKED = 52_428_800
#: The keys a JSON object may list its articles under (JSON Feed's is "items").
_JSON_LISTS = ("items", "articles", "entries", "results", "data")
#: The keys of an article's address, title and date in a JSON item.
_JSON_URL = ("url", "link", "external_url", "href")
_JSON_DATE = ("date_published", "published", "date", "pubDate", "updated", "date_modified")


@dataclass(frozen=True)
class Entry:
    """One article a source lists: its address, and the title and date it gives, if any."""

    url: str
    title: str | None = None
    date: str | None = None


@dataclass
class Listing:
    """What one source lists: a name for it, its articles, and (for a sitemap index) the
    sitemaps to read for more."""

    name: str | None = None
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def read_listing(fetched: Fetched, kind: str = "auto") -> Listing:
    """Return the articles a feed, sitemap or JSON answer lists (kind "auto": its content
    decides), their addresses made absolute. Raises FeedError when it is none of these."""
    body = fetched.body
    if body[:2] == b"\x1f\x8b":  # a gzipped sitemap (sitemap.xml.gz), served as it is
        body = _gunzip(body, MAX_UNPACKED)
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise FeedError("empty answer")
    if kind == "auto":
        if body[:1] in (b"{", b"[") or fetched.content_type.endswith("json"):
            kind = "json"
        elif _is_sitemap(body):
            kind = "sitemap"
        else:
            kind = "feed"
    reader = {"feed": _feed, "sitemap": _sitemap, "json": _json}[kind]
    return reader(body, fetched)


def _gunzip(data: bytes, limit: int) -> bytes:
    """Return gzipped data unpacked, refusing what unpacks to more than limit bytes."""
    import zlib

    unpacker = zlib.decompressobj(wbits=31)
    try:
        out = unpacker.decompress(data, limit)
    except zlib.error as exc:
        raise FeedError(f"malformed gzip data: {exc}") from None
    if unpacker.unconsumed_tail:
        raise FeedError(f"cut off: gzip data that unpacks to more than {limit} bytes")
    return out


def _absolute(base: str, link: Any) -> str | None:
    """Return link made absolute against base and without its fragment (#...), or None
    when it is no http(s) address."""
    if not isinstance(link, str) or not link.strip():
        return None
    # the fragment names a place in the page, not another page
    url = urldefrag(urljoin(base, link.strip())).url
    return url if check_url(url) is None else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _feed(body: bytes, fetched: Fetched) -> Listing:
    import io

    import feedparser

    headers = {"content-location": fetched.url}
    if fetched.content_type:
        headers["content-type"] = fetched.content_type + (
            f"; charset={fetched.charset}" if fetched.charset else "")
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                                  sanitize_html=False)
    except Exception as exc:  # a feed feedparser itself chokes on must not stop the round
        raise FeedError(f"malformed feed ({type(exc).__name__}: {exc})") from None
    listing = Listing(name=_text(parsed.feed.get("title")))
    for item in parsed.entries:
        url = _absolute(fetched.url, item.get("link"))
        if url is None:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", stamp) if stamp else None
        listing.entries.append(Entry(url, _text(item.get("title")), date))
    # feedparser reads what it can of a broken feed: refuse one that gave nothing usable
    if not listing.entries and parsed.bozo:
        problem = str(parsed.get("bozo_exception", "")).splitlines()[:1]
        raise FeedError("malformed feed" + (f": {problem[0]}" if problem else ""))
    if not listing.entries and not parsed.version:
        raise FeedError("not an RSS or Atom feed, a sitemap or JSON")
    return listing


def _xml_root(body: bytes) -> Any:
    """Return the root of an XML document, read without entities or network access."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"malformed sitemap: {exc}") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_sitemap(body: bytes) -> bool:
    head = body[:2048]
    return b"<urlset" in head or b"<sitemapindex" in head


def _sitemap(body: bytes, fetched: Fetched) -> Listing:
    root = _xml_root(body)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap (its root is <{kind}>, not <urlset> or <sitemapindex>)")
    listing = Listing()
    dated: list[tuple[str, Entry]] = []
    for node in root:
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "title", "publication_date") and child.text:
                fields.setdefault(name, child.text.strip())
        url = _absolute(fetched.url, fields.get("loc"))
        if url is None:
            continue
        if kind == "sitemapindex":
            listing.sitemaps.append(url)
            continue
        date = fields.get("publication_date") or fields.get("lastmod")
        dated.append((date or "", Entry(url, fields.get("title"), date[:10] if date else None)))
    # a sitemap lists pages in no order: the newest first, so feed_max_pages keeps them
    listing.entries = [entry for _, entry in sorted(dated, key=lambda d: d[0], reverse=True)]
    return listing


def _json(body: bytes, fetched: Fetched) -> Listing:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise FeedError(f"malformed JSON: {str(exc).splitlines()[0] if str(exc) else exc}"
                        ) from None
    name = None
    items: Any = data
    if isinstance(data, dict):
        name = _text(data.get("title"))
        items = next((data[k] for k in _JSON_LISTS if isinstance(data.get(k), list)), None)
    if not isinstance(items, list):
        raise FeedError("JSON without a list of articles (give a list, or an object with "
                        f"one of {', '.join(_JSON_LISTS)})")
    listing = Listing(name=name)
    for item in items:
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            continue
        url = _absolute(fetched.url, next((item[k] for k in _JSON_URL if k in item), None))
        if url is None:
            continue
        date = next((_text(item[k]) for k in _JSON_DATE if _text(item.get(k))), None)
        listing.entries.append(Entry(url, _text(item.get("title")), date))
    return listing


def page_document(fetched: Fetched) -> Document:
    """Return the main text of an article page as a Document (faultline's HTML reader).
    Raises FeedError when the answer is not HTML or holds no text."""
    from faultline.ingest.readers import read_html

    if fetched.content_type not in HTML_TYPES:
        raise FeedError(f"not an HTML page ({fetched.content_type})")
    try:
        return read_html(fetched.body, fetched.url)
    except InputError as exc:
        raise FeedError(str(exc)) from None
