"""The run summary: headline figures per organization, read from the marts only.

Everything is over the latest trailing window of four ISO weeks in the data; a summary is refused
(InputError) when the marts hold nothing for the organization, rather than presenting zeros as real.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from devhealth.errors import InputError
from devhealth.warehouse import Warehouse

PR_STAGES = ("coding", "pickup", "review", "deploy")


@dataclass(frozen=True)
class DoraKeys:
    scope_type: str
    scope_name: str
    deployments_count: int
    median_weekly_deployment_days: float | None
    lead_time_median_hours: float | None
    change_failure_rate: float | None
    time_to_restore_median_hours: float | None
    deployment_frequency_band: str | None
    lead_time_band: str | None
    change_failure_rate_band: str | None
    time_to_restore_band: str | None
    rework_rate: float | None


@dataclass(frozen=True)
class WeekTrend:
    week: date
    deployments_count: int
    lead_time_median_hours: float | None
    change_failure_rate: float | None
    time_to_restore_median_hours: float | None
    rework_rate: float | None


@dataclass(frozen=True)
class Hotspot:
    repo_name: str
    path: str
    commits_count: int
    churn_lines: int
    hotspot_score: float


@dataclass
class OrgSummary:
    org_id: str
    org_name: str
    window_start: date
    window_end: date
    dora: list[DoraKeys] = field(default_factory=list)
    trend: list[WeekTrend] = field(default_factory=list)
    pr_stage_medians_hours: dict[str, float | None] = field(default_factory=dict)
    slowest_pr_stage: str | None = None
    hotspots: list[Hotspot] = field(default_factory=list)
    after_hours_team: str | None = None
    after_hours_ratio: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # nan: an aggregate over nothing
        return None
    return value


def latest_week(warehouse: Warehouse, org_id: str) -> date | None:
    """The Monday of the latest complete week holding deployments, else commits: a git-only org still gets a
    summary. The week in progress (today's, UTC) is taken only when no earlier week holds data: its few days
    would read as a drop against four whole weeks."""
    this_week = "toMonday(toDate(now(), 'UTC'))"
    # each mart read once (both are views over their latest computations), for its latest complete week and its
    # latest week of all
    return warehouse.scalar(
        "select coalesce(deployments.complete, commits.complete, deployments.latest, commits.latest) from "
        f"(select maxIfOrNull(window_end_week, window_end_week < {this_week}) as complete, "
        "maxOrNull(window_end_week) as latest "
        "from marts.dora_metrics_trailing_4_weeks where org_id = {org_id:String}) as deployments, "
        f"(select toMonday(maxIfOrNull(day, day < {this_week})) as complete, toMonday(maxOrNull(day)) as latest "
        "from marts.repo_metrics_daily where org_id = {org_id:String} and commits_count > 0) as commits",
        {"org_id": org_id},
    )


def summarise(warehouse: Warehouse, org_id: str, org_name: str) -> OrgSummary:
    window_end = latest_week(warehouse, org_id)
    if window_end is None:
        raise InputError(f"organization {org_name}: the marts hold no commits or deployments for it yet; "
                         "load a source (devhealth sync ...) and build (devhealth metrics all)")
    # bound, never spliced: the org and the window's last week, as every query below names them
    bound = {"org_id": org_id, "end": window_end}
    summary = OrgSummary(org_id, org_name, window_end.fromordinal(window_end.toordinal() - 21), window_end)

    dora_rows = warehouse.query(
        "select scope_type, scope_name, deployments_count, median_weekly_deployment_days, lead_time_median_hours, "
        "change_failure_rate, time_to_restore_median_hours, deployment_frequency_band, lead_time_band, "
        "change_failure_rate_band, time_to_restore_band, rework_rate from marts.dora_metrics_trailing_4_weeks "
        "where org_id = {org_id:String} and window_end_week = {end:Date} and scope_type in ('org', 'team') "
        "order by scope_type = 'team', scope_name", bound,
    ).rows
    summary.dora = [DoraKeys(*row) for row in dora_rows]

    trend_rows = warehouse.query(
        "select period_start, deployments_count, lead_time_median_hours, change_failure_rate, "
        "time_to_restore_median_hours, rework_rate from marts.dora_metrics_weekly "
        "where org_id = {org_id:String} and scope_type = 'org' and period_start between {end:Date} - 21 and {end:Date} "
        "order by period_start", bound,
    ).rows
    summary.trend = [WeekTrend(*row) for row in trend_rows]

    window_medians = warehouse.query(
        "select " + ", ".join(f"{stage}_p50_hours" for stage in PR_STAGES)
        + " from marts.pr_cycle_trailing_4_weeks where org_id = {org_id:String} and window_end_week = {end:Date}",
        bound,
    ).rows
    # no row: no pull request was merged in the window
    medians = window_medians[0] if window_medians else (None,) * len(PR_STAGES)
    summary.pr_stage_medians_hours = {stage: _plain(value) for stage, value in zip(PR_STAGES, medians, strict=True)}
    measured = {stage: hours for stage, hours in summary.pr_stage_medians_hours.items() if hours is not None}
    summary.slowest_pr_stage = max(measured, key=measured.__getitem__) if measured else None

    hotspot_rows = warehouse.query(
        "select r.repo_name, h.path, h.commits_count, h.churn_lines, h.hotspot_score "
        "from marts.file_hotspots as h inner join marts.dim_repos as r "
        "on h.org_id = r.org_id and h.repo_id = r.repo_id "
        "where h.org_id = {org_id:String} order by h.hotspot_score desc, h.path limit 5", bound,
    ).rows
    summary.hotspots = [Hotspot(*row) for row in hotspot_rows]

    after_hours = warehouse.query(
        "select t.team_name, sum(m.after_hours_commits) / sum(m.commits_count) as ratio "
        "from marts.team_metrics_daily as m inner join marts.dim_teams as t "
        "on m.org_id = t.org_id and m.team_id = t.team_id "
        "where m.org_id = {org_id:String} and m.day between {end:Date} - 21 and {end:Date} + 6 "
        "and m.commits_count > 0 group by t.team_name order by ratio desc, t.team_name limit 1", bound,
    ).rows
    if after_hours:
        summary.after_hours_team, summary.after_hours_ratio = after_hours[0][0], float(after_hours[0][1])
    return summary
