"""Expected daily and DORA figures computed in plain Python from the generated objects, for tests to
compare with the marts, plus the planted behaviours stated as numbers."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from devhealth.extract.synthetic.delivery_answer_key import CiDay, DeliveryCell, DeploymentDay, ci_days, deployment_days
from devhealth.extract.synthetic.dora_answer_key import DoraCell, DoraPeriod, daily_facts, dora_periods
from devhealth.extract.synthetic.generator import (
    CodeSimulation,
    Organization,
    Row,
    SyntheticSpec,
    build_organization,
    simulate_work,
)

# dbt_project.yml var('large_pr_lines'): a pull request changing more lines than this is large
LARGE_PR_LINES = 400
# dbt_project.yml var('large_commit_lines'): a commit touching more lines than this is large
LARGE_COMMIT_LINES = 300
# every synthetic repository record names main its default branch
DEFAULT_BRANCH = "main"


@dataclass(frozen=True)
class DailyRepo:
    """One row of repo_metrics_daily (org, repo, UTC day with a commit or pull request event): its columns of the
    same names. Git figures leave merge commits out (git log --numstat --no-merges); authors are people after
    identity resolution; lines and files sum each commit's file entries (binary files count 0 lines)."""

    commits_count: int
    authors_count: int
    loc_added: int
    loc_deleted: int
    loc_touched: int
    files_changed: int
    large_commits: int
    prs_opened: int
    prs_merged: int


@dataclass
class AnswerKey:
    # (repo_id, day) -> the repo_metrics_daily row
    daily: dict[tuple[str, date], DailyRepo] = field(default_factory=dict)
    # grain (daily, weekly, monthly) -> (scope_type, scope_id, period_start) -> the dora_metrics_<grain> row
    dora: dict[str, dict[DoraCell, DoraPeriod]] = field(default_factory=dict)
    weekend_commits_by_team: dict[int, int] = field(default_factory=dict)
    review_median_hours_by_repo: dict[int, float] = field(default_factory=dict)
    change_failure_rate_by_repo: dict[int, float] = field(default_factory=dict)
    open_wip_by_team_at: dict[tuple[int, date], int] = field(default_factory=dict)
    # repo_id -> (merged pull requests, of which large): pr_cycle_breakdown's prs and is_large
    merged_prs_by_repo: dict[str, tuple[int, int]] = field(default_factory=dict)
    # (repo_id, pipeline_name, day) -> the ci_pipeline_metrics_daily row
    ci: dict[DeliveryCell, CiDay] = field(default_factory=dict)
    # (repo_id, environment, day) -> the deployment_metrics_daily row
    deployments: dict[DeliveryCell, DeploymentDay] = field(default_factory=dict)


