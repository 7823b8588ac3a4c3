"""Runs dlt sources into the warehouse's `raw` database, embedded or on a server."""

from __future__ import annotations

from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo
from dlt.destinations import clickhouse

from devhealth.destinations import chdb
from devhealth.settings import (
    RAW_DATABASE,
    ClickHouseSettings,
    clickhouse_settings,
    devhealth_home,
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


def make_pipeline(name: str, dataset_name: str) -> dlt.Pipeline:
    """A pipeline whose working state lives under DEVHEALTH_HOME, so reruns resume incrementally."""
    return dlt.pipeline(
        pipeline_name=name,
        destination=warehouse_destination(),
        dataset_name=dataset_name,
        pipelines_dir=str(devhealth_home() / "pipelines"),
    )


def load(source: Any, pipeline_name: str, dataset_name: str) -> LoadInfo:
    pipeline = make_pipeline(pipeline_name, dataset_name)
    info = pipeline.run(source)
    info.raise_on_failed_jobs()
    return info
