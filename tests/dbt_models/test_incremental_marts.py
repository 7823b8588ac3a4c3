"""Incremental refresh of the append-only marts on the real chDB warehouse: a rerun on unchanged data recomputes
nothing, and a late row is picked up whatever its age, as the README documents (the cases of late, old and odd
data are in test_marts_follow_the_data.py and test_dora_follow_the_data.py).

The organisation here is this module's own, so the other tests' marts are untouched.
"""

from __future__ import annotations

import pytest
from raw_fixture import git_rows, load, new_load_id, pull_request_row

from devhealth import dbt

ORG = "1c000000-0000-4000-8000-0000000000c1"
REPO_ID = "1c1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fc1"
# the marts a dashboard reads, and their grain
MARTS = {
    "repo_metrics_daily": "repo_id, day",
    "user_metrics_daily": "repo_id, author_email, day",
    "pr_cycle_breakdown_daily": "repo_id, day",
    "repo_metrics_monthly": "repo_id, month",
}
# commits on 1 to 10 May
COMMITS = [
    (f"s{day:02d}", "dana@acme.io" if day % 2 else "eli@acme.io", f"2024-05-{day:02d} 12:00:00", False,
     [("app.py", day, 1)])
    for day in range(1, 11)
]
LATE_WITHIN = ("late8", "fay@acme.io", "2024-05-08 09:00:00", False, [("app.py", 40, 2)])
LATE_BEYOND = ("late5", "fay@acme.io", "2024-05-05 09:00:00", False, [("app.py", 50, 5)])
SELECT = ["--select", "+repo_metrics_monthly", "+user_metrics_daily", "+pr_cycle_breakdown_daily"]


def run(*args: str) -> None:
    result = dbt.invoke(["run", *SELECT, *args])
    assert result.success, dbt.failures(result) or result.exception


def load_commits(warehouse, commits: list, load_id: str) -> None:
    commit_table, file_table = git_rows(ORG, commits, REPO_ID)
    load(warehouse, {"git___commits": commit_table, "git___commit_files": file_table}, load_id)


def snapshot(warehouse) -> dict[str, list[tuple]]:
    """Every mart's rows for this org, computed_at left out."""
    found = {}
    for mart, grain in MARTS.items():
        columns = [row[0] for row in warehouse.query(
            f"select name from system.columns where database = 'marts' and table = '{mart}' "
            "and name != 'computed_at' order by position").rows]
        found[mart] = [tuple(row) for row in warehouse.query(
            f"select {', '.join(columns)} from marts.{mart} where org_id = '{ORG}' order by {grain}").rows]
    return found


def commits_by_day(warehouse) -> dict[str, int]:
    return {str(day): count for day, count in warehouse.query(
        f"select day, commits_count from marts.repo_metrics_daily where org_id = '{ORG}' order by day").rows}


@pytest.fixture(scope="module")
def first_build(warehouse) -> dict[str, list[tuple]]:
    # the work-item marts read what a bug is from a seed (rework_link_rules)
    assert dbt.invoke(["seed"]).success
    load_commits(warehouse, COMMITS, new_load_id())
    run()
    return snapshot(warehouse)


