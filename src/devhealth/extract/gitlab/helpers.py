"""Pure parsing for the GitLab source: REST API JSON flattened into the raw contract's rows."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from devhealth.errors import ConfigError
from devhealth.extract.forge_rows import incident_row, pr_commit_row, repository_row, work_item_row
from devhealth.extract.gitlab.settings import (
    APPROVAL_NOTE,
    CHANGES_REQUESTED_NOTE,
    DEPLOYMENT_OUTCOMES,
    ISSUE_STATES,
    MR_STATES,
    PIPELINE_CONCLUSIONS,
    PROVIDER,
)
from devhealth.extract.rows import (
    MalformedItem,
    bool_field,
    check_item,
    commit_columns,
    id_field,
    int_field,
    json_text,
    labels_json,
    naming_item,
    nested_text,
    number_field,
    object_field,
    objects_field,
    owned_by,
    provider_item,
    required_text,
    same_named,
    signature,
    text_field,
    texts_field,
    time_field,
)

_PROJECT_PATH = re.compile(r"^[\w.-]+(/[\w.-]+)+$")
Row = dict[str, Any]


def check_project_path(project: str) -> str:
    """`group/sub/name`, the path its repo id derives from; else a `ConfigError` naming it."""
    project = project.strip().strip("/").removesuffix(".git")
    if not _PROJECT_PATH.match(project):
        raise ConfigError(f"gitlab project {project!r}: expected group/name, for example acme/api")
    return project


def project_id(project: str) -> str:
    """The path URL-encoded as GitLab's `:id` (`acme%2Fapi`)."""
    return quote(check_project_path(project), safe="")


@provider_item(PROVIDER, "repositories")
def parse_project(project: dict[str, Any], org_id: str) -> Row:
    # where an instance sends no updated_at, last_activity_at is the nearest it has
    updated_at = time_field(project, "updated_at") or time_field(project, "last_activity_at")
    return repository_row(project, org_id, PROVIDER, web_url=required_text(project, "web_url"),
                          repo_name=required_text(project, "path_with_namespace"), updated_at=updated_at)


@provider_item(PROVIDER, "pull_requests")
def parse_merge_request(mr: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    reviewers = sorted(name for user in objects_field(mr, "reviewers") if (name := text_field(user, "username")))
    state = text_field(mr, "state")
    merged_at = time_field(mr, "merged_at")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        "pr_number": number_field(mr, "iid"),
        "pr_id": id_field(mr, "id"),
        "title": text_field(mr, "title"),
        "author_login": nested_text(mr, "author", "username"),
        "author_email": None,
        "state": MR_STATES.get(state or "", state),
        **same_named(mr, time_field, "created_at", "updated_at", "merged_at"),
        "closed_at": time_field(mr, "closed_at") or (merged_at if state == "merged" else None),
        # the list endpoint carries no line counts; GitLab only computes them per merge request diff
        "additions": None,
        "deletions": None,
        "changed_files": None,
        "base_branch": text_field(mr, "target_branch"),
        "head_sha": text_field(mr, "sha"),
        "merge_commit_sha": text_field(mr, "merge_commit_sha") or text_field(mr, "squash_commit_sha"),
        "requested_reviewers": json_text(reviewers),
    }


def review_state_of_note(note: dict[str, Any]) -> str | None:
    """approved / changes_requested for review system notes, commented for people's notes, else None."""
    body = (text_field(note, "body") or "").strip().lower()
    if bool_field(note, "system"):
        if body.startswith(APPROVAL_NOTE):
            return "approved"
        if body.startswith(CHANGES_REQUESTED_NOTE):
            return "changes_requested"
        return None
    return "commented"


def parse_reviews(notes: list[Any], approvals: Any, repo_id: str, pr_number: int, org_id: str) -> list[Row]:
    """Reviews from notes (each with its time), plus approvals the notes do not show (time unknown)."""
    def row(review_id: str, login: str | None, state: str, at: datetime | None) -> Row:
        return {**owned_by(org_id, PROVIDER, repo_id=repo_id, pr_number=pr_number), "review_id": review_id,
                "reviewer_login": login, "reviewer_email": None, "state": state, "submitted_at": at}

    rows = []
    approved_in_notes = set()
    for note in notes:
        with naming_item(PROVIDER, "pr_reviews", note):
            check_item(note)
            state = review_state_of_note(note)
            if state is None:
                continue
            author = nested_text(note, "author", "username")
            rows.append(row(f"note:{id_field(note, 'id')}", author, state, time_field(note, "created_at")))
        if state == "approved":
            approved_in_notes.add(author)
    with naming_item(PROVIDER, "pr_reviews", approvals):
        check_item(approvals)
        for approval in objects_field(approvals, "approved_by"):
            user = object_field(approval, "user")
            login = text_field(user, "username")
            if login not in approved_in_notes:
                rows.append(row(f"approval:{id_field(user, 'id')}", login, "approved",
                                time_field(approval, "approved_at")))
    return rows


