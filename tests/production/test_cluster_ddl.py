"""The DDL dbt-clickhouse sends for prod and prod_cluster, recorded from a real `dbt build` on chDB.

`cluster_check` and `prod_check` are prod_cluster's and prod's code paths on the embedded engine:
the adapter records every statement as emitted, and runs a single-node rewrite of the cluster
constructs. Each build runs in its own process (chDB is one engine per process) and home.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dbt.adapters.chdb.single_node import read_statements

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = "devhealth_ci"
# the incremental staging tables copying a raw event table (stg_*__commit_files copy a snapshot, no TTL)
EVENT_STAGING = ["staging.stg_git__commits"] + [
    f"staging.stg_{provider}__{table}" for provider in ("github", "gitlab")
    for table in ("pull_requests", "pr_reviews", "pr_commits", "ci_runs", "commits")]
GIT_COMMITS_TTL = (
    "coalesce(toDateTime(authored_at), toDateTime(toUInt32(toFloat64(_dlt_load_id)))) + toIntervalDay(90) "
    "RECOMPRESS CODEC(ZSTD(9)), "
    "coalesce(toDateTime(authored_at), toDateTime(toUInt32(toFloat64(_dlt_load_id)))) + toIntervalDay(730)"
)
# Loads a repository, builds the project, reruns a mart incrementally, applies raw retention, rebuilds an
# incremental staging table (its post-hook gives it the raw TTL again), prints the mart's rows as JSON
BUILD = """
import json, sys
from pathlib import Path
from devhealth import dbt
from devhealth.extract.git import git_repository
from devhealth.pipelines import load
from devhealth.warehouse import Warehouse

repo, target, target_path = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
load(git_repository(repo), pipeline_name="git", dataset_name="git")
# the build as devhealth runs it in production: without dbt's unit tests (dbt.WITHOUT_UNIT_TESTS)
for args in (["build", *dbt.WITHOUT_UNIT_TESTS], ["run", "--select", "repo_metrics_daily_versions"],
             ["run-operation", "apply_raw_retention"], ["run", "--select", "stg_git__commits", "--full-refresh"]):
    result = dbt.invoke([*args, "--target", target, "--target-path", target_path])
    if not result.success:
        sys.exit(f"dbt {args[0]} failed: {result.exception or dbt.failures(result)}")
rows = Warehouse().query("select toString(day), commits_count from marts.repo_metrics_daily order by day").rows
print(json.dumps([list(row) for row in rows]))
"""


def parse(target: str, target_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet", "--write-json", "--target", target,
         "--target-path", str(target_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "DEVHEALTH_CLICKHOUSE_CLUSTER": CLUSTER},
    )


@pytest.fixture(scope="module")
def builds(make_aged_repo, tmp_path_factory) -> dict[str, tuple[list[str], list[list]]]:
    """Per check target: the statements it recorded and the mart rows it built."""
    repo = make_aged_repo("cluster", 30, 30, 2)
    processes = {}
    for target in ("cluster_check", "prod_check"):
        home = tmp_path_factory.mktemp(target)
        env = {**os.environ, "DEVHEALTH_HOME": str(home), "DEVHEALTH_CLICKHOUSE_CLUSTER": CLUSTER,
               "DEVHEALTH_STATEMENT_LOG": str(home / "statements.sql")}
        processes[target] = (home, subprocess.Popen(
            [sys.executable, "-c", BUILD, str(repo), target, str(home / "target")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    built = {}
    for target, (home, process) in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr[-3000:] + stdout[-3000:]
        built[target] = (read_statements(home / "statements.sql"), json.loads(stdout.strip().splitlines()[-1]))
    return built


def without_comment(statement: str) -> str:
    """The statement without dbt's leading /* {...} */ query comment."""
    return re.sub(r"^/\*.*?\*/\s*", "", statement, flags=re.DOTALL).strip()


def ddl(statements: list[str]) -> list[str]:
    """Statements that change a persistent object (temporary tables live in one session, not on the cluster)."""
    found = [without_comment(s) for s in statements]
    return [s for s in found if re.match(r"(create|drop|alter|rename|exchange)\b", s, re.IGNORECASE)
            and not re.match(r"(create|drop)\s+temporary\b", s, re.IGNORECASE)]


def matching(statements: list[str], pattern: str) -> list[str]:
    found = [s for s in statements if re.search(pattern, s, re.IGNORECASE | re.DOTALL)]
    assert found, pattern
    return found


def flat(statement: str) -> str:
    return re.sub(r"\s+", " ", statement)


