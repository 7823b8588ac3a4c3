"""Where the API reads the marts: the embedded chDB engine, or a ClickHouse server over HTTP.

chDB is one engine per process, and one chDB client runs one call at a time; the engine runs the calls
of several clients at once. So embedded queries run on a few worker threads (two per core, at most the
pool size), each with a client of its own on the one engine; the event loop never blocks on them. A
server is read through one clickhouse-connect client (no session id, so it is safe across threads) over
a pool of HTTP connections, with as many worker threads as pooled connections.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from devhealth.errors import ConfigError, DevhealthError, WarehouseError
from devhealth.settings import ClickHouseSettings, clickhouse_settings

DEFAULT_POOL_SIZE = 16


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    rows: list[Sequence[Any]]


class MartReader:
    """Runs parameterised SELECTs on the warehouse from async code."""

    def __init__(self, settings: ClickHouseSettings | None = None, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.settings = settings or clickhouse_settings()
        if self.settings.interface == "native":
            raise ConfigError(f"{self.settings.source}: devhealth api reads ClickHouse over HTTP; "
                              "use clickhouse://user:pass@host:8123/db rather than clickhouse+native://")
        self.workers = min(pool_size, 2 * (os.cpu_count() or 1)) if self.settings.is_embedded else pool_size
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="devhealth-api-ch")
        self._pool_size = pool_size
        self._client: Any = None
        self._handles = threading.local()  # embedded: each worker thread's own chDB client
        self._lock = threading.Lock()
        self._opened: list[Any] = []

    def _connect(self) -> Any:
        if self.settings.is_embedded:
            handle = getattr(self._handles, "client", None)
            if handle is None:
                from devhealth.warehouse import chdb_handle

                assert self.settings.path is not None
                handle = self._handles.client = chdb_handle(self.settings.path)
                with self._lock:
                    self._opened.append(handle)
            return handle
        with self._lock:
            if self._client is None:
                import clickhouse_connect
                from clickhouse_connect.driver import httputil

                self._client = clickhouse_connect.get_client(
                    host=self.settings.host, port=self.settings.port, username=self.settings.user,
                    password=self.settings.password, secure=self.settings.secure, database=self.settings.database,
                    autogenerate_session_id=False,
                    pool_mgr=httputil.get_pool_manager(maxsize=self._pool_size, num_pools=1),
                )
        return self._client

    def query_sync(self, sql: str, parameters: dict[str, Any] | None = None) -> Rows:
        """Run on the reader's own thread(s) only: call `query` from async code."""
        try:
            result = self._connect().query(sql, parameters=parameters or {})
        except DevhealthError:
            raise
        except Exception as error:
            text = str(error).strip()
            first_line = text.splitlines()[0] if text else type(error).__name__
            raise WarehouseError(f"query on {self.settings.describe()}: {first_line}") from error
        return Rows(list(result.column_names), list(result.result_rows))

    def query_blocking(self, sql: str, parameters: dict[str, Any] | None = None) -> Rows:
        """`query` for code outside the event loop (start-up), still on the reader's own thread(s)."""
        return self._executor.submit(self.query_sync, sql, parameters).result()

    async def query(self, sql: str, parameters: dict[str, Any] | None = None) -> Rows:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.query_sync, sql, parameters)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        for client in [*self._opened, *([self._client] if self._client is not None else [])]:
            client.close()