def compute(spec: SyntheticSpec) -> AnswerKey:
    """Replay the simulation once and aggregate it the way the marts are defined."""
    organization = build_organization(spec)
    repo_index = {repo.repo_id: repo for repo in organization.repos}
    key = AnswerKey()
    commits: dict[tuple[str, str], Row] = {}
    files: dict[tuple[str, str], list[Row]] = defaultdict(list)
    pull_requests: list[Row] = []
    first_review: dict[tuple[str, int], datetime] = {}
    first_approval: dict[tuple[str, int], datetime] = {}
    deployments: list[Row] = []
    incidents: list[Row] = []
    ci_runs: list[Row] = []
    for activity in CodeSimulation(organization).days():
        commits |= {(row["repo_id"], row["sha"]): row for row in activity.rows("commits")}
        for row in activity.rows("commit_files"):
            files[(row["repo_id"], row["sha"])].append(row)
        pull_requests += activity.rows("pull_requests")
        for row in activity.rows("pr_reviews"):
            pr_key = (row["repo_id"], row["pr_number"])
            # the generator never has an author review their own pull request, so every review counts
            first_review[pr_key] = min(first_review.get(pr_key, row["submitted_at"]), row["submitted_at"])
            if row["state"] == "approved" and pr_key not in first_approval:
                first_approval[pr_key] = row["submitted_at"]
        deployments += activity.rows("deployments")
        incidents += activity.rows("incidents")
        ci_runs += activity.rows("ci_runs")
    key.daily = _repo_days(organization, commits, files, pull_requests, first_review)
    facts = daily_facts(organization, commits, deployments, incidents)
    key.dora = dora_periods(facts)
    key.ci = ci_days(ci_runs, DEFAULT_BRANCH)
    key.deployments = deployment_days(deployments)

    weekend: dict[int, int] = defaultdict(int)
    for commit in commits.values():
        if not commit["is_merge"] and commit["authored_at"].weekday() >= 5:
            weekend[repo_index[commit["repo_id"]].team] += 1
    key.weekend_commits_by_team = {team.index: weekend.get(team.index, 0) for team in organization.teams}
    merged_prs: dict[str, list[bool]] = defaultdict(list)
    for row in pull_requests:
        if row["merged_at"] is not None:
            merged_prs[row["repo_id"]].append(row["additions"] + row["deletions"] > LARGE_PR_LINES)
    key.merged_prs_by_repo = {repo_id: (len(flags), sum(flags)) for repo_id, flags in merged_prs.items()}

    pr_created = {(row["repo_id"], row["pr_number"]): row["created_at"] for row in pull_requests}
    review_hours: dict[int, list[float]] = defaultdict(list)
    for pr_key, approved_at in first_approval.items():
        review_hours[repo_index[pr_key[0]].index].append((approved_at - pr_created[pr_key]).total_seconds() / 3600)
    key.review_median_hours_by_repo = {repo: statistics.median(hours) for repo, hours in review_hours.items()}
    # change failure rate over the whole window, per repository: the repo scope's daily facts summed
    failure: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (scope_type, scope_id, _), day_facts in facts.items():
        if scope_type == "repo":
            failure[repo_index[scope_id].index][0] += day_facts.failed
            failure[repo_index[scope_id].index][1] += day_facts.deployments
    key.change_failure_rate_by_repo = {repo: failed / shipped for repo, (failed, shipped) in failure.items() if shipped}

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


RepoDay = tuple[str, date]


def _repo_days(organization: Organization, commits: dict[tuple[str, str], Row],
               files: dict[tuple[str, str], list[Row]], pull_requests: list[Row],
               first_review: dict[tuple[str, int], datetime]) -> dict[RepoDay, DailyRepo]:
    """repo_metrics_daily: a row per repository and UTC day with a non-merge commit authored, or a pull request
    opened, merged or first reviewed."""
    # authors are people: identity resolution folds a person's several emails into one author
    person_of_email = {email: person.person_id for person in organization.people for email in person.emails}
    counts: dict[RepoDay, Counter[str]] = defaultdict(Counter)
    authors: dict[RepoDay, set[str]] = defaultdict(set)
    for (repo_id, sha), commit in commits.items():
        if commit["is_merge"]:
            continue
        repo_day = (repo_id, commit["authored_at"].date())
        authors[repo_day].add(person_of_email[commit["author_email"]])
        added = sum(row["lines_added"] for row in files[(repo_id, sha)])
        deleted = sum(row["lines_deleted"] for row in files[(repo_id, sha)])
        counts[repo_day].update(commits_count=1, loc_added=added, loc_deleted=deleted, loc_touched=added + deleted,
                                files_changed=len(files[(repo_id, sha)]),
                                large_commits=int(added + deleted > LARGE_COMMIT_LINES))
    for row in pull_requests:
        counts[(row["repo_id"], row["created_at"].date())]["prs_opened"] += 1
        if row["merged_at"] is not None:
            counts[(row["repo_id"], row["merged_at"].date())]["prs_merged"] += 1
        reviewed = first_review.get((row["repo_id"], row["pr_number"]))
        if reviewed is not None:  # a day with a first review is a row, whatever else it counts
            counts[(row["repo_id"], reviewed.date())]["prs_first_reviewed"] += 1
    for repo_day, day in counts.items():
        day["authors_count"] = len(authors[repo_day])
    return {repo_day: DailyRepo(**{name: day[name] for name in DailyRepo.__dataclass_fields__})
            for repo_day, day in counts.items()}
