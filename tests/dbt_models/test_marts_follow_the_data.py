"""Marts follow the data (README, "Incremental marts"): after each kind of late, old, odd or changed input,
the marts an incremental `dbt run` leaves are, cell for cell, the marts a `--full-refresh` of the same raw
data computes. Each case changes this module's own organisation, builds incrementally, checks what the case
is about, then compares with a full refresh of the append-only marts.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dlt_loads import delete_org_rows
from raw_fixture import git_rows, load, new_load_id, pull_request_row

from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load as dlt_load
from devhealth.status import rows_out_of_time_range

ORG = "1d000000-0000-4000-8000-0000000000d1"
REPO = "1d1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fd1"
LATE_REPO = "1d1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fd2"
# git's first two months, as two syncs (tests/fixtures/git/README.md)
GIT_2005 = Path(__file__).resolve().parents[1] / "fixtures" / "git" / "git-2005.bundle"
# the append-only marts' views, as dashboards and the API read them, and their grain
MARTS = {
    "repo_metrics_daily": "repo_id, day",
    "user_metrics_daily": "repo_id, author_email, day",
    "team_metrics_daily": "team_id, day",
    "pr_cycle_breakdown_daily": "repo_id, day",
    "work_item_metrics_daily": "day, provider, work_scope_id, team_id",
    "repo_metrics_monthly": "repo_id, month",
    "team_metrics_monthly": "team_id, month",
    "user_metrics_monthly": "repo_id, author_email, month",
    "developer_activity_monthly": "person_id, month",
    "work_item_metrics_monthly": "month, provider, work_scope_id, team_id",
    "ci_pipeline_metrics_daily": "repo_id, pipeline_name, day",
    "deployment_metrics_daily": "repo_id, environment, day",
}
# the keyed models (README, "keyed"), recomputed by key: each is compared with a full refresh too
KEYED = {
    "int_commits_enriched": "repo_id, commit_sha",
    "int_commit_files_attributed": "repo_id, commit_sha, path",
    "int_pull_requests_lifecycle": "repo_id, pr_number",
    "int_pr_reviews_resolved": "repo_id, pr_number, review_id",
    "int_deployment_changes": "provider, repo_id, deployment_id, commit_sha",
    "int_changes_deduplicated": "repo_id, commit_sha",
    "int_change_lead_times": "repo_id, commit_sha",
    "pr_cycle_breakdown": "repo_id, pr_number",
}
# the DORA marts, rebuilt from their stored rows and the periods whose facts changed (dora_mart): compared too
DORA = {
    "dora_metrics_daily": "scope_type, scope_id, period_start",
    "dora_metrics_weekly": "scope_type, scope_id, period_start",
    "dora_metrics_monthly": "scope_type, scope_id, period_start",
    "dora_metrics_trailing_4_weeks": "scope_type, scope_id, window_end_week",
}
BASE = [(f"b{day:02d}", "dana@acme.io" if day % 2 else "eli@acme.io", f"2024-05-{day:02d} 12:00:00", False,
         [("app.py", day, 1)]) for day in range(1, 11)]


def ci_run(run_id: int, sha: str, conclusion: str, started_at: str, finished_at: str) -> dict:
    return {"org_id": ORG, "repo_id": REPO, "run_id": run_id, "provider": "github", "pipeline_name": "ci",
            "head_sha": sha, "branch": "main", "status": "completed", "conclusion": conclusion,
            "started_at": started_at, "finished_at": finished_at, "updated_at": finished_at}


def deployment(deployment_id: str, sha: str, status: str, started_at: str, finished_at: str) -> dict:
    """A production deployment of one commit, as the events file sends it."""
    return {"org_id": ORG, "repo_id": REPO, "deployment_id": deployment_id, "provider": "events",
            "repo_name": "acme/api", "environment": "production", "status": status, "sha": sha,
            "shas": json.dumps([sha]), "started_at": started_at, "finished_at": finished_at}


# what the cases read and test (fct_deployments's tests read dim_repos), and everything upstream: a plain run of
# those models, 93 of the 108 under the marts (those left out hold nothing a case checks)
BUILT = [f"+{model}" for model in (*MARTS, *KEYED, *DORA, "fct_deployments", "dim_repos", "rows_out_of_time_range")]


def run(*, views: bool = False) -> None:
    """A plain incremental `dbt run` of BUILT. The views are left out unless asked for: they hold no rows and no
    case changes their SQL, so the organisation's first run creates them once (0.17 s a view on one thread, 44
    of them: about a fifth of each run)."""
    result = dbt.invoke(["run", "--select", *BUILT, *([] if views else ["--exclude", "config.materialized:view"])])
    assert result.success, dbt.failures(result) or result.exception


def schema_of(model: str) -> str:
    """The schema a keyed model builds in: the intermediates', or the marts' (pr_cycle_breakdown, DORA)."""
    return "intermediate" if model.startswith("int_") else "marts"


def load_commits(warehouse, commits: list, repo_id: str = REPO) -> None:
    commit_rows, file_rows = git_rows(ORG, commits, repo_id)
    load(warehouse, {"git___commits": commit_rows, "git___commit_files": file_rows}, new_load_id())


def columns_of(warehouse, mart: str, schema: str = "marts") -> list[str]:
    """The columns a build computes, its bookkeeping (when, and by which rule) left out."""
    return [row[0] for row in warehouse.query(
        f"select name from system.columns where database = '{schema}' and table = '{mart}' "
        "and name not in ('computed_at', '_built_at', '_rule_hash') order by position").rows]


def snapshot(warehouse) -> dict[str, list[tuple]]:
    """Every append-only mart's rows for this org, as its view reads them, computed_at left out."""
    found = {}
    for mart, grain in MARTS.items():
        found[mart] = [tuple(row) for row in warehouse.query(
            f"select {', '.join(columns_of(warehouse, mart))} from marts.{mart} "
            f"where org_id = '{ORG}' order by {grain}").rows]
    return found


