"""dlt's ClickHouse destination, executed in-process by chDB.

dlt's own SQL generation, table DDL and load jobs are reused unchanged; only the SQL client is
swapped for one that talks to the shared chDB client, so one pipeline loads to a ClickHouse server
(`dlt.destinations.clickhouse`) or to chDB (`chdb`) with no other change.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Final

from clickhouse_connect.driver.exceptions import DatabaseError, Error
from clickhouse_connect.driver.summary import QuerySummary
from dlt.common.configuration import configspec
from dlt.common.destination import DestinationCapabilitiesContext
from dlt.destinations.exceptions import (
    DatabaseTerminalException,
    DatabaseTransientException,
    DatabaseUndefinedRelation,
)
from dlt.destinations.impl.clickhouse.clickhouse import ClickHouseClient
from dlt.destinations.impl.clickhouse.configuration import (
    ClickHouseClientConfiguration,
    ClickHouseCredentials,
)
from dlt.destinations.impl.clickhouse.factory import clickhouse
from dlt.destinations.impl.clickhouse.sql_client import ClickHouseSqlClient
from dlt.destinations.sql_client import raise_database_error
from dlt.destinations.utils import _convert_to_old_pyformat

from devhealth.warehouse import chdb_client

# ClickHouse error codes: 60 unknown table, 81 unknown database; dlt bootstraps its state tables on these.
UNDEFINED_RELATION_CODES = {60, 81}
TERMINAL_CODES = {44, 47, 57, 62, 82}
ERROR_CODE = re.compile(r"Code: (\d+)")
READ_STATEMENT = re.compile(r"\s*(select|with|show|describe|desc|exists|explain)\b", re.IGNORECASE)


@configspec(init=False)
class ChdbCredentials(ClickHouseCredentials):
    drivername: str = "chdb"
    host: str = "chdb"
    path: str = None  # type: ignore[assignment]
    database: str = "raw"

    def parse_native_representation(self, native_value: Any) -> None:
        # chdb:///absolute/path names the data folder, not a host and database
        self.path = str(native_value).removeprefix("chdb://")

    def to_native_representation(self) -> str:
        return f"chdb://{self.path}"

    def __str__(self) -> str:
        # what load info and traces show: the data folder, not the host and port of a server that is not there
        return f"chdb://{self.path}"

    def on_partial(self) -> None:
        # dlt.attach() restores a pipeline's destination but never its credentials; the embedded warehouse's
        # folder is no secret, so it comes from the settings every devhealth command resolves
        from devhealth.settings import clickhouse_settings

        settings = clickhouse_settings()
        if not self.path and settings.is_embedded:
            self.path = str(settings.path)
            self.resolve()


@configspec
class ChdbClientConfiguration(ClickHouseClientConfiguration):
    destination_type: Final[str] = dataclasses.field(  # type: ignore[misc]
        default="chdb", init=False, repr=False, compare=False
    )
    credentials: ChdbCredentials = None  # type: ignore[assignment]

    def fingerprint(self) -> str:
        return ""

    def data_location(self) -> str:
        return str(self.credentials.path) if self.credentials else ""


class _Cursor:
    """The slice of a DB-API cursor that dlt's SQL client reads."""

    def __init__(self) -> None:
        self.description: list[tuple[str, ...]] | None = None
        self._rows: list[Sequence[Any]] = []

    def set_result(self, returns_rows: bool, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        # chDB reports no columns for an empty result, yet dlt expects a SELECT to give a (maybe empty) list
        described = [(name, None, None, None, None, None, None) for name in columns]
        self.description = described if returns_rows else None
        self._rows = rows

    def fetchall(self) -> list[Sequence[Any]]:
        rows, self._rows = self._rows, []
        return rows

    def fetchmany(self, size: int | None = None) -> list[Sequence[Any]]:
        size = size or len(self._rows)
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    def fetchone(self) -> Sequence[Any] | None:
        return self._rows.pop(0) if self._rows else None

    def close(self) -> None:
        self._rows = []


class _CursorImpl:
    def __init__(self, cursor: _Cursor) -> None:
        self.native_cursor = cursor
        self.description = cursor.description

    def fetchall(self) -> list[Sequence[Any]]:
        return self.native_cursor.fetchall()

    def fetchmany(self, size: int | None = None) -> list[Sequence[Any]]:
        return self.native_cursor.fetchmany(size)

    def fetchone(self) -> Sequence[Any] | None:
        return self.native_cursor.fetchone()

    def close(self) -> None:
        self.native_cursor.close()


class ChdbSqlClient(ClickHouseSqlClient):
    """dlt's ClickHouse SQL client with the shared in-process chDB client underneath."""

    dbapi: ClassVar[Any] = None

    def open_connection(self) -> Any:
        self._conn = chdb_client(Path(self.credentials.path))
        # a server has its databases provisioned; the embedded engine starts empty
        self._conn.command(f"create database if not exists {self.catalog_name()}")
        return self._conn

    def close_connection(self) -> None:
        # the chDB engine is shared by the process and stays open
        self._conn = None

    def commit_transaction(self) -> None:
        pass

    def rollback_transaction(self) -> None:
        pass

    @contextmanager
    @raise_database_error
    def execute_query(self, query: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        assert isinstance(query, str), "Query must be a string."
        parameters: dict[str, Any] = dict(kwargs)
        if args:
            query, converted = _convert_to_old_pyformat(query, args, DatabaseError)
            parameters.update(converted)
        parameters = self._sanitise_dbargs(parameters)
        cursor = _Cursor()
        for statement in query.split(";"):
            statement = statement.strip()
            if not statement:
                continue
            if parameters:
                statement = self.escape_pct(statement)
            result = self._conn.query(statement, parameters=parameters or None)
            returns_rows = READ_STATEMENT.match(statement) is not None
            cursor.set_result(returns_rows, result.column_names, list(result.result_rows))
        yield _CursorImpl(cursor)

    def insert_file(
        self, file_path: str, table_name: str, file_format: str, compression: str
    ) -> QuerySummary:
        database_name, unqualified_table = self.make_qualified_table_name_path(table_name, quote=False)
        # chDB's raw insert takes no compressed bodies, so dlt's gzip-ed JSON Lines are opened here
        opener = gzip.open if compression == "gz" else open
        with opener(file_path, "rb") as body:
            return self._conn.raw_insert(
                f"{database_name}.{unqualified_table}", None, body.read(), fmt=file_format,
                settings={"date_time_input_format": "best_effort"},
            )

    @classmethod
    def _make_database_exception(cls, ex: Exception) -> Exception:
        if isinstance(ex, Error):
            match = ERROR_CODE.search(str(ex))
            code = int(match.group(1)) if match else None
            if code in UNDEFINED_RELATION_CODES:
                return DatabaseUndefinedRelation(ex)
            if code in TERMINAL_CODES:
                return DatabaseTerminalException(ex)
            return DatabaseTransientException(ex)
        return ex

    @staticmethod
    def is_dbapi_exception(ex: Exception) -> bool:
        return isinstance(ex, Error)


class ChdbJobClient(ClickHouseClient):
    def __init__(
        self, schema: Any, config: ChdbClientConfiguration, capabilities: DestinationCapabilitiesContext
    ) -> None:
        super().__init__(schema, config, capabilities)
        self.sql_client = ChdbSqlClient(
            self.sql_client.dataset_name,
            self.sql_client.staging_dataset_name,
            list(schema.tables.keys()),
            config.credentials,
            capabilities,
            config,
        )


class chdb(clickhouse):
    spec = ChdbClientConfiguration  # type: ignore[assignment]

    @property
    def client_class(self) -> type[ChdbJobClient]:  # type: ignore[override]
        return ChdbJobClient

    def create_ibis_backend(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the chdb destination has no ibis backend; query it with devhealth query")
