"""Time `dbt build` on a large synthetic organization: the full build, the refresh after one new day of data,
and dbt's wall time against the ClickHouse execution time of the queries it sent.

The organization (about 1,000,000 commits over a year) is loaded once into a warehouse kept in bench/.cache.
Each run holds the event rows of the last three weekdays (and the days between) back, builds everything with
--full-refresh (the full build), then puts each day back as a new dlt load and builds again (a refresh: the
large staging tables restage only the keys of the new load, the keyed intermediates recompute only the
commits, pull requests and deployments it touches, the other intermediates are rebuilt, the append-only marts
recompute only the cells whose inputs changed); the refresh figure is the median of the three weekdays'
refreshes, as one refresh swings by a tenth either way. The raw data is left as it was found, but for the
days' new load ids. Both builds leave out dbt's unit tests: they check logic on fixtures, the same at any
scale, and run in `make test` (dbt's advice for production runs). ClickHouse time is the engine's own
`elapsed_ns` of every statement dbt sent. Last, the same two builds run on an empty warehouse (every raw table
created empty): the second one is what any refresh costs before it reads a row, dbt's work per node plus the
engine's DDL and test queries.

By default the run measures two organizations, each in a process of its own (chDB keeps one engine per
process): the anchor (1M commits over 365 days) and one with twice its history at the same daily volume (2M
commits over 730 days), so the new day holds about as many rows in both. It prints one line per size, then
the refresh at 2M over the refresh at 1M: a refresh that costs what the new data costs reads about 1.
--commits/--days measure one size alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

COMMITS = 1_000_000
DAYS = 365
# twice the anchor's history at its daily volume
LONG_COMMITS, LONG_DAYS = 2_000_000, 730
TEAMS, PEOPLE, REPOS = 12, 240, 60
FULL_GOAL_S, REFRESH_GOAL, RATIO_GOAL, HISTORY_GOAL = 60.0, 0.25, 2.0, 1.15
# refreshes measured, each after one new day: the figure is their median
REFRESHES = 3
CACHE = Path(__file__).resolve().parent / ".cache"
# raw event tables and the timestamp that places a row on a day (dbt var raw_event_timestamps)
EVENT_TIMESTAMPS = {
    "git___commits": "authored_at",
    "github___pull_requests": "created_at",
    "github___pr_reviews": "submitted_at",
    "github___pr_commits": "authored_at",
    "events___deployments": "started_at",
    "github___deployments": "started_at",
    "github___ci_runs": "started_at",
    "events___incidents": "opened_at",
    "github___incidents": "opened_at",
    "jira___work_items": "updated_at",
    "jira___work_item_transitions": "transitioned_at",
}


def build_cache(commits: int, days: int) -> Path:
    """A warehouse holding the synthetic organization, built once per size."""
    folder = CACHE / f"dbt-scale-{commits}-{days}"
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    script = (
        "from devhealth.extract.synthetic import load_synthetic, SyntheticSpec\n"
        "from devhealth.extract.synthetic.generator import per_day_for_total\n"
        f"spec = SyntheticSpec(teams={TEAMS}, people={PEOPLE}, repos={REPOS}, days={days}, "
        f"commits_per_day=per_day_for_total({commits}, {days}))\n"
        "print(load_synthetic(spec))\n"
    )
    # chDB is one engine per process: the load runs in its own, on the cache's home
    status = os.spawnve(os.P_WAIT, sys.executable, [sys.executable, "-c", script],
                        {**os.environ, "DEVHEALTH_HOME": str(folder / "home")})
    if status != 0:
        sys.exit(f"loading the synthetic organization failed ({status})")
    (folder / "done").touch()
    return folder


class EngineClock:
    """Sums the engine's elapsed time of every statement sent through any chDB client."""

    def __init__(self) -> None:
        self.elapsed_ns = 0

    def wrap(self, client_class) -> None:
        # at the class: the dbt adapter, the warehouse and any other handle (the API opens several) all count
        for name in ("query", "command"):
            original = getattr(client_class, name)

            def timed(self_, *args, _original=original, **kwargs):
                result = _original(self_, *args, **kwargs)
                summary = getattr(result, "summary", None)
                if isinstance(summary, dict):
                    self.elapsed_ns += int(summary.get("elapsed_ns", 0))
                return result

            setattr(client_class, name, timed)


def timed_build(clock: EngineClock, *extra: str, slowest: int = 0) -> tuple[float, float]:
    from devhealth import dbt

    before = clock.elapsed_ns
    start = time.perf_counter()
    result = dbt.invoke(["build", "--quiet", *dbt.WITHOUT_UNIT_TESTS, *extra])
    wall = time.perf_counter() - start
    if not result.success:
        sys.exit(f"dbt build failed: {dbt.failures(result) or result.exception}")
    if slowest:
        print_slowest(result.result.results, slowest, " ".join(extra) or "refresh")
    return wall, (clock.elapsed_ns - before) / 1e9


