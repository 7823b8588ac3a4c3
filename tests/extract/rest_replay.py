"""A local HTTP server that replays recorded provider payloads from tests/fixtures/.

Routes match a path and, optionally, query values; each route holds a queue of one-off responses
(a 429, a burst of 502s, a truncated body) served first, then its steady response. `{base}` in a
header or body is replaced by the server's own URL, so Link headers point back at it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def encoded(self, base: str) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body).replace("{base}", base).encode()


@dataclass
class Route:
    path: str
    query: dict[str, str]
    steady: Reply
    once: list[Reply] = field(default_factory=list)

    def matches(self, path: str, query: dict[str, str]) -> bool:
        return path == self.path and all(query.get(key) == value for key, value in self.query.items())


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class ReplayServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, body: Any = None, *, status: int = 200, headers: dict[str, str] | None = None,
            query: dict[str, str] | None = None, raw: bytes | None = None) -> Route:
        """The steady response of `path`; more specific queries win because later routes are tried first."""
        route = Route(path, query or {}, Reply(status, body, headers or {}, raw))
        self.routes.insert(0, route)
        return route

    def fail_first(self, route: Route, *replies: Reply) -> None:
        route.once.extend(replies)

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def _respond(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> tuple[Reply, str]:
        parts = urlsplit(raw_path)
        query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
        with self._lock:
            self.seen.append(Seen(method, parts.path, query, headers, body))
            for route in self.routes:
                if route.matches(parts.path, query):
                    return (route.once.pop(0) if route.once else route.steady), self.base
        return Reply(404, {"message": "Not Found"}), self.base

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply, base = server._respond(self.command, self.path, dict(self.headers.items()), body)
                payload = reply.encoded(base)
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in reply.headers.items():
                    self.send_header(name, value.replace("{base}", base))
                if reply.raw is not None and reply.headers.get("X-Truncate") is not None:
                    # announce more bytes than are sent, as a connection cut mid-body does
                    self.send_header("Content-Length", str(len(payload) + 100))
                else:
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server
