"""Latency and throughput of `devhealth api` on a large synthetic organization, against a direct query.

The organization (about 1,000,000 commits over a year by default; `--commits` for another size) is loaded
and built once into bench/.cache, or adopted from a copy of a warehouse bench/dbt_scale.py built
(`--warehouse`). For a dashboard-sized request on every REST resource, and two GraphQL queries, p50 and p95
over sequential calls through the HTTP server (API key check, rate-limit bookkeeping, JSON) are set against
the same SQL run directly on the engine; then 16 clients call the server's REST resources at once for a
bounded time, against the same queries run directly for the same time, on one thread and on as many as the
server queries with (the ratio takes the better). The direct runs happen in their own process before the
server starts (chDB is one engine per process, so the server and the anchor cannot share a data folder at
once). Prints one line per request, then one line of throughput ending in the ratio, the load average and
the goals.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

COMMITS, DAYS = 1_000_000, 365
TEAMS, PEOPLE, REPOS = 12, 240, 60
CLIENTS, CALLS = 16, 100  # 100 calls: a p95 that is not just the second-worst of a few
P95_GOAL_MS = 100.0
CACHE = Path(__file__).resolve().parent / ".cache"
ORG = "bench"
GRAPHQL = ("{ dimTeams(first: 100%s) { rows { teamId repositories { repoId repoName "
           "doraWeeks(from: \"%s\") { periodStart deploymentsCount leadTimeMedianHours } } } } }")


def requests(ctx: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, mart, query parameters) of the requests a dashboard makes, on the data's last weeks: at least
    one on each REST resource."""
    from devhealth.api.resources import RESOURCES

    last = date.fromisoformat(ctx["last_day"])

    def days(n: int) -> str:
        return (last - timedelta(days=n)).isoformat()

    calls = [
        ("dora daily, org, 30 days", "dora_metrics_daily", {"scope": "org", "from": days(30)}),
        ("dora weekly, org, 12 weeks", "dora_metrics_weekly", {"scope": "org", "from": days(84)}),
        ("dora monthly, team", "dora_metrics_monthly", {"team": ctx["team"]}),
        ("dora trailing, team", "dora_metrics_trailing_4_weeks", {"team": ctx["team"], "from": days(84)}),
        ("repo daily, 30 days", "repo_metrics_daily", {"repo": ctx["repo"], "from": days(30)}),
        ("repo daily, team, 30 days", "repo_metrics_daily", {"team": ctx["team"], "from": days(30), "limit": 1000}),
        ("repo monthly, team", "repo_metrics_monthly", {"team": ctx["team"], "limit": 1000}),
        ("user daily, repo, 30 days", "user_metrics_daily", {"repo": ctx["repo"], "from": days(30), "limit": 1000}),
        ("user monthly, repo, 6 months", "user_metrics_monthly", {"repo": ctx["repo"], "from": days(183),
                                                                  "limit": 1000}),
        ("team daily, 30 days", "team_metrics_daily", {"team": ctx["team"], "from": days(30)}),
        ("team monthly", "team_metrics_monthly", {"team": ctx["team"]}),
        ("work item daily, 30 days", "work_item_metrics_daily", {"from": days(30), "limit": 1000}),
        ("work item monthly, team", "work_item_metrics_monthly", {"team": ctx["team"]}),
        ("PR cycle, repo, 30 days", "pr_cycle_breakdown", {"repo": ctx["repo"], "from": days(30), "limit": 500}),
        ("PR cycle daily, team, 30 days", "pr_cycle_breakdown_daily", {"team": ctx["team"], "from": days(30),
                                                                        "limit": 1000}),
        ("deployments, 30 days", "fct_deployments", {"from": days(30), "limit": 500}),
        ("work items, team", "fct_work_items", {"team": ctx["team"], "limit": 100}),
        ("hotspots, repo", "file_hotspots", {"repo": ctx["repo"], "limit": 100}),
        ("investment, 6 months", "investment_breakdown_monthly", {"from": days(183)}),
        ("state flow, 6 months", "work_item_state_flow", {"from": days(183), "limit": 1000}),
        ("CI pipelines, team, 30 days", "ci_pipeline_metrics_daily", {"team": ctx["team"], "from": days(30),
                                                                      "limit": 1000}),
        ("deployments daily, repo, 30 days", "deployment_metrics_daily", {"repo": ctx["repo"], "from": days(30)}),
        ("developer activity, 6 months", "developer_activity_monthly", {"from": days(183), "limit": 1000}),
        ("repos", "dim_repos", {"limit": 1000}),
        ("people", "dim_people", {"limit": 1000}),
        ("teams", "dim_teams", {}),
        ("team repos, team", "dim_team_repos", {"team": ctx["team"]}),
    ]
    missing = {resource.mart for resource in RESOURCES} - {mart for _, mart, _ in calls}
    if missing:
        sys.exit(f"bench/api.py calls no request on {', '.join(sorted(missing))}: add one to requests()")
    return calls


