"""Pure parsing for the GitHub source: REST API JSON flattened into the raw contract's rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from devhealth.errors import ConfigError
from devhealth.extract.forge_rows import incident_row, pr_commit_row, repository_row, work_item_row
from devhealth.extract.github.settings import (
    DEPLOYMENT_OUTCOMES,
    FILE_CHANGE_TYPES,
    PROVIDER,
    REVIEW_STATES,
    RUN_CONCLUSIONS,
    SEVERITY_LABEL_PREFIXES,
)
from devhealth.extract.rows import (
    MalformedItem,
    check_item,
    commit_columns,
    id_field,
    int_field,
    json_text,
    nested_text,
    number_field,
    object_field,
    objects_field,
    owned_by,
    provider_item,
    required_text,
    required_time,
    same_named,
    signature,
    text_field,
    time_field,
)

_NO_TIME = datetime.min.replace(tzinfo=UTC)
_REPO_NAME = re.compile(r"^[\w.-]+/[\w.-]+$")
Row = dict[str, Any]


def check_repo_name(repo: str) -> str:
    """`owner/name` as the API spells it, or a `ConfigError` naming the bad value."""
    repo = repo.strip().removesuffix(".git")
    if not _REPO_NAME.match(repo):
        raise ConfigError(f"github repository {repo!r}: expected owner/name, for example acme/api")
    return repo


@provider_item(PROVIDER, "repositories")
def parse_repository(repo: dict[str, Any], org_id: str) -> Row:
    return repository_row(repo, org_id, PROVIDER, web_url=required_text(repo, "html_url"),
                          repo_name=required_text(repo, "full_name"), updated_at=time_field(repo, "updated_at"))


def pull_request_state(pull: dict[str, Any]) -> str:
    return "merged" if pull.get("merged_at") else required_text(pull, "state")


@provider_item(PROVIDER, "pull_requests")
def listed_updated_at(listed: dict[str, Any]) -> Any:
    """When a pull request of the list page last changed: the list is read newest first down to the cursor."""
    updated_at = required_time(listed, "updated_at")
    number_field(listed, "number")
    return updated_at


@provider_item(PROVIDER, "deployments")
def deployment_updated_at(deployment: dict[str, Any]) -> Any:
    updated_at = required_time(deployment, "updated_at")
    id_field(deployment, "id")
    return updated_at


@provider_item(PROVIDER, "pull_requests")
def parse_pull_request(pull: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    """A pull request from its detail JSON (the list JSON lacks additions, deletions and changed_files)."""
    reviewers = [text_field(user, "login") for user in objects_field(pull, "requested_reviewers")]
    teams = [f"team:{required_text(team, 'slug')}" for team in objects_field(pull, "requested_teams")]
    merged = time_field(pull, "merged_at") is not None
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        "pr_number": number_field(pull, "number"),
        "pr_id": id_field(pull, "id"),
        "title": text_field(pull, "title"),
        "author_login": nested_text(pull, "user", "login"),
        # GitHub never returns an author's email on a pull request; identity resolution joins on login
        "author_email": None,
        "state": pull_request_state(pull),
        **same_named(pull, time_field, "created_at", "updated_at", "merged_at", "closed_at"),
        **same_named(pull, int_field, "additions", "deletions", "changed_files"),
        "base_branch": text_field(object_field(pull, "base"), "ref"),
        "head_sha": text_field(object_field(pull, "head"), "sha"),
        "merge_commit_sha": text_field(pull, "merge_commit_sha") if merged else None,
        "requested_reviewers": json_text(sorted(r for r in reviewers if r) + teams),
    }


@provider_item(PROVIDER, "pr_reviews")
def parse_review(review: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row | None:
    """A submitted review; a PENDING one (a draft only its author sees) has no time and is skipped."""
    state = REVIEW_STATES.get(text_field(review, "state") or "")
    submitted_at = time_field(review, "submitted_at")
    if state is None or submitted_at is None:
        return None
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, pr_number=pr_number),
        "review_id": id_field(review, "id"),
        "reviewer_login": nested_text(review, "user", "login"),
        "reviewer_email": None,
        "state": state,
        "submitted_at": submitted_at,
    }


@provider_item(PROVIDER, "pr_commits")
def parse_pr_commit(commit: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row:
    author = object_field(object_field(commit, "commit"), "author")
    return pr_commit_row(org_id, PROVIDER, repo_id, pr_number, sha=required_text(commit, "sha"),
                         author_email=text_field(author, "email"), authored_at=time_field(author, "date"))


@provider_item(PROVIDER, "ci_runs")
def parse_workflow_run(run: dict[str, Any], repo_id: str, org_id: str) -> Row:
    status = text_field(run, "status")
    conclusion = text_field(run, "conclusion")
    updated_at = time_field(run, "updated_at")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id),
        "run_id": id_field(run, "id"),
        "pipeline_name": text_field(run, "name"),
        "head_sha": text_field(run, "head_sha"),
        "branch": text_field(run, "head_branch"),
        "status": status,
        "conclusion": RUN_CONCLUSIONS.get(conclusion, conclusion) if conclusion else None,
        "started_at": time_field(run, "run_started_at") or time_field(run, "created_at"),
        # a completed run stops changing, so its last update is when it finished
        "finished_at": updated_at if status == "completed" else None,
        "updated_at": updated_at,
        # a re-run keeps its first attempt's created_at: created_at to run_started_at is a wait only on attempt 1
        "created_at": time_field(run, "created_at"),
        "run_attempt": int_field(run, "run_attempt"),
    }


def deployment_outcome(statuses: list[Any]) -> tuple[str, Any]:
    """(status, finished_at) from the newest terminal status; `pending` while none is terminal."""
    read = []
    for number, status in enumerate(statuses, 1):
        check_item(status, f"status {number}")
        try:
            read.append((text_field(status, "state") or "", time_field(status, "created_at")))
        except MalformedItem as error:
            raise MalformedItem(f"status {number}: {error}") from None
    # a status without a time sorts last, as the oldest
    newest_first = sorted(read, key=lambda s: s[1] or _NO_TIME, reverse=True)
    for state, created_at in newest_first:
        outcome = DEPLOYMENT_OUTCOMES.get(state)
        if outcome is None:
            continue
        if state == "inactive":
            # inactive is stamped when a later deploy replaces this one: it succeeded earlier, at its success time
            earlier = [moment for s, moment in read if s == "success" and moment is not None]
            return outcome, min(earlier, default=created_at)
        return outcome, created_at
    return "pending", None


@provider_item(PROVIDER, "deployments")
def parse_deployment(deployment: dict[str, Any], statuses: list[Any], repo_id: str, repo_name: str,
                     org_id: str) -> Row:
    status, finished_at = deployment_outcome(statuses)
    sha = text_field(deployment, "sha")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        "deployment_id": id_field(deployment, "id"),
        "environment": text_field(deployment, "environment"),
        "status": status,
        "sha": sha,
        "shas": json_text([sha] if sha else []),
        "started_at": time_field(deployment, "created_at"),
        "finished_at": finished_at,
        "deployer_login": nested_text(deployment, "creator", "login"),
        "updated_at": time_field(deployment, "updated_at"),
    }


def label_names(item: dict[str, Any]) -> list[str]:
    """Label names; a label is an object with a name, or (in some API versions) the bare name."""
    labels = item.get("labels")
    if labels is None:
        return []
    if not isinstance(labels, list):
        raise MalformedItem(f"field 'labels': expected a list, got {labels!r:.40}")
    names = []
    for label in labels:
        name = label.get("name") if isinstance(label, dict) else label
        if not isinstance(name, str):
            raise MalformedItem(f"field 'labels': a label without a name: {label!r:.40}")
        names.append(name)
    return sorted(names)


def severity_from_labels(labels: list[str]) -> str | None:
    for label in labels:
        lowered = label.lower()
        for prefix in SEVERITY_LABEL_PREFIXES:
            if lowered.startswith(prefix):
                return label[len(prefix):].strip() or None
    return None


def is_pull_request(issue: dict[str, Any]) -> bool:
    """The issues endpoint lists pull requests too, with a `pull_request` link. Older API versions put
    `"pull_request": {"html_url": null, ...}` on every plain issue, so only a real link makes one a PR."""
    link = issue.get("pull_request") if isinstance(issue, dict) else None
    return isinstance(link, dict) and any(isinstance(link.get(name), str) and link[name].strip()
                                          for name in ("url", "html_url"))


def is_incident(issue: dict[str, Any], incident_label: str) -> bool:
    return incident_label.lower() in (label.lower() for label in label_names(issue))


def issue_type(issue: dict[str, Any], incident_label: str) -> str:
    """An incident by its label; else the organization's issue type (GitHub's issue types, 2025: Bug, Feature,
    Task, or its own), lower-cased like Jira's; else `issue`, which is all an issue was before them."""
    if is_incident(issue, incident_label):
        return "incident"
    kind = issue.get("type")
    name = text_field(kind, "name") if isinstance(kind, dict) else None
    return name.strip().lower() if name and name.strip() else "issue"