def test_cluster_check_runs_every_ddl_on_cluster(builds) -> None:
    statements = ddl(builds["cluster_check"][0])
    assert len(statements) >= 8
    missing = [s for s in statements if f'on cluster "{CLUSTER}"' not in flat(s).lower()]
    assert missing == []
    for database in ("staging", "marts"):
        matching(statements, rf"create database if not exists `{database}`\s+on cluster \"{CLUSTER}\"")
    matching(statements, r"create or replace view `staging`.`stg_events__deployments`\s+on cluster")
    # the large staging tables are incremental, replicated like the intermediates
    for table in matching(statements, r"^create table `staging`.`stg_git__commits`"):
        engine = r"engine = ReplicatedMergeTree order by \(\(org_id, repo_id, commit_sha\)\)"
        assert re.search(engine, flat(table)), table


def test_cluster_check_mart_is_replicated_shards_behind_a_distributed_table(builds) -> None:
    statements = ddl(builds["cluster_check"][0])
    for local in matching(statements, r"^create table `marts`.`repo_metrics_daily_versions_local`"):
        assert f'ON CLUSTER "{CLUSTER}"' in local
        # no monthly partitions: a first build inserts decades of days in one block
        assert re.search(r"engine = ReplicatedMergeTree order by \(\(org_id, repo_id, day\)\) --", flat(local)), local
    for distributed in matching(statements, r"^create or replace table `marts`.`repo_metrics_daily_versions` "):
        assert re.search(rf"as `marts`.`repo_metrics_daily_versions_local` ENGINE = Distributed\('{CLUSTER}', "
                         r"'marts', 'repo_metrics_daily_versions_local' , rand\(\) \)", flat(distributed)), distributed
    engines = [m.group(1) for s in statements for m in re.finditer(r"engine\s*=\s*(\w+)", s, re.IGNORECASE)]
    assert engines and all(e.startswith("Replicated") or e == "Distributed" for e in engines), engines


def test_cluster_check_bi_reads_a_view_of_the_latest_computation_across_shards(builds) -> None:
    statements = ddl(builds["cluster_check"][0])
    views = matching(statements, r"^create or replace view `marts`.`repo_metrics_daily` ")
    for view in views:
        assert f'ON CLUSTER "{CLUSTER}"' in view
        assert "from `marts`.`repo_metrics_daily_versions`" in view
        # the latest computations are found once on the initiator, not per shard (distributed_product_mode)
        assert re.search(r"\(org_id, day, computed_at\) global in \(", flat(view)), view


def test_cluster_check_incremental_run_appends_its_changed_cells_through_the_distributed_table(builds) -> None:
    statements = [flat(without_comment(s)) for s in builds["cluster_check"][0]]
    inserts = [s for s in statements if s.startswith("insert into `marts`.`repo_metrics_daily_versions` ")]
    # the build fills the new table with every cell; the rerun compares each cell's fingerprint with the one
    # stored in the Distributed table (across shards), and recomputes only the cells that differ
    stored = ("argMax(cell_fingerprint, computed_at) as stored_fingerprint "
              "from `marts`.`repo_metrics_daily_versions`")
    assert [stored in insert for insert in inserts] == [False, True], inserts
    assert len(matching(ddl(builds["cluster_check"][0]),
                        r"^create table `marts`.`repo_metrics_daily_versions_local`")) == 1


def test_cluster_check_lists_relations_across_replicas(builds) -> None:
    listings = [s for s in builds["cluster_check"][0] if "list_relations_without_caching" in s
                or "is_on_cluster" in s]
    assert listings
    assert all(f'clusterAllReplicas("{CLUSTER}", system.tables)' in s for s in listings)


def test_cluster_check_raw_retention_is_a_ttl_on_cluster(builds) -> None:
    # every raw event table exists (dbt creates the contract's missing ones empty), so each gets its TTL
    alters = [flat(s) for s in matching(ddl(builds["cluster_check"][0]), r"^alter table raw\.\S+ .*modify ttl")]
    assert all(f'on cluster "{CLUSTER}" modify ttl' in alter for alter in alters)
    assert len(alters) == len({alter.split()[2] for alter in alters}) >= 10
    assert [alter for alter in alters if alter.startswith("alter table raw.git___commits ")] == [(
        f'alter table raw.git___commits on cluster "{CLUSTER}" modify ttl '
        "coalesce(toDateTime(authored_at), toDateTime(toUInt32(toFloat64(_dlt_load_id)))) + interval 90 day "
        "recompress codec(ZSTD(9)), "
        "coalesce(toDateTime(authored_at), toDateTime(toUInt32(toFloat64(_dlt_load_id)))) + interval 730 day delete"
    )]


