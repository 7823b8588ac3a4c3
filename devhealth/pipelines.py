"""Runs dlt sources into the warehouse's `raw` database, embedded or on a server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector
from dlt.destinations import clickhouse
from dlt.pipeline.exceptions import PipelineStepFailed

from devhealth.destinations import chdb
from devhealth.errors import DevhealthError
from devhealth.settings import (
    RAW_DATABASE,
    ClickHouseSettings,
    clickhouse_settings,
    devhealth_home,
    max_workers,
    raw_table_engine,
)


def warehouse_destination(settings: ClickHouseSettings | None = None) -> Any:
    """dlt's clickhouse destination for a server, or its chDB twin for the embedded warehouse."""
    settings = settings or clickhouse_settings()
    engine = raw_table_engine(settings)
    if settings.is_embedded:
        return chdb(credentials={"path": str(settings.path), "database": RAW_DATABASE})
    native_port = settings.port if settings.interface == "native" else (9440 if settings.secure else 9000)
    http_port = settings.port if settings.interface == "http" else (8443 if settings.secure else 8123)
    # an explicit engine would override dlt's own [destination.clickhouse] config, so pass one only when set
    engine_config = {"table_engine_type": engine} if engine else {}
    return clickhouse(credentials={
        "host": settings.host, "port": native_port, "http_port": http_port,
        "username": settings.user, "password": settings.password,
        "database": RAW_DATABASE, "secure": int(settings.secure),
    }, **engine_config)


# Arrow batches skip dlt's row normaliser; ask it to stamp them with the load id staging dedups on
dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True


def pipelines_dir() -> Path:
    """Where pipelines keep their working state, laid out as dlt lays out its data dir: `<dir>/pipelines`
    with `<dir>` = DLT_DATA_DIR when set, else DEVHEALTH_HOME. So `DLT_DATA_DIR=$DEVHEALTH_HOME dlt pipeline
    --list-pipelines` and `dlt.attach(...)` find them; the state sits beside the warehouse it describes."""
    data_dir = os.environ.get("DLT_DATA_DIR", "").strip()
    return (Path(data_dir).resolve() if data_dir else devhealth_home()) / "pipelines"


def make_pipeline(name: str, dataset_name: str, progress: Collector | None = None) -> dlt.Pipeline:
    """A pipeline whose working state lives under `pipelines_dir()`, so reruns resume incrementally.

    `progress` receives dlt's counters (rows per table while extracting) for a progress display.
    """
    return dlt.pipeline(
        pipeline_name=name,
        destination=warehouse_destination(),
        dataset_name=dataset_name,
        pipelines_dir=str(pipelines_dir()),
        **({"progress": progress} if progress is not None else {}),
    )


def org_pipeline_name(name: str, org_id: str) -> str:
    """`name` scoped to one organization, so two orgs syncing the same repository keep separate cursors."""
    return f"{name}__org_{''.join(char if char.isalnum() else '_' for char in org_id.lower())}"


def _user_facing_cause(error: BaseException) -> DevhealthError | None:
    """dlt wraps what a resource raises; dig out our own error so the CLI prints its one line."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, DevhealthError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def load(source: Any, pipeline_name: str, dataset_name: str, progress: Collector | None = None) -> LoadInfo:
    """Run `source` to the warehouse with `MAX_WORKERS` extract workers; our errors surface unwrapped."""
    pipeline = make_pipeline(pipeline_name, dataset_name, progress)
    dlt.config["extract.workers"] = max_workers()
    try:
        info = pipeline.run(source)
    except PipelineStepFailed as error:
        cause = _user_facing_cause(error)
        if cause is not None:
            raise cause from None
        raise
    info.raise_on_failed_jobs()
    return info


def loaded_rows(info: LoadInfo) -> dict[str, int]:
    """Rows the run loaded per data table (dlt's own state and version tables left out)."""
    trace = info.pipeline.last_trace  # type: ignore[attr-defined]
    counts = trace.last_normalize_info.row_counts if trace and trace.last_normalize_info else {}
    return {table: rows for table, rows in sorted(counts.items()) if not table.startswith("_dlt")}
