"""The CI and deployment marts' figures (ci_pipeline_metrics_daily, deployment_metrics_daily) recomputed in plain
Python from the generator's own rows, by the definitions in the marts' YAML, for a test to compare cell for cell."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from devhealth.extract.synthetic.generator import Row


@dataclass(frozen=True)
class CiDay:
    """One row of ci_pipeline_metrics_daily (org, repo, pipeline, UTC day a run started): its columns of the same
    names. Queue time is a first attempt's wait from creation to start (int_ci_runs_unioned.queued_seconds)."""

    runs_count: int
    successful_runs: int
    failed_runs: int
    success_rate: float | None
    duration_p50_minutes: float | None
    duration_p90_minutes: float | None
    queue_p50_minutes: float | None
    reruns_count: int
    flaky_runs: int
    red_periods_started: int
    red_time_hours: float


@dataclass(frozen=True)
class DeploymentDay:
    """One row of deployment_metrics_daily (org, repo, environment, UTC day a deployment started)."""

    deployments_count: int
    successful_deployments: int
    failed_deployments: int
    other_deployments: int
    failure_rate: float | None
    duration_p50_minutes: float | None
    deployers_count: int


# (repo_id, pipeline_name or environment, day)
DeliveryCell = tuple[str, str, date]


def exact_quantile(level: float, values: list[float]) -> float | None:
    """macro exact_quantile (quantileExactInclusive): linear between the two ranks around level * (n - 1)."""
    if not values:
        return None
    ordered = sorted(values)
    position = level * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def _minutes(start: datetime, finish: datetime | None) -> float | None:
    # the marts' run_minutes and deployment_minutes: a whole count of microseconds divided once
    if finish is None or finish < start:
        return None
    return ((finish - start) // (finish - start).resolution) / 60_000_000


def _seconds(start: datetime, finish: datetime) -> float:
    # int_ci_runs_unioned.queued_seconds
    return ((finish - start) // (finish - start).resolution) / 1_000_000


def _hours(start: datetime, finish: datetime) -> float:
    # macro hours_between
    return ((finish - start) // (finish - start).resolution) / 3_600_000_000


def ci_days(runs: list[Row], default_branch: str) -> dict[DeliveryCell, CiDay]:
    """ci_pipeline_metrics_daily over one organization's runs, every repository's default branch `default_branch`."""
    by_commit: dict[tuple, list[Row]] = defaultdict(list)
    by_workflow: dict[tuple, list[Row]] = defaultdict(list)
    for run in runs:
        by_commit[(run["repo_id"], run["pipeline_name"], run["head_sha"], run["branch"])].append(run)
        if run["branch"] == default_branch and run["conclusion"] in ("success", "failure"):
            by_workflow[(run["repo_id"], run["pipeline_name"])].append(run)

    def order(run: Row) -> tuple:
        return run["started_at"], run["run_id"]

    # a rerun follows an earlier run of its commit, branch and workflow; a failure is flaky when a later one passed
    rerun: set[int] = set()
    flaky: set[int] = set()
    for group in by_commit.values():
        group.sort(key=order)
        for position, run in enumerate(group):
            if position > 0 and run["head_sha"]:
                rerun.add(run["run_id"])
            if run["head_sha"] and run["conclusion"] == "failure" and any(
                    later["conclusion"] == "success" for later in group[position + 1:]):
                flaky.add(run["run_id"])
    # a red period starts at a default-branch failure right after a pass (or first), and ends when the earliest
    # later pass ends; its hours count on the day the failing run started
    red: dict[int, float | None] = {}
    for group in by_workflow.values():
        group.sort(key=order)
        for position, run in enumerate(group):
            if run["conclusion"] != "failure" or (position > 0 and group[position - 1]["conclusion"] == "failure"):
                continue
            ends = [later["finished_at"] or later["started_at"] for later in group[position + 1:]
                    if later["conclusion"] == "success"]
            started = run["finished_at"] or run["started_at"]
            red[run["run_id"]] = _hours(started, min(ends)) if ends else None

    cells: dict[DeliveryCell, list[Row]] = defaultdict(list)
    for run in runs:
        cells[(run["repo_id"], run["pipeline_name"], run["started_at"].date())].append(run)
    key = {}
    for cell, group in cells.items():
        passed = sum(run["conclusion"] == "success" for run in group)
        failed = sum(run["conclusion"] == "failure" for run in group)
        minutes = [m for run in group if (m := _minutes(run["started_at"], run["finished_at"])) is not None]
        queued = [_seconds(run["created_at"], run["started_at"]) / 60 for run in group
                  if run.get("run_attempt") == 1 and run.get("created_at") and run["created_at"] <= run["started_at"]]
        red_hours = [red[run["run_id"]] for run in group if run["run_id"] in red]
        key[cell] = CiDay(
            runs_count=len(group), successful_runs=passed, failed_runs=failed,
            success_rate=passed / (passed + failed) if passed + failed else None,
            duration_p50_minutes=exact_quantile(0.5, minutes), duration_p90_minutes=exact_quantile(0.9, minutes),
            queue_p50_minutes=exact_quantile(0.5, queued),
            reruns_count=sum(run["run_id"] in rerun for run in group),
            flaky_runs=sum(run["run_id"] in flaky for run in group),
            red_periods_started=len(red_hours),
            red_time_hours=float(sum(hours for hours in red_hours if hours is not None)),
        )
    return key


def deployment_days(deployments: list[Row]) -> dict[DeliveryCell, DeploymentDay]:
    """deployment_metrics_daily: every environment, each deployment on the UTC day it started."""
    cells: dict[DeliveryCell, list[Row]] = defaultdict(list)
    for deployment in deployments:
        day = (deployment["started_at"] or deployment["finished_at"]).date()
        cells[(deployment["repo_id"], deployment["environment"], day)].append(deployment)
    key = {}
    for cell, group in cells.items():
        passed = sum(row["status"] == "success" for row in group)
        failed = sum(row["status"] == "failure" for row in group)
        minutes = [m for row in group if (m := _minutes(row["started_at"], row["finished_at"])) is not None]
        key[cell] = DeploymentDay(
            deployments_count=len(group), successful_deployments=passed, failed_deployments=failed,
            other_deployments=len(group) - passed - failed,
            failure_rate=failed / (passed + failed) if passed + failed else None,
            duration_p50_minutes=exact_quantile(0.5, minutes),
            deployers_count=len({(row["provider"], row["deployer_login"]) for row in group
                                 if row.get("deployer_login")}),
        )
    return key
