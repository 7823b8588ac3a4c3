"""The chdb adapter keeps each relation's columns for one dbt invocation, until a statement may have changed them.

The builds that add a column to an existing table and then insert naming it (add_new_columns, add_column_before_rebuild:
tests/dbt_models/test_incremental_marts.py, test_incremental_staging.py) read the columns after the ALTER; they fail
if a kept answer outlived it. These cases pin which statements forget what.
"""

import pytest
from dbt.adapters.chdb.columns_cache import ColumnsCache
from dbt_common.invocation import reset_invocation_id

COMMENT = '/* {"app": "dbt", "node_id": "model.devhealth.int_commits_enriched"} */\n'
KEYS = [("intermediate", "int_commits_enriched"), ("marts", "dim_repos"), (None, "probe_table"), ("marts", "my-table")]


def kept(statement: str) -> set[tuple[str | None, str]]:
    cache = ColumnsCache()
    for key in KEYS:
        cache.put(key, [key[1]])
    cache.statement_ran(statement)
    return {key for key in KEYS if cache.get(key) is not None}


@pytest.mark.parametrize("statement", [
    "select name, type from system.columns where table = 'int_commits_enriched'",
    "insert into `intermediate`.`int_commits_enriched` (org_id) select org_id from `marts`.`dim_repos`",
    "delete from `intermediate`.`int_commits_enriched` where commit_sha in (select 1)",
    "truncate table `intermediate`.`int_commits_enriched`",
    "with x as (select 1) select * from x",
    "describe table `marts`.`dim_repos`",
    "  \n" + COMMENT + "-- a note\nselect 1",
])
def test_reads_and_row_changes_keep_every_relation(statement: str) -> None:
    assert kept(COMMENT + statement) == set(KEYS)


@pytest.mark.parametrize(("statement", "forgotten"), [
    ("alter table `intermediate`.`int_commits_enriched` add column if not exists `x` UInt8 after `org_id`",
     {"int_commits_enriched"}),
    ("EXCHANGE TABLES `marts`.`dim_repos__dbt_backup` AND `marts`.`dim_repos`", {"dim_repos"}),
    ("drop table if exists marts.dim_repos", {"dim_repos"}),
    ("rename table `marts`.`dim_repos` to `marts`.`dim_repos__old`", {"dim_repos"}),
    # a table made from a query forgets the relations it reads too: more than needed, never less
    ("create table `marts`.`dim_repos` engine = MergeTree() order by tuple() as (select * from "
     "`intermediate`.`int_commits_enriched`)", {"dim_repos", "int_commits_enriched"}),
    # a longer name that starts with a kept one is another relation
    ('create temporary table "int_commits_enriched__dbt_new_columns_35e2862b210b" engine = Memory empty as '
     "(select 1)", set()),
    ("drop temporary table probe_table", {"probe_table"}),
    ("DROP DATABASE IF EXISTS `staging`", {"int_commits_enriched", "dim_repos", "probe_table", "my-table"}),
    # a name that is not a single word is found in the text, whole
    ("drop table if exists `marts`.`my-table`", {"my-table"}),
])
def test_a_statement_that_may_change_columns_forgets_the_relations_it_names(statement: str, forgotten: set) -> None:
    assert {key[1] for key in set(KEYS) - kept(COMMENT + statement)} == forgotten


def test_a_new_invocation_starts_with_nothing_kept() -> None:
    cache = ColumnsCache()
    cache.put(KEYS[0], ["org_id"])
    assert cache.get(KEYS[0]) == ["org_id"]
    reset_invocation_id()
    assert cache.get(KEYS[0]) is None
    cache.put(KEYS[1], ["repo_id"])
    assert cache.get(KEYS[1]) == ["repo_id"] and cache.get(KEYS[0]) is None


def test_what_a_caller_gets_is_its_own_copy() -> None:
    cache = ColumnsCache()
    cache.put(KEYS[0], ["org_id"])
    cache.get(KEYS[0]).append("changed")  # type: ignore[union-attr]
    assert cache.get(KEYS[0]) == ["org_id"]
