"""Load synthetic organizations into a fresh warehouse, build every model, and dump each mart per org.

Run as a script in its own process (chDB is one engine per process, so every build needs its own
DEVHEALTH_HOME): `python org_build.py OUT.json ORG_ID:SEED:DAYS [ORG_ID:SEED:DAYS ...]`.
The dump holds `marts`: mart -> org_id -> sorted rows, leaving out `computed_at` (the build's clock) and a keyed
mart's bookkeeping, which the API does not serve either (its `_built_at` and `_rule_hash`, and the
`__recompute_keys`, `__recompute_log` and `__deleted_days` tables beside it);
and `policies`: each org row policy the dbt operation renders for these orgs, with the rows per org its
filter lets through when applied as a WHERE (chDB has no access control to apply the policy itself);
`summaries` and `reports`: per org, its run summary and the data of each chart of the HTML report, and
`report_points`: the data points per org and chart of one report written for all the orgs together.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

# small enough to build in seconds, large enough that every mart has rows
SIZE = {"teams": 2, "people": 6, "repos": 3, "commits_per_day": 6}
BUILD_CLOCK_COLUMNS = {"computed_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        # the same figures summed in another order may differ in the last bits
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def dump_marts(warehouse: Any) -> dict[str, dict[str, list[list[Any]]]]:
    """Every table and view in `marts` with an `org_id` column, its rows grouped by org and sorted.

    Views count: the daily marts are views over their append-only `_versions` tables, and the views are
    what BI reads.
    """
    seeds = {path.stem for path in (Path(__file__).resolve().parents[2] / "seeds").glob("*.csv")}
    tables = [row[0] for row in warehouse.query(
        "select name from system.tables where database = 'marts' and engine != 'MaterializedView' "
        "order by name").rows]
    marts: dict[str, dict[str, list[list[Any]]]] = {}
    for table in tables:
        if table in seeds or table.endswith(("__recompute_keys", "__recompute_log", "__deleted_days")):
            continue
        columns = [row[0] for row in warehouse.query(
            f"select name from system.columns where database = 'marts' and table = '{table}' order by position").rows]
        kept = [column for column in columns if column not in BUILD_CLOCK_COLUMNS and not column.startswith("_")]
        by_org: dict[str, list[list[Any]]] = {}
        if "org_id" in kept:
            for row in warehouse.query(f"select {', '.join(kept)} from marts.{table}").rows:
                record = dict(zip(kept, map(_plain, row), strict=True))
                by_org.setdefault(record["org_id"], []).append([record[c] for c in kept])
        marts[table] = {org: sorted(rows, key=json.dumps) for org, rows in by_org.items()}
    return marts


def policy_rows(warehouse: Any, org_ids: list[str]) -> list[dict[str, Any]]:
    from devhealth.orgs import OrgRef
    from devhealth.row_policies import create_row_policies, org_policies

    statements = create_row_policies([OrgRef(id=org_id, name=org_id) for org_id in org_ids], dry_run=True)
    return [{"table": policy.table, "filter": policy.filter, "role": policy.role,
             "visible": dict(warehouse.query(f"select org_id, count() from {policy.table} "
                                             f"where {policy.filter} group by org_id").rows)}
            for policy in org_policies(statements)]


def summaries_and_reports(warehouse: Any, org_ids: list[str], folder: Path) -> dict[str, Any]:
    """What `devhealth run` shows each org: its summary, and the data behind each chart of its report."""
    from devhealth.report import CHARTS, REPORT_WEEKS, write_report
    from devhealth.report_charts import Window
    from devhealth.summary import latest_week, summarise

    windows = {org_id: Window(latest_week(warehouse, org_id), REPORT_WEEKS) for org_id in org_ids}
    return {
        "summaries": {org_id: _plain(summarise(warehouse, org_id, f"org {org_id}").as_dict()) for org_id in org_ids},
        "reports": {org_id: {name: _plain(json.loads(chart(warehouse, org_id, windows[org_id]).to_json())["data"])
                             for name, chart in CHARTS} for org_id in org_ids},
        "report_points": write_report(warehouse, [(org_id, f"org {org_id}") for org_id in org_ids],
                                      folder / "report.html"),
    }


def main(out: str, *orgs: str) -> None:
    from devhealth import dbt
    from devhealth.extract.synthetic import load_synthetic
    from devhealth.extract.synthetic.generator import SyntheticSpec
    from devhealth.warehouse import Warehouse

    for org in orgs:
        org_id, seed, days = org.split(":")
        load_synthetic(SyntheticSpec(seed=int(seed), days=int(days), org_id=org_id, **SIZE))
    # the models only: their tests run in the suite's own builds, and a duplicated row shows in the comparison
    dbt.build("all", extra=["--exclude-resource-type", "test"])
    warehouse = Warehouse()
    org_ids = [org.split(":")[0] for org in orgs]
    Path(out).write_text(json.dumps({"marts": dump_marts(warehouse), "policies": policy_rows(warehouse, org_ids),
                                     **summaries_and_reports(warehouse, org_ids, Path(out).parent)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
