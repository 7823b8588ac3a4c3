"""Pure parsing for the Jira source: search results and changelogs as raw contract rows, and JQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from devhealth.errors import ConfigError
from devhealth.extract.jira.settings import JQL_LOOKBACK_HOURS, PROVIDER, STATUS_CATEGORIES
from devhealth.extract.rows import json_text, lower_or_none, utc

_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,254}$")
Row = dict[str, Any]


def check_project_keys(projects: list[str]) -> list[str]:
    keys = [project.strip().upper() for project in projects if project.strip()]
    if not keys:
        raise ConfigError("jira: no project given; pass --project KEY")
    for key in keys:
        if not _PROJECT_KEY.match(key):
            raise ConfigError(f"jira project {key!r}: expected a project key such as OPS")
    return keys


def _quoted(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join('"' + value.replace('"', '\\"') + '"' for value in values)


def search_jql(projects: list[str], updated_from: datetime, issue_types: tuple[str, ...] = ()) -> str:
    """Issues of `projects` updated since a day before `updated_from`, oldest first."""
    start = (updated_from - timedelta(hours=JQL_LOOKBACK_HOURS)).strftime("%Y-%m-%d %H:%M")
    clauses = [f"project in ({_quoted(projects)})", f'updated >= "{start}"']
    if issue_types:
        clauses.append(f"issuetype in ({_quoted(issue_types)})")
    return " AND ".join(clauses) + " ORDER BY updated ASC"


def status_category(status: dict[str, Any] | None) -> str | None:
    if not status:
        return None
    key = (status.get("statusCategory") or {}).get("key")
    return STATUS_CATEGORIES.get(key, key)


def category_by_status_id(statuses: list[dict[str, Any]]) -> dict[str, str | None]:
    return {str(status["id"]): status_category(status) for status in statuses}


def story_points(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def parse_issue(issue: dict[str, Any], org_id: str, story_points_field: str) -> Row:
    fields = issue.get("fields") or {}
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "work_item_id": str(issue["id"]),
        "work_item_key": issue.get("key"),
        "project": (fields.get("project") or {}).get("key"),
        "repo_id": None,
        "title": fields.get("summary"),
        "work_item_type": (fields.get("issuetype") or {}).get("name"),
        "status": (fields.get("status") or {}).get("name"),
        "status_category": status_category(fields.get("status")),
        "assignee_email": lower_or_none((fields.get("assignee") or {}).get("emailAddress")),
        "story_points": story_points(fields.get(story_points_field)),
        "labels": json_text(sorted(fields.get("labels") or [])),
        "created_at": utc(fields.get("created")),
        "updated_at": utc(fields.get("updated")),
        "resolved_at": utc(fields.get("resolutiondate")),
    }


def parse_incident(issue: dict[str, Any], org_id: str) -> Row:
    fields = issue.get("fields") or {}
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "incident_id": str(issue["id"]),
        "repo_name": None,
        "repo_id": None,
        "title": fields.get("summary"),
        # Jira has no severity field of its own; priority is what teams set on incidents
        "severity": ((fields.get("priority") or {}).get("name") or "").lower() or None,
        "opened_at": utc(fields.get("created")),
        "resolved_at": utc(fields.get("resolutiondate")),
        "caused_by_deployment_id": None,
        "labels": json_text(sorted(fields.get("labels") or [])),
        "updated_at": utc(fields.get("updated")),
    }


def parse_transitions(histories: list[dict[str, Any]], work_item: Row, categories: dict[str, str | None],
                      org_id: str) -> list[Row]:
    """One row per status change in a changelog, in time order."""
    rows = []
    for history in histories:
        author = lower_or_none((history.get("author") or {}).get("emailAddress"))
        for item in history.get("items") or []:
            if item.get("field") != "status" or item.get("fieldtype", "jira") != "jira":
                continue
            rows.append({
                "org_id": org_id,
                "provider": PROVIDER,
                "work_item_id": work_item["work_item_id"],
                "work_item_key": work_item["work_item_key"],
                "transitioned_at": utc(history.get("created")),
                "to_status": item.get("toString"),
                "from_status": item.get("fromString"),
                "from_category": categories.get(str(item.get("from"))),
                "to_category": categories.get(str(item.get("to"))),
                "author_email": author,
            })
    return sorted(rows, key=lambda row: row["transitioned_at"])