def test_cluster_check_incremental_staging_takes_the_raw_ttl_on_cluster(builds) -> None:
    alters = [flat(s) for s in matching(ddl(builds["cluster_check"][0]), r"^alter table staging\.")]
    # the operation gives each its raw table's TTL (as the server normalised it); the full refresh's post-hook
    # gives the rebuilt stg_git__commits the TTL again
    assert sorted(alter.split()[2] for alter in alters) == sorted([*EVENT_STAGING, "staging.stg_git__commits"])
    assert all(f'on cluster "{CLUSTER}" modify ttl' in alter for alter in alters)
    assert [alter for alter in alters if alter.startswith("alter table staging.stg_git__commits ")] == 2 * [
        f'alter table staging.stg_git__commits on cluster "{CLUSTER}" modify ttl {GIT_COMMITS_TTL}']


def test_prod_check_ddl_is_plain_merge_tree_without_cluster(builds) -> None:
    statements = ddl(builds["prod_check"][0])
    everything = "\n".join(builds["prod_check"][0])
    for construct in (r"on cluster", r"replicated\w*mergetree", r"engine\s*=?\s*replicated\(", r"distributed\(",
                      r"clusterallreplicas", r"_local`"):
        assert not re.search(construct, everything, re.IGNORECASE), construct
    for mart in matching(statements, r"^create table `marts`.`repo_metrics_daily"):
        assert re.search(r"engine = MergeTree\(\) order by \(\(org_id, repo_id, day\)\) --", flat(mart)), mart
    alters = [flat(s) for s in matching(statements, r"^alter table raw\.\S+ .*modify ttl")]
    assert not any("on cluster" in alter for alter in alters)
    commits = [alter for alter in alters if alter.startswith("alter table raw.git___commits ")]
    assert len(commits) == 1
    assert commits[0].startswith("alter table raw.git___commits modify ttl coalesce(toDateTime(authored_at)")
    assert [flat(s) for s in matching(statements, r"^alter table staging\.stg_git__commits ")] == 2 * [
        f"alter table staging.stg_git__commits modify ttl {GIT_COMMITS_TTL}"]


def test_a_table_is_created_full_in_one_statement_but_on_a_cluster(builds) -> None:
    # clickhouse__create_table_as: CREATE TABLE ... AS SELECT plans the model's query once, where creating it empty
    # and inserting plans it twice; on a cluster each replica would run the select, so there it stays two statements
    table = r"^create table `intermediate`.`int_repos_named\b"
    insert = r"^insert into `intermediate`.`int_repos_named\b"
    for created in matching(ddl(builds["prod_check"][0]), table):
        assert re.search(r"\bas \(", flat(created)) and not re.search(r"\bempty as\b", flat(created)), created
    assert not [s for s in builds["prod_check"][0] if re.match(insert, without_comment(s))]
    for created in matching(ddl(builds["cluster_check"][0]), table):
        assert re.search(r"\bempty as\b", flat(created)), created
    matching([without_comment(s) for s in builds["cluster_check"][0]], insert)


def test_both_builds_give_the_same_mart(builds) -> None:
    # the repository holds two commits 30 days old and one 2 days old
    day = {age: (datetime.now(UTC) - timedelta(days=age)).date().isoformat() for age in (30, 2)}
    expected = [[day[30], 2], [day[2], 1]]
    assert builds["cluster_check"][1] == expected
    assert builds["prod_check"][1] == expected


@pytest.mark.parametrize(
    ("target", "mart_materialized", "engine"),
    [("prod_cluster", "distributed_incremental", "ReplicatedMergeTree"), ("prod", "incremental", "MergeTree()")],
)
def test_server_targets_resolve_the_configs_the_checks_built(target, mart_materialized, engine, tmp_path) -> None:
    process = parse(target, tmp_path)
    output = process.communicate(timeout=300)[0]
    assert process.returncode == 0, output[-3000:]
    nodes = json.loads((tmp_path / "manifest.json").read_text())["nodes"]
    mart = nodes["model.devhealth.repo_metrics_daily_versions"]["config"]
    staging = nodes["model.devhealth.stg_events__deployments"]["config"]
    large_staging = nodes["model.devhealth.stg_git__commits"]["config"]
    assert (mart["materialized"], mart["incremental_strategy"], mart["engine"], mart["order_by"],
            mart.get("partition_by")) == (mart_materialized, "append", engine, "(org_id, repo_id, day)", None)
    assert nodes["model.devhealth.repo_metrics_daily"]["config"]["materialized"] == "view"
    assert (staging["materialized"], staging["engine"]) == ("view", engine)
    assert (large_staging["materialized"], large_staging["incremental_strategy"], large_staging["engine"]) == (
        "incremental", "append", engine)
