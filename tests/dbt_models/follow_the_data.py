"""What the follow-the-data cases share (test_marts_follow_the_data.py, test_dora_follow_the_data.py): the marts
and keyed models they compare with a full refresh, the organisation they change, its first build, and the build
and comparison each case ends with. The cases are two modules so that two test workers share them; each
module builds the organisation in its own warehouse, or, on one worker, after the other module's rows are gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from dlt_loads import delete_org_rows
from raw_fixture import git_rows, load, new_load_id

from devhealth import dbt

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
    "int_change_lead_times_daily": "repo_id, day",
    "pr_cycle_breakdown": "repo_id, pr_number",
    "pr_cycle_trailing_4_weeks": "window_end_week",
    "int_ci_runs_classified": "provider, repo_id, run_id",
    "int_commit_rework_candidates": "repo_id, commit_sha",
    "people_work_fingerprints_daily": "day",
    "repo_work_fingerprints_daily": "day",
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


def vars_args(dbt_vars: dict | None) -> list[str]:
    """dbt's --vars for `dbt_vars`, none for the project's own."""
    return ["--vars", json.dumps(dbt_vars)] if dbt_vars else []


def run(*, views: bool = False, dbt_vars: dict | None = None) -> None:
    """A plain incremental `dbt run` of BUILT. The views are left out unless asked for: they hold no rows and no
    case changes their SQL, so the organisation's first run creates them once (0.17 s a view on one thread, 44
    of them: about a fifth of each run)."""
    result = dbt.invoke(["run", "--select", *BUILT, *([] if views else ["--exclude", "config.materialized:view"]),
                         *vars_args(dbt_vars)])
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


def full_refresh_statements(dbt_vars: dict | None = None) -> dict[str, str]:
    """Each append-only mart's SQL as a --full-refresh runs it: every cell computed from the inputs."""
    result = dbt.invoke(["compile", "--full-refresh", "--select", *(f"{mart}_versions" for mart in MARTS), *KEYED,
                         *DORA, *vars_args(dbt_vars)])
    assert result.success, dbt.failures(result) or result.exception
    compiled = {node.node.name: node.node.compiled_code for node in result.result.results}
    return {**{mart: compiled[f"{mart}_versions"] for mart in MARTS},
            **{model: compiled[model] for model in (*KEYED, *DORA)}}


def build_and_compare(
    warehouse, full_refresh_sql: dict[str, str], dbt_vars: dict | None = None,
) -> dict[str, list[tuple]]:
    """Build incrementally, then check every mart holds, cell for cell, what a full refresh computes now (with
    the same vars)."""
    run(dbt_vars=dbt_vars)
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


def organisation_built(warehouse) -> Iterator[None]:
    """The body of each module's `organisation` fixture: its first build (the views too), then its rows gone."""
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
    # 30 years of history would outlive the module into the retention tests, and its rows into the other module
    delete_org_rows(warehouse, ORG)
