"""Runs dlt sources into the warehouse's `raw` database, embedded or on a server."""

from __future__ import annotations

import errno
import gzip
import logging
from collections.abc import Sequence
from typing import Any

import dlt
import pyarrow.parquet as pq
from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector
from dlt.destinations import clickhouse
from dlt.pipeline.exceptions import PipelineStepFailed

from devhealth import locks
from devhealth.destinations import chdb
from devhealth.errors import DevhealthError, InputError, WarehouseError, dlt_setting_error
from devhealth.settings import (
    RAW_DATABASE,
    ClickHouseSettings,
    clickhouse_settings,
    devhealth_home,
    pipelines_dir,
    raw_table_engine,
)
from devhealth.unreachable import error_chain, unreachable_reason


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


# clickhouse-driver logs each failed connection attempt with its traceback; load() reports it in one line
logging.getLogger("clickhouse_driver.connection").setLevel(logging.ERROR)

# Arrow batches skip dlt's row normaliser; ask it to stamp them with the load id staging dedups on
dlt.config["normalize.parquet_normalizer.add_dlt_load_id"] = True


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


def _disk_error(error: BaseException) -> OSError | None:
    """A file the load could not write (read-only or full DEVHEALTH_HOME), when that is what went wrong."""
    for link in error_chain(error):
        if isinstance(link, OSError) and link.filename and link.errno in (errno.EACCES, errno.EROFS, errno.ENOSPC,
                                                                           errno.EDQUOT, errno.EPERM):
            return link
    return None


def load(source: Any, pipeline_name: str, dataset_name: str, progress: Collector | None = None) -> LoadInfo:
    """Run `source` to the warehouse; our errors surface unwrapped.

    Resources and per-item calls run on dlt's extract pool: `EXTRACT__WORKERS` (`[extract] workers`, 5).
    """
    # a pipeline's working folder takes one run at a time, whichever warehouse it loads into
    locks.hold(devhealth_home() / "locks" / f"pipeline-{pipeline_name}.lock", f"the {pipeline_name} pipeline")
    pipeline = make_pipeline(pipeline_name, dataset_name, progress)
    # a package a killed run normalized but did not finish loading: this run loads it first, and its rows
    # count for this run, since the killed one never reported them
    pending = {load_id: _rows_in_packages(pipeline, [load_id]) for load_id in pipeline.list_normalized_load_packages()}
    try:
        info = pipeline.run(source)
    except PipelineStepFailed as error:
        cause = _user_facing_cause(error) or dlt_setting_error(error, "extract", ("workers",))
        if cause is not None:
            raise cause from None
        reason = unreachable_reason(error)
        if reason is not None:
            # dlt names the port it dialled (its native 9000 for an HTTP URI); the user knows the one they set
            raise WarehouseError(f"warehouse {clickhouse_settings().describe()} is unreachable ({reason}); "
                                 f"nothing was loaded from this sync") from None
        disk = _disk_error(error)
        if disk is not None:
            raise InputError(f"{disk.filename}: {disk.strerror}") from None
        raise
    info.raise_on_failed_jobs()
    if pending:
        _pending_rows[_run_key(info)] = pending
    return info


_pending_rows: dict[tuple[str, ...], dict[str, dict[str, int]]] = {}


def _run_key(info: LoadInfo) -> tuple[str, ...]:
    return (info.pipeline.pipeline_name, *info.loads_ids)


def _rows_in_packages(pipeline: dlt.Pipeline, load_ids: Sequence[str]) -> dict[str, int]:
    """Rows per data table in the job files of these load packages (Parquet from its footer, JSON Lines by line)."""
    counts: dict[str, int] = {}
    for load_id in load_ids:
        package = pipeline.get_load_package_info(load_id)
        for jobs in package.jobs.values():
            for job in jobs:
                table = job.job_file_info.table_name
                if table.startswith("_dlt"):
                    continue
                counts[table] = counts.get(table, 0) + _rows_in_file(job.file_path, job.job_file_info.file_format)
    return counts


def _rows_in_file(path: str, file_format: str) -> int:
    if file_format == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    opener = gzip.open if path.endswith(".gz") or _is_gzip(path) else open
    with opener(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as head:
        return head.read(2) == b"\x1f\x8b"


def loaded_rows(info: LoadInfo) -> dict[str, int]:
    """Rows the run loaded per data table (dlt's own state and version tables left out): every package it
    normalized, and any package a killed run had left pending, which this run loaded."""
    trace = info.pipeline.last_trace  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    normalized: set[str] = set()
    loaded: set[str] = set()
    for step in trace.steps if trace else []:
        if step.step == "normalize" and step.step_info is not None:
            normalized.update(step.step_info.loads_ids)
            for table, rows in step.step_info.row_counts.items():
                counts[table] = counts.get(table, 0) + rows
        elif step.step == "load" and step.step_info is not None:
            loaded.update(step.step_info.loads_ids)
    # a pending package counts when this run loaded it, once: one normalized again was counted above,
    # and one dlt dropped (a package killed mid-normalize, extracted again) never reached the warehouse
    for load_id, tables in _pending_rows.get(_run_key(info), {}).items():
        if load_id in loaded and load_id not in normalized:
            for table, rows in tables.items():
                counts[table] = counts.get(table, 0) + rows
    return {table: rows for table, rows in sorted(counts.items()) if not table.startswith("_dlt")}
