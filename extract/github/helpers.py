"""Pure parsing for the GitHub source: REST API JSON flattened into the raw contract's rows."""

from __future__ import annotations

import re
from typing import Any

from devhealth.errors import ConfigError
from devhealth.extract.github.settings import (
    DEPLOYMENT_OUTCOMES,
    PROVIDER,
    REVIEW_STATES,
    RUN_CONCLUSIONS,
    SEVERITY_LABEL_PREFIXES,
)
from devhealth.extract.rows import json_text, lower_or_none, repo_id_of, utc

_REPO_NAME = re.compile(r"^[\w.-]+/[\w.-]+$")
Row = dict[str, Any]


def check_repo_name(repo: str) -> str:
    """`owner/name` as the API spells it, or a `ConfigError` naming the bad value."""
    repo = repo.strip().removesuffix(".git")
    if not _REPO_NAME.match(repo):
        raise ConfigError(f"github repository {repo!r}: expected owner/name, for example acme/api")
    return repo


def _login(user: dict[str, Any] | None) -> str | None:
    return user.get("login") if user else None


def parse_repository(repo: dict[str, Any], org_id: str) -> Row:
    return {
        "org_id": org_id,
        "repo_id": repo_id_of(repo["html_url"]),
        "provider": PROVIDER,
        "repo_name": repo["full_name"],
        "default_branch": repo.get("default_branch"),
        "created_at": utc(repo.get("created_at")),
        "updated_at": utc(repo.get("updated_at")),
    }


def pull_request_state(pull: dict[str, Any]) -> str:
    return "merged" if pull.get("merged_at") else pull["state"]


def parse_pull_request(pull: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    """A pull request from its detail JSON (the list JSON lacks additions, deletions and changed_files)."""
    reviewers = [_login(user) for user in pull.get("requested_reviewers") or []]
    teams = [f"team:{team['slug']}" for team in pull.get("requested_teams") or []]
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "pr_number": pull["number"],
        "provider": PROVIDER,
        "pr_id": str(pull["id"]),
        "repo_name": repo_name,
        "title": pull.get("title"),
        "author_login": _login(pull.get("user")),
        # GitHub never returns an author's email on a pull request; identity resolution joins on login
        "author_email": None,
        "state": pull_request_state(pull),
        "created_at": utc(pull.get("created_at")),
        "updated_at": utc(pull.get("updated_at")),
        "merged_at": utc(pull.get("merged_at")),
        "closed_at": utc(pull.get("closed_at")),
        "additions": pull.get("additions"),
        "deletions": pull.get("deletions"),
        "changed_files": pull.get("changed_files"),
        "base_branch": (pull.get("base") or {}).get("ref"),
        "head_sha": (pull.get("head") or {}).get("sha"),
        "merge_commit_sha": pull.get("merge_commit_sha") if pull.get("merged_at") else None,
        "requested_reviewers": json_text(sorted(r for r in reviewers if r) + teams),
    }


def parse_review(review: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row | None:
    """A submitted review; a PENDING one (a draft only its author sees) has no time and is skipped."""
    state = REVIEW_STATES.get(review.get("state", ""))
    if state is None or not review.get("submitted_at"):
        return None
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "pr_number": pr_number,
        "review_id": str(review["id"]),
        "provider": PROVIDER,
        "reviewer_login": _login(review.get("user")),
        "reviewer_email": None,
        "state": state,
        "submitted_at": utc(review["submitted_at"]),
    }


def parse_pr_commit(commit: dict[str, Any], repo_id: str, pr_number: int, org_id: str) -> Row:
    author = (commit.get("commit") or {}).get("author") or {}
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "pr_number": pr_number,
        "sha": commit["sha"],
        "provider": PROVIDER,
        "author_email": lower_or_none(author.get("email")),
        "authored_at": utc(author.get("date")),
    }


