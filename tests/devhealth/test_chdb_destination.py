"""dlt's clickhouse destination running on chDB: DDL, load jobs, merge and state on the real engine."""

import dlt
import pyarrow as pa

from devhealth.pipelines import make_pipeline


def test_dict_rows_merge_on_primary_key(warehouse) -> None:
    @dlt.resource(name="people", primary_key="id", write_disposition="merge")
    def people(version: int):
        yield [{"id": i, "name": f"person {i} v{version}", "score": i * 1.5} for i in range(50)]

    pipeline = make_pipeline("test_merge", "test_merge")
    pipeline.run(people(1)).raise_on_failed_jobs()
    pipeline.run(people(2)).raise_on_failed_jobs()

    count, names = warehouse.query(
        "select count(), groupUniqArray(substring(name, -2)) from raw.test_merge___people"
    ).rows[0]
    assert count == 50
    assert names == ["v2"]


def test_arrow_batches_append_with_load_ids(warehouse) -> None:
    table = pa.table({"id": pa.array(range(10_000), pa.int64()), "value": pa.array([0.5] * 10_000)})

    @dlt.resource(name="measures", write_disposition="append")
    def measures():
        yield table

    pipeline = make_pipeline("test_arrow", "test_arrow")
    pipeline.run(measures()).raise_on_failed_jobs()
    pipeline.run(measures()).raise_on_failed_jobs()

    rows, loads, total = warehouse.query(
        "select count(), uniqExact(_dlt_load_id), sum(value) from raw.test_arrow___measures"
    ).rows[0]
    assert (rows, loads, total) == (20_000, 2, 10_000.0)


def test_incremental_state_survives_between_runs(warehouse) -> None:
    @dlt.resource(name="events", primary_key="id", write_disposition="append")
    def events(updated=dlt.sources.incremental("id", initial_value=0)):
        yield [{"id": i} for i in range(1, 21)]

    pipeline = make_pipeline("test_state", "test_state")
    pipeline.run(events()).raise_on_failed_jobs()
    pipeline.run(events()).raise_on_failed_jobs()
    assert warehouse.scalar("select count() from raw.test_state___events") == 20
