"""The union views' grain tests check the keys of the rows written since their last pass (grain_checks), as the
tables' do, and the rows that entered the view since without a write (`entered_without_write`): an API commit
that a clone of its repository hid, once the clone's rows are gone; a CI run dated ahead of the clock, once its
time comes. Each case plants a duplicate that only such an entry shows, and fails without the condition.

Works on the session's staging tables, in this module's own organisation, whose rows are deleted at the end.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from dlt_loads import delete_org_rows

from devhealth import dbt

ORG = "3a000000-0000-4000-8000-0000000000a3"
REPO = "3a1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9fa3"
# dbt_project.yml's future_tolerance_hours
TOLERANCE_HOURS = 24
# ahead of the tolerance by more than a build of one view takes
AHEAD_SECONDS = 8
RUN_COLUMNS = "provider, run_id, run_attempt, started_at"


def build(view: str) -> bool:
    # cautious: not the tests of other views that read this one (int_commit_files_unioned's reads int_commits_unioned)
    args = ["build", "--select", view, "--exclude", "test_type:unit", "--indirect-selection", "cautious"]
    return dbt.invoke(args).success


@pytest.fixture
def org(warehouse) -> Iterator[str]:
    yield ORG
    delete_org_rows(warehouse, ORG, ("staging",))


def staging_of(view: str) -> None:
    """The staging tables `view` reads, created where this worker has not built them yet."""
    assert dbt.invoke(["run", "--select", f"+{view}", "--exclude", view]).success


def stage(warehouse, table: str, columns: str, values: str) -> None:
    warehouse.command(f"insert into staging.{table} (org_id, repo_id, {columns}, _staged_at) "
                      f"values ('{ORG}', '{REPO}', {values}, now64(6, 'UTC'))")


def test_an_api_commit_a_clone_hid_is_checked_when_the_clone_goes(warehouse, org) -> None:
    staging_of("int_commits_unioned")
    # one commit both APIs send, then the clone's commit, staged last: the pass's stamp is after the API's rows,
    # which the clone hides
    for provider in ("github", "gitlab"):
        stage(warehouse, f"stg_{provider}__commits", "provider, commit_sha", f"'{provider}', 'c2'")
    stage(warehouse, "stg_git__commits", "commit_sha", "'c1'")
    assert build("int_commits_unioned")
    assert build("int_commits_unioned")
    # the clone's rows go without a write (as raw retention expires them): the API's two rows of c2 show
    warehouse.command(f"delete from staging.stg_git__commits where org_id = '{ORG}'")
    assert not build("int_commits_unioned")


def test_a_run_dated_ahead_is_checked_when_its_time_comes(warehouse, org) -> None:
    staging_of("int_ci_runs_unioned")
    assert build("int_ci_runs_unioned")
    # a run staged twice (a faulty write), dated a few seconds past the tolerance: out of the view until then;
    # then a run of now, staged last: the pass's stamp is after the early run's rows
    ahead = f"now64(6, 'UTC') + toIntervalHour({TOLERANCE_HOURS}) + toIntervalSecond({AHEAD_SECONDS})"
    for attempt in (1, 2):
        stage(warehouse, "stg_github__ci_runs", RUN_COLUMNS, f"'github', 'r1', {attempt}, {ahead}")
    stage(warehouse, "stg_github__ci_runs", RUN_COLUMNS, "'github', 'r0', 1, now64(6, 'UTC')")
    assert build("int_ci_runs_unioned")
    time.sleep(max(0.0, warehouse.scalar(
        f"select max(dateDiff('millisecond', now64(3, 'UTC') + toIntervalHour({TOLERANCE_HOURS}), started_at)) "
        f"from staging.stg_github__ci_runs where org_id = '{ORG}'") / 1000 + 0.5))
    assert not build("int_ci_runs_unioned")
