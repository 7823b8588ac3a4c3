"""Rows that both code forges (GitHub, GitLab) build alike: their APIs name most fields the same, so each
forge passes in only what it reads its own way (a field's name, a state's mapping, labels, severity)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from devhealth.extract.rows import (
    id_field,
    lower_or_none,
    number_field,
    objects_field,
    open_or_done,
    owned_by,
    repo_id_of,
    resolved_if_closed,
    same_named,
    text_field,
    time_field,
)

Row = dict[str, Any]


def repository_row(item: dict[str, Any], org_id: str, provider: str, *, web_url: str, repo_name: str,
                   updated_at: datetime | None) -> Row:
    """A `repositories` row; `web_url` is what the repo id derives from, as for a clone of it."""
    return {
        **owned_by(org_id, provider, repo_id=repo_id_of(web_url)),
        "repo_name": repo_name,
        "default_branch": text_field(item, "default_branch"),
        "created_at": time_field(item, "created_at"),
        "updated_at": updated_at,
    }


def pr_commit_row(org_id: str, provider: str, repo_id: str, pr_number: int, *, sha: str, author_email: str | None,
                  authored_at: datetime | None) -> Row:
    """A `pr_commits` row: which commits a pull request carried, and who wrote them when."""
    return {**owned_by(org_id, provider, repo_id=repo_id, pr_number=pr_number), "sha": sha,
            "author_email": lower_or_none(author_email), "authored_at": authored_at}


def work_item_row(issue: dict[str, Any], org_id: str, provider: str, repo_id: str, repo_name: str, *,
                  number_name: str, work_item_type: str, status: str | None, story_points: float | None,
                  labels: str) -> Row:
    """A `work_items` row keyed `<repo>#<number>`, as people quote an issue; `number_name` is the field
    holding the number within the repository (GitHub `number`, GitLab `iid`)."""
    closed = text_field(issue, "state") == "closed"
    return {
        **owned_by(org_id, provider, repo_id=repo_id, project=repo_name),
        "work_item_id": id_field(issue, "id"),
        "work_item_key": f"{repo_name}#{number_field(issue, number_name)}",
        "title": text_field(issue, "title"),
        "work_item_type": work_item_type, "status": status,
        "status_category": open_or_done(closed, bool(objects_field(issue, "assignees"))),
        # a forge lists an issue's assignees without their emails
        "assignee_email": None,
        "story_points": story_points, "labels": labels,
        **same_named(issue, time_field, "created_at", "updated_at"),
        "resolved_at": resolved_if_closed(issue),
    }


def incident_row(issue: dict[str, Any], org_id: str, provider: str, repo_id: str, repo_name: str, *,
                 severity: str | None, labels: str) -> Row:
    """An `incidents` row from an issue: opened when the issue was, resolved when it was closed."""
    return {
        **owned_by(org_id, provider, repo_id=repo_id, repo_name=repo_name),
        "incident_id": id_field(issue, "id"),
        "title": text_field(issue, "title"),
        "severity": severity,
        "opened_at": time_field(issue, "created_at"),
        "resolved_at": resolved_if_closed(issue),
        # a forge's issue does not link the deploy that caused it; int_incidents_attributed finds one
        "caused_by_deployment_id": None,
        "labels": labels,
        "updated_at": time_field(issue, "updated_at"),
    }
