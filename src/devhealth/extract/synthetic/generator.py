"""A deterministic engineering organization: people, teams and repos, then its activity streamed day by day.

Every random draw comes from a generator seeded by (seed, stream, day), so a day's rows never depend on
how the days are batched, and any source can replay the days it needs without holding the rest.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from devhealth.errors import ConfigError
from devhealth.extract.git.helpers import normalise_remote_url, repo_identity
from devhealth.extract.synthetic import settings as s
from devhealth.settings import DEFAULT_ORG_ID

NAMESPACE = uuid.UUID("3b7f0e4c-5a0d-4f51-8a43-6f2f4f2b9d1e")
Row = dict[str, Any]


@dataclass(frozen=True)
class SyntheticSpec:
    """The knobs of the organization; the same spec always yields the same rows."""

    seed: int = s.DEFAULT_SEED
    teams: int = s.DEFAULT_TEAMS
    people: int = s.DEFAULT_PEOPLE
    repos: int = s.DEFAULT_REPOS
    days: int = s.DEFAULT_DAYS
    commits_per_day: int = s.DEFAULT_COMMITS_PER_DAY
    start: date = s.DEFAULT_START
    org_id: str = DEFAULT_ORG_ID

    def __post_init__(self) -> None:
        for name in ("teams", "people", "repos", "days", "commits_per_day"):
            if getattr(self, name) < 1:
                raise ConfigError(f"synthetic --{name.replace('_', '-')} {getattr(self, name)}: must be at least 1")
        if self.teams < 2:
            raise ConfigError(f"synthetic --teams {self.teams}: needs 2 teams for the planted behaviours")
        if self.people < 2 * self.teams:
            raise ConfigError(f"synthetic --people {self.people}: needs at least 2 per team "
                              f"({2 * self.teams} for {self.teams} teams) so reviews have a reviewer")
        if self.repos < max(self.teams, s.INCIDENT_PRONE_REPO + 1):
            raise ConfigError(f"synthetic --repos {self.repos}: needs one per team and at least "
                              f"{s.INCIDENT_PRONE_REPO + 1} for the planted repos")

    @property
    def window_start(self) -> datetime:
        """The first moment of the simulated history: nothing earlier than this is emitted."""
        return datetime.combine(self.start, datetime.min.time(), UTC)

    @property
    def window_end(self) -> datetime:
        """The simulated moment of extraction: nothing later than this is emitted."""
        return datetime.combine(self.start + timedelta(days=self.days), datetime.min.time(), UTC)


@dataclass(frozen=True)
class Team:
    index: int
    team_id: str
    name: str
    key: str


@dataclass(frozen=True)
class Person:
    index: int
    person_id: str
    team: int
    display_name: str
    login: str
    emails: tuple[str, ...]
    tz_offset_minutes: int

    @property
    def primary_email(self) -> str:
        return self.emails[0]


@dataclass(frozen=True)
class Repo:
    index: int
    repo_id: str
    repo_name: str
    team: int
    weight: float
    service: str


@dataclass(frozen=True)
class Organization:
    spec: SyntheticSpec
    teams: list[Team]
    people: list[Person]
    repos: list[Repo]

    def members(self, team: int) -> list[Person]:
        return [person for person in self.people if person.team == team]

    @property
    def weekend_team(self) -> int:
        return s.WEEKEND_TEAM

    @property
    def growing_wip_team(self) -> int:
        return len(self.teams) + s.GROWING_WIP_TEAM if s.GROWING_WIP_TEAM < 0 else s.GROWING_WIP_TEAM


def _uuid(spec: SyntheticSpec, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(map(str, (spec.seed, *parts)))))


def _sha(spec: SyntheticSpec, *parts: object) -> str:
    return hashlib.sha1(":".join(map(str, (spec.seed, *parts))).encode()).hexdigest()


def per_day_for_total(commits: int, days: int) -> int:
    """Commits per weekday that give about `commits` over `days` (weekends are quiet but for one team)."""
    if commits < 1 or days < 1:
        raise ConfigError(f"synthetic --commits {commits} over --days {days}: both must be at least 1")
    # about 5/7 of days are worked, and PR merges add roughly one merge commit per 2.5 commits
    return max(1, round(commits / (days * 5 / 7) / 1.4))


def build_organization(spec: SyntheticSpec) -> Organization:
    """Teams, people (several emails each) and repositories, each repo owned by one team."""
    rng = random.Random(f"{spec.seed}:org")
    teams = []
    for index in range(spec.teams):
        name = s.TEAM_NAMES[index % len(s.TEAM_NAMES)] + ("" if index < len(s.TEAM_NAMES) else f" {index}")
        key = name.upper().replace(" ", "")[:3] + ("" if index < len(s.TEAM_NAMES) else str(index))
        teams.append(Team(index, _uuid(spec, "team", index), name, key))
    people = []
    for index in range(spec.people):
        first = s.FIRST_NAMES[index % len(s.FIRST_NAMES)]
        last = s.LAST_NAMES[(index * 7 + index // len(s.FIRST_NAMES)) % len(s.LAST_NAMES)]
        login = f"{first}{last}{index}".encode("ascii", "ignore").decode()
        emails = (f"{login}@{s.EMAIL_DOMAIN}", f"{index}+{login}@users.noreply.github.com")
        if index % 3 == 0:  # a third also commit from a personal address
            emails += (f"{login}.home@mail.example",)
        people.append(Person(index, _uuid(spec, "person", index), index % spec.teams,
                             f"{first.title()} {last.title()}", login, emails, rng.choice(s.TZ_OFFSETS_MINUTES)))
    repos = []
    raw_weights = [rng.uniform(0.5, 1.5) for _ in range(spec.repos)]
    total = sum(raw_weights)
    for index in range(spec.repos):
        service = s.SERVICES[index % len(s.SERVICES)] + ("" if index < len(s.SERVICES) else str(index))
        repo_name = f"{s.ORG_LOGIN}/{service}"
        repo_id, _ = repo_identity(s.REMOTE_TEMPLATE.format(repo_name=repo_name), Path(service))
        repos.append(Repo(index, repo_id, repo_name, index % spec.teams, raw_weights[index] / total, service))
    return Organization(spec, teams, people, repos)


def repo_url_key(repo: Repo) -> str:
    return normalise_remote_url(s.REMOTE_TEMPLATE.format(repo_name=repo.repo_name))


@dataclass
class DayActivity:
    """Rows produced by one simulated day, per raw table."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.tables.setdefault(table, []).append(row)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])


