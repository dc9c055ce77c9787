"""A local stand-in for Nominatim's /search endpoint, so no test touches the internet."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

BELGRADE: dict[str, Any] = {
    "place_id": 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
    "osm_type": "relation", "osm_id": 2728438, "lat": "44.8178131", "lon": "20.4568974",
    "class": "boundary", "type": "administrative", "importance": 0.82,
    "display_name": "Belgrade, City of Belgrade, Central Serbia, Serbia",
    "boundingbox": ["44.6", "45.0", "20.2", "20.7"],
}


@dataclass
class FakeNominatim:
    """What the server answers next, and every request it saw."""

    port: int = 0
    status: int = 200
    body: Any = field(default_factory=list)
    stall: bool = False  # hold the answer until teardown, to make the client time out
    release: threading.Event = field(default_factory=threading.Event)
    seen: list[dict[str, Any]] = field(default_factory=list)


def _handler(state: FakeNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            state.seen.append({"path": url.path, "params": parse_qs(url.query),
                               "user_agent": self.headers.get("User-Agent")})
            if state.stall:
                state.release.wait(5)
            payload = json.dumps(state.body).encode()
            with contextlib.suppress(OSError):  # the client may have given up already
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def nominatim() -> Iterator[FakeNominatim]:
    state = FakeNominatim()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


