"""Raw retention reaches the incremental staging tables: apply_raw_retention gives them the raw table's TTL,
and their post-hook keeps it through a build, a drift and a full refresh (docs/production.md, section 4).

Works on the session's real `raw.git___commits` and `staging.stg_git__commits`, which other tests read: the
retention (2000 days) keeps every other row, this module's rows are its own organisation's and are deleted
at the end, and the end removes both TTLs again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from dbt_parse import invoke_with_vars
from dlt_loads import commit_load, delete_org_rows

from devhealth import dbt

ORG = "2e000000-0000-4000-8000-0000000000e2"
REPO_ID = "2e1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fe2"
RETENTION_DAYS = 2000
SELECT = ["--select", "stg_git__commits"]


def invoke(*args: str) -> None:
    result = dbt.invoke(list(args))
    assert result.success, dbt.failures(result) or result.exception


def retention(retention_days: int, recompress_after_days: int = 90, materialize: bool = True) -> None:
    result = invoke_with_vars(["run-operation", "apply_raw_retention", "--args", "{datasets: [git]}"],
                              f"{{raw_retention_days: {retention_days}, raw_recompress_after_days: "
                              f"{recompress_after_days}, raw_ttl_materialize: {str(materialize).lower()}}}")
    assert result.success, dbt.failures(result) or result.exception


def ttl(warehouse, database: str, table: str) -> str:
    """The table's TTL clause as the server shows it in `engine_full`, '' without one."""
    engine = warehouse.scalar(
        f"select engine_full from system.tables where database = '{database}' and name = '{table}'")
    return engine.partition(" TTL ")[2].partition(" SETTINGS ")[0]


def ttls(warehouse) -> tuple[str, str]:
    return ttl(warehouse, "raw", "git___commits"), ttl(warehouse, "staging", "stg_git__commits")


def own_row_ages(warehouse) -> list[tuple[int]]:
    return warehouse.query(
        "select dateDiff('day', authored_at, now()) as age_days from staging.stg_git__commits "
        f"where org_id = '{ORG}' order by age_days desc").rows


def other_rows(warehouse) -> tuple[int, int]:
    """Other tests' staged commits: how many, and the oldest one's age in days."""
    return tuple(warehouse.query(
        "select count(), max(dateDiff('day', coalesce(authored_at, now()), now())) "
        f"from staging.stg_git__commits where org_id != '{ORG}'").rows[0])


@pytest.fixture(scope="module")
def staged(warehouse) -> Iterator[tuple[int, int]]:
    """Two commits of this module's organisation staged (2500 and 10 days old); yields the other rows' figures."""
    invoke("run", *SELECT, "stg_git__commit_files")
    load_id = f"{time.time():.6f}"
    values = ", ".join(
        f"('{ORG}', '{REPO_ID}', '{sha}', 'ann@acme.io', now() - interval {age} day, '{load_id}')"
        for sha, age in (("old", 2500), ("new", 10)))
    # no _dlt_id: git loads through Arrow, whose tables have none, and this module may run after such a load
    warehouse.command(
        f"insert into raw.git___commits (org_id, repo_id, sha, author_email, authored_at, _dlt_load_id) "
        f"values {values}")
    commit_load(warehouse, "git", load_id)
    invoke("run", *SELECT)
    others = other_rows(warehouse)
    assert others[1] < RETENTION_DAYS, "a fixture older than this module's retention would be deleted"
    yield others
    retention(0, recompress_after_days=0)
    for database, table in (("raw", "git___commits"), ("staging", "stg_git__commits")):
        # other tests' rows must not age out, even when a failing test left a TTL the operation missed
        if ttl(warehouse, database, table):
            warehouse.command(f"alter table {database}.{table} remove ttl")
    delete_org_rows(warehouse, ORG)


def test_operation_gives_staging_the_raw_ttl_applied_by_merges_when_not_materialized(staged, warehouse) -> None:
    assert ttls(warehouse) == ("", "")
    retention(RETENTION_DAYS, materialize=False)
    raw_ttl, staging_ttl = ttls(warehouse)
    assert f"toIntervalDay({RETENTION_DAYS})" in raw_ttl
    assert "toIntervalDay(90) RECOMPRESS CODEC(ZSTD(9))" in raw_ttl
    assert staging_ttl == raw_ttl
    # a snapshot's staging table has no raw TTL to take
    assert ttl(warehouse, "staging", "stg_git__commit_files") == ""
    assert own_row_ages(warehouse) == [(2500,), (10,)]
    warehouse.command("optimize table staging.stg_git__commits final")
    assert own_row_ages(warehouse) == [(10,)]
    assert other_rows(warehouse) == staged


def test_a_run_gives_a_drifted_staging_table_the_raw_ttl_again(staged, warehouse) -> None:
    warehouse.command("alter table staging.stg_git__commits remove ttl")
    assert ttls(warehouse)[1] == ""
    invoke("run", *SELECT)
    raw_ttl, staging_ttl = ttls(warehouse)
    assert f"toIntervalDay({RETENTION_DAYS})" in staging_ttl
    assert staging_ttl == raw_ttl


def test_full_refresh_keeps_the_raw_ttl_and_the_expired_row_out(staged, warehouse) -> None:
    # raw still holds the 2500-day-old row (its TTL was not materialized); the rebuilt table takes it,
    # then the post-hook's materialized TTL deletes it
    assert warehouse.scalar(f"select count() from raw.git___commits where org_id = '{ORG}' and sha = 'old'") == 1
    invoke("run", *SELECT, "--full-refresh")
    raw_ttl, staging_ttl = ttls(warehouse)
    assert f"toIntervalDay({RETENTION_DAYS})" in staging_ttl
    assert staging_ttl == raw_ttl
    assert own_row_ages(warehouse) == [(10,)]


def test_removing_the_raw_ttl_removes_the_staging_ttl(staged, warehouse) -> None:
    retention(RETENTION_DAYS + 1, recompress_after_days=0)
    raw_ttl, staging_ttl = ttls(warehouse)
    assert "RECOMPRESS" not in raw_ttl
    assert f"toIntervalDay({RETENTION_DAYS + 1})" in raw_ttl
    assert staging_ttl == raw_ttl
    warehouse.command("alter table raw.git___commits remove ttl")
    invoke("run", *SELECT)
    assert ttls(warehouse) == ("", "")
    retention(RETENTION_DAYS)
    assert f"toIntervalDay({RETENTION_DAYS})" in ttls(warehouse)[1]
    retention(0, recompress_after_days=0)
    assert ttls(warehouse) == ("", "")
    assert own_row_ages(warehouse) == [(10,)]
