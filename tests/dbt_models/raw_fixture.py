"""A small realistic organisation in the raw contract's shapes (docs/raw_contract.md), loaded without dbt.

Tables are created as dlt creates them on ClickHouse (keys plain, other columns Nullable, timestamps
DateTime64(6,'UTC'), JSON as String, `_dlt_load_id` and `_dlt_id`), or evolved to that shape when a
source already created them. Two organisations share a repository id, name and an email, so every
figure the tests read must keep them apart.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dlt_loads import commit_load

S, INT, F, B, T = "String", "Int64", "Float64", "Bool", "DateTime64(6,'UTC')"

# table -> [(column, type, is_key)], only the tables this fixture fills
CONTRACT: dict[str, list[tuple[str, str, bool]]] = {
    "git___commits": [
        ("org_id", S, True), ("repo_id", S, True), ("sha", S, True), ("repo_name", S, False),
        ("parent_shas", S, False), ("is_merge", B, False), ("author_name", S, False), ("author_email", S, False),
        ("authored_at", T, False), ("author_tz_offset_minutes", INT, False), ("committer_name", S, False),
        ("committer_email", S, False), ("committed_at", T, False), ("message_subject", S, False),
        ("message_length", INT, False), ("is_removed", B, False),
    ],
    "git___commit_files": [
        ("org_id", S, True), ("repo_id", S, True), ("sha", S, True), ("path", S, True), ("old_path", S, False),
        ("change_type", S, False), ("lines_added", INT, False), ("lines_deleted", INT, False), ("is_binary", B, False),
    ],
    "github___repositories": [
        ("org_id", S, True), ("repo_id", S, True), ("provider", S, False), ("repo_name", S, False),
        ("default_branch", S, False), ("created_at", T, False), ("updated_at", T, False),
    ],
    "github___pull_requests": [
        ("org_id", S, True), ("repo_id", S, True), ("pr_number", INT, True), ("provider", S, False),
        ("pr_id", INT, False), ("repo_name", S, False), ("title", S, False), ("author_login", S, False),
        ("author_email", S, False), ("state", S, False), ("created_at", T, False), ("updated_at", T, False),
        ("merged_at", T, False), ("closed_at", T, False), ("additions", INT, False), ("deletions", INT, False),
        ("changed_files", INT, False), ("base_branch", S, False), ("head_sha", S, False),
        ("merge_commit_sha", S, False), ("requested_reviewers", S, False),
    ],
    "github___pr_reviews": [
        ("org_id", S, True), ("repo_id", S, True), ("pr_number", INT, True), ("review_id", INT, True),
        ("provider", S, False), ("reviewer_login", S, False), ("reviewer_email", S, False), ("state", S, False),
        ("submitted_at", T, False),
    ],
    "github___pr_commits": [
        ("org_id", S, True), ("repo_id", S, True), ("pr_number", INT, True), ("sha", S, True),
        ("provider", S, False), ("author_email", S, False), ("authored_at", T, False),
    ],
    "github___deployments": [
        ("org_id", S, True), ("repo_id", S, True), ("deployment_id", S, True), ("provider", S, False),
        ("repo_name", S, False), ("environment", S, False), ("status", S, False), ("sha", S, False),
        ("shas", S, False), ("started_at", T, False), ("finished_at", T, False), ("deployer_login", S, False),
    ],
    "github___incidents": [
        ("org_id", S, True), ("provider", S, True), ("incident_id", S, True), ("repo_name", S, False),
        ("repo_id", S, False), ("title", S, False), ("severity", S, False), ("opened_at", T, False),
        ("resolved_at", T, False), ("caused_by_deployment_id", S, False), ("labels", S, False),
    ],
    "github___ci_runs": [
        ("org_id", S, True), ("repo_id", S, True), ("run_id", INT, True), ("provider", S, False),
        ("pipeline_name", S, False), ("head_sha", S, False), ("branch", S, False), ("status", S, False),
        ("conclusion", S, False), ("started_at", T, False), ("finished_at", T, False), ("updated_at", T, False),
        ("created_at", T, False), ("run_attempt", INT, False),
    ],
    "events___deployments": [
        ("org_id", S, True), ("repo_id", S, True), ("deployment_id", S, True), ("provider", S, False),
        ("repo_name", S, False), ("environment", S, False), ("status", S, False), ("sha", S, False),
        ("shas", S, False), ("started_at", T, False), ("finished_at", T, False),
    ],
    "events___changes": [
        ("org_id", S, True), ("repo_name", S, True), ("sha", S, True), ("created_at", T, False),
        ("author_email", S, False),
    ],
    "events___incidents": [
        ("org_id", S, True), ("provider", S, True), ("incident_id", S, True), ("repo_name", S, False),
        ("repo_id", S, False), ("title", S, False), ("severity", S, False), ("opened_at", T, False),
        ("resolved_at", T, False), ("labels", S, False),
    ],
    "jira___incidents": [
        ("org_id", S, True), ("provider", S, True), ("incident_id", S, True), ("repo_name", S, False),
        ("title", S, False), ("severity", S, False), ("opened_at", T, False), ("resolved_at", T, False),
        ("caused_by_sha", S, False), ("labels", S, False),
    ],
    "jira___work_items": [
        ("org_id", S, True), ("provider", S, True), ("work_item_id", S, True), ("work_item_key", S, False),
        ("project", S, False), ("title", S, False), ("work_item_type", S, False), ("status", S, False),
        ("status_category", S, False), ("assignee_email", S, False), ("story_points", F, False),
        ("labels", S, False), ("created_at", T, False), ("updated_at", T, False), ("resolved_at", T, False),
    ],
    "jira___work_item_transitions": [
        ("org_id", S, True), ("provider", S, True), ("work_item_id", S, True), ("transitioned_at", T, True),
        ("to_status", S, True), ("from_status", S, False), ("from_category", S, False),
        ("to_category", S, False), ("author_email", S, False),
    ],
    "semantic___teams": [
        ("org_id", S, True), ("team_id", S, True), ("team_name", S, False), ("repo_patterns", S, False),
        ("work_scopes", S, False),
    ],
    "semantic___team_members": [("org_id", S, True), ("team_id", S, True), ("person_id", S, True)],
    "semantic___identities": [
        ("org_id", S, True), ("provider", S, True), ("identity", S, True), ("person_id", S, False),
        ("primary_email", S, False), ("display_name", S, False),
    ],
    "semantic___org_settings": [
        ("org_id", S, True), ("timezone", S, False), ("business_hours_start", S, False),
        ("business_hours_end", S, False), ("working_days", S, False), ("bot_patterns", S, False),
    ],
}

ORG_A = "0a000000-0000-4000-8000-00000000000a"
ORG_B = "0b000000-0000-4000-8000-00000000000b"
# the same remote gives the same repo id in both organisations
REPO_ID = "5d1f6c1e-2f7b-5a2e-9c51-6a0d3e7b9f10"
REPO_NAME = "acme/api"


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


# (sha, author email, authored_at UTC, is_merge, [(path, added, deleted)] with None lines for binary files)
COMMITS_A: list[tuple[str, str, str, bool, list[tuple[str, int | None, int | None]]]] = [
    ("c1", "ann@acme.io", "2024-03-04 23:30:00", False, [("a.py", 10, 2), ("b.py", 5, 0)]),
    ("c2", "bob@acme.io", "2024-03-05 00:10:00", False, [("a.py", 400, 10)]),
    ("m1", "ann@acme.io", "2024-03-05 09:00:00", True, []),
    ("c3", "ann@acme.io", "2024-03-05 10:00:00", False, [("logo.png", None, None), ("b.py", 7, 1)]),
    ("c4", "bob@acme.io", "2024-03-06 20:00:00", False, [("a.py", 1, 1)]),
    ("c5", "ann.old@acme.io", "2024-03-09 11:00:00", False, [("b.py", 3, 3)]),
]
COMMITS_B = [
    ("c1", "ann@acme.io", "2024-03-04 12:00:00", False, [("a.py", 1, 0)]),
    ("b2", "ann@acme.io", "2024-03-04 13:00:00", False, [("a.py", 2, 0)]),
]

# production deployments that count, with what each ships, as the DORA definitions link them
DEPLOYMENTS_A = {
    # id: (provider table, environment, status, head sha, listed shas, finished_at)
    "1": ("github___deployments", "Production", "success", "c2", [], "2024-03-05 09:30:00"),
    "2": ("github___deployments", "prod", "success", "c4", [], "2024-03-06 21:00:00"),
    "3": ("github___deployments", "staging", "success", "c4", [], "2024-03-07 10:00:00"),
    "4": ("github___deployments", "production", "failure", "c4", [], "2024-03-07 11:00:00"),
    "ev-5": ("events___deployments", "production", "success", "c5", ["c5"], "2024-03-11 10:00:00"),
    "ev-6": ("events___deployments", "production", "success", "x9", ["x9"], "2024-03-11 15:00:00"),
}


def pull_request_row(org_id: str, repo_id: str, number: int, created_at: str, merged_at: str,
                     **columns: Any) -> dict[str, Any]:
    """A merged GitHub pull request as raw.github___pull_requests holds it; `columns` override the defaults."""
    return {"org_id": org_id, "repo_id": repo_id, "pr_number": number, "provider": "github", "pr_id": number,
            "repo_name": "acme/api", "title": f"change {number}", "author_login": "ann", "author_email": "",
            "state": "merged", "created_at": created_at, "updated_at": merged_at, "merged_at": merged_at,
            "closed_at": merged_at, "additions": 10, "deletions": 2, "changed_files": 1, "base_branch": "main",
            "head_sha": "", "merge_commit_sha": "", "requested_reviewers": "[]", **columns}


def git_rows(
    org: str, commits: Iterable[tuple[str, str, str, bool, list]], repo_id: str = REPO_ID,
) -> tuple[list[dict], list[dict]]:
    commit_rows, file_rows = [], []
    for sha, email, authored, is_merge, files in commits:
        commit_rows.append({
            "org_id": org, "repo_id": repo_id, "sha": sha, "repo_name": REPO_NAME,
            "parent_shas": json.dumps(["p1", "p2"] if is_merge else ["p1"]), "is_merge": is_merge,
            "author_name": email.split("@")[0].title(), "author_email": email, "authored_at": _ts(authored),
            "author_tz_offset_minutes": 60, "committer_name": "CI", "committer_email": email,
            "committed_at": _ts(authored), "message_subject": f"change {sha}", "message_length": 20,
        })
        for path, added, deleted in files:
            file_rows.append({
                "org_id": org, "repo_id": repo_id, "sha": sha, "path": path, "old_path": None,
                "change_type": "M", "lines_added": added, "lines_deleted": deleted, "is_binary": added is None,
            })
    return commit_rows, file_rows


def first_load() -> dict[str, list[dict[str, Any]]]:
    """The first dlt load of every source."""
    commits_a, files_a = git_rows(ORG_A, COMMITS_A)
    commits_b, files_b = git_rows(ORG_B, COMMITS_B)
    pr = {"org_id": ORG_A, "repo_id": REPO_ID, "provider": "github", "repo_name": REPO_NAME, "additions": 10,
          "deletions": 1, "changed_files": 1, "base_branch": "main", "requested_reviewers": "[]", "closed_at": None}
    deployments: dict[str, list[dict]] = {"github___deployments": [], "events___deployments": []}
    for deployment_id, (table, environment, status, sha, shas, finished) in DEPLOYMENTS_A.items():
        deployments[table].append({
            "org_id": ORG_A, "repo_id": REPO_ID, "deployment_id": deployment_id,
            "provider": table.split("___")[0], "repo_name": REPO_NAME,
            "environment": environment, "status": status, "sha": sha, "shas": json.dumps(shas),
            "started_at": _ts(finished), "finished_at": _ts(finished),
            # GitHub names who deployed; events do not
            "deployer_login": "ann-gh" if table == "github___deployments" else None,
        })
    transition = {"org_id": ORG_A, "provider": "jira", "author_email": "ann@acme.io"}
    item = {"org_id": ORG_A, "provider": "jira", "project": "PLAT", "assignee_email": "ann@acme.io",
            "updated_at": _ts("2024-03-07 12:00:00")}
    return {
        "git___commits": commits_a + commits_b,
        "git___commit_files": files_a + files_b,
        "github___repositories": [{
            "org_id": ORG_A, "repo_id": REPO_ID, "provider": "github", "repo_name": REPO_NAME,
            "default_branch": "main", "created_at": _ts("2023-01-01 00:00:00"),
            "updated_at": _ts("2024-03-01 00:00:00"),
        }],
        "github___pull_requests": [
            {**pr, "pr_number": 1, "pr_id": 1001, "title": "First", "author_login": "ann-gh",
             "author_email": "ann@acme.io", "state": "merged", "created_at": _ts("2024-03-04 23:45:00"),
             "updated_at": _ts("2024-03-05 08:00:00"), "merged_at": _ts("2024-03-05 08:00:00"),
             "head_sha": "c2", "merge_commit_sha": "m1"},
            {**pr, "pr_number": 2, "pr_id": 1002, "title": "Second", "author_login": "bob-gh", "author_email": None,
             "state": "merged", "created_at": _ts("2024-03-05 11:00:00"), "updated_at": _ts("2024-03-06 10:00:00"),
             "merged_at": _ts("2024-03-06 10:00:00"), "head_sha": "c4", "merge_commit_sha": "c4"},
            {**pr, "pr_number": 3, "pr_id": 1003, "title": "Third", "author_login": "ann-gh",
             "author_email": "ann@acme.io", "state": "open", "created_at": _ts("2024-03-06 12:00:00"),
             "updated_at": _ts("2024-03-06 12:00:00"), "merged_at": None, "head_sha": "c9",
             "merge_commit_sha": None},
        ],
        "github___pr_reviews": [
            {"org_id": ORG_A, "repo_id": REPO_ID, "pr_number": 1, "review_id": 11, "provider": "github",
             "reviewer_login": "bob-gh", "reviewer_email": "bob@acme.io", "state": "approved",
             "submitted_at": _ts("2024-03-05 02:00:00")},
            {"org_id": ORG_A, "repo_id": REPO_ID, "pr_number": 2, "review_id": 21, "provider": "github",
             "reviewer_login": "ann-gh", "reviewer_email": None, "state": "commented",
             "submitted_at": _ts("2024-03-05 15:00:00")},
            {"org_id": ORG_A, "repo_id": REPO_ID, "pr_number": 2, "review_id": 22, "provider": "github",
             "reviewer_login": "ann-gh", "reviewer_email": None, "state": "approved",
             "submitted_at": _ts("2024-03-06 09:00:00")},
        ],
        "github___pr_commits": [
            {"org_id": ORG_A, "repo_id": REPO_ID, "pr_number": 1, "sha": "c1", "provider": "github",
             "author_email": "ann@acme.io", "authored_at": _ts("2024-03-04 23:30:00")},
            {"org_id": ORG_A, "repo_id": REPO_ID, "pr_number": 1, "sha": "c2", "provider": "github",
             "author_email": "bob@acme.io", "authored_at": _ts("2024-03-05 00:10:00")},
        ],
        **deployments,
        "events___changes": [
            {"org_id": ORG_A, "repo_name": REPO_NAME, "sha": "x9", "created_at": _ts("2024-03-10 09:00:00"),
             "author_email": "bob@acme.io"},
        ],
        "github___incidents": [
            {"org_id": ORG_A, "provider": "github", "incident_id": "i1", "repo_name": REPO_NAME, "repo_id": REPO_ID,
             "title": "API down", "severity": "high", "opened_at": _ts("2024-03-05 10:00:00"),
             "resolved_at": _ts("2024-03-05 12:00:00"), "caused_by_deployment_id": "1", "labels": "[]"},
        ],
        "events___incidents": [
            # names no cause: it lies on the last production deployment before it, deployment 1 again
            {"org_id": ORG_A, "provider": "events", "incident_id": "i2", "repo_name": REPO_NAME, "repo_id": REPO_ID,
             "title": "Slow", "severity": "low", "opened_at": _ts("2024-03-05 11:00:00"),
             "resolved_at": None, "labels": "[]"},
        ],
        "jira___incidents": [
            {"org_id": ORG_A, "provider": "jira", "incident_id": "OPS-1", "repo_name": "Acme/API",
             "title": "Errors", "severity": "high", "opened_at": _ts("2024-03-12 00:00:00"),
             "resolved_at": _ts("2024-03-12 04:00:00"), "caused_by_sha": "c5", "labels": "[]"},
        ],
        "jira___work_items": [
            {**item, "work_item_id": "1", "work_item_key": "PLAT-1", "title": "Crash", "work_item_type": "Bug",
             "status": "Done", "status_category": "done", "story_points": 3.0, "labels": "[]",
             "created_at": _ts("2024-03-01 09:00:00"), "resolved_at": _ts("2024-03-06 09:00:00")},
            {**item, "work_item_id": "2", "work_item_key": "PLAT-2", "title": "Cleanup", "work_item_type": "Story",
             "status": "In Progress", "status_category": "in_progress", "story_points": 5.0,
             "labels": '["tech-debt"]', "created_at": _ts("2024-03-02 09:00:00"), "resolved_at": None},
            {**item, "work_item_id": "3", "work_item_key": "PLAT-3", "title": "Feature", "work_item_type": "Story",
             "status": "Done", "status_category": "done", "story_points": 2.0, "labels": "[]",
             "created_at": _ts("2024-03-03 09:00:00"), "resolved_at": _ts("2024-03-07 12:00:00")},
        ],
        "jira___work_item_transitions": [
            {**transition, "work_item_id": "1", "transitioned_at": _ts("2024-03-04 09:00:00"),
             "from_status": "To Do", "to_status": "In Progress", "from_category": "todo", "to_category": "in_progress"},
            {**transition, "work_item_id": "1", "transitioned_at": _ts("2024-03-06 09:00:00"),
             "from_status": "In Progress", "to_status": "Done", "from_category": "in_progress", "to_category": "done"},
            {**transition, "work_item_id": "2", "transitioned_at": _ts("2024-03-05 10:00:00"),
             "from_status": "To Do", "to_status": "In Progress", "from_category": "todo", "to_category": "in_progress"},
            {**transition, "work_item_id": "3", "transitioned_at": _ts("2024-03-05 12:00:00"),
             "from_status": "To Do", "to_status": "In Progress", "from_category": "todo", "to_category": "in_progress"},
            {**transition, "work_item_id": "3", "transitioned_at": _ts("2024-03-07 12:00:00"),
             "from_status": "In Progress", "to_status": "Done", "from_category": "in_progress", "to_category": "done"},
        ],
        "semantic___teams": [
            {"org_id": ORG_A, "team_id": "t-platform", "team_name": "Platform", "repo_patterns": '["acme/*"]',
             "work_scopes": '["PLAT"]'},
        ],
        "semantic___team_members": [{"org_id": ORG_A, "team_id": "t-platform", "person_id": "p-ann"}],
        "semantic___identities": [
            {"org_id": ORG_A, "provider": "github", "identity": "ann-gh", "person_id": "p-ann",
             "primary_email": "ann@acme.io", "display_name": "Ann"},
            {"org_id": ORG_A, "provider": "git", "identity": "ann.old@acme.io", "person_id": "p-ann",
             "primary_email": "ann@acme.io", "display_name": "Ann"},
        ],
    }


def second_load() -> dict[str, list[dict[str, Any]]]:
    """A rerun: commit c4 and incident i2 re-sent; i2 now resolved. Staging must keep one row of each."""
    rows = first_load()
    resent_commit = next(row for row in rows["git___commits"] if row["sha"] == "c4" and row["org_id"] == ORG_A)
    incident = {**rows["events___incidents"][0], "resolved_at": _ts("2024-03-05 14:00:00")}
    return {"git___commits": [resent_commit], "events___incidents": [incident]}


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"'{value.isoformat(sep=' ')}'"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def ensure_table(warehouse: Any, table: str) -> None:
    """Create `raw.<table>` as dlt would, or add the contract columns an earlier load did not create."""
    columns = CONTRACT[table] + [("_dlt_load_id", S, True), ("_dlt_id", S, True)]
    definitions = [f"{name} {kind}" if key else f"{name} Nullable({kind})" for name, kind, key in columns]
    keys = ", ".join(name for name, _, key in CONTRACT[table] if key)
    warehouse.command("create database if not exists raw")
    warehouse.command(
        f"create table if not exists raw.{table} ({', '.join(definitions)}) engine = MergeTree primary key ({keys})"
    )
    for definition in definitions:
        warehouse.command(f"alter table raw.{table} add column if not exists {definition}")


_last_load_id = 0.0


def new_load_id() -> str:
    """A load id as dlt makes them, the load's unix time, and later than every load before it in the session."""
    global _last_load_id
    _last_load_id = max(time.time(), _last_load_id + 0.001)
    return f"{_last_load_id:.6f}"


def load(warehouse: Any, tables: dict[str, list[dict[str, Any]]], load_id: str, *, commit: bool = True) -> None:
    """Insert `tables` as one dlt load with id `load_id`, committed as dlt commits a load unless `commit` is
    false (a load still running)."""
    for table, rows in tables.items():
        ensure_table(warehouse, table)
        names = [name for name, _, _ in CONTRACT[table]]
        values = ", ".join(
            "(" + ", ".join([_literal(row.get(name)) for name in names] + [f"'{load_id}'", f"'{uuid.uuid4().hex}'"])
            + ")"
            for row in rows
        )
        warehouse.command(f"insert into raw.{table} ({', '.join(names)}, _dlt_load_id, _dlt_id) values {values}")
    if commit:
        for dataset in sorted({table.split("___")[0] for table in tables}):
            commit_load(warehouse, dataset, load_id)

