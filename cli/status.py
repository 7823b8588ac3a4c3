"""`devhealth status`: what was loaded, how fresh each source is, and the latest sync runs."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def _plain(rows: list[Any]) -> list[dict[str, Any]]:
    return [{key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in asdict(row).items()}
            for row in rows]


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Last loads per dlt dataset with row counts, dbt source freshness, and the latest sync runs."""
    from devhealth.status import dataset_loads, recent_syncs, rows_out_of_time_range, source_freshness
    from devhealth.warehouse import Warehouse

    warehouse = Warehouse()
    loads, freshness, syncs = dataset_loads(warehouse), source_freshness(), recent_syncs()
    out_of_range = rows_out_of_time_range(warehouse)
    if as_json:
        typer.echo(json.dumps({"loads": _plain(loads), "freshness": _plain(freshness), "sync_runs": _plain(syncs),
                               "rows_out_of_time_range": _plain(out_of_range)}, indent=2, default=str))
        return
    table = Table("dataset", "last load", "loaded at", "loads", "tables", "rows", title="Raw datasets")
    for load in loads:
        table.add_row(load.dataset, load.last_load_id, str(load.last_loaded_at), str(load.loads), str(load.tables),
                      f"{load.rows:,}")
    console.print(table)
    fresh = Table("source", "status", "latest row", "age (h)", title="dbt source freshness")
    for item in freshness:
        age = "" if item.age_hours is None else f"{item.age_hours:,.1f}"
        fresh.add_row(item.source, item.status, str(item.max_loaded_at or ""), age)
    console.print(fresh)
    runs = Table("org", "provider", "scope", "status", "rows", "started", "error", title="Latest sync runs")
    for run in syncs:
        runs.add_row(run.org, run.provider, run.scope or "", run.status, f"{run.rows_loaded:,}", str(run.started_at),
                     run.error or "")
    console.print(runs)
    if out_of_range:
        odd = Table("org", "table", "time", "rows", "earliest", "latest",
                    title="Rows kept out of the marts: time before 1970 or in the future")
        for item in out_of_range:
            odd.add_row(item.org_id, item.source_table, item.time_column, f"{item.rows:,}", str(item.earliest_at),
                        str(item.latest_at))
        console.print(odd)
