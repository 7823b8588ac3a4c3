"""Credentials for the chDB adapter: dbt-clickhouse's, plus the chDB data folder.

`statement_log` and `emulate_cluster` serve the `cluster_check` target: record every statement
dbt-clickhouse sends, and run its cluster DDL on the single in-process engine.
"""

from dataclasses import dataclass

from dbt.adapters.clickhouse.credentials import ClickHouseCredentials


@dataclass
class ChdbCredentials(ClickHouseCredentials):
    path: str = ".devhealth/clickhouse"
    statement_log: str | None = None
    emulate_cluster: bool = False

    @property
    def type(self) -> str:
        return "chdb"

    @property
    def unique_field(self) -> str:
        return self.path

    def _connection_keys(self) -> tuple[str, ...]:
        return ("path", "schema", "cluster", "emulate_cluster", "statement_log", "custom_settings")
