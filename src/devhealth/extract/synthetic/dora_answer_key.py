"""The DORA marts' figures (dora_metrics_daily, _weekly, _monthly) recomputed in plain Python from the generator's
own rows, by the definitions written in the marts' YAML, so a test can compare the marts with them cell for cell.

Each step names the model whose definition it follows. Every time the generator emits lies inside its window,
which ends at the simulated extraction, so no row is out of the marts' plausible time range.
"""

from __future__ import annotations

import bisect
import json
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from devhealth.extract.synthetic.generator import Organization, Row

# dbt_project.yml var('production_environments'), compared in lower case (macro is_production_environment)
PRODUCTION_ENVIRONMENTS = ("production", "prod")
# seeds/rework_link_rules.csv: the revert prefix (counted up to 8 in a row, as the model does) and hotfix pattern
REVERT_PREFIX = 'Revert "'
MAX_REVERT_DEPTH = 8
HOTFIX = re.compile(r"(^|[^a-z])hot-?fix", re.IGNORECASE)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DoraPeriod:
    """One scope and period of a DORA mart: its columns of the same names (bands left out: they come from a seed)."""

    deployments_count: int
    deployment_days: int
    lead_time_median_hours: float | None
    change_failure_rate: float | None
    time_to_restore_median_hours: float | None
    median_weekly_deployment_days: float
    monthly_deployment_days: int
    deployments_per_day: float
    rework_deployments_count: int
    rework_rate: float | None


# (scope_type, scope_id, period_start)
DoraCell = tuple[str, str, date]


@dataclass
class DayFacts:
    """int_dora_daily_facts: one scope and UTC day."""

    deployments: int = 0
    failed: int = 0
    rework: int = 0
    lead_hours: list[float] = field(default_factory=list)
    restore_hours: list[float] = field(default_factory=list)


