"""Latency of every Grafana panel query on the marts of a 1,000,000-commit synthetic organization.

The organization is loaded once into bench/.cache (reused while the spec is the same) and the marts are
rebuilt whenever the dbt project changed since they were built. `--commits N` benches a smaller organization
first (default 1,000,000). Each panel runs as the datasource would send it (all teams and repositories, the
whole window), once to warm up and then ROUNDS times. Prints p50 and p95 per panel, then one line overall
with the ratio of p95 to the goal (p95 < 100 ms).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

_parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_parser.add_argument("--commits", type=int, default=1_000_000, help="non-merge commits of the organization")
COMMITS = _parser.parse_args().commits
DAYS = 180
ROUNDS = 20
GOAL_MS = 100.0
ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".cache" / f"panels-{COMMITS}"
# chDB is one engine per process: the home must be fixed before devhealth opens the warehouse
os.environ["DEVHEALTH_HOME"] = str(CACHE)
for variable in ("CLICKHOUSE_URI", "DATABASE_URI", "DATABASE_URL", "DEVHEALTH_DBT_TARGET", "DBT_TARGET"):
    os.environ.pop(variable, None)

from devhealth import dashboards as g  # noqa: E402
from devhealth import dbt  # noqa: E402
from devhealth.extract.synthetic import load_synthetic  # noqa: E402
from devhealth.extract.synthetic.generator import SyntheticSpec, per_day_for_total  # noqa: E402
from devhealth.warehouse import Warehouse  # noqa: E402

SPEC = SyntheticSpec(teams=8, people=160, repos=40, days=DAYS, commits_per_day=per_day_for_total(COMMITS, DAYS))
MARKER = CACHE / "built.json"
PROJECT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds")


def spec_record() -> dict[str, object]:
    return {key: str(value) for key, value in asdict(SPEC).items()}


def project_digest() -> str:
    """Digest of the dbt project's files: the cached marts are stale when it changes."""
    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        root = ROOT / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_marts(warehouse: Warehouse) -> None:
    """Load unless the cache already holds this spec's organization; build unless its marts are current."""
    built = json.loads(MARKER.read_text()) if MARKER.exists() else {}
    digest = project_digest()
    if built.get("spec") == spec_record() and built.get("project") == digest:
        return
    started = time.perf_counter()
    loaded_note = "already loaded"
    if built.get("spec") != spec_record():
        rows = load_synthetic(SPEC)
        loaded_note = f"{rows['git.commits']:,} commits loaded in {time.perf_counter() - started:.0f}s"
        MARKER.write_text(json.dumps({"spec": spec_record(), "project": None}))
    loaded = time.perf_counter()
    # models and seeds: the data tests check the SQL, not the speed of the marts it builds
    result = dbt.invoke(["build", *dbt.WITHOUT_UNIT_TESTS, "--exclude-resource-type", "test"])
    if not result.success:
        raise SystemExit(f"dbt build failed: {dbt.failures(result) or result.exception}")
    print(f"built: {loaded_note}, marts in {time.perf_counter() - loaded:.0f}s", file=sys.stderr)
    MARKER.write_text(json.dumps({"spec": spec_record(), "project": digest}))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    warehouse = Warehouse()
    build_marts(warehouse)
    commits = warehouse.scalar("select sum(commits_count) from marts.repo_metrics_daily "
                               f"where org_id = '{SPEC.org_id}'")
    start = datetime.combine(SPEC.start, datetime.min.time(), UTC)
    window = g.TimeRange(start, start + timedelta(days=DAYS))

    def run(sql: str):
        return warehouse.query(sql).rows

    every: list[float] = []
    per_panel: list[tuple[str, float, float, int]] = []
    for dashboard in g.load_dashboards(ROOT / "grafana" / "dashboards"):
        multi = [v["name"] for v in dashboard["templating"]["list"] if v.get("multi")]
        customs = {v["name"]: g.custom_options(v)[0] for v in dashboard["templating"]["list"] if v["type"] == "custom"}
        selected = {"org": SPEC.org_id, **customs, **{name: [g.ALL] for name in multi}}
        options = g.variable_options(dashboard, selected, window, run)
        interpolator = g.Interpolator(selected, options, g.all_values(dashboard))
        for panel in g.panels(dashboard):
            sql = g.expand(panel.sql, window, interpolator)
            rows = len(run(sql))
            samples = []
            for _ in range(ROUNDS):
                began = time.perf_counter()
                warehouse.query(sql)
                samples.append((time.perf_counter() - began) * 1000)
            every.extend(samples)
            per_panel.append((f"{dashboard['title']} / {panel.title}", percentile(samples, 0.5),
                              percentile(samples, 0.95), rows))
    width = max(len(name) for name, *_ in per_panel)
    for name, p50, p95, rows in per_panel:
        print(f"{name:<{width}}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  rows {rows}")
    p50, p95 = statistics.median(every), percentile(every, 0.95)
    worst = max(per_panel, key=lambda item: item[2])
    print(f"{len(per_panel)} panels x {ROUNDS} runs on {commits:,} non-merge commits: p50 {p50:.1f} ms; "
          f"p95 {p95:.1f} ms; worst panel p95 {worst[2]:.1f} ms ({worst[0]}); "
          f"ratio p95/goal {p95 / GOAL_MS:.2f} (goal p95 < {GOAL_MS:.0f} ms)")


if __name__ == "__main__":
    main()
