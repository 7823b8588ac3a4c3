"""Recorded provider payloads from tests/fixtures/, replayed through pytest-httpserver.

A route is a pytest-httpserver request handler matching a path and, optionally, some query values; it
serves its queue of one-off replies (a 429, a burst of 502s, a truncated body) first, then its steady
reply. `{base}` in a header or body is replaced by the server's own URL, so Link headers point back at it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from pytest_httpserver import HTTPServer
from pytest_httpserver.httpserver import QueryMatcher
from werkzeug import Request, Response

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def _query(raw: bytes | str) -> dict[str, str]:
    text = raw.decode() if isinstance(raw, bytes) else raw
    return {key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()}


class QueryIncludes(QueryMatcher):
    """Matches a query string holding at least these values: paginators add parameters of their own."""

    def __init__(self, expected: Mapping[str, str]) -> None:
        self.expected = dict(expected)

    def get_comparing_values(self, request_query_string: bytes) -> tuple[dict[str, str | None], dict[str, str]]:
        query = _query(request_query_string)
        return {key: query.get(key) for key in self.expected}, self.expected


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None

    def response(self, base: str) -> Response:
        payload = self.raw if self.raw is not None else json.dumps(self.body).replace("{base}", base).encode()
        headers = {name: value.replace("{base}", base) for name, value in self.headers.items()
                   if name != "X-Truncate"}
        if self.raw is not None and "X-Truncate" in self.headers:
            # announce more bytes than are sent, as a connection cut mid-body does
            headers["Content-Length"] = str(len(payload) + 100)
        # the reason phrase as real servers send it (werkzeug's own is upper-case)
        status = f"{self.status} {HTTPStatus(self.status).phrase}"
        return Response(payload, status=status, headers=headers, content_type="application/json; charset=utf-8")


@dataclass
class Route:
    path: str
    query: dict[str, str]
    steady: Reply
    base: str
    once: list[Reply] = field(default_factory=list)

    def respond(self, request: Request) -> Response:
        return (self.once.pop(0) if self.once else self.steady).response(self.base)


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class ReplayServer:
    """Routes on a pytest-httpserver server; what it received is read back from the server's log."""

    def __init__(self, httpserver: HTTPServer) -> None:
        self.httpserver = httpserver
        self.routes: list[Route] = []
        self.base = httpserver.url_for("/").rstrip("/")
        # an unknown path is a provider's 404, not pytest-httpserver's "no handler" 500
        httpserver.no_handler_status_code = 404

    def add(self, path: str, body: Any = None, *, status: int = 200, headers: dict[str, str] | None = None,
            query: dict[str, str] | None = None, raw: bytes | None = None) -> Route:
        """The steady reply of `path`; later routes are tried first, so a more specific query wins."""
        route = Route(path, query or {}, Reply(status, body, headers or {}, raw), self.base)
        # werkzeug matches on the decoded path; GitLab's project ids are URL-encoded (acme%2Fapi)
        self.httpserver.expect_request(unquote(path), query_string=QueryIncludes(route.query)).respond_with_handler(
            route.respond)
        handlers = self.httpserver.handlers
        handlers.insert(0, handlers.pop())
        self.routes.insert(0, route)
        return route

    def fail_first(self, route: Route, *replies: Reply) -> None:
        route.once.extend(replies)

    @property
    def seen(self) -> list[Seen]:
        return [Seen(request.method, urlsplit(request.environ.get("RAW_URI", request.path)).path,
                     _query(request.query_string), dict(request.headers.items()), request.get_data())
                for request, _ in self.httpserver.log]

    def forget_seen(self) -> None:
        self.httpserver.clear_log()

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]
