"""Marts follow the data (README, "Incremental marts"), the cases of deployments, incidents, lead times, CI
runs and seeds: after each, the marts an incremental `dbt run` leaves are, cell for cell, what a
`--full-refresh` of the same raw data computes (follow_the_data.build_and_compare). The other cases are in
test_marts_follow_the_data.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from follow_the_data import (
    DORA,
    ORG,
    REPO,
    build_and_compare,
    ci_run,
    deployment,
    full_refresh_statements,
    load_commits,
    organisation_built,
    run,
)
from raw_fixture import git_rows, load, new_load_id

from devhealth import dbt


@pytest.fixture(scope="module")
def full_refresh_sql() -> dict[str, str]:
    return full_refresh_statements()


@pytest.fixture(scope="module")
def organisation(warehouse) -> Iterator[None]:
    yield from organisation_built(warehouse)


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


def test_red_period_longer_than_a_month_ends_at_its_late_pass(warehouse, organisation, full_refresh_sql) -> None:
    # ci_run_keys_to_recompute reads a month of stored default-branch runs back from a touched run: a pass 45
    # days after a failure finds no pass there, and reaches back to the workflow's first run
    def red(day: str) -> list[tuple]:
        return warehouse.query(f"select red_periods_started, red_time_hours from marts.ci_pipeline_metrics_daily "
                               f"where org_id = '{ORG}' and day = '{day}'").rows

    # green on the eve (whatever the cases before left red), then a failure
    load(warehouse, {"github___ci_runs": [
        ci_run(9100, "b70", "success", "2024-06-30 10:00:00", "2024-06-30 10:10:00"),
        ci_run(9101, "b71", "failure", "2024-07-01 10:00:00", "2024-07-01 10:10:00"),
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert red("2024-07-01") == [(1, 0.0)]
    load(warehouse, {"github___ci_runs": [ci_run(9102, "b72", "success", "2024-08-15 10:00:00",
                                                 "2024-08-15 10:10:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert red("2024-07-01") == [(1, 45 * 24.0)]
    # a late failure inside that red period starts none, and leaves its end where it was
    load(warehouse, {"github___ci_runs": [ci_run(9103, "b73", "failure", "2024-08-10 10:00:00",
                                                 "2024-08-10 10:10:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert red("2024-07-01") == [(1, 45 * 24.0)] and red("2024-08-10") == [(0, 0.0)]


def test_rerun_of_a_run_after_a_long_gap_reads_the_run_before_the_gap(
        warehouse, organisation, full_refresh_sql) -> None:
    # int_ci_runs_classified reads a month of stored default-branch runs back from its first recomputed run, and
    # further back for a workflow with none there: a late rerun makes the failure it reruns (two months after
    # the workflow's previous run, a failure too) recomputed, and that failure still continues the red period
    def nightly(sha: str, run_id: int, conclusion: str, started_at: str, finished_at: str) -> dict:
        return {**ci_run(run_id, sha, conclusion, started_at, finished_at), "pipeline_name": "nightly"}

    def starts_red(run_id: int) -> list[tuple]:
        return warehouse.query(f"select starts_red_period from intermediate.int_ci_runs_classified "
                               f"where org_id = '{ORG}' and run_id = '{run_id}'").rows

    load(warehouse, {"github___ci_runs": [
        nightly("n0", 9200, "failure", "2024-01-01 10:00:00", "2024-01-01 10:10:00"),
        nightly("n1", 9201, "failure", "2024-03-01 10:00:00", "2024-03-01 10:10:00"),
        nightly("n2", 9202, "success", "2024-03-02 10:00:00", "2024-03-02 10:10:00"),
    ]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert starts_red(9200) == [(True,)] and starts_red(9201) == [(False,)]
    load(warehouse, {"github___ci_runs": [nightly("n1", 9203, "success", "2024-03-03 10:00:00",
                                                  "2024-03-03 10:10:00")]}, new_load_id())
    build_and_compare(warehouse, full_refresh_sql)
    assert starts_red(9201) == [(False,)]


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
    # a commit naming Jira key ABC-1 ("change ABC-1"): the commits' stored candidates hold a row before the seed
    # changes (an empty table is rebuilt whole on every build, whatever changed)
    load_commits(warehouse, [("ABC-1", "dana@acme.io", "2024-05-11 12:00:00", False, [("app.py", 1, 0)])])
    build_and_compare(warehouse, full_refresh_sql)
    try:
        # one deploying day a week is elite in 2023's table now (it takes 7)
        warehouse.command("alter table marts.dora_band_thresholds update min_value = 1 where report_year = 2023 "
                          "and metric = 'deployment_frequency' and band = 'elite' settings mutations_sync = 2")
        warehouse.command("insert into marts.investment_categories (match_on, match_value, category, subcategory) "
                          "values ('work_item_type', 'spike', 'maintenance', 'research')")
        # the subjects of b01 to b03 ("change b01"...) are hotfixes now: d1 ships b03, rework. The commits'
        # stored candidates (int_commit_rework_candidates, keyed) are recomputed: the seed is part of their rule
        warehouse.command("alter table marts.rework_link_rules update pattern = '^change b0[1-3]$' "
                          "where link_type = 'hotfix' settings mutations_sync = 2")
        build_and_compare(warehouse, full_refresh_sql)
        hotfixes = warehouse.query("select count() from intermediate.int_commit_rework_candidates "
                                   f"where org_id = '{ORG}' and candidates[1].candidate_type = 'hotfix'").rows
        assert hotfixes == [(3,)]
        rules = warehouse.query("select count() from marts.investment_categories where match_value = 'spike'").rows
        assert rules == [(1,)]
    finally:
        assert dbt.invoke(["seed", "--full-refresh"]).success
