"""Rows written to raw by hand count for incremental staging only once their load is committed, as dlt
commits a load: a row in `<dataset>____dlt_loads` with status 0."""

from __future__ import annotations

from typing import Any


def commit_load(warehouse: Any, dataset: str, load_id: str) -> None:
    """Record load `load_id` of `dataset` as completed, in the table and shape dlt keeps its loads in."""
    warehouse.command(
        f"create table if not exists raw.{dataset}____dlt_loads (load_id String, schema_name Nullable(String), "
        "status Int64, inserted_at DateTime64(6, 'UTC'), schema_version_hash Nullable(String)) "
        "engine = MergeTree primary key tuple() order by load_id")
    warehouse.command(f"insert into raw.{dataset}____dlt_loads (load_id, schema_name, status, inserted_at) "
                      f"values ('{load_id}', '{dataset}', 0, now64(6, 'UTC'))")


def delete_org_rows(warehouse: Any, org_id: str,
                    databases: tuple[str, ...] = ("raw", "staging", "intermediate", "marts")) -> None:
    """Delete one organisation's rows from every MergeTree table of `databases` with an org_id column, so a
    module's fixtures do not outlive it: another module's retention would see its old rows, and its mart rows,
    whose dims a later build drops with the staged rows, would fail that build's relationship tests."""
    names = ", ".join(f"'{database}'" for database in databases)
    tables = warehouse.query(
        "select c.database, c.table from system.columns as c inner join system.tables as t "
        "on c.database = t.database and c.table = t.name "
        f"where c.database in ({names}) and c.name = 'org_id' and t.engine like '%MergeTree'").rows
    for database, table in tables:
        if database == "marts":
            # the append-only marts carry a projection, which refuses a lightweight delete: a mutation rebuilds it
            warehouse.command(f"alter table `{database}`.`{table}` delete where toString(org_id) = '{org_id}' "
                              "settings mutations_sync = 2")
        else:
            warehouse.command(f"delete from `{database}`.`{table}` where toString(org_id) = '{org_id}'")
