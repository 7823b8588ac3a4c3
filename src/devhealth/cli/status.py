"""`devhealth status`: what was loaded, how fresh each source is, and the latest sync runs."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True)


def _plain(rows: list[Any]) -> list[dict[str, Any]]:
    return [{key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in asdict(row).items()}
            for row in rows]


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Where everything lives, the last dbt build, last loads per dlt dataset with row counts, dbt source
    freshness of the loaded tables, the latest sync runs, and rows kept out of the marts for their time."""
    from devhealth.dbt import last_build
    from devhealth.errors import ConfigError
    from devhealth.status import (
        dataset_loads,
        loaded_source_tables,
        locations,
        recent_syncs,
        rows_out_of_time_range,
        source_freshness,
    )
    from devhealth.warehouse import Warehouse

    warehouse = Warehouse()
    where, build = locations(), last_build()
    loads = dataset_loads(warehouse)
    try:
        syncs, no_syncs = recent_syncs(), None
    except ConfigError as error:  # the rest of the status stands without the semantic database
        syncs, no_syncs = [], str(error)
    freshness = source_freshness(loaded_source_tables(warehouse))
    out_of_range = rows_out_of_time_range(warehouse)
    if as_json:
        typer.echo(json.dumps({"locations": asdict(where), "last_build": asdict(build) if build else None,
                               "loads": _plain(loads), "freshness": _plain(freshness), "sync_runs": _plain(syncs),
                               "sync_runs_unavailable": no_syncs,
                               "rows_out_of_time_range": None if out_of_range is None else _plain(out_of_range)},
                              indent=2, default=str))
        return
    console.print(f"warehouse: {where.warehouse}", markup=False)
    console.print(f"semantic database: {where.semantic_database}", markup=False)
    console.print(f"dlt pipelines: {where.pipelines_dir}", markup=False)
    console.print(f"report: {where.report or '(none yet: devhealth run writes it)'}", markup=False)
    if build is None:
        console.print("last build: none yet (devhealth run or devhealth metrics all)", markup=False)
    else:
        outcome = "passed" if build.success else f"FAILED: {', '.join(build.failures) or 'see dbt output'}"
        console.print(f"last build: dbt build --selector {build.selector}, {build.nodes} nodes, {outcome} "
                      f"(finished {build.finished_at})", markup=False)
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
    if no_syncs:
        console.print(f"sync runs unavailable: {no_syncs}", markup=False)
    if out_of_range is None:
        console.print("rows kept out of the marts for their time: not counted yet (the mart rows_out_of_time_range "
                      "is built by devhealth run or devhealth metrics all)", markup=False)
    elif not out_of_range:
        console.print("rows kept out of the marts for their time (before 1970 or in the future): none", markup=False)
    else:
        odd = Table("org", "table", "time", "rows", "earliest", "latest",
                    title="Rows kept out of the marts: time before 1970 or in the future")
        for item in out_of_range:
            odd.add_row(item.org_id, item.source_table, item.time_column, f"{item.rows:,}", str(item.earliest_at),
                        str(item.latest_at))
        console.print(odd)