def print_slowest(results, count: int, label: str) -> None:
    """Where a build's time went: seconds per resource type, and its slowest nodes."""
    per_type: dict[str, tuple[int, float]] = {}
    for item in results:
        kind = str(item.node.resource_type)
        nodes, seconds = per_type.get(kind, (0, 0.0))
        per_type[kind] = (nodes + 1, seconds + item.execution_time)
    totals = ", ".join(f"{kind} {nodes} nodes {seconds:.1f}s" for kind, (nodes, seconds) in sorted(per_type.items()))
    print(f"[{label}] {totals}", file=sys.stderr)
    for item in sorted(results, key=lambda item: -item.execution_time)[:count]:
        print(f"  {item.execution_time:6.2f}s {item.node.resource_type} {item.node.name}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, help=f"measure one size alone (default {COMMITS:,} with --days)")
    parser.add_argument("--days", type=int, help=f"measure one span alone (default {DAYS} with --commits)")
    parser.add_argument("--slowest", type=int, default=0, metavar="N",
                        help="also print each build's N slowest nodes and its time per resource type (stderr)")
    parser.add_argument("--empty-warehouse", action="store_true", help=argparse.SUPPRESS)
    # a child run of the default two sizes: skips the empty-warehouse builds, writes its figures to a file
    parser.add_argument("--no-empty", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--figures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.empty_warehouse:
        print_empty_warehouse_refresh()
        return
    if args.commits is None and args.days is None:
        compare_histories(args.slowest)
        return
    figures = measure(args.commits or COMMITS, args.days or DAYS, args.slowest, empty=not args.no_empty)
    if args.figures:
        args.figures.write_text(json.dumps(figures))


def compare_histories(slowest: int) -> None:
    """The anchor, then twice its history at the same daily volume, each in a process of its own; prints the
    ratio of their refreshes."""
    refresh = {}
    for commits, days, extra in ((COMMITS, DAYS, []), (LONG_COMMITS, LONG_DAYS, ["--no-empty"])):
        with tempfile.TemporaryDirectory(prefix="devhealth-bench-") as folder:
            figures = Path(folder) / "figures.json"
            done = subprocess.run([sys.executable, __file__, "--commits", str(commits), "--days", str(days),
                                   "--slowest", str(slowest), "--figures", str(figures), *extra])
            if done.returncode != 0:
                sys.exit(f"the benchmark of {commits:,} commits over {days} days failed ({done.returncode})")
            refresh[commits] = json.loads(figures.read_text())["refresh_s"]
    growth = refresh[LONG_COMMITS] / refresh[COMMITS]
    print(f"refresh at {LONG_COMMITS:,} commits over {LONG_DAYS} days {refresh[LONG_COMMITS]:.1f}s / "
          f"at {COMMITS:,} over {DAYS} days {refresh[COMMITS]:.1f}s = {growth:.2f} (goal <= {HISTORY_GOAL})")


def measure(commits: int, days: int, slowest: int, empty: bool) -> dict[str, float]:
    """The full build and the refresh of one size: prints one line, returns their seconds."""
    cache = build_cache(commits, days)
    # chDB's data folder holds absolute links: the build runs in the cache's home, and leaves raw as it was
    os.environ["DEVHEALTH_HOME"] = str(cache / "home")
    from devhealth.warehouse import Warehouse, chdb_client

    warehouse = Warehouse()
    clock = EngineClock()
    clock.wrap(type(chdb_client(warehouse.settings.path)))
    sizes = {name: sum(rows(warehouse, table) for table in tables) for name, tables in (
        ("commits", ["git___commits"]), ("PRs", ["github___pull_requests"]),
        ("deployments", ["github___deployments", "events___deployments"]))}
    # the refreshes measured are those of the last weekdays: a weekend day holds a tenth of a weekday's rows, and
    # the two organizations' histories end on different days of the week
    weekdays = [row[0] for row in warehouse.query(
        "select distinct toDate(authored_at, 'UTC') as day from raw.git___commits "
        f"where toDayOfWeek(day) <= 5 order by day desc limit {REFRESHES}").rows]
    last_day = warehouse.scalar("select max(toDate(authored_at, 'UTC')) from raw.git___commits")
    first_day = min(weekdays)
    hold_back_days(warehouse, first_day)
    refreshes = []
    restored_through = first_day - timedelta(days=1)
    try:
        full_wall, full_engine = timed_build(clock, "--full-refresh", slowest=slowest)
        for offset in range((last_day - first_day).days + 1):
            day = first_day + timedelta(days=offset)
            # the last day's load brings every row still held (a pull request opened after the last commit)
            held = restore_days(warehouse, after=restored_through, through=None if day == last_day else day)
            restored_through = day
            # a weekend day between two of them is built, not counted
            wall, engine = timed_build(clock, slowest=slowest if day in weekdays else 0)
            if day in weekdays:
                refreshes.append((wall, engine, held))
    finally:
        # what a failed build left held (nothing after the last day's load, which drops the side tables)
        restore_days(warehouse, after=restored_through, through=None)
    # the median refresh: one refresh of a busy two-core machine swings by a tenth either way
    refresh_wall, refresh_engine, held = sorted(refreshes)[len(refreshes) // 2]
    samples = ", ".join(f"{wall:.1f}" for wall, _engine, _held in refreshes)
    ratio = (full_wall + refresh_wall) / (full_engine + refresh_engine)
    fixed = ""
    if empty:
        fixed_wall, fixed_engine = empty_warehouse_refresh()
        fixed = (f"; the refresh on an empty warehouse {fixed_wall:.1f}s ({fixed_engine:.1f}s in ClickHouse) = "
                 f"{fixed_wall / full_wall:.0%} of full")
    print(
        f"{sizes['commits']:,} commits, {sizes['PRs']:,} PRs, {sizes['deployments']:,} deployments; "
        f"full build {full_wall:.1f}s (goal < {FULL_GOAL_S:.0f}s); "
        f"refresh after one new day ({held} rows), the median of the last {REFRESHES} weekdays' ({samples}s), "
        f"{refresh_wall:.1f}s = {refresh_wall / full_wall:.0%} of full "
        f"(goal <= {REFRESH_GOAL:.0%}); "
        f"dbt wall / ClickHouse time {full_wall + refresh_wall:.1f}s / {full_engine + refresh_engine:.1f}s; "
        f"ratio {ratio:.2f} (goal <= {RATIO_GOAL:.0f}){fixed}",
        flush=True,
    )
    return {"full_s": full_wall, "refresh_s": refresh_wall}


def empty_warehouse_refresh() -> tuple[float, float]:
    """Wall and engine seconds of a refresh with no rows to read, in a fresh process (chDB keeps one
    engine per process) on a throwaway warehouse."""
    with tempfile.TemporaryDirectory(prefix="devhealth-empty-") as home:
        done = subprocess.run([sys.executable, __file__, "--empty-warehouse"], capture_output=True, text=True,
                              env={**os.environ, "DEVHEALTH_HOME": home})
    if done.returncode != 0:
        sys.exit(f"the build on an empty warehouse failed: {done.stderr.strip().splitlines()[-1:]}")
    wall, engine = done.stdout.split()[-2:]
    return float(wall), float(engine)


def print_empty_warehouse_refresh() -> None:
    """Build the empty warehouse once, then print the second build's wall and engine seconds."""
    from devhealth.warehouse import Warehouse, chdb_client

    clock = EngineClock()
    clock.wrap(type(chdb_client(Warehouse().settings.path)))
    timed_build(clock, "--full-refresh")
    wall, engine = timed_build(clock)
    print(f"{wall:.3f} {engine:.3f}")


def rows(warehouse, table: str) -> int:
    """Rows of raw.`table`, 0 when no source created it."""
    if not warehouse.scalar(f"select count() from system.tables where database = 'raw' and name = '{table}'"):
        return 0
    return warehouse.scalar(f"select count() from raw.{table}")


def hold_back_days(warehouse, first_day) -> int:
    """Move the event rows from `first_day` on to side tables: the warehouse as it stood the day before."""
    held = 0
    day = first_day.isoformat()
    for table, column in EVENT_TIMESTAMPS.items():
        if not rows(warehouse, table):
            continue
        warehouse.command(f"create table raw.bench_{table} engine = MergeTree order by tuple() as "
                          f"select * from raw.{table} where toDate({column}, 'UTC') >= '{day}'")
        held += warehouse.scalar(f"select count() from raw.bench_{table}")
        warehouse.command(f"alter table raw.{table} delete where toDate({column}, 'UTC') >= '{day}' "
                          "settings mutations_sync = 2")
    return held


def restore_days(warehouse, after, through) -> int:
    """Put the held-back rows of the days after `after` up to `through` back as one new dlt load, as the next
    day's sync would deliver them; `through` None: every day after, and the side tables are dropped. Returns the
    rows put back."""
    load_id = f"{time.time():.6f}"
    datasets = set()
    restored = 0
    for table, column in EVENT_TIMESTAMPS.items():
        exists = warehouse.scalar(
            f"select count() from system.tables where database = 'raw' and name = 'bench_{table}'")
        if not exists:
            continue
        bounds = [f"toDate({column}, 'UTC') > '{after.isoformat()}'"]
        if through is not None:
            bounds.append(f"toDate({column}, 'UTC') <= '{through.isoformat()}'")
        days = " and ".join(bounds)
        # the build may have added contract columns to the raw table since: insert by name
        columns = ", ".join(f"`{row[0]}`" for row in warehouse.query(
            f"select name from system.columns where database = 'raw' and table = 'bench_{table}'").rows)
        count = warehouse.scalar(f"select count() from raw.bench_{table} where {days}")
        if count:
            warehouse.command(f"insert into raw.{table} ({columns}) select * replace ('{load_id}' as _dlt_load_id) "
                              f"from (select {columns} from raw.bench_{table} where {days})")
            datasets.add(table.split("___")[0])
            restored += count
        if through is None:
            warehouse.command(f"drop table raw.bench_{table}")
    # as dlt completes a load: staging restages the loads committed since it last ran
    for dataset in sorted(datasets):
        warehouse.command(f"insert into raw.{dataset}____dlt_loads (load_id, schema_name, status, inserted_at) "
                          f"values ('{load_id}', '{dataset}', 0, now64(6, 'UTC'))")
    return restored


if __name__ == "__main__":
    main()
