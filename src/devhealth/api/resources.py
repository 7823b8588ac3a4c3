"""The public marts the API serves: one resource per mart, its grain, its date column and its filters.

Column names and types are not listed here: they are read from the warehouse at start-up
(`catalog.load_catalog`), so the API serves the marts exactly as dbt built them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TeamFilter(StrEnum):
    """How `team=` narrows a mart's rows."""

    column = "column"  # the mart has a team_id column
    repos = "repos"  # the mart is per repository: the team's repositories, from dim_team_repos
    dora_scope = "dora_scope"  # a DORA mart: the rows whose scope is that team


@dataclass(frozen=True)
class Resource:
    """One mart as an API resource; `grain` is its key after org_id, which sorts and pages the rows."""

    mart: str
    description: str
    grain: tuple[str, ...]
    date_column: str | None = None
    team: TeamFilter | None = None
    repo: bool = False  # `repo=` filters repo_id (on DORA marts: the rows whose scope is that repository)
    scope: str | None = None  # the column `scope=` filters: scope_type on DORA marts, else work_scope_id

    @property
    def filters(self) -> tuple[str, ...]:
        names = []
        if self.team is not None:
            names.append("team")
        if self.repo:
            names.append("repo")
        if self.scope is not None:
            names.append("scope")
        if self.date_column is not None:
            names += ["from", "to"]
        return tuple(names)


def _dora(mart: str, period: str, date_column: str = "period_start") -> Resource:
    return Resource(mart, f"DORA keys per {period}, for the org, each team and each repository "
                    "(scope = org, team or repo).", ("scope_type", "scope_id", date_column), date_column,
                    TeamFilter.dora_scope, repo=True, scope="scope_type")


RESOURCES: tuple[Resource, ...] = (
    _dora("dora_metrics_daily", "day"),
    _dora("dora_metrics_weekly", "ISO week (period_start is its Monday)"),
    _dora("dora_metrics_monthly", "month"),
    _dora("dora_metrics_trailing_4_weeks", "trailing window of four ISO weeks", "window_end_week"),
    Resource("repo_metrics_daily", "Commit and pull-request figures per repository and day.",
             ("repo_id", "day"), "day", TeamFilter.repos, repo=True),
    Resource("repo_metrics_monthly", "Commit and pull-request figures per repository and month.",
             ("repo_id", "month"), "month", TeamFilter.repos, repo=True),
    Resource("user_metrics_daily", "Figures per person (primary email), repository and day.",
             ("repo_id", "author_email", "day"), "day", TeamFilter.repos, repo=True),
    Resource("user_metrics_monthly", "Figures per person (primary email), repository and month.",
             ("repo_id", "author_email", "month"), "month", TeamFilter.repos, repo=True),
    Resource("team_metrics_daily", "Commit and working-hours figures per team and day.",
             ("team_id", "day"), "day", TeamFilter.column),
    Resource("team_metrics_monthly", "Commit and working-hours figures per team and month.",
             ("team_id", "month"), "month", TeamFilter.column),
    Resource("work_item_metrics_daily", "Work-item flow per day, provider, work scope and team.",
             ("day", "provider", "work_scope_id", "team_id"), "day", TeamFilter.column, scope="work_scope_id"),
    Resource("work_item_metrics_monthly", "Work-item flow per month, provider, work scope and team.",
             ("month", "provider", "work_scope_id", "team_id"), "month", TeamFilter.column, scope="work_scope_id"),
    Resource("pr_cycle_breakdown", "One row per merged pull request: its coding, pickup, review and deploy time.",
             ("repo_id", "pr_number"), "merged_day", TeamFilter.repos, repo=True),
    Resource("pr_cycle_breakdown_daily", "Pull-request cycle phases per repository and day.",
             ("repo_id", "day"), "day", TeamFilter.repos, repo=True),
    Resource("fct_deployments", "One row per production deployment (date range on finished_at).",
             ("repo_id", "provider", "deployment_id"), "finished_at", TeamFilter.repos, repo=True),
    Resource("fct_work_items", "One row per work item and owning team (date range on created_at).",
             ("provider", "work_item_id", "team_id"), "created_at", TeamFilter.column, scope="work_scope_id"),
    Resource("file_hotspots", "Files by churn and authors (date range on last_changed_at).",
             ("repo_id", "path"), "last_changed_at", TeamFilter.repos, repo=True),
    Resource("investment_breakdown_monthly", "Completed work per month by investment category.",
             ("month", "provider", "work_scope_id", "category", "subcategory"), "month", scope="work_scope_id"),
    Resource("work_item_state_flow", "Status transitions per month and work scope.",
             ("month", "provider", "work_scope_id", "from_status", "to_status"), "month", scope="work_scope_id"),
    Resource("ci_pipeline_metrics_daily", "CI runs per repository, workflow or pipeline and day: success rate, "
             "durations, reruns, flaky runs, red time on the default branch.",
             ("repo_id", "pipeline_name", "day"), "day", TeamFilter.repos, repo=True),
    Resource("deployment_metrics_daily", "Deployments per repository, environment and day, every environment: "
             "by status, failure rate, median duration, who deployed.",
             ("repo_id", "environment", "day"), "day", TeamFilter.repos, repo=True),
    Resource("developer_activity_monthly", "One person's month across their repositories, for a team's own use, "
             "not for ranking people.", ("person_id", "month"), "month"),
    Resource("dim_repos", "Repositories.", ("repo_id",), team=TeamFilter.repos, repo=True),
    Resource("dim_people", "People, after identity resolution.", ("person_id",)),
    Resource("dim_teams", "Teams, their repository patterns and work scopes.", ("team_id",),
             team=TeamFilter.column),
    Resource("dim_team_repos", "Which team owns which repository.", ("team_id", "repo_id"),
             team=TeamFilter.column, repo=True),
    Resource("dim_team_keys", "The team keys the work-item marts report under: every team, and the org's "
             "unassigned entry for work no team owns.", ("team_key",), team=TeamFilter.column),
)

BY_MART = {resource.mart: resource for resource in RESOURCES}
