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
        # dbt hashes these keys (and exposes them as `target.*`) to decide whether its partial parse still holds:
        # the data folder and the statement log change nothing the project parses, so a warehouse in another
        # DEVHEALTH_HOME reuses the parse (5 s) instead of parsing again (13 s). `dbt debug` then omits them.
        return ("schema", "cluster", "emulate_cluster", "custom_settings")
