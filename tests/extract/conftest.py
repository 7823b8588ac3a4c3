"""Fixtures for REST source tests: a replay server (pytest-httpserver), fast retries, and raw-table readers."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from provider_helpers import TOKEN, files_containing  # noqa: F401  (re-exported for fixtures)
from pytest_httpserver import HTTPServer
from rest_replay import ReplayServer

_names = itertools.count()


@pytest.fixture
def replay(httpserver: HTTPServer) -> ReplayServer:
    """Routes on pytest-httpserver's server, which the plugin empties after each test."""
    return ReplayServer(httpserver)


FAST_RETRIES = {"RUNTIME__REQUEST_MAX_ATTEMPTS": "5", "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001",
                "RUNTIME__REQUEST_MAX_RETRY_DELAY": "0.05", "RUNTIME__REQUEST_TIMEOUT": "5"}


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> int:
    """dlt's `[runtime] request_*` settings in milliseconds instead of seconds, with a ceiling so a Retry-After
    or rate-limit reset of 1 s stays short too; returns the attempts a request gets."""
    for name, value in FAST_RETRIES.items():
        monkeypatch.setenv(name, value)
    return int(FAST_RETRIES["RUNTIME__REQUEST_MAX_ATTEMPTS"])


@pytest.fixture
def dataset_name(request: pytest.FixtureRequest) -> str:
    """A dataset of its own per test: the session shares one chDB engine."""
    return f"t{next(_names)}_{request.node.name.split('[')[0][-24:]}".lower().replace("-", "_")


@pytest.fixture
def raw_rows(warehouse) -> Callable[..., list[dict[str, Any]]]:
    def read(dataset: str, table: str, columns: str, order_by: str) -> list[dict[str, Any]]:
        result = warehouse.query(f"select {columns} from raw.{dataset}___{table} order by {order_by}")
        return [{name: _as_utc(value) for name, value in zip(result.columns, row, strict=True)}
                for row in result.rows]

    return read


def _as_utc(value: Any) -> Any:
    # the chDB client hands DateTime64(6, 'UTC') back as naive datetimes in UTC
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value