def parse_workflow_run(run: dict[str, Any], repo_id: str, org_id: str) -> Row:
    completed = run.get("status") == "completed"
    conclusion = run.get("conclusion")
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "run_id": str(run["id"]),
        "provider": PROVIDER,
        "pipeline_name": run.get("name"),
        "head_sha": run.get("head_sha"),
        "branch": run.get("head_branch"),
        "status": run.get("status"),
        "conclusion": RUN_CONCLUSIONS.get(conclusion, conclusion) if conclusion else None,
        "started_at": utc(run.get("run_started_at") or run.get("created_at")),
        # a completed run stops changing, so its last update is when it finished
        "finished_at": utc(run.get("updated_at")) if completed else None,
        "updated_at": utc(run.get("updated_at")),
    }


def deployment_outcome(statuses: list[dict[str, Any]]) -> tuple[str, Any]:
    """(status, finished_at) from the newest terminal status; `pending` while none is terminal."""
    for status in sorted(statuses, key=lambda s: s.get("created_at") or "", reverse=True):
        outcome = DEPLOYMENT_OUTCOMES.get(status.get("state", ""))
        if outcome is None:
            continue
        if status.get("state") == "inactive":
            # inactive is stamped when a later deploy replaces this one: it succeeded earlier, at its success time
            earlier = [s for s in statuses if s.get("state") == "success"]
            moment = min((s["created_at"] for s in earlier), default=status.get("created_at"))
            return outcome, utc(moment)
        return outcome, utc(status.get("created_at"))
    return "pending", None


def parse_deployment(deployment: dict[str, Any], statuses: list[dict[str, Any]], repo_id: str, repo_name: str,
                     org_id: str) -> Row:
    status, finished_at = deployment_outcome(statuses)
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "deployment_id": str(deployment["id"]),
        "provider": PROVIDER,
        "repo_name": repo_name,
        "environment": deployment.get("environment"),
        "status": status,
        "sha": deployment.get("sha"),
        "shas": json_text([deployment["sha"]] if deployment.get("sha") else []),
        "started_at": utc(deployment.get("created_at")),
        "finished_at": finished_at,
        "deployer_login": _login(deployment.get("creator")),
        "updated_at": utc(deployment.get("updated_at")),
    }


def label_names(item: dict[str, Any]) -> list[str]:
    return sorted(label["name"] if isinstance(label, dict) else str(label) for label in item.get("labels") or [])


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
    link = issue.get("pull_request")
    return isinstance(link, dict) and any(isinstance(link.get(name), str) and link[name].strip()
                                          for name in ("url", "html_url"))


def is_incident(issue: dict[str, Any], incident_label: str) -> bool:
    return incident_label.lower() in (label.lower() for label in label_names(issue))


def parse_issue(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str, incident_label: str) -> Row:
    labels = label_names(issue)
    closed = issue.get("state") == "closed"
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "work_item_id": str(issue["id"]),
        "work_item_key": f"{repo_name}#{issue['number']}",
        "project": repo_name,
        "repo_id": repo_id,
        "title": issue.get("title"),
        "work_item_type": "incident" if is_incident(issue, incident_label) else "issue",
        "status": issue.get("state"),
        # GitHub issues have two states; an assigned open issue is the best sign someone is on it
        "status_category": "done" if closed else ("in_progress" if issue.get("assignees") else "todo"),
        "assignee_email": None,
        "story_points": None,
        "labels": json_text(labels),
        "created_at": utc(issue.get("created_at")),
        "updated_at": utc(issue.get("updated_at")),
        "resolved_at": utc(issue.get("closed_at")) if closed else None,
    }


def parse_incident(issue: dict[str, Any], repo_id: str, repo_name: str, org_id: str) -> Row:
    labels = label_names(issue)
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "incident_id": str(issue["id"]),
        "repo_name": repo_name,
        "repo_id": repo_id,
        "title": issue.get("title"),
        "severity": severity_from_labels(labels),
        "opened_at": utc(issue.get("created_at")),
        "resolved_at": utc(issue.get("closed_at")) if issue.get("state") == "closed" else None,
        "caused_by_deployment_id": None,
        "labels": json_text(labels),
        "updated_at": utc(issue.get("updated_at")),
    }


def parse_release(release: dict[str, Any], repo_id: str, org_id: str) -> Row:
    return {
        "org_id": org_id,
        "repo_id": repo_id,
        "release_id": str(release["id"]),
        "provider": PROVIDER,
        "tag_name": release.get("tag_name"),
        "published_at": utc(release.get("published_at")),
    }
