"""What has been loaded and built: the last dlt load per dataset, raw row counts, and dbt source freshness."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from devhealth.settings import RAW_DATABASE
from devhealth.warehouse import Warehouse

LOADS_SUFFIX = "____dlt_loads"


@dataclass(frozen=True)
class DatasetLoad:
    dataset: str
    last_load_id: str
    last_loaded_at: datetime
    loads: int
    tables: int
    rows: int


def dataset_loads(warehouse: Warehouse) -> list[DatasetLoad]:
    """One row per dlt dataset in `raw`: its latest load and the rows its tables hold now."""
    datasets = [
        name.removesuffix(LOADS_SUFFIX)
        for (name,) in warehouse.query(
            f"select name from system.tables where database = '{RAW_DATABASE}' "
            f"and endsWith(name, '{LOADS_SUFFIX}') and not endsWith(name, '_staging{LOADS_SUFFIX}') order by name"
        ).rows
    ]
    loads = []
    for dataset in datasets:
        load_id, loaded_at, count = warehouse.query(
            f"select argMax(load_id, inserted_at), max(inserted_at), count() "
            f"from {RAW_DATABASE}.`{dataset}{LOADS_SUFFIX}` where status = 0"
        ).rows[0]
        tables, rows = warehouse.query(
            "select count(), sum(total_rows) from system.tables "
            f"where database = '{RAW_DATABASE}' and startsWith(name, '{dataset}___') "
            f"and not startsWith(name, '{dataset}____dlt') and name != '{dataset}___dlt_sentinel_table'"
        ).rows[0]
        loads.append(DatasetLoad(dataset, str(load_id), loaded_at, int(count), int(tables), int(rows or 0)))
    return loads


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    status: str
    max_loaded_at: datetime | None
    age_hours: float | None


def loaded_source_tables(warehouse: Warehouse) -> list[str]:
    """`<source>.<table>` for every raw table holding rows: the tables whose freshness means something."""
    return [
        f"{dataset}.{table}"
        for dataset, table in warehouse.query(
            "select splitByString('___', name)[1], substring(name, position(name, '___') + 3) from system.tables "
            f"where database = '{RAW_DATABASE}' and position(name, '___') > 0 and total_rows > 0 "
            "and position(name, '____dlt') = 0 and not endsWith(name, '___dlt_sentinel_table') order by name"
        ).rows
    ]


def declared_freshness_tables() -> list[str]:
    """Every `<source>.<table>` whose freshness a sources YAML checks where var('freshness_sources') lists it."""
    from devhealth import dbt

    sources = sorted((dbt.project_dir() / "models" / "staging").glob("*/_*__sources.yml"))
    return sorted({name for path in sources for name in re.findall(r"'([a-z_]+\.[a-z_]+)' in var", path.read_text())})


def source_freshness(loaded: list[str]) -> list[SourceFreshness]:
    """`dbt source freshness` of the raw tables in `loaded`; a table never loaded has no age to judge, so it is
    not checked."""
    from devhealth import dbt

    declared = declared_freshness_tables()
    selected = [f"source:{name}" for name in loaded if name in declared]
    if not selected:
        return []
    # the var is read at parse time: one value whatever is loaded (every table the YAML declares), in a target
    # folder of its own, so each status after the first parses partially and the builds' parse is left alone;
    # the loaded tables are the ones selected
    result = dbt.invoke(["source", "freshness", "--quiet", "--vars", json.dumps({"freshness_sources": declared}),
                         "--select", *selected, "--target-path", str(dbt.target_dir() / "freshness")])
    outcomes = getattr(result.result, "results", None) or []
    found = []
    for outcome in outcomes:
        node = outcome.node
        if not hasattr(node, "source_name"):  # the on-run-start hook reports among the sources
            continue
        max_loaded_at = getattr(outcome, "max_loaded_at", None)
        age = getattr(outcome, "age", None)
        found.append(SourceFreshness(f"{node.source_name}.{node.name}", str(outcome.status), max_loaded_at,
                                     None if age is None else age / 3600))
    return sorted(found, key=lambda item: item.source)


@dataclass(frozen=True)
class RecentSync:
    org: str
    provider: str
    scope: str | None
    status: str
    rows_loaded: int
    started_at: datetime
    finished_at: datetime | None
    error: str | None


def recent_syncs(limit: int = 10) -> list[RecentSync]:
    """The latest sync_runs of every organization, newest first; a ConfigError saying how to get there when the
    semantic database is not migrated yet (a home `devhealth init` or `devhealth run` has not set up)."""
    from devhealth.semantic_db import migrate
    from devhealth.semantic_db.db import admin_session
    from devhealth.semantic_db.services import organizations, sync_runs

    found: list[RecentSync] = []
    with admin_session(migrate.current_engine(admin=True)) as session:
        for org in organizations.list_organizations(session):
            for run in sync_runs.recent_sync_runs(session, org.id, limit=limit):
                found.append(RecentSync(org.name, run.provider, run.scope, run.status, run.rows_loaded,
                                        run.started_at, run.finished_at, run.error))
    return sorted(found, key=lambda run: run.started_at, reverse=True)[:limit]


@dataclass(frozen=True)
class Locations:
    """Where everything lives: the warehouse, the semantic database, dlt's pipeline state and the report."""

    warehouse: str
    semantic_database: str
    pipelines_dir: str
    report: str | None


def locations() -> Locations:
    from devhealth.settings import clickhouse_settings, devhealth_home, mask_uri, pipelines_dir, postgres_settings

    postgres = postgres_settings()
    semantic = (f"embedded PostgreSQL at {postgres.data_dir}" if postgres.is_embedded
                else f"{postgres.source}={mask_uri(postgres.uri or '')}")
    report = devhealth_home() / "report" / "index.html"
    return Locations(warehouse=clickhouse_settings().describe(), semantic_database=semantic,
                     pipelines_dir=str(pipelines_dir()), report=str(report) if report.is_file() else None)


@dataclass(frozen=True)
class OutOfRangeRows:
    org_id: str
    source_table: str
    time_column: str
    rows: int
    earliest_at: datetime
    latest_at: datetime


def rows_out_of_time_range(warehouse: Warehouse) -> list[OutOfRangeRows] | None:
    """Staged rows kept out of the marts because their event time cannot be real (docs/raw_contract.md); None
    before the mart `rows_out_of_time_range` is built, so that "not counted yet" never reads as "none"."""
    found = warehouse.query(
        "select count() from system.tables where database = 'marts' and name = 'rows_out_of_time_range'").rows
    if not found[0][0]:
        return None
    return [OutOfRangeRows(str(org), table, column, int(rows), earliest, latest)
            for org, table, column, rows, earliest, latest in warehouse.query(
                "select org_id, source_table, time_column, rows_out_of_range, earliest_at, latest_at "
                "from marts.rows_out_of_time_range order by org_id, source_table").rows]
