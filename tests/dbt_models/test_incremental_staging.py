"""The large staging tables are incremental: a build restages only the natural keys that a load newer than
the table's latest `_dlt_load_id` touched, so a re-sent row replaces its old version, a force-pushed commit
(its latest row a tombstone) disappears, untouched rows stay as they were, and the result equals a full
restage (README, "Models").

The organisation here is this module's own; other tests' rows in the same tables are not touched.
"""

from __future__ import annotations

from raw_fixture import git_rows, load, new_load_id

from devhealth import dbt

ORG = "1d000000-0000-4000-8000-0000000000d1"
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


def staged_commits(warehouse) -> list[tuple]:
    return [tuple(row) for row in warehouse.query(
        "select commit_sha, author_email, _dlt_load_id from staging.stg_git__commits "
        f"where org_id = '{ORG}' order by commit_sha").rows]


def staged_files(warehouse) -> list[tuple]:
    return [tuple(row) for row in warehouse.query(
        "select commit_sha, path, lines_added from staging.stg_git__commit_files "
        f"where org_id = '{ORG}' order by commit_sha, path").rows]


def load_git(warehouse, commits: list, load_id: str) -> None:
    commit_table, file_table = git_rows(ORG, commits, REPO_ID)
    load(warehouse, {"git___commits": commit_table, "git___commit_files": file_table}, load_id)


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
