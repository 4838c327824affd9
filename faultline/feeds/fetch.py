"""Fetching feeds and pages politely: conditional GET, a pause between two requests to one
host, and bounds on time and size.

Every failure is a FeedError with a one-line reason, transient when the next round
may do better (a timeout, a refused connection, a 5xx, a 429).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from faultline._version import __version__
from faultline.errors import FeedError
from faultline.settings import Settings
from faultline.store.feeds import Validators

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

#: Redirects followed before a request is given up.
MAX_REDIRECTS = 5
#: The name faultline gives itself to web servers and looks for in robots.txt.
_AGENT = "faultline"
#: The longest pause a robots.txt Crawl-delay may impose between two requests (seconds).
MAX_CRAWL_DELAY = 60.0
#: Answers worth trying again later; other 4xx answers will not change by waiting.
_TRANSIENT = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Fetched:
    """One answer read in full: where it came from after redirects, and its body."""

    url: str
    #: The media type, lower case, without parameters ("" when the server gave none).
    content_type: str
    #: The charset the Content-Type names, if any.
    charset: str | None
    body: bytes
    validators: Validators


class Fetcher:
    """An HTTP client for one watch: one connection pool, and the time each host was last
    asked (so no host is asked twice within the feed_delay setting)."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 on_fetch: Callable[[str], None] | None = None) -> None:
        """Fetch under settings; sleep and clock keep the pauses; on_fetch is told each
        address as it is asked for."""
        import httpx

        self.timeout = settings.feed_timeout
        self.delay = settings.feed_delay
        self.max_bytes = settings.feed_max_bytes
        self._sleep = sleep
        self._clock = clock
        self._on_fetch = on_fetch
        self._last: dict[str, float] = {}
        #: Each site's robots.txt, read on first use, and the hosts that ask for a longer
        #: pause than feed_delay (Crawl-delay).
        self._robots: dict[str, Any] = {}
        self._delays: dict[str, float] = {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.feed_timeout), follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": f"{_AGENT}/{__version__} (news event coder; feed reader)"})

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def get(self, url: str, validators: Validators | None = None) -> Fetched | None:
        """Return the answer at url, or None when validators were given and the server says
        nothing changed (304). Raises FeedError with the reason it cannot be used."""
        import httpx

        headers = {}
        if validators is not None and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators is not None and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        self._wait_for(url)
        if self._on_fetch is not None:
            self._on_fetch(url)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                fetched = self._read(response)
            log.info("fetched %s: %s", url, "not modified" if fetched is None else
                     f"{len(fetched.body)} bytes of {fetched.content_type or 'no type'}")
            return fetched
        except httpx.TimeoutException:
            raise FeedError(f"no answer within {self.timeout:g} s (setting feed_timeout)",
                            transient=True) from None
        except httpx.TooManyRedirects:
            raise FeedError(f"more than {MAX_REDIRECTS} redirects") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FeedError(f"cannot fetch: {exc}") from None
        except httpx.HTTPError as exc:
            raise FeedError(f"cannot fetch: {exc or type(exc).__name__}", transient=True) from None
        finally:
            self._done(url)

    def allowed(self, url: str) -> bool:
        """Return whether the robots.txt of url's site lets faultline fetch it (asked once
        per site; a site without one, or whose robots.txt cannot be read, allows all).
        A Crawl-delay longer than feed_delay becomes that site's pause (up to
        MAX_CRAWL_DELAY)."""
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(site)
        if rules is None:
            rules = RobotFileParser()
            try:
                fetched = self.get(f"{site}/robots.txt")
                text = fetched.body.decode("utf-8", "replace") if fetched else ""
            except FeedError:
                text = ""
            rules.parse(text.splitlines())
            self._robots[site] = rules
            delay = rules.crawl_delay(_AGENT)
            if delay is not None and float(delay) > self.delay:
                self._delays[_host(url)] = min(float(delay), MAX_CRAWL_DELAY)
        return rules.can_fetch(_AGENT, url)

    def _read(self, response: httpx.Response) -> Fetched | None:
        """Return the answer's body (None for 304), refusing an error status, a body larger
        than max_bytes and one that takes longer than the timeout to arrive."""
        if response.status_code == 304:
            return None
        if response.status_code >= 400:
            code = response.status_code
            raise FeedError(f"HTTP {code} {response.reason_phrase}".rstrip(),
                            transient=code >= 500 or code in _TRANSIENT)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FeedError(self._too_large(f"{int(declared)} bytes, more"))
        started = self._clock()
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FeedError(self._too_large("more"))
            chunks.append(chunk)
            # a server that trickles a byte a second never trips the read timeout
            if self._clock() - started > self.timeout:
                raise FeedError(f"body not read within {self.timeout:g} s (setting "
                                "feed_timeout)", transient=True)
        media, _, params = response.headers.get("Content-Type", "").partition(";")
        charset = None
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        return Fetched(str(response.url), media.strip().lower(), charset, b"".join(chunks),
                       Validators(response.headers.get("ETag"),
                                  response.headers.get("Last-Modified")))

    def _too_large(self, size: str) -> str:
        return (f"cut off: {size} than the {self.max_bytes} bytes the feed_max_bytes setting "
                "allows; not read further")

    def _wait_for(self, url: str) -> None:
        """Sleep until url's host was last asked at least feed_delay seconds ago."""
        host = _host(url)
        last = self._last.get(host)
        if last is not None:
            pause = last + self._delays.get(host, self.delay) - self._clock()
            if pause > 0:
                self._sleep(pause)

    def _done(self, url: str) -> None:
        self._last[_host(url)] = self._clock()


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
