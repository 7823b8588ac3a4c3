"""Connections to the warehouse: in-process chDB by default, a ClickHouse server in production.

chDB allows one engine per process, so every embedded caller (CLI, dlt, dbt adapter) shares the
client that `chdb_client` caches per data folder.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import clickhouse_connect
from clickhouse_connect.driver.client import Client

from devhealth import locks
from devhealth.errors import DevhealthError, WarehouseError
from devhealth.settings import ClickHouseSettings, clickhouse_settings
from devhealth.unreachable import unreachable_reason

_lock = threading.Lock()
_chdb_clients: dict[Path, Client] = {}
# BACKUP/RESTORE to File() needs an allowed path; the embedded engine already runs with the user's own
# file permissions, so any folder the user names is allowed
_CHDB_OPTIONS = {"backups.allowed_path": "/"}


def chdb_client(path: Path) -> Client:
    """The process-wide chDB client for `path`, created on first use."""
    path = Path(path).resolve()
    with _lock:
        client = _chdb_clients.get(path)
        if client is None:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WarehouseError(f"embedded warehouse {path}: cannot create it ({error.strerror})") from None
            hold_embedded_warehouse(path)
            client = clickhouse_connect.get_client(interface="chdb", path=str(path), chdb_options=_CHDB_OPTIONS)
            _chdb_clients[path] = client
        return client


def chdb_handle(path: Path) -> Client:
    """A new client on the process's chDB engine of `path`, beside the shared one.

    A chDB client runs one call at a time; the engine itself runs the calls of several clients at once,
    so a server answering concurrent requests gives each of its worker threads a handle of its own.
    """
    chdb_client(path)  # opens the engine (and holds its folder) once per process
    return clickhouse_connect.get_client(interface="chdb", path=str(Path(path).resolve()),
                                         chdb_options=_CHDB_OPTIONS)


def hold_embedded_warehouse(path: Path) -> None:
    """One process at a time opens the chDB engine of `path`: a second sync or a dbt build meanwhile is told
    who holds it, rather than failing inside the engine ("Error initializing EmbeddedServer")."""
    locks.hold(path.parent / f"{path.name}.lock", f"the embedded warehouse {path}")


def sql_string(text: str) -> str:
    """`text` as a ClickHouse string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[Sequence[Any]]


class Warehouse:
    """Runs SQL on the resolved warehouse, whatever its transport."""

    def __init__(self, settings: ClickHouseSettings | None = None) -> None:
        self.settings = settings or clickhouse_settings()
        self._native: Any = None
        self._http: Client | None = None

    def _client(self) -> Client:
        if self.settings.is_embedded:
            assert self.settings.path is not None
            return chdb_client(self.settings.path)
        if self._http is None:
            self._http = clickhouse_connect.get_client(
                host=self.settings.host, port=self.settings.port, username=self.settings.user,
                password=self.settings.password, secure=self.settings.secure,
            )
        return self._http

    def _native_client(self) -> Any:
        if self._native is None:
            from clickhouse_driver import Client as NativeClient

            # server_side_params: `{name:Type}` parameters go to the server to bind, as over HTTP, where the
            # driver would otherwise format them into the text itself
            self._native = NativeClient(
                host=self.settings.host, port=self.settings.port, user=self.settings.user,
                password=self.settings.password, secure=self.settings.secure,
                settings={"server_side_params": True},
            )
        return self._native

    def query(self, sql: str, parameters: Mapping[str, Any] | None = None, *, database: str | None = None
              ) -> QueryResult:
        """Run a SELECT-like statement, with `database` as the current database when given.

        `parameters` are bound by the engine, never spliced: the statement names each as `{name:Type}`
        (ClickHouse's query parameters; the native client sends them as the server's too)."""
        try:
            return self._query(sql, parameters or {}, database)
        except Exception as error:
            if isinstance(error, DevhealthError):
                raise
            reason = unreachable_reason(error)
            if reason is not None:
                raise WarehouseError(f"warehouse {self.settings.describe()} is unreachable ({reason})") from None
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise WarehouseError(f"query on {self.settings.describe()}: {first_line}") from error

    def _query(self, sql: str, parameters: Mapping[str, Any], database: str | None) -> QueryResult:
        if self.settings.interface == "native":
            settings = {"database": database} if database else {}
            rows, columns = self._native_client().execute(sql, dict(parameters) or None, with_column_types=True,
                                                          settings=settings)
            return QueryResult([name for name, _ in columns], rows)
        client = self._client()
        # before the first dbt build there are no marts yet; names then resolve in the default database
        if database and self.database_exists(database):
            client.command(f"USE `{database}`")
        result = client.query(sql, parameters=dict(parameters))
        return QueryResult(list(result.column_names), list(result.result_rows))

    def command(self, sql: str) -> Any:
        if self.settings.interface == "native":
            return self._native_client().execute(sql)
        return self._client().command(sql)

    def scalar(self, sql: str, parameters: Mapping[str, Any] | None = None) -> Any:
        rows = self.query(sql, parameters).rows
        return rows[0][0] if rows else None

    def database_exists(self, name: str) -> bool:
        result = self._client().query("select count() from system.databases where name = {name:String}",
                                      parameters={"name": name})
        return bool(result.result_rows[0][0])