def test_rerun_on_unchanged_data_reads_identical_marts(warehouse, first_build) -> None:
    assert len(first_build["repo_metrics_daily"]) == 10
    versions_before = warehouse.scalar(f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'")
    run()
    assert snapshot(warehouse) == first_build
    # no cell's inputs changed: nothing was recomputed
    assert warehouse.scalar(
        f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'") == versions_before


def test_late_rows_are_picked_up_whatever_their_age(warehouse, first_build) -> None:
    before = commits_by_day(warehouse)
    computed_before = dict(warehouse.query(
        f"select day, computed_at from marts.repo_metrics_daily where org_id = '{ORG}'").rows)
    load_commits(warehouse, [LATE_WITHIN, LATE_BEYOND], new_load_id())
    run()
    after = commits_by_day(warehouse)
    assert after["2024-05-08"] == before["2024-05-08"] + 1
    assert after["2024-05-05"] == before["2024-05-05"] + 1
    # only the two days the late rows fell on were recomputed
    computed_after = dict(warehouse.query(
        f"select day, computed_at from marts.repo_metrics_daily where org_id = '{ORG}'").rows)
    recomputed = sorted(str(day) for day in computed_after if computed_after[day] != computed_before[day])
    assert recomputed == ["2024-05-05", "2024-05-08"]
    fay = warehouse.query(f"select day, commits_count, loc_added from marts.user_metrics_daily "
                          f"where org_id = '{ORG}' and author_email = 'fay@acme.io' order by day").rows
    assert [(str(day), commits, added) for day, commits, added in fay] == [
        ("2024-05-05", 1, 50), ("2024-05-08", 1, 40)]
    # the month's rollup follows the daily mart, and recounts its distinct authors
    month = warehouse.query(f"select commits_count, authors_count, loc_added from marts.repo_metrics_monthly "
                            f"where org_id = '{ORG}'").rows
    assert month == [(12, 3, sum(range(1, 11)) + 40 + 50)]

    # a full refresh computes the same
    run("--full-refresh")
    assert commits_by_day(warehouse) == after


def test_a_column_the_model_gained_is_added_to_its_table_in_place(warehouse, first_build) -> None:
    """The append-only INSERT matches the model's columns to the table's by position: the add_new_columns pre-hook
    adds a column the table lacks right after the one it follows in the model, so no value lands in a neighbour."""
    author = {"repo_name": "acme/app", "author_login": "dana-gh", "author_email": "dana@acme.io", "head_sha": "s09"}
    load(warehouse, {"github___pull_requests": [
        pull_request_row(ORG, REPO_ID, 1, "2024-05-09 09:00:00", "2024-05-10 10:00:00", title="Large",
                         additions=450, deletions=20, changed_files=9, **author),
        pull_request_row(ORG, REPO_ID, 2, "2024-05-09 09:00:00", "2024-05-10 11:00:00", title="Unknown size",
                         additions=None, deletions=None, changed_files=None, **author),
    ]}, "1714000200.000001")
    table = "marts.pr_cycle_breakdown_daily_versions"

    def columns() -> list[str]:
        return [row[0] for row in warehouse.query(f"describe {table}").rows]

    model_order = columns()
    warehouse.command(f"alter table {table} drop column large_prs_merged, drop column deploy_hours_values")
    try:
        run()
        assert columns() == model_order
        rows = warehouse.query(f"select toString(day), prs_merged, large_prs_merged, coding_p50_hours, "
                               f"deploy_hours_values from marts.pr_cycle_breakdown_daily where org_id = '{ORG}'").rows
        assert [tuple(row) for row in rows] == [("2024-05-10", 2, 1, None, [])]
    finally:
        # the other organizations' rows lost the dropped columns' values: recompute them
        result = dbt.invoke(["run", "--select", "pr_cycle_breakdown_daily_versions", "--full-refresh"])
        assert result.success, dbt.failures(result) or result.exception


TEAM_SELECT = ["--select", "+team_metrics_daily", "+work_item_metrics_daily", "+team_metrics_monthly",
               "+work_item_metrics_monthly"]
TEAM_MARTS = ["team_metrics_daily", "work_item_metrics_daily", "team_metrics_monthly", "work_item_metrics_monthly"]


def columns_of(warehouse, table: str) -> list[str]:
    return [row[0] for row in warehouse.query(f"describe {table}").rows]


@pytest.fixture(scope="module")
def team_build(warehouse, first_build) -> None:
    """Team t-web (dana) owning work scope WEB, and work items in WEB and in OPS, which no team owns."""
    item = {"org_id": ORG, "provider": "jira", "assignee_email": "dana@acme.io", "work_item_type": "task",
            "status": "Done", "status_category": "done", "labels": "[]", "created_at": "2024-05-01 09:00:00"}
    moved = {"org_id": ORG, "provider": "jira", "author_email": "dana@acme.io"}
    load(warehouse, {
        "semantic___teams": [{"org_id": ORG, "team_id": "t-web", "team_name": "Web", "repo_patterns": "[]",
                              "work_scopes": '["WEB"]'}],
        "semantic___team_members": [{"org_id": ORG, "team_id": "t-web", "person_id": "p-dana"}],
        "semantic___identities": [{"org_id": ORG, "provider": "git", "identity": "dana@acme.io",
                                   "person_id": "p-dana", "primary_email": "dana@acme.io", "display_name": "Dana"}],
        # WEB-1 in the team's scope, OPS-1 in a scope no team owns
        "jira___work_items": [
            {**item, "work_item_id": "w1", "work_item_key": "WEB-1", "project": "WEB", "title": "Page",
             "updated_at": "2024-05-03 10:00:00", "resolved_at": "2024-05-03 10:00:00"},
            {**item, "work_item_id": "o1", "work_item_key": "OPS-1", "project": "OPS", "title": "Disk",
             "updated_at": "2024-05-04 10:00:00", "resolved_at": "2024-05-04 10:00:00"},
        ],
        "jira___work_item_transitions": [
            {**moved, "work_item_id": work_item_id, "transitioned_at": at, "from_status": before,
             "to_status": after, "from_category": before.lower().replace(" ", "_"),
             "to_category": after.lower().replace(" ", "_")}
            for work_item_id, at, before, after in [
                ("w1", "2024-05-02 09:00:00", "Todo", "In Progress"),
                ("w1", "2024-05-03 10:00:00", "In Progress", "Done"),
                ("o1", "2024-05-02 09:00:00", "Todo", "In Progress"),
                ("o1", "2024-05-04 10:00:00", "In Progress", "Done"),
            ]],
    }, new_load_id())
    run(*TEAM_SELECT)


def test_team_key_and_label_reach_an_existing_warehouse_on_the_next_plain_run(warehouse, team_build) -> None:
    """A warehouse the marts built before they carried team_key and team_label: the next plain run adds both
    columns to the append-only tables in place (pre-hook add_new_columns) and fills them, since the model's new
    code changes every cell's fingerprint (cell_salt) and so recomputes every cell."""
    tables = [f"marts.{mart}_versions" for mart in TEAM_MARTS]
    model_order = {table: columns_of(warehouse, table) for table in tables}
    assert all({"team_key", "team_label"} <= set(found) for found in model_order.values())
    try:
        # the tables as the code before built them: without the columns, every cell fingerprinted with that code
        for table in tables:
            warehouse.command(f"alter table {table} drop column team_key, drop column team_label")
            warehouse.command(f"alter table {table} update cell_fingerprint = cell_fingerprint + 1 where true "
                              "settings mutations_sync = 2")
        run(*TEAM_SELECT)
        assert {table: columns_of(warehouse, table) for table in tables} == model_order
        teams = warehouse.query("select toString(day), team_key, team_label, commits_count "
                                f"from marts.team_metrics_daily where org_id = '{ORG}' order by day").rows
        # dana's commits, on the odd days
        assert [tuple(row) for row in teams] == [(f"2024-05-{day:02d}", "t-web", "Web", 1) for day in (1, 3, 5, 7, 9)]
        items = warehouse.query(
            "select toString(day), work_scope_id, team_key, team_label, items_started, items_completed "
            f"from marts.work_item_metrics_daily where org_id = '{ORG}' order by day, work_scope_id").rows
        assert [tuple(row) for row in items] == [
            ("2024-05-02", "OPS", "unassigned", "(unassigned)", 1, 0),
            ("2024-05-02", "WEB", "t-web", "Web", 1, 0),
            ("2024-05-03", "OPS", "unassigned", "(unassigned)", 0, 0),
            ("2024-05-03", "WEB", "t-web", "Web", 0, 1),
            ("2024-05-04", "OPS", "unassigned", "(unassigned)", 0, 1),
        ]
        months = warehouse.query(
            "select toString(month), work_scope_id, team_key, team_label, items_completed "
            f"from marts.work_item_metrics_monthly where org_id = '{ORG}' order by work_scope_id").rows
        assert [tuple(row) for row in months] == [("2024-05-01", "OPS", "unassigned", "(unassigned)", 1),
                                                  ("2024-05-01", "WEB", "t-web", "Web", 1)]
        # every organization's cells were recomputed: no row the views read lacks its key or label
        for table in (f"marts.{mart}" for mart in TEAM_MARTS):
            assert warehouse.scalar(f"select count() from {table} where team_key = '' or team_label = ''") == 0
        # the rows computed before keep their history, team_key '' among it, and the tables' grain tests pass
        assert warehouse.scalar(f"select count() from {tables[-1]} where team_key = '' and not is_empty_cell")
        tested = dbt.invoke(["test", "--select", *(f"{mart}_versions" for mart in TEAM_MARTS),
                             "--exclude-resource-type", "unit_test"])
        assert tested.success, dbt.failures(tested) or tested.exception
    finally:
        result = dbt.invoke(["run", "--select", *(f"{mart}_versions" for mart in TEAM_MARTS), "--full-refresh"])
        assert result.success, dbt.failures(result) or result.exception


def test_a_renamed_column_keeps_the_history_of_the_versions_tables(warehouse, team_build) -> None:
    """team_metrics' commit count was `commits` before it took the other marts' name, `commits_count`: the next
    plain run renames the column in place (pre-hook rename_columns), so every computation stored before keeps its
    figure under the new name, rather than gaining an empty column beside the old one."""
    tables = {"marts.team_metrics_daily_versions": "day", "marts.team_metrics_monthly_versions": "month"}
    model_order = {table: columns_of(warehouse, table) for table in tables}

    def history() -> dict[str, list[tuple]]:
        return {table: [tuple(row) for row in warehouse.query(
            f"select toString({period}), team_id, commits_count, after_hours_commits, computed_at from {table} "
            f"where org_id = '{ORG}' and not is_empty_cell order by {period}, computed_at").rows]
            for table, period in tables.items()}

    before = history()
    assert [row[:3] for row in before["marts.team_metrics_monthly_versions"]] == [("2024-05-01", "t-web", 5)]
    # the tables as the code before the rename built them
    for table in tables:
        warehouse.command(f"alter table {table} rename column commits_count to commits")
    try:
        run(*TEAM_SELECT)
        assert {table: columns_of(warehouse, table) for table in tables} == model_order
        assert history() == before
        assert warehouse.scalar(f"select sum(commits_count) from marts.team_metrics_daily where org_id = '{ORG}'") == 5
    finally:
        if "commits" in columns_of(warehouse, "marts.team_metrics_daily_versions"):
            result = dbt.invoke(["run", "--select", "team_metrics_daily_versions", "team_metrics_monthly_versions",
                                 "--full-refresh"])
            assert result.success, dbt.failures(result) or result.exception


@pytest.mark.parametrize("versions, period", [
    ("repo_metrics_daily_versions", "day"),
    ("user_metrics_daily_versions", "day"),
    ("pr_cycle_breakdown_daily_versions", "day"),
    ("repo_metrics_monthly_versions", "month"),
])
def test_views_find_the_latest_computation_in_the_projection(warehouse, first_build, versions, period) -> None:
    query = (f"select org_id, {period}, max(computed_at) from marts.{versions} where org_id = '{ORG}' "
             f"group by org_id, {period} order by {period}")
    # force_optimize_projection fails the query unless ClickHouse answers it from a projection
    from_projection = warehouse.query(query + " settings force_optimize_projection = 1").rows
    scanned = warehouse.query(query + " settings optimize_use_projections = 0").rows
    assert from_projection == scanned
    assert scanned
