"""Column hints for the raw contract's shared tables (docs/raw_contract.md), used by every source.

Hints matter where a value can be absent in a whole load (a provider that never sends author
emails, a run not finished yet): without one dlt would not create the column at all.
"""

from __future__ import annotations

from typing import Any

TIMESTAMP: dict[str, Any] = {"data_type": "timestamp", "timezone": True, "nullable": True}
TEXT: dict[str, Any] = {"data_type": "text", "nullable": True}
BIGINT: dict[str, Any] = {"data_type": "bigint", "nullable": True}
DOUBLE: dict[str, Any] = {"data_type": "double", "nullable": True}


def _hints(timestamps: tuple[str, ...] = (), texts: tuple[str, ...] = (), bigints: tuple[str, ...] = (),
           doubles: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    # a dict per column: dlt writes each column's name into its hint, so shared dicts would collide
    return ({name: {**TIMESTAMP} for name in timestamps} | {name: {**TEXT} for name in texts}
            | {name: {**BIGINT} for name in bigints} | {name: {**DOUBLE} for name in doubles})


REPOSITORIES = _hints(("created_at", "updated_at"), ("default_branch",))
PULL_REQUESTS = _hints(("created_at", "updated_at", "merged_at", "closed_at"),
                       ("title", "author_login", "author_email", "base_branch", "head_sha", "merge_commit_sha",
                        "requested_reviewers"),
                       ("additions", "deletions", "changed_files"))
PR_REVIEWS = _hints(("submitted_at",), ("reviewer_login", "reviewer_email"))
PR_COMMITS = _hints(("authored_at",), ("author_email",))
CI_RUNS = _hints(("started_at", "finished_at", "updated_at"), ("pipeline_name", "head_sha", "branch", "conclusion"))
# GitHub workflow runs also carry their creation time and attempt number, which give their queue time
GITHUB_CI_RUNS = CI_RUNS | _hints(("created_at",), bigints=("run_attempt",))
DEPLOYMENTS = _hints(("started_at", "finished_at", "updated_at"),
                     ("environment", "sha", "shas", "repo_name", "deployer_login"))
RELEASES = _hints(("published_at",), ("tag_name",))
INCIDENTS = _hints(("opened_at", "resolved_at", "updated_at"),
                   ("repo_name", "repo_id", "title", "severity", "caused_by_deployment_id", "caused_by_sha", "labels"))
WORK_ITEMS = _hints(("created_at", "updated_at", "resolved_at"),
                    ("work_item_key", "project", "repo_id", "title", "work_item_type", "status", "status_category",
                     "assignee_email", "labels"),
                    doubles=("story_points",))
WORK_ITEM_TRANSITIONS = {
    **_hints(texts=("work_item_key", "from_status", "from_category", "to_category", "author_email")),
    # part of the key, and ClickHouse sorts on the key, which may not be nullable
    "transitioned_at": {"data_type": "timestamp", "timezone": True, "nullable": False},
}
# GitHub and GitLab commits (docs/raw_contract.md): the git source's shape plus provider, author_login and line totals
COMMITS = {
    **_hints(("authored_at", "committed_at"),
             ("repo_name", "parent_shas", "author_name", "author_email", "author_login", "committer_name",
              "committer_email", "message_subject"),
             ("author_tz_offset_minutes", "message_length", "lines_added", "lines_deleted")),
    "is_merge": {"data_type": "bool", "nullable": True},
}
COMMIT_FILES = {
    **_hints(texts=("old_path", "change_type"), bigints=("lines_added", "lines_deleted")),
    "is_binary": {"data_type": "bool", "nullable": True},
}
CHANGES = _hints(("created_at",), ("author_email", "repo_id"))
