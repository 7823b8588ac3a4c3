"""Pure parsing for the GitLab source: REST API JSON flattened into the raw contract's rows."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from devhealth.errors import ConfigError
from devhealth.extract.gitlab.settings import (
    APPROVAL_NOTE,
    CHANGES_REQUESTED_NOTE,
    DEPLOYMENT_OUTCOMES,
    ISSUE_STATES,
    MR_STATES,
    PIPELINE_CONCLUSIONS,
    PROVIDER,
)
from devhealth.extract.rows import json_text, lower_or_none, repo_id_of, utc

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


def _username(user: dict[str, Any] | None) -> str | None:
    return user.get("username") if user else None


def parse_project(project: dict[str, Any], org_id: str) -> Row:
    return {
        "org_id": org_id,
        "repo_id": repo_id_of(project["web_url"]),
        "provider": PROVIDER,
        "repo_name": project["path_with_namespace"],
        "default_branch": project.get("default_branch"),
        "created_at": utc(project.get("created_at")),
        "updated_at": utc(project.get("updated_at") or project.get("last_activity_at")),
    }


def parse_merge_request(mr: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    reviewers = sorted(name for user in mr.get("reviewers") or [] if (name := _username(user)))
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "pr_number": mr["iid"],
        "provider": PROVIDER,
        "pr_id": str(mr["id"]),
        "repo_name": repo_name,
        "title": mr.get("title"),
        "author_login": _username(mr.get("author")),
        "author_email": None,
        "state": MR_STATES.get(mr.get("state", ""), mr.get("state")),
        "created_at": utc(mr.get("created_at")),
        "updated_at": utc(mr.get("updated_at")),
        "merged_at": utc(mr.get("merged_at")),
        "closed_at": utc(mr.get("closed_at") or (mr.get("merged_at") if mr.get("state") == "merged" else None)),
        # the list endpoint carries no line counts; GitLab only computes them per merge request diff
        "additions": None,
        "deletions": None,
        "changed_files": None,
        "base_branch": mr.get("target_branch"),
        "head_sha": mr.get("sha"),
        "merge_commit_sha": mr.get("merge_commit_sha") or mr.get("squash_commit_sha"),
        "requested_reviewers": json_text(reviewers),
    }


def review_state_of_note(note: dict[str, Any]) -> str | None:
    """approved / changes_requested for review system notes, commented for people's notes, else None."""
    body = (note.get("body") or "").strip().lower()
    if note.get("system"):
        if body.startswith(APPROVAL_NOTE):
            return "approved"
        if body.startswith(CHANGES_REQUESTED_NOTE):
            return "changes_requested"
        return None
    return "commented"


def parse_reviews(notes: list[dict[str, Any]], approvals: dict[str, Any], repo_id: str, pr_number: int,
                  org_id: str) -> list[Row]:
    """Reviews from notes (each with its time), plus approvals the notes do not show (time unknown)."""
    def row(review_id: str, user: dict[str, Any] | None, state: str, at: str | None) -> Row:
        return {"org_id": org_id, "repo_id": repo_id, "pr_number": pr_number, "review_id": review_id,
                "provider": PROVIDER, "reviewer_login": _username(user), "reviewer_email": None, "state": state,
                "submitted_at": utc(at)}

    rows = []
    approved_in_notes = set()
    for note in notes:
        state = review_state_of_note(note)
        if state is None:
            continue
        rows.append(row(f"note:{note['id']}", note.get("author"), state, note.get("created_at")))
        if state == "approved":
            approved_in_notes.add(_username(note.get("author")))
    for approval in approvals.get("approved_by") or []:
        user = approval.get("user") or {}
        if _username(user) not in approved_in_notes:
            rows.append(row(f"approval:{user.get('id')}", user, "approved", approval.get("approved_at")))
    return rows


def parse_mr_commit(commit: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row:
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "pr_number": pr_number,
        "sha": commit["id"],
        "provider": PROVIDER,
        "author_email": lower_or_none(commit.get("author_email")),
        "authored_at": utc(commit.get("authored_date")),
    }


def parse_pipeline(pipeline: dict[str, Any], repo_id: str, org_id: str) -> Row:
    status = pipeline.get("status")
    conclusion = PIPELINE_CONCLUSIONS.get(status or "")
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "run_id": str(pipeline["id"]),
        "provider": PROVIDER,
        "pipeline_name": pipeline.get("name") or pipeline.get("source"),
        "head_sha": pipeline.get("sha"),
        "branch": pipeline.get("ref"),
        "status": "completed" if conclusion else status,
        "conclusion": conclusion,
        "started_at": utc(pipeline.get("started_at") or pipeline.get("created_at")),
        "finished_at": utc(pipeline.get("finished_at") or pipeline.get("updated_at")) if conclusion else None,
        "updated_at": utc(pipeline.get("updated_at")),
    }


def parse_deployment(deployment: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    status = DEPLOYMENT_OUTCOMES.get(deployment.get("status", ""), "pending")
    terminal = deployment.get("status") in DEPLOYMENT_OUTCOMES
    sha = deployment.get("sha")
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "deployment_id": str(deployment["id"]),
        "provider": PROVIDER,
        "repo_name": repo_name,
        "environment": (deployment.get("environment") or {}).get("name"),
        "status": status,
        "sha": sha,
        "shas": json_text([sha] if sha else []),
        "started_at": utc(deployment.get("created_at")),
        "finished_at": utc(deployment.get("finished_at") or deployment.get("updated_at")) if terminal else None,
        "deployer_login": _username(deployment.get("user")),
        "updated_at": utc(deployment.get("updated_at")),
    }


def _severity(issue: dict[str, Any]) -> str | None:
    severity = issue.get("severity")
    return severity.lower() if severity and severity.upper() != "UNKNOWN" else None


def parse_issue(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    closed = issue.get("state") == "closed"
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "work_item_id": str(issue["id"]),
        "work_item_key": f"{repo_name}#{issue['iid']}",
        "project": repo_name,
        "repo_id": repo_id,
        "title": issue.get("title"),
        "work_item_type": issue.get("issue_type") or issue.get("type", "issue").lower(),
        "status": ISSUE_STATES.get(issue.get("state", ""), issue.get("state")),
        "status_category": "done" if closed else ("in_progress" if issue.get("assignees") else "todo"),
        "assignee_email": None,
        "story_points": float(issue["weight"]) if issue.get("weight") is not None else None,
        "labels": json_text(sorted(issue.get("labels") or [])),
        "created_at": utc(issue.get("created_at")),
        "updated_at": utc(issue.get("updated_at")),
        "resolved_at": utc(issue.get("closed_at")) if closed else None,
    }


def parse_incident(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "incident_id": str(issue["id"]),
        "repo_name": repo_name,
        "repo_id": repo_id,
        "title": issue.get("title"),
        "severity": _severity(issue),
        "opened_at": utc(issue.get("created_at")),
        "resolved_at": utc(issue.get("closed_at")) if issue.get("state") == "closed" else None,
        "caused_by_deployment_id": None,
        "labels": json_text(sorted(issue.get("labels") or [])),
        "updated_at": utc(issue.get("updated_at")),
    }
