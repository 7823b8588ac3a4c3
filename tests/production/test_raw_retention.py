"""Raw retention on chDB: apply_raw_retention's TTL is accepted, expires old rows and recompresses old parts.

Uses its own datasets in the session warehouse (`raw.ttl*___commits`) and limits the operation to
them, so other tests' raw tables keep their rows.
"""

from collections.abc import Iterator

import pytest
from dbt_parse import invoke_with_vars

from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load


def retention(datasets: list[str], **variables: int | str) -> None:
    args = ["run-operation", "apply_raw_retention", "--args", f"{{datasets: [{', '.join(datasets)}]}}"]
    result = (invoke_with_vars(args, "{" + ", ".join(f"{name}: {value}" for name, value in variables.items()) + "}")
              if variables else dbt.invoke(args))
    assert result.success, result.exception


def table_ttl(warehouse, table: str) -> str:
    return warehouse.scalar(f"select engine_full from system.tables where database = 'raw' and name = '{table}'")


@pytest.fixture(scope="module")
def loaded(make_aged_repo, warehouse) -> Iterator[dict[str, list[tuple[int]]]]:
    """Each table's row ages (days) just after its TTL was set; drops the module's tables at the end: a raw
    table with a TTL sets the marts' retention horizon, and a later module's old cells would not be built."""
    for dataset, ages in (("ttlcheck", (1000, 200, 10)), ("ttlnow", (1000, 10)), ("ttlcodec", (300, 200)),
                          ("ttlother", (1000,))):
        load(git_repository(make_aged_repo(dataset, *ages)), pipeline_name=dataset, dataset_name=dataset)
    retention(["ttlcheck"], raw_ttl_materialize="false")
    retention(["ttlnow", "ttlcodec"])
    yield {dataset: row_ages(warehouse, dataset) for dataset in ("ttlcheck", "ttlnow", "ttlcodec", "ttlother")}
    for table in warehouse.query("select name from system.tables where database = 'raw' and name like 'ttl%'").rows:
        warehouse.command(f"drop table raw.`{table[0]}`")


def row_ages(warehouse, dataset: str) -> list[tuple[int]]:
    return warehouse.query(
        f"select dateDiff('day', authored_at, now()) as age_days from raw.{dataset}___commits order by age_days desc"
    ).rows


def test_materialized_ttl_expires_rows_at_once_and_unmaterialized_waits_for_a_merge(loaded) -> None:
    assert loaded == {
        "ttlcheck": [(1000,), (200,), (10,)],
        "ttlnow": [(10,)],
        "ttlcodec": [(300,), (200,)],
        "ttlother": [(1000,)],
    }


def test_rows_past_retention_go_after_optimize_final(loaded, warehouse) -> None:
    ttl = table_ttl(warehouse, "ttlcheck___commits")
    assert "toDateTime(authored_at)" in ttl
    assert "toIntervalDay(90) RECOMPRESS CODEC(ZSTD(9))" in ttl
    assert "toIntervalDay(730)" in ttl
    warehouse.command("optimize table raw.ttlcheck___commits final")
    assert row_ages(warehouse, "ttlcheck") == [(200,), (10,)]


def test_parts_past_recompression_take_the_stronger_codec(loaded, warehouse) -> None:
    warehouse.command("optimize table raw.ttlcodec___commits final")
    parts = warehouse.query(
        "select default_compression_codec, rows from system.parts "
        "where database = 'raw' and table = 'ttlcodec___commits' and active"
    ).rows
    assert parts == [("ZSTD(9)", 2)]


def test_zero_disables_each_rule_and_both_remove_the_ttl(loaded, warehouse) -> None:
    retention(["ttlcodec"], raw_recompress_after_days=0)
    ttl = table_ttl(warehouse, "ttlcodec___commits")
    assert "RECOMPRESS" not in ttl
    assert "toIntervalDay(730)" in ttl
    retention(["ttlcodec"], raw_recompress_after_days=0, raw_retention_days=0)
    assert " TTL " not in table_ttl(warehouse, "ttlcodec___commits")
    assert warehouse.scalar("select count() from raw.ttlcodec___commits") == 2


def test_datasets_not_named_are_left_alone(loaded, warehouse) -> None:
    assert " TTL " not in table_ttl(warehouse, "ttlother___commits")
    warehouse.command("optimize table raw.ttlother___commits final")
    assert warehouse.scalar("select count() from raw.ttlother___commits") == 1