def build_stage(commits: int, days: int) -> None:
    """In the cache's home: the organization in the semantic layer, its synthetic data, every mart."""
    from devhealth import dbt
    from devhealth.extract.synthetic import load_synthetic
    from devhealth.extract.synthetic.generator import SyntheticSpec, per_day_for_total
    from devhealth.orgs import org_key
    from devhealth.semantic_db import db, migrate
    from devhealth.semantic_db.services import organizations

    migrate.upgrade(db.database_uri())
    with db.admin_session() as session:
        org = organizations.get_or_create_organization(session, ORG)
    load_synthetic(SyntheticSpec(teams=TEAMS, people=PEOPLE, repos=REPOS, days=days, org_id=org_key(org.id),
                                 commits_per_day=per_day_for_total(commits, days)))
    dbt.build("all", extra=["--exclude-resource-type", "test"])


def adopt_stage(days: int) -> None:
    """In the cache's home, on a copied warehouse: the organization in the semantic layer, the copied rows
    moved to its org_id, every model rebuilt from them by this checkout's dbt project."""
    from devhealth import dbt
    from devhealth.orgs import org_key
    from devhealth.semantic_db import db, migrate
    from devhealth.semantic_db.services import organizations
    from devhealth.settings import DEFAULT_ORG_ID, clickhouse_settings
    from devhealth.warehouse import chdb_client

    migrate.upgrade(db.database_uri())
    with db.admin_session() as session:
        org = organizations.get_or_create_organization(session, ORG)
    client = chdb_client(clickhouse_settings().path)
    tables = [name for (name,) in client.query("select table from system.columns where database = 'raw' "
                                               "and name = 'org_id' and table in (select name from system.tables "
                                               "where database = 'raw' and engine like '%MergeTree') "
                                               "order by table").result_rows]
    for name in tables:
        # org_id is in every raw table's sorting key, which ALTER UPDATE may not touch: copy, then swap
        moved = f"raw.`{name}__org`"
        others = client.query(f"select count() from raw.`{name}` where org_id != {{old:String}}",
                              parameters={"old": DEFAULT_ORG_ID}).result_rows[0][0]
        if others:
            sys.exit(f"raw.{name}: rows of another org than {DEFAULT_ORG_ID}; is this a dbt_scale warehouse?")
        client.command(f"drop table if exists {moved}")
        client.command(f"create table {moved} as raw.`{name}`")
        client.command(f"insert into {moved} select * replace ({{org:String}} as org_id) from raw.`{name}`",
                       parameters={"org": org_key(org.id)})
        client.command(f"exchange tables {moved} and raw.`{name}`")
        client.command(f"drop table {moved}")
    dbt.build("all", extra=["--full-refresh", "--exclude-resource-type", "test"])