@dataclass
class _PendingMerge:
    merged_at: datetime
    merge_sha: str
    shas: list[str]


@dataclass
class _RepoState:
    main_head: str | None = None
    commits: int = 0
    prs: int = 0
    runs: int = 0
    reviews: int = 0
    deployments: int = 0
    incidents: int = 0
    hotfixes: int = 0
    pending: list[_PendingMerge] = field(default_factory=list)
    # subjects a revert can name: the latest change, and the latest revert (which a revert of a revert names)
    latest_change_subject: str | None = None
    latest_revert_subject: str | None = None


def _draw_count(rng: random.Random, mean: float) -> int:
    whole = math.floor(mean)
    return whole + (1 if rng.random() < mean - whole else 0)


def _utc_work_time(day: date, person: Person, local_hour: float) -> datetime:
    # people work their own local hours; in UTC that may fall on the next or previous day
    local = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=local_hour)
    return local - timedelta(minutes=person.tz_offset_minutes)


class CodeSimulation:
    """Commits, pull requests, reviews, CI, deployments and incidents, one day at a time."""

    def __init__(self, organization: Organization) -> None:
        self.org = organization
        self.spec = organization.spec
        self.extracted_at = self.spec.window_end
        self.state = [_RepoState() for _ in organization.repos]

    def days(self) -> Iterator[DayActivity]:
        for offset in range(self.spec.days):
            yield self.day(offset)

    def day(self, offset: int) -> DayActivity:
        day = self.spec.start + timedelta(days=offset)
        rng = random.Random(f"{self.spec.seed}:code:{offset}")
        activity = DayActivity()
        if offset == 0:
            for repo in self.org.repos:
                self._root_commit(activity, repo)
        weekend = day.weekday() >= 5
        for repo in self.org.repos:
            works_today = not weekend or repo.team == self.org.weekend_team
            if works_today:
                remaining = _draw_count(rng, self.spec.commits_per_day * repo.weight)
                while remaining > 0:
                    size = min(remaining, rng.randint(*s.PR_SIZE))
                    remaining -= size
                    self._pull_request(rng, activity, repo, day, size)
                self._revert(activity, repo, day)
                self._deploy(rng, activity, repo, day)
        if rng.random() < 0.02:
            self._incident(rng, activity, rng.choice(self.org.repos),
                           datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=rng.uniform(0, 23)),
                           None)
        return activity

    def _root_commit(self, activity: DayActivity, repo: Repo) -> None:
        # the repository starts on the window's first morning, before any pull request: nothing lies outside the
        # window, and no lone backdated commit paints a week of the after-hours and weekend charts
        author = self.org.members(repo.team)[0]
        created = max(_utc_work_time(self.spec.start, author, s.ROOT_COMMIT_LOCAL_HOUR), self.spec.window_start)
        sha = _sha(self.spec, repo.index, "root")
        activity.add("commits", self._commit_row(repo, sha, [], author, author.primary_email, created,
                                                 "Initial commit"))
        activity.add("commit_files", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "sha": sha, "path": "README.md", "old_path": None,
            "change_type": "A", "lines_added": 1, "lines_deleted": 0, "is_binary": False,
            "extracted_at": self.extracted_at,
        })
        self.state[repo.index].main_head = sha

    def _commit_row(self, repo: Repo, sha: str, parents: list[str], author: Person, email: str,
                    when: datetime, subject: str, committer: tuple[str, str] | None = None) -> Row:
        committer_name, committer_email = committer or (author.display_name, email)
        message = f"{subject}\n\nSynthetic change in {repo.service}.\n"
        return {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "repo_name": repo.repo_name, "sha": sha,
            "parent_shas": json.dumps(parents), "is_merge": len(parents) > 1,
            "author_name": author.display_name, "author_email": email, "authored_at": when,
            "author_tz_offset_minutes": author.tz_offset_minutes,
            "committer_name": committer_name, "committer_email": committer_email, "committed_at": when,
            "message_subject": subject, "message_length": len(message.rstrip("\n")), "is_removed": False,
            "extracted_at": self.extracted_at,
        }

    def _files(self, rng: random.Random, activity: DayActivity, repo: Repo, sha: str) -> tuple[int, int, set[str]]:
        added_total = deleted_total = 0
        paths: set[str] = set()
        for _ in range(rng.randint(*s.FILES_PER_COMMIT)):
            draw = rng.random()
            old_path = None
            if draw < s.BINARY_FILE_ODDS:
                path, change, added, deleted, binary = f"assets/{repo.service}_{rng.randrange(50)}.png", "M", 0, 0, True
            else:
                path, binary = f"src/{repo.service}/module_{rng.randrange(60)}.py", False
                if draw < s.BINARY_FILE_ODDS + s.RENAME_ODDS:
                    change, old_path = "R", f"src/{repo.service}/legacy_{rng.randrange(60)}.py"
                    added, deleted = rng.randint(0, 20), rng.randint(0, 10)
                elif draw < 0.25:
                    change, added, deleted = "A", rng.randint(5, 200), 0
                elif draw < 0.28:
                    change, added, deleted = "D", 0, rng.randint(5, 100)
                else:
                    change, added, deleted = "M", rng.randint(1, 80), rng.randint(0, 40)
            if path in paths:
                continue
            paths.add(path)
            added_total += added
            deleted_total += deleted
            activity.add("commit_files", {
                "org_id": self.spec.org_id, "repo_id": repo.repo_id, "sha": sha, "path": path,
                "old_path": old_path, "change_type": change, "lines_added": added, "lines_deleted": deleted,
                "is_binary": binary, "extracted_at": self.extracted_at,
            })
        return added_total, deleted_total, paths

    def _rework_rng(self, repo: Repo, day: date, what: str) -> random.Random:
        # a stream of its own: rework added to the organization leaves every other draw as it was
        return random.Random(f"{self.spec.seed}:{what}:{day.isoformat()}:{repo.index}")

    def _revert(self, activity: DayActivity, repo: Repo, day: date) -> None:
        """Now and then a one-commit pull request reverting the repository's latest change, or its latest revert."""
        rng = self._rework_rng(repo, day, "revert")
        state = self.state[repo.index]
        if rng.random() >= s.REVERT_ODDS or state.latest_change_subject is None:
            return
        again = state.latest_revert_subject is not None and rng.random() < s.REVERT_OF_REVERT_ODDS
        reverted = state.latest_revert_subject if again else state.latest_change_subject
        subject = f'Revert "{reverted}"'
        self._pull_request(rng, activity, repo, day, 1, subject=subject)
        state.latest_revert_subject = None if again else subject

    def _pull_request(self, rng: random.Random, activity: DayActivity, repo: Repo, day: date, size: int,
                      subject: str | None = None) -> None:
        state = self.state[repo.index]
        members = self.org.members(repo.team)
        author = rng.choice(members)
        end = self.spec.window_end
        opened_hour = rng.uniform(*s.PR_OPEN_LOCAL_HOURS)
        opened_at = min(_utc_work_time(day, author, opened_hour), end)
        state.prs += 1
        number = state.prs
        parent = state.main_head
        shas: list[str] = []
        additions = deletions = 0
        paths: set[str] = set()
        commit_times = [when for when in self._coding_times(rng, repo, author, day, opened_hour, size)
                        if self.spec.window_start <= when <= opened_at]
        for when in commit_times:
            state.commits += 1
            sha = _sha(self.spec, repo.index, "commit", state.commits)
            email = rng.choice(author.emails)
            commit_subject = subject or f"{repo.service}: change {state.commits}"
            if subject is None:
                state.latest_change_subject = commit_subject
            activity.add("commits", self._commit_row(repo, sha, [parent] if parent else [], author, email, when,
                                                     commit_subject))
            activity.add("pr_commits", {"org_id": self.spec.org_id, "repo_id": repo.repo_id, "pr_number": number,
                                        "sha": sha, "provider": "github", "author_email": email,
                                        "authored_at": when})
            added, deleted, touched = self._files(rng, activity, repo, sha)
            additions, deletions = additions + added, deletions + deleted
            paths |= touched
            shas.append(sha)
            parent = sha
            last_commit_at = when
        if not shas:
            state.prs -= 1
            return
        head = shas[-1]
        ready = opened_at
        self._ci_run(rng, activity, repo, head, f"feature/{number}", last_commit_at + timedelta(minutes=10))
        slow = repo.index == s.SLOW_REVIEW_REPO
        review_hours = rng.uniform(*(s.SLOW_REVIEW_HOURS if slow else s.REVIEW_HOURS))
        reviewers = rng.sample([p for p in members if p.index != author.index], k=min(2, len(members) - 1))
        reviews: list[tuple[Person, str, datetime]] = []
        if rng.random() < 0.2:
            reviews.append((reviewers[0], "changes_requested", ready + timedelta(hours=review_hours / 2)))
        reviews.append((reviewers[0], "approved", ready + timedelta(hours=review_hours)))
        if len(reviewers) > 1:
            reviews.append((reviewers[1], "commented", ready + timedelta(hours=review_hours * rng.uniform(0.3, 1))))
        for reviewer, review_state, submitted_at in reviews:
            if submitted_at > end:
                continue
            state.reviews += 1
            activity.add("pr_reviews", {
                "org_id": self.spec.org_id, "repo_id": repo.repo_id, "pr_number": number,
                "review_id": str(repo.index * 10_000_000 + state.reviews), "provider": "github",
                "reviewer_login": reviewer.login, "reviewer_email": reviewer.primary_email,
                "state": review_state, "submitted_at": submitted_at,
            })
        merged_at: datetime | None = max(at for _, _, at in reviews) + timedelta(minutes=20)
        merge_sha = None
        if merged_at <= end:
            merge_sha = _sha(self.spec, repo.index, "merge", number)
            parents = [state.main_head, head] if state.main_head else [head]
            activity.add("commits", self._commit_row(
                repo, merge_sha, parents, author, author.primary_email, merged_at,
                f"Merge pull request #{number} from {s.ORG_LOGIN}/feature/{number}",
                committer=("GitHub", "noreply@github.com")))
            state.main_head = merge_sha
            state.pending.append(_PendingMerge(merged_at, merge_sha, [*shas, merge_sha]))
            self._ci_run(rng, activity, repo, merge_sha, "main", merged_at + timedelta(minutes=1))
        else:
            merged_at = None
        updated_at = merged_at or max([opened_at, *(at for _, _, at in reviews if at <= end)])
        activity.add("pull_requests", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "pr_number": number,
            "provider": "github", "pr_id": str(repo.index * 10_000_000 + number), "repo_name": repo.repo_name,
            "title": f"{repo.service}: change set {number}", "author_login": author.login,
            "author_email": author.primary_email, "state": "merged" if merged_at else "open",
            "created_at": opened_at,
            "updated_at": updated_at, "merged_at": merged_at, "closed_at": merged_at,
            "additions": additions, "deletions": deletions, "changed_files": len(paths), "base_branch": "main",
            "head_sha": head, "merge_commit_sha": merge_sha,
            "requested_reviewers": json.dumps([reviewer.login for reviewer in reviewers]),
        })

    def _coding_days(self, rng: random.Random, repo: Repo, day: date) -> list[date]:
        """The working days a pull request's commits fall on, ending with `day`, the day it opens."""
        back = rng.choices(range(len(s.CODING_DAYS_BACK_WEIGHTS)), weights=s.CODING_DAYS_BACK_WEIGHTS)[0]
        days, earlier = [day], day
        while len(days) <= back:
            earlier -= timedelta(days=1)
            if earlier < self.spec.start:
                break
            if earlier.weekday() < 5 or repo.team == self.org.weekend_team:
                days.insert(0, earlier)
        return days

    def _coding_times(self, rng: random.Random, repo: Repo, author: Person, day: date, opened_hour: float,
                      size: int) -> list[datetime]:
        """When the `size` commits of a pull request opening on `day` at local `opened_hour` are authored.

        Coding starts on the first coding day's morning and the commits fall in working hours (now and then
        in the evening) up to a quarter of an hour before the pull request opens, so coding time spreads from
        minutes to a few days, as it does in real teams.
        """
        days = self._coding_days(rng, repo, day)

        def hour_on(coding_day: date) -> float:
            latest = opened_hour - 0.25 if coding_day == day else s.WORKDAY_LOCAL_HOURS[1]
            if coding_day != day and rng.random() < s.EVENING_COMMIT_ODDS:
                return rng.uniform(s.WORKDAY_LOCAL_HOURS[1], 22.5)
            return rng.uniform(s.WORKDAY_LOCAL_HOURS[0], latest)

        first = _utc_work_time(days[0], author, rng.uniform(s.WORKDAY_LOCAL_HOURS[0],
                                                            opened_hour - 0.25 if len(days) == 1 else 12))
        rest = [_utc_work_time(coding_day, author, hour_on(coding_day))
                for coding_day in (rng.choice(days) for _ in range(size - 1))]
        return sorted([first, *(max(when, first) for when in rest)])

    def _ci_run(self, rng: random.Random, activity: DayActivity, repo: Repo, sha: str, branch: str,
                started_at: datetime) -> None:
        state = self.state[repo.index]
        while started_at <= self.spec.window_end:
            state.runs += 1
            finished_at = started_at + timedelta(minutes=rng.uniform(5, 20))
            failed = rng.random() < s.CI_FAILURE_ODDS
            # each run waits for a runner (0 to 3 minutes), a wait taken from the run's number rather than the
            # random stream, so every other generated figure stays as it was; a retry is a new run, attempt 1
            queued = timedelta(seconds=(state.runs * s.CI_QUEUE_STEP_SECONDS) % (s.CI_QUEUE_MAX_SECONDS + 1))
            activity.add("ci_runs", {
                "org_id": self.spec.org_id, "repo_id": repo.repo_id,
                "run_id": str(repo.index * 10_000_000 + state.runs),
                "provider": "github", "pipeline_name": "ci", "head_sha": sha, "branch": branch,
                "status": "completed", "conclusion": "failure" if failed else "success",
                "started_at": started_at, "finished_at": finished_at,
                "created_at": started_at - queued, "run_attempt": 1,
            })
            if not failed:
                return
            started_at = finished_at + timedelta(minutes=30)  # a failed run is retried

    def _deploy(self, rng: random.Random, activity: DayActivity, repo: Repo, day: date) -> None:
        state = self.state[repo.index]
        deploy_at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=s.DEPLOY_HOUR_UTC)
        ready = [merge for merge in state.pending if merge.merged_at <= deploy_at]
        if not ready:
            return
        state.deployments += 1
        failed = rng.random() < s.DEPLOY_FAILURE_ODDS
        finished_at = deploy_at + timedelta(minutes=rng.uniform(3, 15))
        deployment_id = _uuid(self.spec, "deployment", repo.index, state.deployments)
        latest = max(ready, key=lambda merge: merge.merged_at)
        activity.add("deployments", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "deployment_id": deployment_id,
            "provider": "github", "repo_name": repo.repo_name, "environment": "production",
            "status": "failure" if failed else "success", "sha": latest.merge_sha,
            "shas": json.dumps([sha for merge in ready for sha in merge.shas]),
            "started_at": deploy_at, "finished_at": finished_at,
        })
        if failed:
            return  # nothing shipped: the changes wait for the next deployment
        state.pending = [merge for merge in state.pending if merge.merged_at > deploy_at]
        odds = s.INCIDENT_PRONE_ODDS if repo.index == s.INCIDENT_PRONE_REPO else s.INCIDENT_ODDS
        if rng.random() < odds:
            self._incident(rng, activity, repo, finished_at + timedelta(minutes=rng.uniform(10, 240)), deployment_id)

    def _incident(self, rng: random.Random, activity: DayActivity, repo: Repo, opened_at: datetime,
                  deployment_id: str | None) -> None:
        state = self.state[repo.index]
        state.incidents += 1
        resolved_at = opened_at + timedelta(hours=rng.uniform(0.5, 12))
        severity = rng.choice(s.SEVERITIES)
        if opened_at > self.spec.window_end:
            return
        activity.add("incidents", {
            "org_id": self.spec.org_id, "provider": "events",
            "incident_id": _uuid(self.spec, "incident", repo.index, state.incidents),
            "repo_name": repo.repo_name, "repo_id": repo.repo_id,
            "title": f"{repo.service} degraded" + (" after a deployment" if deployment_id else ""),
            "severity": severity, "opened_at": opened_at,
            "resolved_at": resolved_at if resolved_at <= self.spec.window_end else None,
            "caused_by_deployment_id": deployment_id,
            "labels": json.dumps(["synthetic", repo.service]),
        })
        if deployment_id is not None:
            self._hotfix(activity, repo, opened_at)

    def _hotfix(self, activity: DayActivity, repo: Repo, opened_at: datetime) -> None:
        """Most incidents a deployment caused get a hotfix branch, merged and deployed to production at once."""
        state = self.state[repo.index]
        rng = random.Random(f"{self.spec.seed}:hotfix:{repo.index}:{state.incidents}")
        if rng.random() >= s.HOTFIX_ODDS:
            return
        author = self.org.members(repo.team)[0]
        committed_at = opened_at + timedelta(hours=rng.uniform(*s.HOTFIX_MERGE_HOURS))
        merged_at = committed_at + timedelta(minutes=rng.uniform(5, 15))
        finished_at = merged_at + timedelta(minutes=rng.uniform(3, 10))
        if finished_at > self.spec.window_end or state.main_head is None:
            return
        state.prs += 1
        state.commits += 1
        state.hotfixes += 1
        number = state.prs
        sha = _sha(self.spec, repo.index, "commit", state.commits)
        merge_sha = _sha(self.spec, repo.index, "merge", number)
        activity.add("commits", self._commit_row(repo, sha, [state.main_head], author, author.primary_email,
                                                 committed_at, f"{repo.service}: restore service"))
        activity.add("commit_files", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "sha": sha, "path": f"src/{repo.service}/main.py",
            "old_path": None, "change_type": "M", "lines_added": 3, "lines_deleted": 1, "is_binary": False,
            "extracted_at": self.extracted_at,
        })
        activity.add("pr_commits", {"org_id": self.spec.org_id, "repo_id": repo.repo_id, "pr_number": number,
                                    "sha": sha, "provider": "github", "author_email": author.primary_email,
                                    "authored_at": committed_at})
        activity.add("commits", self._commit_row(
            repo, merge_sha, [state.main_head, sha], author, author.primary_email, merged_at,
            f"Merge pull request #{number} from {s.ORG_LOGIN}/hotfix/{number}",
            committer=("GitHub", "noreply@github.com")))
        state.main_head = merge_sha
        activity.add("pull_requests", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id, "pr_number": number,
            "provider": "github", "pr_id": str(repo.index * 10_000_000 + number), "repo_name": repo.repo_name,
            "title": f"{repo.service}: restore service", "author_login": author.login,
            "author_email": author.primary_email, "state": "merged", "created_at": committed_at + timedelta(minutes=2),
            "updated_at": merged_at, "merged_at": merged_at, "closed_at": merged_at,
            "additions": 3, "deletions": 1, "changed_files": 1, "base_branch": "main",
            "head_sha": sha, "merge_commit_sha": merge_sha, "requested_reviewers": json.dumps([]),
        })
        self._ci_run(rng, activity, repo, merge_sha, "main", merged_at)
        state.deployments += 1
        activity.add("deployments", {
            "org_id": self.spec.org_id, "repo_id": repo.repo_id,
            "deployment_id": _uuid(self.spec, "deployment", repo.index, state.deployments),
            "provider": "github", "repo_name": repo.repo_name, "environment": "production",
            "status": "success", "sha": merge_sha, "shas": json.dumps([sha, merge_sha]),
            "started_at": merged_at, "finished_at": finished_at,
        })


