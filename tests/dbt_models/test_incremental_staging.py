"""The large staging tables are incremental: a build restages only the natural keys of loads dlt committed
since the table was last staged, so a re-sent row replaces its old version, a force-pushed commit (its
latest row a tombstone) disappears, untouched rows stay as they were, and the result equals a full restage
(README, "Models"). A load counts in commit order, whatever its id, and only once committed.

The organisation here is this module's own; other tests' rows in the same tables are not touched.
"""

from __future__ import annotations

from dlt_loads import commit_load
from raw_fixture import git_rows, load, new_load_id

from devhealth import dbt

ORG = "1d000000-0000-4000-8000-0000000000d1"
# the load-order tests' own organisation
LATE_ORG = "1d000000-0000-4000-8000-0000000000d2"
REPO_ID = "1d1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fd1"
SELECT = ["--select", "stg_git__commits", "stg_git__commit_files"]
FIRST = [
    ("a1", "ann@acme.io", "2024-06-01 10:00:00", False, [("app.py", 10, 1)]),
    ("b2", "bob@old.acme.io", "2024-06-02 10:00:00", False, [("app.py", 20, 2), ("lib.py", 5, 0)]),
    ("c3", "cy@acme.io", "2024-06-03 10:00:00", False, [("web.py", 30, 3)]),
]
# b2 re-sent with its author's corrected email and a recounted file; d4 is new
SECOND = [
    ("b2", "bob@acme.io", "2024-06-02 10:00:00", False, [("app.py", 21, 2), ("lib.py", 5, 0)]),
    ("d4", "dee@acme.io", "2024-06-04 10:00:00", False, [("app.py", 40, 4)]),
]


def run(*args: str) -> None:
    result = dbt.invoke(["run", *SELECT, *args])
    assert result.success, dbt.failures(result) or result.exception


def staged_commits(warehouse, org: str = ORG) -> list[tuple]:
    return [tuple(row) for row in warehouse.query(
        "select commit_sha, author_email, _dlt_load_id from staging.stg_git__commits "
        f"where org_id = '{org}' order by commit_sha").rows]


def staged_files(warehouse, org: str = ORG) -> list[tuple]:
    return [tuple(row) for row in warehouse.query(
        "select commit_sha, path, lines_added from staging.stg_git__commit_files "
        f"where org_id = '{org}' order by commit_sha, path").rows]


def load_git(warehouse, commits: list, load_id: str, org: str = ORG, *, commit: bool = True) -> None:
    commit_table, file_table = git_rows(org, commits, REPO_ID)
    load(warehouse, {"git___commits": commit_table, "git___commit_files": file_table}, load_id, commit=commit)


def load_tombstone(warehouse, sha: str, load_id: str) -> None:
    """The row the git source writes for a commit a force push dropped from the branch."""
    warehouse.command("alter table raw.git___commits add column if not exists is_removed Nullable(Bool)")
    warehouse.command(
        "insert into raw.git___commits (org_id, repo_id, sha, is_removed, _dlt_load_id, _dlt_id) "
        f"values ('{ORG}', '{REPO_ID}', '{sha}', true, '{load_id}', 'tombstone-{sha}')")


def test_newer_load_restages_only_its_keys(warehouse) -> None:
    first = new_load_id()
    load_git(warehouse, FIRST, first)
    run()
    assert staged_commits(warehouse) == [
        ("a1", "ann@acme.io", first), ("b2", "bob@old.acme.io", first), ("c3", "cy@acme.io", first)]

    second = new_load_id()
    load_git(warehouse, SECOND, second)
    load_tombstone(warehouse, "c3", second)
    run()
    after_incremental = (staged_commits(warehouse), staged_files(warehouse))
    # a1 untouched, b2 replaced (no second row), c3 gone, d4 added
    assert after_incremental[0] == [
        ("a1", "ann@acme.io", first), ("b2", "bob@acme.io", second), ("d4", "dee@acme.io", second)]
    assert after_incremental[1] == [
        ("a1", "app.py", 10), ("b2", "app.py", 21), ("b2", "lib.py", 5), ("c3", "web.py", 30), ("d4", "app.py", 40)]

    run()
    assert (staged_commits(warehouse), staged_files(warehouse)) == after_incremental
    run("--full-refresh")
    assert (staged_commits(warehouse), staged_files(warehouse)) == after_incremental