@provider_item(PROVIDER, "work_items")
def parse_issue(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str, incident_label: str) -> Row:
    return work_item_row(issue, org_id, PROVIDER, repo_id, repo_name, number_name="number",
                         work_item_type=issue_type(issue, incident_label),
                         status=text_field(issue, "state"), story_points=None, labels=json_text(label_names(issue)))


@provider_item(PROVIDER, "incidents")
def parse_incident(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    labels = label_names(issue)
    return incident_row(issue, org_id, PROVIDER, repo_id, repo_name, severity=severity_from_labels(labels),
                        labels=json_text(labels))


@provider_item(PROVIDER, "releases")
def parse_release(release: dict[str, Any], repo_id: str, org_id: str) -> Row:
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id),
        "release_id": id_field(release, "id"),
        "tag_name": text_field(release, "tag_name"),
        "published_at": time_field(release, "published_at"),
    }


def _parent_shas(commit: dict[str, Any]) -> list[str]:
    return [required_text(parent, "sha") for parent in objects_field(commit, "parents")]


@provider_item(PROVIDER, "commits")
def parse_commit(commit: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    """A commit of the list. Its line counts come from the detail, as `commit_files`; the list has none.

    GitHub sends git's author and committer dates in UTC, so the author's own offset is unknown (NULL).
    """
    git = object_field(commit, "commit")
    author, committer = object_field(git, "author"), object_field(git, "committer")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        **commit_columns(required_text(commit, "sha"), _parent_shas(commit), text_field(git, "message")),
        **signature("author", text_field(author, "name"), text_field(author, "email"), "authored_at",
                    time_field(author, "date")),
        "author_login": nested_text(commit, "author", "login"),
        "author_tz_offset_minutes": None,
        **signature("committer", text_field(committer, "name"), text_field(committer, "email"), "committed_at",
                    time_field(committer, "date")),
        "lines_added": None,
        "lines_deleted": None,
    }


@provider_item(PROVIDER, "commit_files")
def parse_commit_files(detail: dict[str, Any], repo_id: str, org_id: str) -> list[Row]:
    """The files of a commit's detail in the git source's `commit_files` shape. Merge commits get none, as
    `git log` shows merges without a diff."""
    if len(_parent_shas(detail)) > 1:
        return []
    sha = required_text(detail, "sha").lower()
    rows = []
    for changed in objects_field(detail, "files"):
        status = text_field(changed, "status") or "modified"
        rows.append({
            "org_id": org_id,
            "repo_id": repo_id,
            "sha": sha,
            "path": required_text(changed, "filename"),
            "old_path": text_field(changed, "previous_filename"),
            "change_type": FILE_CHANGE_TYPES.get(status, "M"),
            "lines_added": int_field(changed, "additions"),
            "lines_deleted": int_field(changed, "deletions"),
            # GitHub leaves out `patch` for binary files and for diffs too large to show: it cannot tell them apart
            "is_binary": None,
        })
    return rows
