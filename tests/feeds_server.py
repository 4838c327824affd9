"""A news site on 127.0.0.1 for the feed tests: feeds, a sitemap, a JSON list and article
pages from tests/fixtures/feeds, and pages that fail in each way a real site does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "feeds"
#: The validators the feeds answer with.
ETAG = '"feed-v1"'
MODIFIED = "Mon, 02 Nov 2026 08:00:00 GMT"
#: The size of the huge page, well over the tests' feed_max_bytes.
HUGE = 400_000

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Test Wire: Caucasus and Black Sea</title>
<link>{base}/</link>
<description>Invented news for tests</description>
<item><title>Border guards detain soldiers</title><link>{base}/news/armenia-border.html</link>
<pubDate>Mon, 02 Nov 2026 07:00:00 GMT</pubDate></item>
<item><title>Rail deal signed in Tbilisi</title><link>/news/georgia-rail.html</link>
<pubDate>Tue, 03 Nov 2026 07:00:00 GMT</pubDate></item>
<item><title>Chisinau expels diplomat</title><link>{base}/old/moldova-envoy</link></item>
<item><title>A page that is gone</title><link>{base}/news/missing.html</link></item>
<item><title>A page far too long</title><link>{base}/news/huge.html</link></item>
<item><title>A report as PDF</title><link>{base}/files/report.pdf</link></item>
<item><title>An internal memo</title><link>{base}/private/memo.html</link></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Test Wire: Central Asia</title>
<id>urn:test:atom</id><updated>2026-11-05T09:00:00Z</updated>
<entry><title>Gas talks in Astana</title><id>urn:test:kaz</id>
<link href="{base}/news/kazakh-gas.html"/><updated>2026-11-05T09:00:00Z</updated></entry>
<entry><title>Border guards detain soldiers</title><id>urn:test:arm</id>
<link href="{base}/news/armenia-border.html"/><updated>2026-11-02T07:00:00Z</updated></entry>
<entry><title>A page that never answers</title><id>urn:test:slow</id>
<link href="{base}/news/slow.html"/><updated>2026-11-05T10:00:00Z</updated></entry>
</feed>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/news/finland-airspace.html</loc><lastmod>2026-11-06</lastmod></url>
</urlset>
"""

JSON_LIST = """{{"title": "Test Wire API", "items": [
 {{"url": "{base}/news/lithuania-balloons.html", "title": "Vilnius closes border crossings",
   "date_published": "2026-11-07T06:00:00Z"}},
 {{"link": "mailto:desk@example.org"}}
]}}
"""

SOURCES = """# feeds of the test site
{base}/rss.xml
{base}/atom.xml
feed {base}/broken.xml
sitemap {base}/sitemap.xml
json {base}/latest.json
{base}/nowhere.xml
"""


@dataclass
class Site:
    """The running site: its base URL and the requests it answered."""

    base: str
    #: (path, If-None-Match, If-Modified-Since, status) of every request, in order.
    requests: list[tuple[str, str | None, str | None, int]] = field(default_factory=list)
    #: Set when the tests end, so a held-back answer gives up at once.
    stop: threading.Event = field(default_factory=threading.Event)
    #: What /robots.txt answers.
    robots: str = "User-agent: *\nDisallow: /private/\n"
    #: Set when the page that never answers in time is asked for.
    slow_asked: threading.Event = field(default_factory=threading.Event)

    def statuses(self, path: str) -> list[int]:
        """Return the statuses the site answered path with, in order."""
        return [status for p, _, _, status in self.requests if p == path]

    def sources_file(self, folder: Path) -> Path:
        """Write the sources file listing the site's feeds into folder; return its path."""
        path = folder / "sources.txt"
        path.write_text(SOURCES.format(base=self.base), encoding="utf-8")
        return path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the tests read site.requests

        def _asked(self, status: int) -> None:
            site.requests.append((self.path, self.headers.get("If-None-Match"),
                                  self.headers.get("If-Modified-Since"), status))

        def _answer(self, status: int, body: bytes = b"", content_type: str = "text/html",
                    headers: dict[str, str] | None = None, length: bool = True) -> None:
            self._asked(status)
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _feed(self, text: str, content_type: str) -> None:
            if self.headers.get("If-None-Match") == ETAG:
                self._answer(304, headers={"ETag": ETAG})
                return
            self._answer(200, text.format(base=site.base).encode(), content_type,
                         {"ETag": ETAG, "Last-Modified": MODIFIED})

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path
            feeds = {"/rss.xml": (RSS, "application/rss+xml"),
                     "/atom.xml": (ATOM, "application/atom+xml"),
                     "/sitemap.xml": (SITEMAP, "application/xml"),
                     "/latest.json": (JSON_LIST, "application/json")}
            if path in feeds:
                self._feed(*feeds[path])
            elif path == "/robots.txt":
                self._answer(200, site.robots.encode(), "text/plain")
            elif path == "/broken.xml":
                self._answer(200, b"<rss><channel><item><title>Cut & \x01 off", "text/xml")
            elif path == "/old/moldova-envoy":
                self._answer(301, headers={"Location": "/news/moldova-envoy.html"})
            elif path == "/news/slow.html":
                self._asked(0)  # 0: never answered in time
                site.slow_asked.set()
                site.stop.wait(10)  # longer than the tests' feed_timeout; then no answer
            elif path == "/news/huge.html":
                body = b"<html><body>" + b"<p>More words and more words.</p>" * (HUGE // 32)
                self._answer(200, body, length=False)  # no length: cut off while reading
            elif path == "/files/report.pdf":
                self._answer(200, b"%PDF-1.4 not really", "application/pdf")
            elif path.startswith("/news/") and (PAGES / path[6:]).is_file():
                self._answer(200, (PAGES / path[6:]).read_bytes(), "text/html; charset=utf-8")
            else:
                self._answer(404, b"<html><body>Not found</body></html>")

    return Handler


@contextmanager
def news_site() -> Iterator[Site]:
    """Run the site on a free port of 127.0.0.1 while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Site("")))
    site = Site(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()
        thread.join()
