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


def _daily_and_monthly(stem: str, description: str, grain: tuple[str, ...], team: TeamFilter | None,
                       repo: bool = False, scope: str | None = None) -> tuple[Resource, Resource]:
    """A mart's daily and monthly builds: alike but for the period, which `{period}` stands for in the
    description and the grain (and which is the date column)."""
    def build(suffix: str, period: str) -> Resource:
        return Resource(f"{stem}_{suffix}", description.format(period=period),
                        tuple(column.format(period=period) for column in grain), period, team, repo=repo,
                        scope=scope)

    return build("daily", "day"), build("monthly", "month")


RESOURCES: tuple[Resource, ...] = (
    _dora("dora_metrics_daily", "day"),
    _dora("dora_metrics_weekly", "ISO week (period_start is its Monday)"),
    _dora("dora_metrics_monthly", "month"),
    _dora("dora_metrics_trailing_4_weeks", "trailing window of four ISO weeks", "window_end_week"),
    *_daily_and_monthly("repo_metrics", "Commit and pull-request figures per repository and {period}.",
                        ("repo_id", "{period}"), TeamFilter.repos, repo=True),
    *_daily_and_monthly("user_metrics", "Figures per person (primary email), repository and {period}.",
                        ("repo_id", "author_email", "{period}"), TeamFilter.repos, repo=True),
    *_daily_and_monthly("team_metrics", "Commit and working-hours figures per team and {period}.",
                        ("team_id", "{period}"), TeamFilter.column),
    *_daily_and_monthly("work_item_metrics", "Work-item flow per {period}, provider, work scope and team.",
                        ("{period}", "provider", "work_scope_id", "team_id"), TeamFilter.column,
                        scope="work_scope_id"),
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
