"""Fingerprints of every staging, intermediate and mart table, to prove a refactoring changed no row.

    DEVHEALTH_HOME=before .venv/bin/python tests/dbt_models/model_fingerprints.py > before.json
    DEVHEALTH_HOME=after .venv/bin/python tests/dbt_models/model_fingerprints.py > after.json
    .venv/bin/python tests/dbt_models/model_fingerprints.py --compare before.json after.json

Per table: its columns with their types, its row count, and a hash of its rows sorted (so the order
a build wrote them in does not matter). Columns that record when something ran (load ids, build and
extraction times, an organization's creation) differ between any two builds, so they are left out of the
hash, not the types.
"""

from __future__ import annotations

import json
import re
import sys

from devhealth.warehouse import Warehouse

LAYERS = ("staging", "intermediate", "marts")
VOLATILE = re.compile(
    r"^(_dlt_load_id|_dlt_id|latest_load_id|extracted_at|.*computed_at|.*loaded_at|_?built_at|_staged_at)$")
# an organization's row records when `devhealth run` created it in the semantic layer
ORG_CREATED = {"created_at"}


def fingerprints() -> dict[str, dict[str, object]]:
    warehouse = Warehouse()
    result: dict[str, dict[str, object]] = {}
    tables = warehouse.query(
        "select database, name from system.tables where database in ('staging', 'intermediate', 'marts') "
        # grain_checks records when each grain test passed: a build's, never the models'
        "and not startsWith(name, '.inner') and not (database = 'intermediate' and name = 'grain_checks') "
        "order by database, name").rows
    for database, table in tables:
        columns = warehouse.query(
            f"select name, type from system.columns where database = '{database}' and table = '{table}' "
            "order by position").rows
        # arrays built by groupArray hold their elements in the order the build read them: sorted, they compare
        hashed = [f"arraySort(`{name}`)" if kind.startswith("Array(") else f"`{name}`" for name, kind in columns
                  if not VOLATILE.match(name) and not ("organizations" in table and name in ORG_CREATED)]
        count, digest = warehouse.query(
            f"select count(), toString(cityHash64(arraySort(groupArray(cityHash64({', '.join(hashed)}))))) "
            f"from `{database}`.`{table}`").rows[0]
        result[f"{database}.{table}"] = {"columns": [f"{name} {kind}" for name, kind in columns],
                                         "rows": int(count), "hash": digest}
    return result


def compare(before_path: str, after_path: str) -> int:
    with open(before_path, encoding="utf-8") as before_file, open(after_path, encoding="utf-8") as after_file:
        before, after = json.load(before_file), json.load(after_file)
    differences = 0
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            differences += 1
            print(f"differs: {table}\n  before: {before.get(table)}\n  after:  {after.get(table)}")
    rows = sum(int(table["rows"]) for table in after.values())
    print(f"{len(after)} tables, {rows} rows; {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    json.dump(fingerprints(), sys.stdout, indent=1, sort_keys=True)