@pytest.fixture(scope="module")
def full_refresh_sql() -> dict[str, str]:
    """Each append-only mart's SQL as a --full-refresh runs it: every cell computed from the inputs."""
    result = dbt.invoke(["compile", "--full-refresh", "--select", *(f"{mart}_versions" for mart in MARTS), *KEYED,
                         *DORA])
    assert result.success, dbt.failures(result) or result.exception
    compiled = {node.node.name: node.node.compiled_code for node in result.result.results}
    return {**{mart: compiled[f"{mart}_versions"] for mart in MARTS},
            **{model: compiled[model] for model in (*KEYED, *DORA)}}


def build_and_compare(warehouse, full_refresh_sql: dict[str, str]) -> dict[str, list[tuple]]:
    """Build incrementally, then check every mart holds, cell for cell, what a full refresh computes now."""
    run()
    incremental = snapshot(warehouse)
    for mart, grain in MARTS.items():
        columns = ", ".join(columns_of(warehouse, mart))
        refreshed = [tuple(row) for row in warehouse.query(
            f"select {columns} from ({full_refresh_sql[mart]}) as refreshed "
            f"where org_id = '{ORG}' and not is_empty_cell order by {grain} settings join_use_nulls = 0").rows]
        assert incremental[mart] == refreshed, mart
    for model, grain in {**KEYED, **DORA}.items():
        schema = schema_of(model)
        columns = ", ".join(columns_of(warehouse, model, schema))
        kept, refreshed = ([tuple(row) for row in warehouse.query(
            f"select {columns} from {relation} where org_id = '{ORG}' order by {grain} settings join_use_nulls = 0"
        ).rows] for relation in (f"{schema}.{model}", f"({full_refresh_sql[model]}) as refreshed"))
        assert kept == refreshed, model
    return incremental


def commits_by_day(warehouse, repo_id: str = REPO) -> dict[str, int]:
    return {str(day): count for day, count in warehouse.query(
        f"select day, commits_count from marts.repo_metrics_daily "
        f"where org_id = '{ORG}' and repo_id = '{repo_id}' order by day").rows}


@pytest.fixture(scope="module")
def organisation(warehouse) -> Iterator[None]:
    assert dbt.invoke(["seed"]).success
    load_commits(warehouse, BASE)
    load(warehouse, {"events___deployments": [
        deployment("d1", "b03", "success", "2024-05-03 13:00:00", "2024-05-03 14:00:00"),
    ], "github___repositories": [
        {"org_id": ORG, "repo_id": REPO, "provider": "github", "repo_name": "acme/api", "default_branch": "main",
         "created_at": "2024-01-01 00:00:00", "updated_at": "2024-05-01 00:00:00"},
    ], "github___ci_runs": [ci_run(9004, "b04", "failure", "2024-05-04 10:00:00", "2024-05-04 10:10:00")]},
        new_load_id())
    run(views=True)
    yield
    # 30 years of history would outlive this module into the retention tests
    delete_org_rows(warehouse, ORG)


def test_every_append_only_mart_is_compared_with_a_full_refresh() -> None:
    # a new `_versions` mart left out of MARTS would never be checked against a full refresh
    marts = Path(__file__).resolve().parents[2] / "models" / "marts"
    versions = {path.stem.removesuffix("_versions") for path in marts.rglob("*_versions.sql")}
    assert versions == set(MARTS)