def test_a_load_committed_after_a_newer_one_is_still_restaged(warehouse) -> None:
    """Two syncs run at once: the one that started first (the older load id) commits last."""
    older, newer = new_load_id(), new_load_id()
    load_git(warehouse, [("e5", "eve@acme.io", "2024-07-01 10:00:00", False, [("app.py", 1, 0)])], newer, LATE_ORG)
    run()
    load_git(warehouse, [("f6", "fay@acme.io", "2024-07-02 10:00:00", False, [("app.py", 2, 0)])], older, LATE_ORG)
    run()
    assert staged_commits(warehouse, LATE_ORG) == [("e5", "eve@acme.io", newer), ("f6", "fay@acme.io", older)]


def test_rows_of_a_running_load_wait_for_its_commit(warehouse) -> None:
    running = new_load_id()
    load_git(warehouse, [("g7", "gus@acme.io", "2024-07-03 10:00:00", False, [("app.py", 3, 0)])], running,
             LATE_ORG, commit=False)
    run()
    assert "g7" not in [sha for sha, _, _ in staged_commits(warehouse, LATE_ORG)]
    commit_load(warehouse, "git", running)
    run()
    assert ("g7", "gus@acme.io", running) in staged_commits(warehouse, LATE_ORG)
    assert ("g7", "app.py", 3) in staged_files(warehouse, LATE_ORG)


def test_a_table_staged_in_another_column_order_gets_each_value_in_its_column(warehouse) -> None:
    """dbt-clickhouse appends by position: a table staged when the contract listed its columns in another order
    (here author_email moved last) is restaged in the table's order, not the model's."""
    table = "staging.stg_git__commits"
    load_git(warehouse, [("h8", "hal@acme.io", "2024-07-04 10:00:00", False, [("app.py", 4, 0)])], new_load_id(),
             LATE_ORG)
    run()
    warehouse.command(f"alter table {table} modify column author_email Nullable(String) after committed_at")
    try:
        loaded = new_load_id()
        load_git(warehouse, [("i9", "ivy@acme.io", "2024-07-05 10:00:00", False, [("app.py", 5, 0)])], loaded,
                 LATE_ORG)
        run()
        rows = warehouse.query(f"select commit_sha, author_email, toString(authored_at) from {table} "
                               f"where org_id = '{LATE_ORG}' and commit_sha in ('h8', 'i9') order by commit_sha").rows
        assert [tuple(row) for row in rows] == [("h8", "hal@acme.io", "2024-07-04 10:00:00.000000"),
                                                ("i9", "ivy@acme.io", "2024-07-05 10:00:00.000000")]
    finally:
        run("--full-refresh")


def test_a_column_the_contract_added_joins_a_staged_table(warehouse) -> None:
    """A table staged before the contract gained a column (GitHub runs' created_at and run_attempt) gains it
    before the next append, after its last column, so every value lands in its own column."""
    table = "staging.stg_github__ci_runs"
    run_row = {"org_id": ORG, "repo_id": REPO_ID, "provider": "github", "pipeline_name": "CI", "head_sha": "s1",
               "branch": "main", "status": "completed", "conclusion": "success", "run_attempt": 1,
               "created_at": "2024-06-05 10:00:00", "started_at": "2024-06-05 10:00:30",
               "finished_at": "2024-06-05 10:05:00", "updated_at": "2024-06-05 10:05:00"}
    load(warehouse, {"github___ci_runs": [{**run_row, "run_id": 1}]}, new_load_id())
    staged = dbt.invoke(["run", "--select", "stg_github__ci_runs"])
    assert staged.success, dbt.failures(staged) or staged.exception

    def columns() -> list[str]:
        return [row[0] for row in warehouse.query(f"describe {table}").rows]

    model_order = columns()
    warehouse.command(f"alter table {table} drop column run_attempt, drop column created_at")
    try:
        load(warehouse, {"github___ci_runs": [{**run_row, "run_id": 2, "run_attempt": 2}]}, new_load_id())
        staged = dbt.invoke(["run", "--select", "stg_github__ci_runs"])
        assert staged.success, dbt.failures(staged) or staged.exception
        assert columns() == [name for name in model_order if name not in ("created_at", "run_attempt")] + [
            "run_attempt", "created_at"]
        rows = warehouse.query(f"select run_id, run_attempt, toString(created_at), conclusion from {table} "
                               f"where org_id = '{ORG}' order by run_id").rows
        # run 1 was staged before the columns existed: NULL there until a full refresh
        assert [tuple(row) for row in rows] == [("1", None, None, "success"), ("2", 2, "2024-06-05 10:00:00.000000",
                                                                                 "success")]
    finally:
        refreshed = dbt.invoke(["run", "--select", "stg_github__ci_runs", "--full-refresh"])
        assert refreshed.success, dbt.failures(refreshed) or refreshed.exception