def direct_stage(org_id: str, seconds: float) -> None:
    """Print the requests' context and the direct queries' timings, as JSON."""
    from devhealth.api.app import load_catalog
    from devhealth.api.engine import MartReader
    from devhealth.api.query import PageRequest, page_query

    reader = MartReader()
    catalog = load_catalog(reader)

    def scalar(sql: str) -> str:
        return str(reader.query_sync(sql, {"org": org_id}).rows[0][0])

    ctx = {"org_id": org_id, "commits": scalar("select count() from raw.git___commits where org_id = {org:String}"),
           "last_day": scalar("select max(day) from marts.repo_metrics_daily where org_id = {org:String}"),
           "repo": scalar("select repo_id from marts.repo_metrics_daily where org_id = {org:String} "
                          "group by repo_id order by sum(commits_count) desc limit 1"),
           "team": scalar("select team_id from marts.dim_team_repos where org_id = {org:String} "
                          "group by team_id order by count() desc, team_id limit 1")}
    queries = []
    for label, mart, params in requests(ctx):
        page = PageRequest(org_id=org_id, team=params.get("team"), repo=params.get("repo"), scope=params.get("scope"),
                           date_from=date.fromisoformat(params["from"]) if "from" in params else None,
                           limit=params.get("limit", 100))
        sql, parameters, _ = page_query(catalog[mart], page)
        queries.append((label, sql, parameters))
    timings: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for label, sql, parameters in queries:
        reader.query_sync(sql, parameters)
        timings[label] = []
        for _ in range(CALLS):
            start = time.perf_counter()
            result = reader.query_sync(sql, parameters)
            timings[label].append(time.perf_counter() - start)
        rows[label] = len(result.rows)
    serial = loop_for(seconds, 1, lambda i: reader.query_sync(*queries[i % len(queries)][1:]))
    # as the server runs them: on as many threads as it has, each with its own chDB client
    concurrent = loop_for(seconds, reader.workers, lambda i: reader.query_sync(*queries[i % len(queries)][1:]))
    print(json.dumps({"ctx": ctx, "timings": timings, "rows": rows, "throughput": concurrent,
                      "serial_throughput": serial, "workers": reader.workers}))


def loop_for(seconds: float, threads: int, call: Any) -> float:
    """Calls per second of `call(i)` from `threads` threads for `seconds` (each thread starts at its own i)."""
    done = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(offset: int) -> None:
        nonlocal done
        i = offset
        while time.monotonic() < stop:
            call(i)
            i += 1
            with lock:
                done += 1

    elapsed = run_threads(threads, run)  # before reading `done`, which the threads are still counting
    return done / elapsed


