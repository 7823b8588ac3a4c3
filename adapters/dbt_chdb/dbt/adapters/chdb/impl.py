"""The chDB adapter: dbt-clickhouse's adapter with the chDB connection manager."""

from typing import Any

from dbt.adapters.chdb.connections import ChdbConnectionManager
from dbt.adapters.clickhouse.impl import ClickHouseAdapter


class ChdbAdapter(ClickHouseAdapter):
    ConnectionManager = ChdbConnectionManager
    connections: ChdbConnectionManager

    @classmethod
    def type(cls) -> str:
        return "chdb"

    def get_columns_in_relation(self, relation: Any) -> list[Any]:
        # read through dbt-clickhouse's macro (or a project's override of it), then kept until a statement names
        # the relation (ColumnsCache)
        key = (None if relation.is_temporary else relation.schema, relation.identifier)
        columns = self.connections.columns.get(key)
        if columns is None:
            columns = super().get_columns_in_relation(relation)
            self.connections.columns.put(key, columns)
        return columns