def test_no_thread_finds_the_raw_schema_uncached() -> None:
    """dbt caches a source schema such as raw only when first asked, and marks it cached from its first table on:
    two threads asking at once, one read it half filled and restaged no load, as if `_dlt_loads` were missing.
    The on-run-start hook cache_raw_relations lists raw before any node runs, so no node asks."""
    misses: list[str] = []

    def record(event) -> None:
        if event.info.name == "CacheMiss" and event.data.schema == "raw":
            misses.append(event.data.conn_name)

    run()  # the tables exist: the next run is incremental and reads the loads
    result = dbt.invoke(["run", *SELECT, "--threads", "2"], callbacks=[record])
    assert result.success, dbt.failures(result) or result.exception
    assert misses == ["master"]


def test_a_grain_test_checks_the_keys_written_since_it_last_passed(warehouse) -> None:
    """stg_git__commits' grain test reads the keys staged after its last pass (intermediate.grain_checks), over
    the whole table: a duplicate a failing build wrote fails every build until it is gone, and a table created
    anew, or recorded as checked later than the clock reads, is checked whole."""
    org = "1d000000-0000-4000-8000-0000000000d3"
    table = "staging.stg_git__commits"
    grain = f"{table} where org_id = '{org}'"

    def build() -> bool:
        return dbt.invoke(["build", "--select", "stg_git__commits", "--exclude", "test_type:unit"]).success

    def checked_through() -> str:
        return warehouse.scalar("select toString(max(checked_through)) from intermediate.grain_checks "
                                "where database = 'staging' and table_name = 'stg_git__commits'")

    def plant_duplicate(sha: str, staged_at: str) -> None:
        # a copy of a staged row, as a faulty write would leave it, stamped `staged_at`
        warehouse.command(f"insert into {table} select * replace ({staged_at} as _staged_at) from {grain} "
                          f"and commit_sha = '{sha}'")

    load_git(warehouse, FIRST, new_load_id(), org)
    assert build()
    first_pass = checked_through()
    assert first_pass == warehouse.scalar(f"select toString(max(_staged_at)) from {table}")
    try:
        plant_duplicate("a1", "now64(6, 'UTC')")
        assert not build()
        assert checked_through() == first_pass
        # a later load staged in the next build: a1's copy is still checked, and still fails
        load_git(warehouse, [SECOND[1]], new_load_id(), org)
        assert not build()
        assert checked_through() == first_pass
        warehouse.command(f"delete from {table} where org_id = '{org}' and commit_sha = 'a1' "
                          f"and _staged_at > '{first_pass}'")
        assert build()
        assert checked_through() > first_pass

        # a copy stamped before the last pass is trusted as checked then, until the record is ahead of the clock
        # (a clock set back would stamp new rows before it) or the table is created anew
        plant_duplicate("b2", f"toDateTime64('{first_pass}', 6, 'UTC')")
        assert build()
        warehouse.command("insert into intermediate.grain_checks select * replace (now64(6, 'UTC') + "
                          "toIntervalDay(1) as checked_through) from intermediate.grain_checks "
                          "where table_name = 'stg_git__commits' order by recorded_at desc limit 1")
        assert not build()
        warehouse.command(f"create table {table}_copy as {table}")
        warehouse.command(f"insert into {table}_copy select * from {table}")
        warehouse.command(f"exchange tables {table} and {table}_copy")
        warehouse.command(f"drop table {table}_copy")
        assert not build()
    finally:
        warehouse.command(f"delete from {table} where org_id = '{org}'")
    assert build()