def run_threads(count: int, target: Callable[[int], None]) -> float:
    """Runs `target(n)` for each n below `count`, each on a thread of its own; the seconds until all have ended."""
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ensure_cache(commits: int, days: int, warehouse: Path | None) -> Path:
    """The cache's home, built once: from scratch, or from a copy of `warehouse` (left untouched)."""
    home = CACHE / f"api-{commits}-{days}" / "home"
    if not (home.parent / "done").exists():
        home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DEVHEALTH_HOME": str(home)}
        if warehouse is not None:
            if not (warehouse / "clickhouse").is_dir():
                sys.exit(f"--warehouse {warehouse}: no clickhouse folder in it (give a cache's home folder)")
            print(f"copying {warehouse} into {home.parent} (once)", file=sys.stderr)
            shutil.rmtree(home / "clickhouse", ignore_errors=True)
            shutil.copytree(warehouse / "clickhouse", home / "clickhouse", symlinks=True)
            subprocess.run([sys.executable, __file__, "--adopt-stage", "--days", str(days)], env=env, check=True)
        else:
            print(f"building the {commits:,}-commit organization in {home.parent} (once)", file=sys.stderr)
            subprocess.run([sys.executable, __file__, "--build-stage", "--commits", str(commits), "--days",
                            str(days)], env=env, check=True)
        (home.parent / "done").touch()
    return home


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=COMMITS)
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--seconds", type=float, default=15.0, help="how long the concurrent run lasts")
    parser.add_argument("--warehouse", type=Path, help="the home of a built warehouse of the same size (such as "
                        "bench/.cache/dbt-scale-1000000-365/home) to copy rather than loading the organization")
    parser.add_argument("--build-stage", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--adopt-stage", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--direct-stage", metavar="ORG_ID", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_stage:
        build_stage(args.commits, args.days)
        return
    if args.adopt_stage:
        adopt_stage(args.days)
        return
    if args.direct_stage:
        direct_stage(args.direct_stage, args.seconds)
        return

    home = ensure_cache(args.commits, args.days, args.warehouse)
    env = {**os.environ, "DEVHEALTH_HOME": str(home)}
    for variable in ("CLICKHOUSE_URI", "POSTGRES_URI", "DATABASE_URI", "DATABASE_URL"):
        env.pop(variable, None)
    os.environ.clear()
    os.environ.update(env)
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import api_keys, organizations

    with db.admin_session() as session:
        org = organizations.require_organization(session, ORG)
        key = api_keys.create_api_key(session, org.id, "bench", ["metrics:read"]).key
    direct = json.loads(subprocess.run([sys.executable, __file__, "--direct-stage", str(org.id), "--seconds",
                                        str(args.seconds)], env=env, check=True, capture_output=True,
                                       text=True).stdout)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "devhealth.cli", "api", "--port", str(port), "--log-level",
                               "warning"], env=env)
    try:
        report(f"http://127.0.0.1:{port}", key, direct, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(base: str, key: str, direct: dict[str, Any], seconds: float) -> None:
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    client = httpx.Client(base_url=base, headers=headers, timeout=30)
    deadline = time.monotonic() + 300
    while True:
        try:
            client.get("/v1/dim_repos", params={"limit": 1}).raise_for_status()
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                sys.exit("the API server did not start")
            time.sleep(0.5)
    calls = [(label, "GET", f"/v1/{mart}", params) for label, mart, params in requests(direct["ctx"])]
    first_week = (date.fromisoformat(direct["ctx"]["last_day"]) - timedelta(days=84)).isoformat()
    team = json.dumps(direct["ctx"]["team"])
    calls.append(("graphql a team's repos' dora weeks", "POST", "/graphql",
                  {"query": GRAPHQL % (f", team: {team}", first_week)}))
    # every team's repositories: the whole organization, larger than a dashboard's panel
    calls.append(("graphql every team's repos' dora weeks", "POST", "/graphql", {"query": GRAPHQL % ("", first_week)}))

    def call(http: httpx.Client, method: str, path: str, params: dict[str, Any]) -> httpx.Response:
        if method == "POST":
            return http.post(path, json=params)
        return http.get(path, params=params)

    print(f"{int(direct['ctx']['commits']):,} commits; p50/p95 over {CALLS} sequential calls each; "
          f"load average {os.getloadavg()[0]:.1f}")
    worst_p95 = 0.0
    for label, method, path, params in calls:
        call(client, method, path, params).raise_for_status()
        times = []
        for _ in range(CALLS):
            start = time.perf_counter()
            answer = call(client, method, path, params)
            times.append(time.perf_counter() - start)
            answer.raise_for_status()
        p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
        if "every team" not in label:
            worst_p95 = max(worst_p95, p95)
        anchor = direct["timings"].get(label)
        versus = "no direct anchor (three batched queries)"
        if anchor:
            d50, d95 = percentile(anchor, 0.5) * 1000, percentile(anchor, 0.95) * 1000
            versus = (f"direct p50 {d50:.1f} ms p95 {d95:.1f} ms ({direct['rows'][label]} rows); "
                      f"ratio p50 {p50 / d50:.2f}")
        print(f"{label}: api p50 {p50:.1f} ms p95 {p95:.1f} ms; {versus}")

    # the same REST requests the direct queries cycle through (GraphQL has no direct twin)
    rest = [call for call in calls if call[1] == "GET"]
    done, errors, latencies = 0, 0, []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client_loop(offset: int) -> None:
        nonlocal done, errors
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            i = offset
            while time.monotonic() < stop:
                _, method, path, params = rest[i % len(rest)]
                start = time.perf_counter()
                try:
                    ok = call(http, method, path, params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    done += ok
                    errors += not ok
                    latencies.append(elapsed)
                i += 1

    elapsed = run_threads(CLIENTS, client_loop)
    rate = done / elapsed
    # on a busy machine one thread can outrun several: the anchor is whichever did better
    anchor = max(direct["throughput"], direct["serial_throughput"])
    print(f"{CLIENTS} clients for {elapsed:.0f}s: {rate:.0f} req/s, {errors} errors, p95 under load "
          f"{percentile(latencies, 0.95) * 1000:.0f} ms; direct queries {direct['throughput']:.0f}/s on "
          f"{direct['workers']} threads as the server's, {direct['serial_throughput']:.0f}/s on one; "
          f"ratio {rate / anchor:.2f} (against the better); load average {os.getloadavg()[0]:.1f}; "
          f"worst dashboard-sized sequential p95 {worst_p95:.0f} ms "
          f"(goal < {P95_GOAL_MS:.0f} ms: {'met' if worst_p95 < P95_GOAL_MS else 'missed'}; "
          f"goal no errors: {'met' if errors == 0 else 'missed'})")


if __name__ == "__main__":
    main()
