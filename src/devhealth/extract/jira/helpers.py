"""Pure parsing for the Jira source: search results and changelogs as raw contract rows, and JQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from devhealth.errors import ConfigError
from devhealth.extract.jira.settings import JQL_LOOKBACK_HOURS, PROVIDER, STATUS_CATEGORIES
from devhealth.extract.rows import (
    check_item,
    id_field,
    labels_json,
    lower_or_none,
    naming_item,
    object_field,
    objects_field,
    provider_item,
    required_time,
    text_field,
    time_field,
)

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


def status_category(status: dict[str, Any]) -> str | None:
    if not status:
        return None
    key = text_field(object_field(status, "statusCategory"), "key")
    return STATUS_CATEGORIES.get(key, key) if key is not None else None


def category_by_status_id(statuses: list[Any]) -> dict[str, str | None]:
    categories = {}
    for status in statuses:
        with naming_item(PROVIDER, "statuses", status):
            check_item(status)
            categories[id_field(status, "id")] = status_category(status)
    return categories


def story_points(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@provider_item(PROVIDER, "work_items")
def parse_issue(issue: dict[str, Any], org_id: str, story_points_field: str) -> Row:
    fields = object_field(issue, "fields")
    status = object_field(fields, "status")
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "work_item_id": id_field(issue, "id"),
        "work_item_key": text_field(issue, "key"),
        "project": text_field(object_field(fields, "project"), "key"),
        "repo_id": None,
        "title": text_field(fields, "summary"),
        "work_item_type": text_field(object_field(fields, "issuetype"), "name"),
        "status": text_field(status, "name"),
        "status_category": status_category(status),
        "assignee_email": lower_or_none(text_field(object_field(fields, "assignee"), "emailAddress")),
        "story_points": story_points(fields.get(story_points_field)),
        "labels": labels_json(fields),
        "created_at": time_field(fields, "created"),
        "updated_at": time_field(fields, "updated"),
        "resolved_at": time_field(fields, "resolutiondate"),
    }


@provider_item(PROVIDER, "incidents")
def parse_incident(issue: dict[str, Any], org_id: str) -> Row:
    fields = object_field(issue, "fields")
    return {
        "org_id": org_id,
        "provider": PROVIDER,
        "incident_id": id_field(issue, "id"),
        "repo_name": None,
        "repo_id": None,
        "title": text_field(fields, "summary"),
        # Jira has no severity field of its own; priority is what teams set on incidents
        "severity": (text_field(object_field(fields, "priority"), "name") or "").lower() or None,
        "opened_at": time_field(fields, "created"),
        "resolved_at": time_field(fields, "resolutiondate"),
        "caused_by_deployment_id": None,
        "labels": labels_json(fields),
        "updated_at": time_field(fields, "updated"),
    }


def _status_id(item: dict[str, Any], name: str) -> str:
    # the changelog writes status ids as text; older servers wrote numbers, and a first status has none
    value = item.get(name)
    return str(value) if value is not None and not isinstance(value, (dict, list, bool)) else str(None)


def parse_transitions(histories: list[Any], work_item: Row, categories: dict[str, str | None],
                      org_id: str) -> list[Row]:
    """One row per status change in a changelog, in time order; a change without a time cannot be placed and
    is an error naming the issue."""
    rows = []
    for history in histories:
        with naming_item(PROVIDER, f"work_item_transitions of {work_item['work_item_key']}", history):
            check_item(history)
            author = lower_or_none(text_field(object_field(history, "author"), "emailAddress"))
            for item in objects_field(history, "items"):
                if text_field(item, "field") != "status" or item.get("fieldtype", "jira") != "jira":
                    continue
                transitioned_at = required_time(history, "created")
                rows.append({
                    "org_id": org_id,
                    "provider": PROVIDER,
                    "work_item_id": work_item["work_item_id"],
                    "work_item_key": work_item["work_item_key"],
                    "transitioned_at": transitioned_at,
                    "to_status": text_field(item, "toString"),
                    "from_status": text_field(item, "fromString"),
                    "from_category": categories.get(_status_id(item, "from")),
                    "to_category": categories.get(_status_id(item, "to")),
                    "author_email": author,
                })
    return sorted(rows, key=lambda row: row["transitioned_at"])