@provider_item(PROVIDER, "pr_commits")
def parse_mr_commit(commit: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row:
    return pr_commit_row(org_id, PROVIDER, repo_id, pr_number, sha=required_text(commit, "id"),
                         author_email=text_field(commit, "author_email"),
                         authored_at=time_field(commit, "authored_date"))


@provider_item(PROVIDER, "ci_runs")
def parse_pipeline(pipeline: dict[str, Any], repo_id: str, org_id: str) -> Row:
    status = text_field(pipeline, "status")
    conclusion = PIPELINE_CONCLUSIONS.get(status or "")
    updated_at = time_field(pipeline, "updated_at")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id),
        "run_id": id_field(pipeline, "id"),
        "pipeline_name": text_field(pipeline, "name") or text_field(pipeline, "source"),
        "head_sha": text_field(pipeline, "sha"),
        "branch": text_field(pipeline, "ref"),
        "status": "completed" if conclusion else status,
        "conclusion": conclusion,
        "started_at": time_field(pipeline, "started_at") or time_field(pipeline, "created_at"),
        "finished_at": (time_field(pipeline, "finished_at") or updated_at) if conclusion else None,
        "updated_at": updated_at,
    }


@provider_item(PROVIDER, "deployments")
def parse_deployment(deployment: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    state = text_field(deployment, "status") or ""
    terminal = state in DEPLOYMENT_OUTCOMES
    sha = text_field(deployment, "sha")
    updated_at = time_field(deployment, "updated_at")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        "deployment_id": id_field(deployment, "id"),
        "environment": text_field(object_field(deployment, "environment"), "name"),
        "status": DEPLOYMENT_OUTCOMES.get(state, "pending"),
        "sha": sha,
        "shas": json_text([sha] if sha else []),
        "started_at": time_field(deployment, "created_at"),
        "finished_at": (time_field(deployment, "finished_at") or updated_at) if terminal else None,
        "deployer_login": nested_text(deployment, "user", "username"),
        "updated_at": updated_at,
    }


def _severity(issue: dict[str, Any]) -> str | None:
    severity = text_field(issue, "severity")
    return severity.lower() if severity and severity.upper() != "UNKNOWN" else None


def _weight(issue: dict[str, Any]) -> float | None:
    weight = issue.get("weight")
    if weight is None or (isinstance(weight, (int, float)) and not isinstance(weight, bool)):
        return None if weight is None else float(weight)
    raise MalformedItem(f"field 'weight': expected a number, got {weight!r:.40}")


@provider_item(PROVIDER, "work_items")
def parse_issue(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    state = text_field(issue, "state")
    # an instance sends `issue_type` (lower case), `type` (upper case) or both, by version
    work_item_type = text_field(issue, "issue_type") or (text_field(issue, "type") or "issue").lower()
    return work_item_row(issue, org_id, PROVIDER, repo_id, repo_name, number_name="iid", work_item_type=work_item_type,
                         status=ISSUE_STATES.get(state or "", state), story_points=_weight(issue),
                         labels=labels_json(issue))


@provider_item(PROVIDER, "incidents")
def parse_incident(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    return incident_row(issue, org_id, PROVIDER, repo_id, repo_name, severity=_severity(issue),
                        labels=labels_json(issue))


def _offset_minutes(value: str | None) -> int | None:
    """The UTC offset GitLab writes on a commit date (`2012-09-20T11:50:22+03:00`): the author's own zone."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    offset = moment.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


@provider_item(PROVIDER, "commits")
def parse_commit(commit: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    """A commit of `repository/commits?with_stats=true`: line totals per commit, no per-file rows."""
    stats = object_field(commit, "stats")
    authored_at = time_field(commit, "authored_date")
    return {
        **owned_by(org_id, PROVIDER, repo_id=repo_id, repo_name=repo_name),
        **commit_columns(required_text(commit, "id"), texts_field(commit, "parent_ids"), text_field(commit, "message")),
        **signature("author", text_field(commit, "author_name"), text_field(commit, "author_email"), "authored_at",
                    authored_at),
        "author_login": None,
        # time_field has already refused a date that does not parse
        "author_tz_offset_minutes": _offset_minutes(text_field(commit, "authored_date")) if authored_at else None,
        **signature("committer", text_field(commit, "committer_name"), text_field(commit, "committer_email"),
                    "committed_at", time_field(commit, "committed_date")),
        "lines_added": int_field(stats, "additions") if stats else None,
        "lines_deleted": int_field(stats, "deletions") if stats else None,
    }
