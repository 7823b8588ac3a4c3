"""dbt-clickhouse's connection manager, with an in-process chDB client as its transport.

Everything above the transport (SQL, materializations, relation cache) stays dbt-clickhouse's.
"""

from pathlib import Path
from typing import Any

from dbt.adapters.chdb.columns_cache import ColumnsCache
from dbt.adapters.chdb.credentials import ChdbCredentials
from dbt.adapters.chdb.single_node import SingleNodeClient, StatementLog
from dbt.adapters.clickhouse.connections import ClickHouseConnectionManager
from dbt.adapters.clickhouse.httpclient import ChHttpClient


class ChdbClient(ChHttpClient):
    """dbt-clickhouse's HTTP client wrapper, speaking to the process's in-process chDB engine through a handle
    of its own (chdb_handle): a handle runs one statement at a time, the engine runs several handles' at once,
    so with `threads: 2` two nodes' statements run together, not in turn."""

    def _create_client(self, credentials: ChdbCredentials):  # type: ignore[override]
        from devhealth.warehouse import chdb_handle

        client = chdb_handle(Path(credentials.path))
        for key, value in self._conn_settings.items():
            if key != "session_id":
                client.set_client_setting(key, value)
        if credentials.statement_log is None and not credentials.emulate_cluster:
            return client
        log = StatementLog(Path(credentials.statement_log)) if credentials.statement_log else None
        return SingleNodeClient(client, log, credentials.emulate_cluster)

    def _check_atomic_exchange(self) -> bool:
        # dbt-clickhouse probes EXCHANGE TABLES in the session's database, which chDB makes an Overlay database,
        # so the probe reads "no" and every table build renames twice and drops (three statements more, and a
        # moment with no table) where a server exchanges. The engine does exchange (Linux renameat2), and the
        # databases dbt builds in are Atomic; dbt-clickhouse still asks each relation's database engine.
        return True

    def get_ch_setting(self, setting_name):
        result = self._client.query(
            f"select value, readonly from system.settings where name = '{setting_name}'"
        )
        rows = result.result_rows
        return (rows[0][0], rows[0][1]) if rows else (None, 0)

    def _set_client_database(self):
        # dbt-clickhouse qualifies every relation: no handle needs a current database
        pass

    def database_dropped(self, database: str):
        super(ChHttpClient, self).database_dropped(database)

    def close(self):
        # the connection's own handle; the engine stays open under the process's shared client
        self._client.close()


class ChdbConnectionManager(ClickHouseConnectionManager):
    TYPE = "chdb"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # what get_columns_in_relation read (ChdbAdapter), forgotten as statements change it
        self.columns = ColumnsCache()

    def execute(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().execute(sql, *args, **kwargs)
        finally:
            self.columns.statement_ran(sql)

    def add_query(self, sql: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().add_query(sql, *args, **kwargs)
        finally:
            self.columns.statement_ran(sql)

    @classmethod
    def open(cls, connection):
        if connection.state == "open":
            return connection
        credentials = cls.get_credentials(connection.credentials)
        connection.handle = ChdbClient(credentials)
        connection.state = "open"
        return connection
