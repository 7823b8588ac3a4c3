"""Load synthetic organizations into a fresh warehouse, build every model, and dump each mart per org.

Run as a script in its own process (chDB is one engine per process, so every build needs its own
DEVHEALTH_HOME): `python org_build.py OUT.json ORG_ID:SEED:DAYS [ORG_ID:SEED:DAYS ...]`.
The dump maps `mart -> org_id -> sorted rows`, leaving out `computed_at` (the build's clock).
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
    return value


def dump_marts(warehouse: Any) -> dict[str, dict[str, list[list[Any]]]]:
    """Every table in `marts` with an `org_id` column, its rows grouped by org and sorted."""
    seeds = {path.stem for path in (Path(__file__).resolve().parents[2] / "seeds").glob("*.csv")}
    tables = [row[0] for row in warehouse.query(
        "select name from system.tables where database = 'marts' and engine not like '%View' order by name").rows]
    marts: dict[str, dict[str, list[list[Any]]]] = {}
    for table in tables:
        if table in seeds:
            continue
        columns = [row[0] for row in warehouse.query(
            f"select name from system.columns where database = 'marts' and table = '{table}' order by position").rows]
        kept = [column for column in columns if column not in BUILD_CLOCK_COLUMNS]
        by_org: dict[str, list[list[Any]]] = {}
        if "org_id" in kept:
            for row in warehouse.query(f"select {', '.join(kept)} from marts.{table}").rows:
                record = dict(zip(kept, map(_plain, row), strict=True))
                by_org.setdefault(record["org_id"], []).append([record[c] for c in kept])
        marts[table] = {org: sorted(rows, key=json.dumps) for org, rows in by_org.items()}
    return marts


def main(out: str, *orgs: str) -> None:
    from devhealth import dbt
    from devhealth.extract.synthetic import load_synthetic
    from devhealth.extract.synthetic.generator import SyntheticSpec
    from devhealth.warehouse import Warehouse

    for org in orgs:
        org_id, seed, days = org.split(":")
        load_synthetic(SyntheticSpec(seed=int(seed), days=int(days), org_id=org_id, **SIZE))
    # the models only: their tests run in the suite's own builds, and a duplicated row shows in the comparison
    dbt.build("all", extra=["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"])
    Path(out).write_text(json.dumps(dump_marts(Warehouse())))


if __name__ == "__main__":
    main(*sys.argv[1:])
