"""Arrow shapes of the synthetic organization's tables and the batching that streams them to dlt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import dlt
import pyarrow as pa

from devhealth.extract.git.helpers import COMMIT_SCHEMA, FILE_SCHEMA
from devhealth.extract.synthetic.generator import DayActivity, Row

_TS = pa.timestamp("us", "UTC")
_STR = pa.string()
_INT = pa.int64()


def _key(name: str, kind: pa.DataType = _STR) -> pa.Field:
    # key columns are NOT NULL in ClickHouse, so they are in Arrow too
    return pa.field(name, kind, nullable=False)


SCHEMAS: dict[str, pa.Schema] = {
    "commits": COMMIT_SCHEMA,
    "commit_files": FILE_SCHEMA,
    "repositories": pa.schema([_key("org_id"), _key("repo_id"), ("provider", _STR), ("repo_name", _STR),
                               ("default_branch", _STR), ("created_at", _TS), ("updated_at", _TS)]),
    "pull_requests": pa.schema([
        _key("org_id"), _key("repo_id"), _key("pr_number", _INT), ("provider", _STR), ("pr_id", _INT),
        ("repo_name", _STR), ("title", _STR), ("author_login", _STR), ("author_email", _STR), ("state", _STR),
        ("created_at", _TS), ("updated_at", _TS), ("merged_at", _TS), ("closed_at", _TS), ("additions", _INT),
        ("deletions", _INT), ("changed_files", _INT), ("base_branch", _STR), ("head_sha", _STR),
        ("merge_commit_sha", _STR), ("requested_reviewers", _STR)]),
    "pr_reviews": pa.schema([_key("org_id"), _key("repo_id"), _key("pr_number", _INT), _key("review_id", _INT),
                             ("provider", _STR), ("reviewer_login", _STR), ("reviewer_email", _STR),
                             ("state", _STR), ("submitted_at", _TS)]),
    "pr_commits": pa.schema([_key("org_id"), _key("repo_id"), _key("pr_number", _INT), _key("sha"),
                             ("provider", _STR), ("author_email", _STR), ("authored_at", _TS)]),
    "ci_runs": pa.schema([_key("org_id"), _key("repo_id"), _key("run_id", _INT), ("provider", _STR),
                          ("pipeline_name", _STR), ("head_sha", _STR), ("branch", _STR), ("status", _STR),
                          ("conclusion", _STR), ("started_at", _TS), ("finished_at", _TS), ("created_at", _TS),
                          ("run_attempt", _INT)]),
    "deployments": pa.schema([_key("org_id"), _key("repo_id"), _key("deployment_id"), ("provider", _STR),
                              ("repo_name", _STR), ("environment", _STR), ("status", _STR), ("sha", _STR),
                              ("shas", _STR), ("started_at", _TS), ("finished_at", _TS)]),
    "incidents": pa.schema([_key("org_id"), _key("provider"), _key("incident_id"), ("repo_name", _STR),
                            ("repo_id", _STR), ("title", _STR), ("severity", _STR), ("opened_at", _TS),
                            ("resolved_at", _TS), ("caused_by_deployment_id", _STR), ("labels", _STR)]),
    "work_items": pa.schema([
        _key("org_id"), _key("provider"), _key("work_item_id"), ("work_item_key", _STR), ("project", _STR),
        ("repo_id", _STR), ("title", _STR), ("work_item_type", _STR), ("status", _STR),
        ("status_category", _STR), ("assignee_email", _STR), ("story_points", _INT), ("labels", _STR),
        ("created_at", _TS), ("updated_at", _TS), ("resolved_at", _TS)]),
    "work_item_transitions": pa.schema([
        _key("org_id"), _key("provider"), _key("work_item_id"), _key("transitioned_at", _TS), _key("to_status"),
        ("from_status", _STR), ("from_category", _STR), ("to_category", _STR), ("author_email", _STR)]),
    "teams": pa.schema([_key("org_id"), _key("team_id"), ("team_name", _STR), ("repo_patterns", _STR),
                        ("work_scopes", _STR)]),
    "team_members": pa.schema([_key("org_id"), _key("team_id"), _key("person_id")]),
    "identities": pa.schema([_key("org_id"), _key("provider"), _key("identity"), ("person_id", _STR),
                             ("primary_email", _STR), ("display_name", _STR)]),
}
# the raw contract's natural keys: what staging deduplicates on
PRIMARY_KEYS: dict[str, list[str]] = {
    name: [column.name for column in schema if not column.nullable] for name, schema in SCHEMAS.items()
}


def as_table(name: str, rows: list[Row]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def marked(name: str, rows: list[Row]) -> object:
    """Rows as an Arrow table addressed to raw table `name` with its key, from a resource that fills several."""
    hints = dlt.mark.make_hints(table_name=name, primary_key=PRIMARY_KEYS[name], write_disposition="append")
    return dlt.mark.with_hints(as_table(name, rows), hints, create_table_variant=True)


def batched(days: Iterable[DayActivity], tables: list[str], batch_rows: int) -> Iterator[object]:
    """Arrow tables per raw table, flushed whenever the largest one holds `batch_rows` rows."""
    pending: dict[str, list[Row]] = {name: [] for name in tables}
    for activity in days:
        for name in tables:
            pending[name].extend(activity.rows(name))
        if max(len(rows) for rows in pending.values()) >= batch_rows:
            yield from _flush(pending)
    yield from _flush(pending)


def _flush(pending: dict[str, list[Row]]) -> Iterator[object]:
    for name, rows in pending.items():
        if rows:
            yield marked(name, rows)
            pending[name] = []
