"""Arrow shapes of the synthetic organization's tables and the batching that streams them to dlt."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import dlt
import pyarrow as pa

from devhealth.extract.raw_contract import arrow_schema
from devhealth.extract.synthetic.generator import DayActivity, Row

# the synthetic organization loads the datasets of the providers it imitates, in their contract shapes
# (src/devhealth/extract/raw_contract.yml): commits and commit files as a git clone loads them, teams as the
# team sync does
_DATASETS = {"commits": "git", "commit_files": "git", "teams": "semantic", "team_members": "semantic",
             "identities": "semantic"}
SCHEMAS: dict[str, pa.Schema] = {
    name: arrow_schema(name, _DATASETS.get(name, "github"))
    for name in ("commits", "commit_files", "repositories", "pull_requests", "pr_reviews", "pr_commits", "ci_runs",
                 "deployments", "incidents", "work_items", "work_item_transitions", "teams", "team_members",
                 "identities")
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
