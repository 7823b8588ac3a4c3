"""The cluster_check rewrite: each cluster construct becomes its one-node equivalent, nothing else changes."""

import pytest
from dbt.adapters.chdb.single_node import StatementLog, read_statements, to_single_node


@pytest.mark.parametrize(
    ("cluster_sql", "single_node_sql"),
    [
        ('create database if not exists `marts`\n    ON CLUSTER "default" ',
         "create database if not exists `marts` "),
        ('drop table if exists `marts`.`t` \n    ON CLUSTER "c1" \n    SYNC', "drop table if exists `marts`.`t`"),
        ("CREATE DATABASE IF NOT EXISTS `raw` ON CLUSTER \"c\"  ENGINE Replicated('/ch/db/{uuid}', '{shard}', "
         "'{replica}')", "CREATE DATABASE IF NOT EXISTS `raw`  ENGINE = Atomic"),
        ("engine = ReplicatedMergeTree\n  order by (id)", "engine = MergeTree()\n  order by (id)"),
        ("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/t', '{replica}', version) ORDER BY id",
         "ENGINE = ReplacingMergeTree(version) ORDER BY id"),
        ("ENGINE = ReplicatedReplacingMergeTree(version)", "ENGINE = ReplacingMergeTree(version)"),
        ("ENGINE = Distributed('c1', 'marts', 't_local'\n        , rand()\n    )",
         "ENGINE = Buffer('marts', 't_local', 1, 0, 0, 0, 0, 0, 0)"),
        ("ENGINE = Distributed('c1', 'marts', 't_local', cityHash64(repo_id))",
         "ENGINE = Buffer('marts', 't_local', 1, 0, 0, 0, 0, 0, 0)"),
        ('select count(distinct _shard_num) > 1 from clusterAllReplicas("c1", system.tables) as t',
         "select count(distinct toUInt32(1)) > 1 from system.tables as t"),
        ("select * from cluster('c1', marts.t)", "select * from marts.t"),
        ('/* {"app": "dbt"} */\n\n      SYSTEM SYNC REPLICA  ON CLUSTER "c1" marts.t', "SELECT 1"),
        ('EXCHANGE TABLES `marts`.`t__dbt_backup` AND `marts`.`t` ON CLUSTER "c1"',
         "EXCHANGE TABLES `marts`.`t__dbt_backup` AND `marts`.`t`"),
        ("select 'x' as label from marts.t where note = ' on cluster day'",
         "select 'x' as label from marts.t where note = ' on cluster day'"),
    ],
)
def test_cluster_statement_runs_single_node(cluster_sql: str, single_node_sql: str) -> None:
    assert to_single_node(cluster_sql) == single_node_sql


def test_statement_log_keeps_each_statement_verbatim_and_in_order(tmp_path) -> None:
    path = tmp_path / "log" / "statements.sql"
    path.parent.mkdir()
    path.write_text("left over from an earlier process")
    log = StatementLog(path)
    log.record('create table t ON CLUSTER "c" (x UInt8)\nengine = ReplicatedMergeTree order by x')
    StatementLog(path).record("select ';' as semicolon")
    assert read_statements(path) == [
        'create table t ON CLUSTER "c" (x UInt8)\nengine = ReplicatedMergeTree order by x',
        "select ';' as semicolon",
    ]
