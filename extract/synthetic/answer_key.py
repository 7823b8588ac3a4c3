"""Expected daily and DORA figures computed in plain Python from the generated objects, for tests to
compare with the marts, plus the planted behaviours stated as numbers."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from devhealth.extract.synthetic.generator import (
    CodeSimulation,
    SyntheticSpec,
    build_organization,
    simulate_work,
)

# dbt_project.yml var('large_pr_lines'): a pull request changing more lines than this is large
LARGE_PR_LINES = 400


@dataclass(frozen=True)
class DailyRepo:
    """One repo and UTC day: non-merge commits and distinct author emails, as repo_metrics_daily counts them."""

    commits_count: int
    authors_count: int
    lines_added: int
    lines_deleted: int


@dataclass(frozen=True)
class DoraWeek:
    """One repo and week (Monday, UTC): DORA figures over successful production deployments."""

    deployments: int
    failed_deployments: int
    change_failure_rate: float | None
    lead_time_median_hours: float | None
    restore_median_hours: float | None


@dataclass
class AnswerKey:
    daily: dict[tuple[str, date], DailyRepo] = field(default_factory=dict)
    dora: dict[tuple[str, date], DoraWeek] = field(default_factory=dict)
    weekend_commits_by_team: dict[int, int] = field(default_factory=dict)
    review_median_hours_by_repo: dict[int, float] = field(default_factory=dict)
    change_failure_rate_by_repo: dict[int, float] = field(default_factory=dict)
    open_wip_by_team_at: dict[tuple[int, date], int] = field(default_factory=dict)
    # repo_id -> (merged pull requests, of which large): pr_cycle_breakdown's prs and is_large
    merged_prs_by_repo: dict[str, tuple[int, int]] = field(default_factory=dict)


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def compute(spec: SyntheticSpec) -> AnswerKey:
    """Replay the simulation once and aggregate it the way the marts are defined."""
    organization = build_organization(spec)
    repo_index = {repo.repo_id: repo for repo in organization.repos}
    key = AnswerKey()
    daily_shas: dict[tuple[str, date], list[str]] = defaultdict(list)
    authored: dict[str, datetime] = {}
    merges: set[str] = set()
    lines: dict[str, tuple[int, int]] = defaultdict(lambda: (0, 0))
    pr_created: dict[tuple[str, int], datetime] = {}
    first_approval: dict[tuple[str, int], datetime] = {}
    deployments: list[dict] = []
    incidents: list[dict] = []
    weekend = defaultdict(int)
    merged_prs: dict[str, list[bool]] = defaultdict(list)
    # authors are people: identity resolution folds a person's several emails into one author
    person_of_email = {email: person.person_id for person in organization.people for email in person.emails}
    authors: dict[tuple[str, date], set[str]] = defaultdict(set)
    for activity in CodeSimulation(organization).days():
        for row in activity.rows("commits"):
            authored[row["sha"]] = row["authored_at"]
            if row["is_merge"]:
                merges.add(row["sha"])
                continue
            day = row["authored_at"].date()
            daily_shas[(row["repo_id"], day)].append(row["sha"])
            authors[(row["repo_id"], day)].add(person_of_email[row["author_email"]])
            if day.weekday() >= 5:
                weekend[repo_index[row["repo_id"]].team] += 1
        for row in activity.rows("commit_files"):
            added, deleted = lines[row["sha"]]
            lines[row["sha"]] = (added + row["lines_added"], deleted + row["lines_deleted"])
        for row in activity.rows("pull_requests"):
            pr_created[(row["repo_id"], row["pr_number"])] = row["created_at"]
            if row["merged_at"] is not None:
                merged_prs[row["repo_id"]].append(row["additions"] + row["deletions"] > LARGE_PR_LINES)
        for row in activity.rows("pr_reviews"):
            pr_key = (row["repo_id"], row["pr_number"])
            if row["state"] == "approved" and pr_key not in first_approval:
                first_approval[pr_key] = row["submitted_at"]
        deployments += activity.rows("deployments")
        incidents += activity.rows("incidents")
    for repo_day, shas in daily_shas.items():
        key.daily[repo_day] = DailyRepo(len(shas), len(authors[repo_day]), sum(lines[sha][0] for sha in shas),
                                        sum(lines[sha][1] for sha in shas))
    key.merged_prs_by_repo = {repo_id: (len(flags), sum(flags)) for repo_id, flags in merged_prs.items()}
    key.weekend_commits_by_team = {team.index: weekend.get(team.index, 0) for team in organization.teams}

    review_hours: dict[int, list[float]] = defaultdict(list)
    for pr_key, approved_at in first_approval.items():
        review_hours[repo_index[pr_key[0]].index].append((approved_at - pr_created[pr_key]).total_seconds() / 3600)
    key.review_median_hours_by_repo = {repo: statistics.median(hours) for repo, hours in review_hours.items()}

    caused = {incident["caused_by_deployment_id"] for incident in incidents if incident["caused_by_deployment_id"]}
    weeks: dict[tuple[str, date], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    per_repo: dict[int, list[bool]] = defaultdict(list)
    for deployment in deployments:
        week = weeks[(deployment["repo_id"], _monday(deployment["finished_at"]))]
        if deployment["status"] != "success":
            week["failed"].append(deployment["deployment_id"])
            continue
        week["deployments"].append(deployment["deployment_id"] in caused)
        per_repo[repo_index[deployment["repo_id"]].index].append(deployment["deployment_id"] in caused)
        week["lead_hours"] += [(deployment["finished_at"] - authored[sha]).total_seconds() / 3600
                               for sha in json.loads(deployment["shas"]) if sha not in merges]
    for incident in incidents:
        if incident["resolved_at"] is not None and incident["repo_id"]:
            week = weeks[(incident["repo_id"], _monday(incident["opened_at"]))]
            week["restore_hours"].append((incident["resolved_at"] - incident["opened_at"]).total_seconds() / 3600)
    for repo_week, week in weeks.items():
        shipped = week["deployments"]
        key.dora[repo_week] = DoraWeek(
            deployments=len(shipped), failed_deployments=len(week["failed"]),
            change_failure_rate=sum(shipped) / len(shipped) if shipped else None,
            lead_time_median_hours=statistics.median(week["lead_hours"]) if week["lead_hours"] else None,
            restore_median_hours=statistics.median(week["restore_hours"]) if week["restore_hours"] else None,
        )
    key.change_failure_rate_by_repo = {repo: sum(flags) / len(flags) for repo, flags in per_repo.items()}

    started: dict[tuple[int, str], datetime] = {}
    finished: dict[tuple[int, str], datetime] = {}
    for activity in simulate_work(organization):
        for row in activity.rows("work_item_transitions"):
            team = int(row["work_item_id"]) // 10_000_000
            target = started if row["to_category"] == "in_progress" else finished
            target[(team, row["work_item_id"])] = row["transitioned_at"]
    for offset in range(0, spec.days + 1, 7):
        moment = spec.window_end - timedelta(days=spec.days - offset)
        for team in organization.teams:
            key.open_wip_by_team_at[(team.index, moment.date())] = sum(
                1 for (item_team, item), at in started.items()
                if item_team == team.index and at <= moment
                and not (finished.get((item_team, item)) and finished[(item_team, item)] <= moment))
    return key