def test_rerun_on_unchanged_data_recomputes_nothing(warehouse, organisation, full_refresh_sql) -> None:
    def dora_computed() -> dict[str, list[tuple]]:
        return {mart: warehouse.query(f"select computed_at, count() from marts.{mart} where org_id = '{ORG}' "
                                      "group by computed_at order by computed_at").rows for mart in DORA}

    before = warehouse.scalar(f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'")
    dora_before = dora_computed()
    run()
    assert warehouse.scalar(
        f"select count() from marts.repo_metrics_daily_versions where org_id = '{ORG}'") == before
    # the DORA marts copy every period as it was computed: none of its facts changed
    assert dora_computed() == dora_before
    # and no keyed table recomputed a key of this org (a log that cannot tell would recompute them all); a table
    # with no rows yet (no pull request here) is rebuilt whole, which writes no keys table
    for model in KEYED:
        schema, keys = schema_of(model), f"{model}__recompute_keys"
        if warehouse.scalar(f"select count() from system.tables where database = '{schema}' and name = '{keys}'"):
            assert warehouse.scalar(f"select count() from {schema}.{keys} where org_id = '{ORG}'") == 0, model


def test_repository_added_later_reaches_every_day(warehouse, organisation, full_refresh_sql) -> None:
    today = date.today()
    days = [today - timedelta(days=offset) for offset in range(1, 41)]
    load_commits(warehouse, [(f"late{n}", "fay@acme.io", f"{day} 10:00:00", False, [("x.py", 1, 0)])
                             for n, day in enumerate(days)], LATE_REPO)
    build_and_compare(warehouse, full_refresh_sql)
    assert commits_by_day(warehouse, LATE_REPO) == {str(day): 1 for day in days}


def test_backfill_of_old_history_reaches_the_marts(warehouse, organisation, full_refresh_sql) -> None:
    load_commits(warehouse, [("old1", "dana@acme.io", "2019-02-03 09:00:00", False, [("app.py", 7, 0)])])
    build_and_compare(warehouse, full_refresh_sql)
    assert commits_by_day(warehouse)["2019-02-03"] == 1
    month = warehouse.query(f"select commits_count from marts.repo_metrics_monthly "
                            f"where org_id = '{ORG}' and repo_id = '{REPO}' and month = '2019-02-01'").rows
    assert month == [(1,)]


def test_future_dated_commit_stays_out_and_freezes_nothing(warehouse, organisation, full_refresh_sql) -> None:
    load_commits(warehouse, [("skew", "eli@acme.io", "2031-01-01 00:00:00", False, [("app.py", 1, 1)])])
    run()
    # a day after it still arrives: nothing waits for the future date
    load_commits(warehouse, [("b11", "eli@acme.io", "2024-05-11 12:00:00", False, [("app.py", 11, 1)])])
    build_and_compare(warehouse, full_refresh_sql)
    days = commits_by_day(warehouse)
    assert days["2024-05-11"] == 1
    assert "2031-01-01" not in days
    # `devhealth status` shows the commit kept out
    out_of_range = [(row.source_table, row.rows, str(row.latest_at)[:10])
                    for row in rows_out_of_time_range(warehouse) if row.org_id == ORG]
    assert out_of_range == [("stg_git__commits", 1, "2031-01-01")]


def test_future_dated_deployment_breaks_no_build(warehouse, organisation, full_refresh_sql) -> None:
    load(warehouse, {"events___deployments": [
        deployment("d2999", "b05", "success", "2999-01-01 00:00:00", "2999-01-01 01:00:00"),
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    result = dbt.invoke(["test", "--select", "int_dora_daily_facts", "fct_deployments"])
    assert result.success, dbt.failures(result)
    deployments = warehouse.query(f"select deployment_id from marts.fct_deployments where org_id = '{ORG}'").rows
    assert [row[0] for row in deployments] == ["d1"]


def reads_day(mart: str, period: date, day: date) -> bool:
    """Whether a DORA mart's period reads the facts of `day`: a day's 28 days, a week's or window's four ISO weeks,
    a month's days and those of the ISO weeks starting in it."""
    if mart == "dora_metrics_daily":
        return period - timedelta(days=27) <= day <= period
    if mart == "dora_metrics_monthly":
        last_day = (period + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return period <= day <= last_day - timedelta(days=last_day.weekday()) + timedelta(days=6)
    return period - timedelta(days=21) <= day <= period + timedelta(days=6)


def test_late_incident_reaches_its_old_period(warehouse, organisation, full_refresh_sql) -> None:
    period_column = {mart: grain.split(", ")[-1] for mart, grain in DORA.items()}
    # periods at the edge of what 3 May reaches: the day 27 days on (30 May), the week three weeks on (20 May)
    load(warehouse, {"events___deployments": [
        deployment("d21", "x21", "success", "2024-05-21 09:00:00", "2024-05-21 10:00:00"),
        deployment("d30", "x30", "success", "2024-05-30 09:00:00", "2024-05-30 10:00:00"),
    ]}, new_load_id())
    run()
    built = {mart: warehouse.scalar(f"select max(computed_at) from marts.{mart} where org_id = '{ORG}'")
             for mart in DORA}
    load(warehouse, {"events___incidents": [
        {"org_id": ORG, "provider": "events", "incident_id": "i1", "repo_name": "acme/api", "repo_id": REPO,
         "title": "outage", "severity": "high", "opened_at": "2024-05-03 15:00:00",
         "resolved_at": "2024-05-03 17:00:00", "labels": "[]"},
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    weekly = warehouse.query(
        f"select time_to_restore_median_hours from marts.dora_metrics_weekly where org_id = '{ORG}' "
        "and scope_type = 'org' and period_start = '2024-04-29'").rows
    assert weekly == [(2.0,)]
    # each DORA mart recomputed the periods that read 3 May, in every scope of the repository, and copied the rest
    day = date(2024, 5, 3)
    scopes = set(warehouse.query(f"select scope_type, scope_id from intermediate.int_dora_daily_facts "
                                 f"where org_id = '{ORG}' and day = '{day}'").rows)
    for mart, column in period_column.items():
        rows = warehouse.query(f"select scope_type, scope_id, {column}, computed_at > {{built:DateTime64(6, 'UTC')}} "
                               f"from marts.{mart} where org_id = '{ORG}'", {"built": built[mart]}).rows
        recomputed = {(scope_type, scope_id, period) for scope_type, scope_id, period, new in rows if new}
        reading = {(scope_type, scope_id, period) for scope_type, scope_id, period, _ in rows
                   if (scope_type, scope_id) in scopes and reads_day(mart, period, day)}
        assert recomputed == reading and reading, mart


def test_updated_deployment_reaches_its_old_day_and_week(warehouse, organisation, full_refresh_sql) -> None:
    def day_six() -> list[tuple]:
        return warehouse.query(f"select successful_deployments, failed_deployments from marts.deployment_metrics_daily "
                               f"where org_id = '{ORG}' and day = '2024-05-06'").rows

    def weekly_deployments() -> list[tuple]:
        return warehouse.query(f"select deployments_count from marts.dora_metrics_weekly where org_id = '{ORG}' "
                               "and scope_type = 'org' and period_start = '2024-05-06'").rows

    failed = deployment("d6", "b06", "failure", "2024-05-06 15:00:00", "2024-05-06 15:00:00")
    load(warehouse, {"events___deployments": [failed]}, new_load_id())
    run()
    assert day_six() == [(0, 1)] and weekly_deployments() in ([], [(0,)])
    # the events file sends the same deployment again once its retry succeeded: the old day and week follow
    succeeded = deployment("d6", "b06", "success", "2024-05-06 15:30:00", "2024-05-06 15:30:00")
    load(warehouse, {"events___deployments": [succeeded]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert day_six() == [(1, 0)] and weekly_deployments() == [(1,)]


def test_late_commit_and_deployment_reach_the_changes_old_deployments_ship(
        warehouse, organisation, full_refresh_sql) -> None:
    def shipped() -> dict[str, set[str]]:
        return {deployment_id: set(shas) for deployment_id, shas in warehouse.query(
            "select deployment_id, groupArray(commit_sha) from intermediate.int_deployment_changes "
            f"where org_id = '{ORG}' group by deployment_id").rows}

    def first_deployment(sha: str) -> list[tuple]:
        return warehouse.query("select first_deployment_id from intermediate.int_change_lead_times "
                               f"where org_id = '{ORG}' and commit_sha = '{sha}'").rows

    # d6 (as the updated-deployment case leaves it) ships the commits after d1's head (b03) up to its own (b06)
    load(warehouse, {"events___deployments": [
        deployment("d6", "b06", "success", "2024-05-06 15:30:00", "2024-05-06 15:30:00")]}, new_load_id())
    run()
    assert {"b04", "b05", "b06"} <= shipped()["d6"] and first_deployment("b04") == [("d6",)]
    # commits synced late, committed between the two heads: the old deployment d6 ships them
    load_commits(warehouse, [("late05", "fay@acme.io", "2024-05-05 09:00:00", False, [("late.py", 1, 0)]),
                             ("clock05", "fay@acme.io", "2024-05-05 10:00:00", False, [("late.py", 1, 0)])])
    build_and_compare(warehouse, full_refresh_sql)
    assert {"late05", "clock05"} <= shipped()["d6"] and first_deployment("late05") == [("d6",)]
    # one of them sent again from a machine with a wrong clock: out of history, d6 no longer ships it
    load_commits(warehouse, [("clock05", "fay@acme.io", "2999-05-05 10:00:00", False, [("late.py", 1, 0)])])
    build_and_compare(warehouse, full_refresh_sql)
    assert "clock05" not in shipped()["d6"] and first_deployment("clock05") == []
    # a deployment of b04 reported late, finished before d6: it ships b04, and d6 no longer does
    load(warehouse, {"events___deployments": [
        deployment("d4", "b04", "success", "2024-05-06 09:00:00", "2024-05-06 10:00:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "b04" in shipped()["d4"] and "b04" not in shipped()["d6"] and first_deployment("b04") == [("d4",)]
    # the late commit force-pushed away leaves d6 and the lead times
    tombstone, _ = git_rows(ORG, [("late05", "fay@acme.io", "2024-05-05 09:00:00", False, [])], REPO)
    load(warehouse, {"git___commits": [{**tombstone[0], "is_removed": True}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "late05" not in shipped()["d6"] and first_deployment("late05") == []


def test_jira_project_configured_later_reaches_its_old_days(warehouse, organisation, full_refresh_sql) -> None:
    def completed() -> dict[str, int]:
        return {str(day): count for day, count in warehouse.query(
            f"select day, sum(items_completed) from marts.work_item_metrics_daily where org_id = '{ORG}' "
            "and work_scope_id = 'OPS' group by day having sum(items_completed) > 0 order by day").rows}

    item = {"org_id": ORG, "provider": "jira", "project": "OPS", "assignee_email": "dana@acme.io",
            "work_item_type": "Story", "status": "Done", "status_category": "done", "story_points": 2.0,
            "labels": "[]"}
    # a project synced for the first time, a year older than anything the organisation's marts hold
    load(warehouse, {
        "jira___work_items": [
            {**item, "work_item_id": f"9{n}", "work_item_key": f"OPS-{n}", "title": f"Old {n}",
             "created_at": f"2023-03-0{n} 09:00:00", "resolved_at": f"2023-03-0{n + 2} 17:00:00",
             "updated_at": f"2023-03-0{n + 2} 17:00:00"} for n in (1, 2)],
        "jira___work_item_transitions": [
            {"org_id": ORG, "provider": "jira", "author_email": "dana@acme.io", "work_item_id": f"9{n}",
             "transitioned_at": f"2023-03-0{n + offset} {hour}:00:00", "from_status": before, "to_status": after,
             "from_category": before_category, "to_category": after_category}
            for n in (1, 2)
            for offset, hour, before, after, before_category, after_category in (
                (1, 10, "To Do", "In Progress", "todo", "in_progress"), (2, 17, "In Progress", "Done", "in_progress",
                                                                         "done"))],
    }, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert completed() == {"2023-03-03": 1, "2023-03-04": 1}


def test_late_rerun_makes_an_old_failure_flaky_and_ends_its_red_period(
    warehouse, organisation, full_refresh_sql,
) -> None:
    def day_four() -> list[tuple]:
        return warehouse.query(f"select runs_count, flaky_runs, red_periods_started, red_time_hours "
                               f"from marts.ci_pipeline_metrics_daily where org_id = '{ORG}' "
                               "and day = '2024-05-04'").rows

    assert day_four() == [(1, 0, 1, 0.0)]
    # two days later the same commit's rerun passes: day 4's failure was flaky, and the branch was red 47 hours
    load(warehouse, {"github___ci_runs": [ci_run(9006, "b04", "success", "2024-05-06 09:00:00",
                                                 "2024-05-06 09:10:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert day_four() == [(1, 1, 1, 47.0)]
    # then two passes arrive late: one started before the rerun (day 5, 22:00) that ran past its end (09:30), and
    # one started after it (09:05) that ended first of all (09:08). The period ends at the earliest end of a pass
    # started after the failure: 09:08, not the end of the first one started (09:30, 47.33 hours)
    load(warehouse, {"github___ci_runs": [
        ci_run(9005, "b05", "success", "2024-05-05 22:00:00", "2024-05-06 09:30:00"),
        ci_run(9007, "b07", "success", "2024-05-06 09:05:00", "2024-05-06 09:08:00"),
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    (runs, flaky, red_periods, red_hours), = day_four()
    assert (runs, flaky, red_periods, round(red_hours, 4)) == (1, 1, 1, round(46 + 58 / 60, 4))


def test_ci_run_moved_to_another_day_leaves_its_old_day(warehouse, organisation, full_refresh_sql) -> None:
    # run 9004 is synced again with a later start (a provider's corrected times): its old day holds no run, so
    # that cell's latest computation is an empty-cell marker, which the view drops
    def ci_days() -> dict[str, int]:
        return {str(day): runs for day, runs in warehouse.query(
            f"select day, runs_count from marts.ci_pipeline_metrics_daily where org_id = '{ORG}'").rows}

    assert ci_days().get("2024-05-04") == 1
    load(warehouse, {"github___ci_runs": [ci_run(9004, "b04", "failure", "2024-05-08 10:00:00",
                                                 "2024-05-08 10:10:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    days = ci_days()
    assert "2024-05-04" not in days and days.get("2024-05-08") == 1
    markers = warehouse.query(
        "select count() from marts.ci_pipeline_metrics_daily_versions "
        f"where org_id = '{ORG}' and day = '2024-05-04' and is_empty_cell").rows
    assert markers == [(1,)]


def test_identity_merge_recomputes_every_day_of_the_people_concerned(
    warehouse, organisation, full_refresh_sql,
) -> None:
    def people() -> set[str]:
        return {row[0] for row in warehouse.query(
            f"select distinct author_email from marts.user_metrics_daily where org_id = '{ORG}' "
            f"and day between '2024-05-01' and '2024-05-10'").rows}

    assert {"dana@acme.io", "eli@acme.io"} <= people()
    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "email", "identity": email, "person_id": "p-dana", "primary_email": "dana@acme.io",
         "display_name": "Dana"} for email in ("dana@acme.io", "eli@acme.io")
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "eli@acme.io" not in people()
    day_two = warehouse.query(f"select author_email, commits_count from marts.user_metrics_daily "
                              f"where org_id = '{ORG}' and day = '2024-05-02'").rows
    assert day_two == [("dana@acme.io", 1)]


def test_new_primary_email_alone_reaches_every_day_of_the_person(
    warehouse, organisation, full_refresh_sql,
) -> None:
    # after the identity merge case, Dana's person keeps its id and only the email it is reported under changes:
    # the people marts' fingerprints must hash the email, not the person alone
    def emails() -> set[str]:
        return {row[0] for row in warehouse.query(
            f"select distinct author_email from marts.user_metrics_daily where org_id = '{ORG}' "
            f"and day between '2024-05-01' and '2024-05-10'").rows}

    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "email", "identity": email, "person_id": "p-dana", "primary_email": "dana@acme.com",
         "display_name": "Dana"} for email in ("dana@acme.io", "eli@acme.io")
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "dana@acme.com" in emails() and not {"dana@acme.io", "eli@acme.io"} & emails()
    months = warehouse.query(f"select distinct author_email from marts.user_metrics_monthly "
                             f"where org_id = '{ORG}' and month = '2024-05-01'").rows
    assert ("dana@acme.com",) in months and ("dana@acme.io",) not in months


def test_team_change_recomputes_every_day_of_its_people(warehouse, organisation, full_refresh_sql) -> None:
    # the person Dana's commits count for (eli@acme.io's too, once the identity merge case has run)
    person = warehouse.scalar(f"select any(author_person_id) from intermediate.int_commits_enriched "
                              f"where org_id = '{ORG}' and author_email = 'dana@acme.io'")
    window = "between '2024-05-01' and '2024-05-11'"

    def team_days(team_id: str) -> dict[str, int]:
        return {str(day): count for day, count in warehouse.query(
            f"select day, commits_count from marts.team_metrics_daily where org_id = '{ORG}' "
            f"and team_id = '{team_id}' and day {window} order by day").rows}

    def members(team_id: str) -> None:
        # the team sync exports a snapshot of the semantic layer, replacing the last one
        warehouse.command(f"alter table raw.semantic___team_members delete where org_id = '{ORG}' "
                          "settings mutations_sync = 2")
        load(warehouse, {"semantic___team_members": [{"org_id": ORG, "team_id": team_id, "person_id": person}]},
             new_load_id())

    # her plain commits per UTC day, as the commits intermediate resolves them
    days = {str(day): count for day, count in warehouse.query(
        f"select toDate(authored_at, 'UTC') as day, count() from intermediate.int_commits_enriched "
        f"where org_id = '{ORG}' and author_person_id = '{person}' and not is_merge and day {window} "
        "group by day order by day").rows}
    assert len(days) >= 5
    load(warehouse, {"semantic___teams": [
        {"org_id": ORG, "team_id": team_id, "team_name": name, "repo_patterns": "[]", "work_scopes": "[]"}
        for team_id, name in (("t-core", "Core"), ("t-web", "Web"))]}, new_load_id())
    members("t-core")
    build_and_compare(warehouse, full_refresh_sql)
    # she joins Core: every old day of hers is Core's; then she moves to Web, and Core keeps no day
    assert team_days("t-core") == days
    members("t-web")
    build_and_compare(warehouse, full_refresh_sql)
    assert team_days("t-core") == {} and team_days("t-web") == days


def pull_request(number: int, author_login: str, created_at: str, merged_at: str, merge_sha: str) -> dict:
    return pull_request_row(ORG, REPO, number, created_at, merged_at, pr_id=1000 + number,
                            author_login=author_login, head_sha=merge_sha, merge_commit_sha=merge_sha)


def review(number: int, review_id: int, login: str, state: str, submitted_at: str) -> dict:
    return {"org_id": ORG, "repo_id": REPO, "pr_number": number, "review_id": review_id, "provider": "github",
            "reviewer_login": login, "reviewer_email": "", "state": state, "submitted_at": submitted_at}


def test_late_review_and_login_mapping_reach_old_pull_requests(warehouse, organisation, full_refresh_sql) -> None:
    def lifecycle() -> dict[int, tuple]:
        return {row[0]: tuple(row[1:]) for row in warehouse.query(
            "select pr_number, first_review_at, approved_at, reviews_received, author_person_id, _built_at "
            f"from intermediate.int_pull_requests_lifecycle where org_id = '{ORG}' order by pr_number").rows}

    load(warehouse, {
        "github___pull_requests": [pull_request(7, "dana-gh", "2024-05-02 09:00:00", "2024-05-03 10:00:00", "b03"),
                                   pull_request(8, "Eli-GH", "2024-05-05 09:00:00", "2024-05-06 10:00:00", "b06"),
                                   pull_request(9, "fay-gh", "2024-05-08 09:00:00", "2024-05-09 10:00:00", "b09")],
        "github___pr_reviews": [review(7, 1, "eli-gh", "commented", "2024-05-02 12:00:00"),
                                review(8, 2, "dana-gh", "approved", "2024-05-05 11:00:00")],
    }, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    before = lifecycle()
    assert before[7][:3] == (datetime(2024, 5, 2, 12), None, 1)
    # an approval of pull request 7 that arrives late; pull request 8's author's login mapped to a person
    load(warehouse, {"github___pr_reviews": [review(7, 3, "fay-gh", "approved", "2024-05-02 11:00:00")],
                     "semantic___identities": [
                         {"org_id": ORG, "provider": "github", "identity": "eli-gh", "person_id": "p-eli",
                          "primary_email": "eli@acme.io", "display_name": "Eli"}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    after = lifecycle()
    assert after[7][:3] == (datetime(2024, 5, 2, 11), datetime(2024, 5, 2, 11), 2)
    assert before[8][3] != "p-eli" and after[8][3] == "p-eli"
    # nothing pull request 9 reads changed: its row was not recomputed
    assert after[9] == before[9]
    # dana-gh is eli's login too: review 2 (dana-gh on eli's pull request 8) and review 1 (eli-gh on dana-gh's
    # pull request 7) become self-reviews, one through its reviewer, the other through its pull request's author
    load(warehouse, {"semantic___identities": [
        {"org_id": ORG, "provider": "github", "identity": "dana-gh", "person_id": "p-eli",
         "primary_email": "eli@acme.io", "display_name": "Eli"}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert warehouse.query("select review_id, is_self_review from intermediate.int_pr_reviews_resolved "
                           f"where org_id = '{ORG}' order by review_id").rows == [("1", True), ("2", True),
                                                                                  ("3", False)]
    # pull request 8's merge commit b06 ships with d6: a retry report turns d6 into a failure, then a success
    # again, and the per-pull-request mart follows its lead time out and back
    for status, deployed in (("failure", None), ("success", datetime(2024, 5, 6, 15, 30))):
        load(warehouse, {"events___deployments": [
            deployment("d6", "b06", status, "2024-05-06 15:30:00", "2024-05-06 15:30:00")]}, new_load_id())
        build_and_compare(warehouse, full_refresh_sql)
        assert warehouse.query("select deployed_at from marts.pr_cycle_breakdown "
                               f"where org_id = '{ORG}' and pr_number = 8").rows == [(deployed,)]


def test_force_pushed_commit_leaves_its_day(warehouse, organisation, full_refresh_sql) -> None:
    assert commits_by_day(warehouse)["2024-05-07"] == 1
    tombstone, _ = git_rows(ORG, [("b07", "dana@acme.io", "2024-05-07 12:00:00", False, [])], REPO)
    load(warehouse, {"git___commits": [{**tombstone[0], "is_removed": True}]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert "2024-05-07" not in commits_by_day(warehouse)


def test_a_log_started_after_the_last_build_recomputes_every_lead_time(
        warehouse, organisation, full_refresh_sql) -> None:
    """A warehouse upgraded from a version without recompute logs, or with logs not stamped with their start: a
    commit force-pushed away while only the models upstream of the lead times ran is in no log, so the lead
    times' next build recomputes every commit."""
    def first_deployment(sha: str) -> list[tuple]:
        return warehouse.query("select first_deployment_id from intermediate.int_change_lead_times "
                               f"where org_id = '{ORG}' and commit_sha = '{sha}'").rows

    def force_push_and_build_upstream(sha: str, authored_at: str) -> None:
        tombstone, _ = git_rows(ORG, [(sha, "fay@acme.io", authored_at, False, [])], REPO)
        load(warehouse, {"git___commits": [{**tombstone[0], "is_removed": True}]}, new_load_id())
        upstream = dbt.invoke(["run", "--select", "+int_changes_deduplicated", "+int_deployment_changes"])
        assert upstream.success, dbt.failures(upstream) or upstream.exception

    def build_lead_times_alone() -> None:
        alone = dbt.invoke(["run", "--select", "int_change_lead_times"])
        assert alone.success, dbt.failures(alone) or alone.exception

    logs = [f"intermediate.{model}__recompute_log" for model in ("int_changes_deduplicated", "int_deployment_changes")]
    load_commits(warehouse, [("gap08", "fay@acme.io", "2024-05-08 08:00:00", False, [("gap.py", 1, 0)]),
                             ("gap09", "fay@acme.io", "2024-05-09 08:00:00", False, [("gap.py", 1, 0)])])
    load(warehouse, {"events___deployments": [
        deployment("d8", "b08", "success", "2024-05-08 13:00:00", "2024-05-08 13:00:00"),
        deployment("d9", "b09", "success", "2024-05-09 13:00:00", "2024-05-09 13:00:00")]}, new_load_id())
    run()
    assert first_deployment("gap08") == [("d8",)] and first_deployment("gap09") == [("d9",)]

    # the version without logs: what the upstream run recomputed was never logged
    force_push_and_build_upstream("gap08", "2024-05-08 08:00:00")
    for log in logs:
        warehouse.command(f"drop table {log}")
    run()
    assert first_deployment("gap08") == []
    # once: the next build reads the logs again and recomputes no lead time
    build_lead_times_alone()
    assert warehouse.scalar("select count() from intermediate.int_change_lead_times__recompute_keys "
                            f"where org_id = '{ORG}'") == 0

    # the version whose logs were not stamped, the lead times built alone before their inputs stamp them
    before = warehouse.scalar("select toString(now64(6, 'UTC'))")
    force_push_and_build_upstream("gap09", "2024-05-09 08:00:00")
    for log in logs:
        warehouse.command(f"alter table {log} delete where built_at > '{before}' settings mutations_sync = 2")
        warehouse.command(f"alter table {log} modify comment ''")
    build_lead_times_alone()
    assert first_deployment("gap09") == []
    build_and_compare(warehouse, full_refresh_sql)


def test_seed_change_reaches_every_period(warehouse, organisation, full_refresh_sql) -> None:
    # the seed tables as `dbt seed` leaves them after an edit of the CSV files; the files stay untouched, as the
    # other test worker's builds seed from them and test_band_fixtures reads them at any moment
    try:
        # one deploying day a week is elite in 2023's table now (it takes 7)
        warehouse.command("alter table marts.dora_band_thresholds update min_value = 1 where report_year = 2023 "
                          "and metric = 'deployment_frequency' and band = 'elite' settings mutations_sync = 2")
        warehouse.command("insert into marts.investment_categories (match_on, match_value, category, subcategory) "
                          "values ('work_item_type', 'spike', 'maintenance', 'research')")
        build_and_compare(warehouse, full_refresh_sql)
        rules = warehouse.query("select count() from marts.investment_categories where match_value = 'spike'").rows
        assert rules == [(1,)]
    finally:
        assert dbt.invoke(["seed", "--full-refresh"]).success


def fast_import_history(path: Path, years: int) -> Path:
    """A repository with a commit every nine days over `years` years, written in one `git fast-import`."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    start = date.today() - timedelta(days=365 * years)
    stream, mark, day = [], 0, start
    while day < date.today():
        mark += 1
        when = int(day.strftime("%s")) + 43200
        content = f"line {mark}\n"
        message = f"change {mark}\n"
        stream.append(f"commit refs/heads/main\nmark :{mark}\n"
                      f"author Old Timer <old@acme.io> {when} +0000\ncommitter Old Timer <old@acme.io> {when} +0000\n"
                      f"data {len(message)}\n{message}"
                      + (f"from :{mark - 1}\n" if mark > 1 else "")
                      + f"M 644 inline f{mark % 50}.txt\ndata {len(content)}\n{content}\n")
        day += timedelta(days=9)
    subprocess.run(["git", "fast-import", "--quiet"], input="".join(stream).encode(), cwd=path, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=path, check=True)
    return path


def test_thirty_years_of_history_build_in_one_insert(
    tmp_path: Path, warehouse, organisation, full_refresh_sql,
) -> None:
    repo = fast_import_history(tmp_path / "decades", years=30)
    dlt_load(git_repository(repo, org_id=ORG), pipeline_name="git", dataset_name="git")
    build_and_compare(warehouse, full_refresh_sql)
    # a first build inserts every day of 30 years into each mart at once, under max_partitions_per_insert_block
    result = dbt.invoke(["run", "--select", *(f"{mart}_versions" for mart in MARTS), "--full-refresh"])
    assert result.success, dbt.failures(result) or result.exception
    years = warehouse.query(
        f"select min(toYear(day)), max(toYear(day)), count() from marts.repo_metrics_daily "
        f"where org_id = '{ORG}' and repo_id not in ('{REPO}', '{LATE_REPO}')").rows
    first, last, days = years[0]
    assert last - first >= 29 and days > 1200


def git_commits_by_utc_day(repo: Path) -> dict[str, int]:
    """git's own count of plain (non-merge) commits per UTC day of their author time."""
    stamps = subprocess.run(["git", "log", "--no-merges", "--format=%at"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.split()
    return dict(sorted(Counter(str(datetime.fromtimestamp(int(stamp), UTC).date()) for stamp in stamps).items()))


def test_real_history_synced_in_two_parts_matches_git_and_a_full_refresh(
    tmp_path: Path, warehouse, organisation, full_refresh_sql,
) -> None:
    """git's own first two months, synced at 3 May 2005 and again at 5 June: the second sync brings branches
    merged later, 11 of whose commits were authored before the first sync's latest one (real late data, on days
    the marts hold already), merges and an octopus merge, and authors in seven time zones."""
    repo = tmp_path / "git"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(GIT_2005), str(repo)], check=True)
    for point in ("first-sync", "second-sync"):
        subprocess.run(["git", "checkout", "-q", "-B", "master", f"origin/{point}"], cwd=repo, check=True)
        dlt_load(git_repository(repo, org_id=ORG), pipeline_name="git", dataset_name="git")
        # the first sync is a repository added later, compared with a full refresh in its own case: here it only
        # puts its days into the marts git counts in, before the second sync's late commits reach them
        if point == "first-sync":
            result = dbt.invoke(["run", "--select", "+path:models/marts/activity"])
            assert result.success, dbt.failures(result) or result.exception
        else:
            build_and_compare(warehouse, full_refresh_sql)
        repo_id = warehouse.scalar(
            f"select any(repo_id) from staging.stg_git__commits where org_id = '{ORG}' "
            "and commit_sha = 'e83c5163316f89bfbde7d9ab23ca2e25604af290'")
        assert commits_by_day(warehouse, repo_id) == git_commits_by_utc_day(repo), point