STATUSES = {"todo": "To Do", "in_progress": "In Progress", "done": "Done"}


def simulate_work(organization: Organization) -> Iterator[DayActivity]:
    """Work items per team and day with their status transitions; one team starts far more than it finishes."""
    spec = organization.spec
    end = spec.window_end
    for offset in range(spec.days):
        day = spec.start + timedelta(days=offset)
        activity = DayActivity()
        for team in organization.teams:
            rng = random.Random(f"{spec.seed}:work:{offset}:{team.index}")
            if day.weekday() >= 5 and team.index != organization.weekend_team:
                continue
            growing = team.index == organization.growing_wip_team
            members = organization.members(team.index)
            team_repos = [repo for repo in organization.repos if repo.team == team.index]
            per_day = s.WIP_TEAM_WORK_ITEMS_PER_DAY if growing else s.WORK_ITEMS_PER_TEAM_DAY
            for slot in range(per_day):
                number = offset * 10 + slot + 1  # unique per team: at most 10 items a day
                _work_item(activity, spec, rng, team, members, team_repos, day, number, growing, end)
        yield activity


def _work_item(activity: DayActivity, spec: SyntheticSpec, rng: random.Random, team: Team, members: list[Person],
               team_repos: list[Repo], day: date, number: int, growing: bool, end: datetime) -> None:
    assignee = rng.choice(members)
    created_at = _utc_work_time(day, assignee, rng.uniform(9, 17))
    if created_at > end:
        return
    started_at = created_at + timedelta(hours=rng.uniform(1, 48))
    finishes = rng.random() < (s.WIP_TEAM_FINISH_ODDS if growing else 0.95)
    done_at = started_at + timedelta(hours=rng.uniform(8, 96)) if finishes else None
    item_type = rng.choice(s.WORK_ITEM_TYPES)
    points = rng.choice([1, 2, 3, 5, 8])
    work_item_id = str(team.index * 10_000_000 + number)
    steps = [("todo", "in_progress", started_at), ("in_progress", "done", done_at)]
    category, updated_at = "todo", created_at
    for from_category, to_category, at in steps:
        if at is None or at > end:
            break
        category, updated_at = to_category, at
        activity.add("work_item_transitions", {
            "org_id": spec.org_id, "provider": "jira", "work_item_id": work_item_id, "transitioned_at": at,
            "to_status": STATUSES[to_category], "from_status": STATUSES[from_category],
            "from_category": from_category, "to_category": to_category, "author_email": assignee.primary_email,
        })
    activity.add("work_items", {
        "org_id": spec.org_id, "provider": "jira", "work_item_id": work_item_id,
        "work_item_key": f"{team.key}-{number}", "project": team.key,
        "repo_id": team_repos[number % len(team_repos)].repo_id if team_repos else None,
        "title": f"{team.name} {item_type} {number}", "work_item_type": item_type,
        "status": STATUSES[category], "status_category": category, "assignee_email": assignee.primary_email,
        "story_points": points, "labels": json.dumps([team.key.lower(), item_type]),
        "created_at": created_at, "updated_at": updated_at,
        "resolved_at": updated_at if category == "done" else None,
    })


