"""Benchmark: the web app over a synthetic database of a million events.

    python bench/bench_web.py [--events 1000000] [--requests 60] [--db PATH]

Makes the database with bench_relations.py's generator (or reuses --db), serves
the app with uvicorn on a free local port, as `faultline serve` does, and times
real HTTP requests from one client:

  overview ready   a fresh server: from start (importing the web app included) to
                   the overview page answered (the server computes the overview's
                   analyses first as it starts), and the same page again
  prepared         from start until the server has also made its index of events
                   and pairs and every pair's relationship with evidence; the
                   requests below are timed after that
  events           filtered pages of /api/v1/events: a different filter every request
                   (actors, pairs, types, quad classes, dates, words, sorts, and the
                   next page of some)
  relations        /api/v1/relations pages (actors, offsets)
  pair timeline    /api/v1/dyads/A/B?by=month, a different pair every request
  alerts           /api/v1/alerts (actors, thresholds)

For each: the first request (before anything is remembered), then p50 / p95 /
max of --requests requests. Not a test: numbers on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_relations import build  # noqa: E402

from faultline.settings import load_settings  # noqa: E402


@contextmanager
def serving(db: Path) -> Iterator[tuple[str, threading.Event]]:
    """Serve the app over db on a free local port; yield its address and the event set
    when the server has prepared what it prepares as it starts."""
    import uvicorn

    from faultline.web import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(load_settings(environ={}).with_(db=db), warm_up=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", app.state.prepared
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def timed(client: httpx.Client, url: str) -> float:
    """Return the seconds one GET took; fail on anything but 200."""
    started = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code} {response.text[:200]}")
    return seconds


def report(name: str, client: httpx.Client, urls: Callable[[int], str], n: int) -> None:
    """Print the first request's time and p50 / p95 / max of n more, in milliseconds."""
    first = timed(client, urls(0))
    times = sorted(timed(client, urls(i)) for i in range(1, n + 1))
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"{name:<16} first {first * 1000:7.0f} ms   p50 {statistics.median(times) * 1000:6.0f}"
          f"   p95 {p95 * 1000:6.0f}   max {times[-1] * 1000:6.0f} ms   ({n} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the generated database here")
    args = parser.parse_args()
    rng = random.Random(11)
    codes = [f"X{a}{b}" for a in "AB" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:40]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.events, args.actors)
            print(f"generated {args.events:,} events in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with serving(db) as (base, prepared), \
                httpx.Client(base_url=base, timeout=120) as client:
            timed(client, "/")
            ready = time.perf_counter() - started
            again = timed(client, "/")
            print(f"overview ready   {ready * 1000:7.0f} ms from server start; "
                  f"again {again * 1000:.0f} ms")
            prepared.wait()
            print(f"prepared         {time.perf_counter() - started:7.1f} s from server start")
            types = ["ASSAULT", "COERCE", "AGREE", "ACCUSE", "PROTEST", "AID"]

            def events(i: int) -> str:
                a, b = rng.sample(codes, 2)
                choices = [
                    f"actor={a}", f"pair={a},{b}", f"actor={a}&type={rng.choice(types)}",
                    f"quad={rng.randint(1, 4)}&since=202{rng.randint(1, 5)}-01-01",
                    f"actor={a}:GOV&sort=-intensity", f"q={a.lower()}+acted",
                    f"pair={a},{b}&since=2023-01-01&until=2024-12-31",
                    f"type={rng.choice(types)}&sort=confidence",
                ]
                return f"/api/v1/events?{rng.choice(choices)}&limit=50"

            report("events", client, events, args.requests)
            report("relations", client, lambda i: "/api/v1/relations?limit=50"
                   + (f"&actor={rng.choice(codes)}" if i % 2 else f"&offset={50 * i}"),
                   args.requests)
            pairs = [tuple(rng.sample(codes, 2)) for _ in range(args.requests + 1)]
            report("pair timeline", client,
                   lambda i: f"/api/v1/dyads/{pairs[i][0]}/{pairs[i][1]}?by=month",
                   args.requests)
            report("alerts", client, lambda i: "/api/v1/alerts"
                   + (f"?actor={rng.choice(codes)}" if i % 2 else ""), args.requests)


if __name__ == "__main__":
    main()
