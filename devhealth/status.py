"""What has been loaded and built: the last dlt load per dataset, raw row counts, and dbt source freshness."""

from __future__ import annotations

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