def semantic_rows(organization: Organization) -> dict[str, list[Row]]:
    """Teams, memberships and identities (every email, the GitHub login, the Jira account) per person."""
    spec = organization.spec
    teams = [{
        "org_id": spec.org_id, "team_id": team.team_id, "team_name": team.name,
        "repo_patterns": json.dumps([repo.repo_name for repo in organization.repos if repo.team == team.index]),
        "work_scopes": json.dumps([team.key]),
    } for team in organization.teams]
    members = [{"org_id": spec.org_id, "team_id": organization.teams[person.team].team_id,
                "person_id": person.person_id} for person in organization.people]
    identities = []
    for person in organization.people:
        accounts = [("git", email) for email in person.emails] + [("github", person.login),
                                                                   ("jira", person.primary_email)]
        identities += [{"org_id": spec.org_id, "provider": provider, "identity": identity,
                        "person_id": person.person_id, "primary_email": person.primary_email,
                        "display_name": person.display_name} for provider, identity in accounts]
    return {"teams": teams, "team_members": members, "identities": identities}


def repository_rows(organization: Organization) -> list[Row]:
    spec = organization.spec
    created = spec.window_start
    return [{"org_id": spec.org_id, "repo_id": repo.repo_id, "provider": "github", "repo_name": repo.repo_name,
             "default_branch": "main", "created_at": created, "updated_at": spec.window_end}
            for repo in organization.repos]
