"""Runs dlt sources into the warehouse's `raw` database, embedded or on a server."""

from __future__ import annotations

from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.destinations import clickhouse
from dlt.pipeline.exceptions import PipelineStepFailed

from devhealth.destinations import chdb
from devhealth.errors import DevhealthError
from devhealth.settings import RAW_DATABASE, ClickHouseSettings, clickhouse_settings, devhealth_home


def warehouse_destination(settings: ClickHouseSettings | None = None) -> Any:
    """dlt's clickhouse destination for a server, or its chDB twin for the embedded warehouse."""
    settings = settings or clickhouse_settings()
    if settings.is_embedded:
        return chdb(credentials={"path": str(settings.path), "database": RAW_DATABASE})
    native_port = settings.port if settings.interface == "native" else (9440 if settings.secure else 9000)
    http_port = settings.port if settings.interface == "http" else (8443 if settings.secure else 8123)
    return clickhouse(credentials={
        "host": settings.host, "port": native_port, "http_port": http_port,
        "username": settings.user, "password": settings.password,
        "database": RAW_DATABASE, "secure": int(settings.secure),
    })


# Arrow batches skip dlt's row normaliser; ask it to stamp them with the load id staging dedups on
dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True


def make_pipeline(name: str, dataset_name: str) -> dlt.Pipeline:
    """A pipeline whose working state lives under DEVHEALTH_HOME, so reruns resume incrementally."""
    return dlt.pipeline(
        pipeline_name=name,
        destination=warehouse_destination(),
        dataset_name=dataset_name,
        pipelines_dir=str(devhealth_home() / "pipelines"),
    )


def load(source: Any, pipeline_name: str, dataset_name: str) -> LoadInfo:
    """Run `source` into raw.<dataset_name>___<table>; failed jobs raise."""
    pipeline = make_pipeline(pipeline_name, dataset_name)
    try:
        info = pipeline.run(source)
    except PipelineStepFailed as failure:
        # a source's own user-facing error (a bad path or branch) reaches the CLI as itself, in one line
        cause = _devhealth_cause(failure)
        if cause is None:
            raise
        raise cause from failure
    info.raise_on_failed_jobs()
    return info


def _devhealth_cause(error: BaseException) -> DevhealthError | None:
    seen = error
    while seen is not None:
        if isinstance(seen, DevhealthError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def loaded_rows(info: LoadInfo) -> dict[str, int]:
    """Rows the run loaded per data table (dlt's own state and version tables left out)."""
    trace = info.pipeline.last_trace  # type: ignore[attr-defined]
    counts = trace.last_normalize_info.row_counts if trace and trace.last_normalize_info else {}
    return {table: rows for table, rows in sorted(counts.items()) if not table.startswith("_dlt")}
