"""The write path's two hang risks, timed: a mention-dense article scanned for candidates, and
a fetch from a server that drips its page.

Usage: .venv/bin/python benchmarks/write_path.py [--mentions 200000] [--deadline 5]

The article is "Belgrade. " repeated (2 MB for 200,000 mentions, under the 2 MB size cap of
an added article), scanned with the project's place list, where Belgrade is a known place:
every hit must be checked against every linked mention (target: at most 5 s). It is
scanned again with an empty list, where every hit is a candidate to settle and place in
its sentence. A third article repeats "We walked to the Temple of Saint Sava in Belgrade."
to 2 MB: 40,000 landmark hits that each replace the candidates inside them. The server
sends 8 bytes every 0.1 s, so no single read times out; the fetch must fail at its deadline.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.config import ROOT
from geo.dataset.places import load_places
from geo.errors import FetchError
from geo.ingest.candidates import scan
from geo.ingest.fetch import fetch

LANDMARK_SENTENCE = "We walked to the Temple of Saint Sava in Belgrade. "


def dense_scan(mentions: int, *, listed: bool = True, sentence: str = "Belgrade. "
               ) -> tuple[float, int, int]:
    """Seconds to scan the dense article, the number of mentions linked and of candidates;
    unlisted, with an empty place list (every Belgrade becomes a candidate)."""
    text = sentence * mentions + "\n"
    places = load_places(ROOT / "data" / "places.csv") if listed else []
    started = time.perf_counter()
    result = scan(text, places, source="dense.txt")
    return time.perf_counter() - started, len(result.linked), len(result.candidates)


class _Drip(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body><p>" + b"x" * 100_000 + b"</p></body></html>"
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode()
        data = head + body
        with contextlib.suppress(OSError):
            for at in range(0, len(data), 8):
                self.wfile.write(data[at:at + 8])
                time.sleep(0.1)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def dripping_fetch(deadline: float) -> tuple[float, str]:
    """Seconds until a fetch from a dripping local server gives up, and its message."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    started = time.perf_counter()
    try:
        fetch(f"http://127.0.0.1:{server.server_address[1]}/", "benchmark", timeout=2.0,
              deadline=deadline)
        message = "fetched (no deadline?)"
    except FetchError as err:
        message = str(err)
    finally:
        elapsed = time.perf_counter() - started
        server.shutdown()
        server.server_close()
    return elapsed, message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--deadline", type=float, default=5.0)
    args = parser.parse_args()
    seconds, linked, candidates = dense_scan(args.mentions)
    size = len("Belgrade. ") * args.mentions + 1
    print(f"dense scan: {size / 1e6:.1f} MB, {linked} mentions linked, {candidates} candidates "
          f"in {seconds:.2f} s (target <= 5 s)")
    seconds, linked, candidates = dense_scan(args.mentions, listed=False)
    print(f"dense scan, city not in the list: {candidates} candidates in {seconds:.2f} s")
    repeats = len("Belgrade. ") * args.mentions // len(LANDMARK_SENTENCE)
    seconds, linked, candidates = dense_scan(repeats, listed=False, sentence=LANDMARK_SENTENCE)
    print(f"dense landmarks: {repeats} x the Temple of Saint Sava, {candidates} candidates in "
          f"{seconds:.2f} s")
    seconds, message = dripping_fetch(args.deadline)
    print(f"dripping fetch: gave up after {seconds:.2f} s (deadline {args.deadline:g} s): {message}")


if __name__ == "__main__":
    main()