def hours_between(start: datetime, finish: datetime) -> float:
    """macro hours_between: dateDiff('microsecond') / 3600000000, an integer count of microseconds divided once."""
    return ((finish - start) // timedelta(microseconds=1)) / 3_600_000_000


def _whole_seconds(moment: datetime) -> int:
    # integer arithmetic: a float timestamp of today's epoch seconds cannot hold every microsecond
    return (moment - EPOCH) // timedelta(seconds=1)


def restore_hours(opened_at: datetime, resolved_at: datetime) -> float:
    """int_incidents_attributed's time_to_restore_hours: dateDiff('second', opened_at, resolved_at) / 3600.

    ClickHouse's dateDiff counts the whole-second boundaries crossed, so sub-second parts are dropped from each end
    before subtracting, not from the difference.
    """
    return (_whole_seconds(resolved_at) - _whole_seconds(opened_at)) / 3600


def _production(deployments: list[Row]) -> list[Row]:
    """int_deployments_production: successful deployments to a production environment that finished."""
    return [row for row in deployments
            if (row["environment"] or "").strip().lower() in PRODUCTION_ENVIRONMENTS
            and (row["status"] or "").lower() == "success" and row["finished_at"] is not None]


def deployment_changes(production: list[Row], commits: dict[tuple[str, str], Row]) -> dict[str, set[tuple[str, str]]]:
    """int_deployment_changes: deployment_id -> the (repo_id, sha) changes it ships.

    "the deployment's sha and shas, and, where git history is loaded, the non-merge commits after the previous
    deployed head up to its own head". The model reads "after" and "up to" by commit time, not by ancestry, and
    this key does the same so that it can be compared: a feature commit authored before another pull request's
    merge is linked to that merge's deployment even when its own pull request merges later. A head's commits go
    to the head's first deployment. Before a repository's first head, history is unbounded: nothing is linked there.
    """
    shipped: dict[str, set[tuple[str, str]]] = defaultdict(set)
    # the first production deployment of each head commit known to git history, with the head's commit time
    heads: dict[str, dict[str, tuple[datetime, str, datetime]]] = defaultdict(dict)
    for deployment in production:
        repo_id, deployed_sha = deployment["repo_id"], deployment["sha"] or ""
        for sha in {*json.loads(deployment["shas"] or "[]"), deployed_sha} - {""}:
            shipped[deployment["deployment_id"]].add((repo_id, sha))
        head_commit = commits.get((repo_id, deployed_sha))
        if head_commit is not None:
            known = heads[repo_id].get(deployed_sha)
            if known is None or deployment["finished_at"] < known[0]:
                heads[repo_id][deployed_sha] = (deployment["finished_at"], deployment["deployment_id"],
                                                head_commit["committed_at"])
    ordered = {repo_id: sorted(by_sha.values(), key=lambda head: head[2]) for repo_id, by_sha in heads.items()}
    for (repo_id, sha), commit in commits.items():
        if commit["is_merge"] or repo_id not in ordered:
            continue
        committed = [committed_at for *_, committed_at in ordered[repo_id]]
        # the ASOF join: the earliest head committed at or after the commit
        index = bisect.bisect_left(committed, commit["committed_at"])
        if 0 < index < len(committed) and commit["committed_at"] > committed[index - 1]:
            shipped[ordered[repo_id][index][1]].add((repo_id, sha))
    return shipped


def first_deployments(production: list[Row], shipped: dict[str, set[tuple[str, str]]]
                      ) -> dict[tuple[str, str], datetime]:
    """(repo_id, sha) -> finished_at of the change's first production deployment.

    Lead time is measured to a change's first deployment, counted in that deployment's period
    (dora_metrics_daily.yml: "for each change, its first successful production deployment's finished_at - the
    change's created_at, counted in the period of that deployment"; int_change_lead_times takes the min).
    """
    first: dict[tuple[str, str], datetime] = {}
    for deployment in production:
        for change in shipped.get(deployment["deployment_id"], ()):
            known = first.get(change)
            first[change] = deployment["finished_at"] if known is None else min(known, deployment["finished_at"])
    return first


def _revert_depth(subject: str) -> int:
    depth = 0
    while depth < MAX_REVERT_DEPTH and subject.startswith(REVERT_PREFIX * (depth + 1)):
        depth += 1
    return depth


def rework_deployment_ids(production: list[Row], shipped: dict[str, set[tuple[str, str]]],
                          commits: dict[tuple[str, str], Row], incidents: list[Row]) -> set[str]:
    """int_deployment_outcomes' is_rework under the default seeds/rework_link_rules.csv.

    A deployment is rework when it finished on an incident's repository while the incident was open (window 0
    hours after it resolved), or ships a commit whose subject is a revert (an odd number of `Revert "` in a row: a
    revert of a revert lands the change again) or matches the hotfix pattern. The generator's subjects name no
    work item, so the bug work item rule links nothing here.
    """
    rework: set[str] = set()
    for deployment in production:
        subjects = [commits[change]["message_subject"] for change in shipped.get(deployment["deployment_id"], ())
                    if change in commits]
        fixes_incident = any(
            incident["repo_id"] == deployment["repo_id"] and incident["opened_at"] <= deployment["finished_at"]
            and (incident["resolved_at"] is None or deployment["finished_at"] <= incident["resolved_at"])
            for incident in incidents)
        if (fixes_incident or any(_revert_depth(subject) % 2 for subject in subjects)
                or any(HOTFIX.search(subject) for subject in subjects)):
            rework.add(deployment["deployment_id"])
    return rework


def failed_deployment_ids(production: list[Row], incidents: list[Row]) -> set[str]:
    """int_incidents_attributed and int_deployment_outcomes: the production deployments an incident is laid on.

    An incident names its deployment (caused_by_deployment_id); one naming neither a deployment nor a change lies
    on the latest production deployment of its repository finished at or before it opened. The generator never
    names a change (caused_by_sha), so that branch has nothing to attribute here.
    """
    by_id = {deployment["deployment_id"]: deployment for deployment in production}
    by_repo: dict[str, list[Row]] = defaultdict(list)
    for deployment in sorted(production, key=lambda row: row["finished_at"]):
        by_repo[deployment["repo_id"]].append(deployment)
    failed: set[str] = set()
    for incident in incidents:
        named = incident["caused_by_deployment_id"]
        if named:
            if named in by_id:
                failed.add(named)
            continue
        if incident.get("caused_by_sha"):
            continue
        earlier = by_repo.get(incident["repo_id"] or "", [])
        index = bisect.bisect_right([row["finished_at"] for row in earlier], incident["opened_at"])
        if index:
            failed.add(earlier[index - 1]["deployment_id"])
    return failed


def daily_facts(organization: Organization, commits: dict[tuple[str, str], Row], deployments: list[Row],
                incidents: list[Row]) -> dict[tuple[str, str, date], DayFacts]:
    """int_dora_daily_facts: every fact on its UTC day, for the org, its repository and the team owning it."""
    spec = organization.spec
    production = _production(deployments)
    failed = failed_deployment_ids(production, incidents)
    shipped = deployment_changes(production, commits)
    rework = rework_deployment_ids(production, shipped, commits, incidents)
    team_of_repo = {repo.repo_id: organization.teams[repo.team].team_id for repo in organization.repos}
    facts: dict[tuple[str, str, date], DayFacts] = defaultdict(DayFacts)

    def scopes(repo_id: str, day: date) -> list[DayFacts]:
        cells = [facts[("org", spec.org_id, day)]]
        if repo_id in team_of_repo:
            cells += [facts[("repo", repo_id, day)], facts[("team", team_of_repo[repo_id], day)]]
        return cells

    for deployment in production:
        for cell in scopes(deployment["repo_id"], deployment["finished_at"].date()):
            cell.deployments += 1
            cell.failed += deployment["deployment_id"] in failed
            cell.rework += deployment["deployment_id"] in rework
    # int_changes_deduplicated: a change's creation time is its git author time
    for (repo_id, sha), first_deployed_at in first_deployments(production, shipped).items():
        commit = commits.get((repo_id, sha))
        if commit is None:
            continue
        lead = hours_between(commit["authored_at"], first_deployed_at)
        for cell in scopes(repo_id, first_deployed_at.date()):
            cell.lead_hours.append(lead)
    for incident in incidents:
        resolved_at = incident["resolved_at"]
        if resolved_at is None or resolved_at < incident["opened_at"]:
            continue
        hours = restore_hours(incident["opened_at"], resolved_at)
        for cell in scopes(incident["repo_id"] or "", resolved_at.date()):
            cell.restore_hours.append(hours)
    return facts


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month(day: date) -> date:
    return day.replace(day=1)


def _median(values: list[float]) -> float | None:
    # quantileExactInclusive(0.5): the mean of the two middle values for an even count; NULL over none (-OrNull)
    return statistics.median(values) if values else None


def _period(days: list[tuple[date, DayFacts]], weekly_deployment_days: list[int], monthly_days: int,
            deployments_per_day: float) -> DoraPeriod:
    deployments = sum(facts.deployments for _, facts in days)
    failed = sum(facts.failed for _, facts in days)
    rework = sum(facts.rework for _, facts in days)
    return DoraPeriod(
        deployments_count=deployments,
        deployment_days=sum(1 for _, facts in days if facts.deployments > 0),
        lead_time_median_hours=_median([hours for _, facts in days for hours in facts.lead_hours]),
        # macro change_failure_rate: NULL without deployments
        change_failure_rate=failed / deployments if deployments else None,
        time_to_restore_median_hours=_median([hours for _, facts in days for hours in facts.restore_hours]),
        median_weekly_deployment_days=statistics.median(weekly_deployment_days),
        monthly_deployment_days=monthly_days,
        deployments_per_day=deployments_per_day,
        rework_deployments_count=rework,
        # macro rework_rate: NULL without deployments
        rework_rate=rework / deployments if deployments else None,
    )


def dora_periods(facts: dict[tuple[str, str, date], DayFacts]) -> dict[str, dict[DoraCell, DoraPeriod]]:
    """The rows of dora_metrics_daily, dora_metrics_weekly and dora_metrics_monthly (grain -> cell -> figures)."""
    by_scope: dict[tuple[str, str], list[tuple[date, DayFacts]]] = defaultdict(list)
    for (scope_type, scope_id, day), day_facts in facts.items():
        by_scope[(scope_type, scope_id)].append((day, day_facts))
    grains: dict[str, dict[DoraCell, DoraPeriod]] = {"daily": {}, "weekly": {}, "monthly": {}}
    for (scope_type, scope_id), days in by_scope.items():
        deployed = sorted(day for day, day_facts in days if day_facts.deployments > 0)
        deployments_on = {day: day_facts.deployments for day, day_facts in days}
        for grain, period_of in (("daily", lambda day: day), ("weekly", _monday), ("monthly", _month)):
            periods: dict[date, list[tuple[date, DayFacts]]] = defaultdict(list)
            for day, day_facts in days:
                periods[period_of(day)].append((day, day_facts))
            for start, period_days in periods.items():
                weekly = _weekly_deployment_days(grain, start, deployed)
                monthly_days = (sum(1 for _, day_facts in period_days if day_facts.deployments > 0)
                                if grain == "monthly" else sum(weekly))
                grains[grain][(scope_type, scope_id, start)] = _period(
                    period_days, weekly, monthly_days, _deployments_per_day(grain, start, deployments_on))
    return grains


def _weekly_deployment_days(grain: str, start: date, deployed: list[date]) -> list[int]:
    """The frequency window's deployment days per week, as each mart's `frequency` step counts them."""
    if grain == "daily":  # the four 7-day spans of the 28 days ending with the day
        return [sum(1 for day in deployed if start - timedelta(days=7 * (offset + 1)) < day
                    <= start - timedelta(days=7 * offset)) for offset in range(4)]
    if grain == "weekly":  # the four ISO weeks ending with this one
        return [sum(1 for day in deployed if _monday(day) == start - timedelta(days=7 * offset))
                for offset in range(4)]
    # the month's ISO weeks: those whose Monday falls in it
    mondays = [_monday(start) + timedelta(days=7 * offset) for offset in range(6)]
    return [sum(1 for day in deployed if _monday(day) == monday) for monday in mondays if _month(monday) == start]


def _deployments_per_day(grain: str, start: date, deployments_on: dict[date, int]) -> float:
    """The frequency window's deployments ÷ its days: the 28 days ending with the day, the four ISO weeks ending
    with the week, or the month."""
    if grain == "daily":
        first, last = start - timedelta(days=27), start
    elif grain == "weekly":
        first, last = start - timedelta(days=21), start + timedelta(days=6)
    else:
        first, last = start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    deployments = sum(count for day, count in deployments_on.items() if first <= day <= last)
    return deployments / ((last - first).days + 1)
