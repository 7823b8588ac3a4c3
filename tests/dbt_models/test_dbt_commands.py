"""Plain dbt commands behave as a dbt user expects: freshness only where a table is loaded, and the
raw-table DDL of on-run-start only on commands that build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from dbt_common.events.base_types import EventMsg
from dbt_parse import invoke_with_vars

from devhealth import dbt, dbt_manifest


def freshness_of(vars_: dict[str, list[str]] | None = None) -> dict[str, str | None]:
    """`source.table` -> its warn_after after parsing, None where no freshness is checked."""
    # other vars in a target folder of their own, so the worker's next command still parses partially
    result = dbt.invoke(["parse", "--quiet"]) if vars_ is None else invoke_with_vars(["parse", "--quiet"],
                                                                                    json.dumps(vars_))
    assert result.success, result.exception
    found = {}
    for source in result.result.sources.values():
        warn = source.freshness.warn_after if source.freshness else None
        found[f"{source.source_name}.{source.name}"] = f"{warn.count} {warn.period}" if warn else None
    return found


def test_freshness_is_checked_only_on_the_tables_a_warehouse_loads() -> None:
    default = freshness_of()
    assert len(default) == 37
    checked = {name for name, warn in default.items() if warn}
    # what `devhealth run` loads; a provider never loaded (gitlab) and tables that may stay empty are not checked
    assert checked == {"git.commits", "git.commit_files", "github.repositories", "github.pull_requests",
                       "github.pr_reviews", "github.pr_commits", "github.ci_runs", "github.deployments",
                       "jira.work_items", "jira.work_item_transitions", "events.incidents", "semantic.identities",
                       "semantic.team_members", "semantic.teams"}
    assert default["git.commits"] == "7 day"
    only = freshness_of({"freshness_sources": ["gitlab.pull_requests", "git.blame"]})
    assert {name for name, warn in only.items() if warn} == {"gitlab.pull_requests", "git.blame"}
    # a source name covers its tables that every sync fills, not those that may stay empty
    gitlab = freshness_of({"freshness_sources": ["gitlab"]})
    assert {name for name, warn in gitlab.items() if warn} == {
        "gitlab.repositories", "gitlab.pull_requests", "gitlab.pr_reviews", "gitlab.pr_commits"}


def statements(args: list[str], progress: list[tuple[int, int, str]] | None = None) -> list[str]:
    """The SQL dbt sent to the warehouse while running `args`; `progress` collects NodeProgress reports."""
    sent: list[str] = []

    def listen(event: EventMsg) -> None:
        # dbt-clickhouse logs each statement at debug level: "dbt_clickhouse adapter: On <connection>: <sql>..."
        if event.info.name == "AdapterEventDebug" and "adapter: On " in event.info.msg:
            sent.append(event.info.msg.lower())

    reports = [dbt.NodeProgress(lambda *report: progress.append(report))] if progress is not None else []
    dbt.invoke(args, callbacks=[listen, *reports])
    return sent


def test_raw_table_ddl_runs_only_on_commands_that_build() -> None:
    ddl = "create database if not exists raw"
    tested = statements(["test", "--select", "stg_git__blame", "--quiet"])
    assert tested and not [sql for sql in tested if ddl in sql]
    assert not [sql for sql in statements(["source", "freshness", "--quiet", "--select", "source:git"])
                if ddl in sql]
    assert not [sql for sql in statements(["show", "--inline", "select 1 as one", "--quiet"]) if ddl in sql]
    progress: list[tuple[int, int, str]] = []
    built = statements(["run", "--select", "stg_git__blame stg_events__changes", "--quiet"], progress)
    # n of N nodes and the nodes running now, as the build's progress line shows them: on two dbt threads
    # both nodes may run at once, in either order
    assert [finished for finished, _, _ in progress] == sorted(finished for finished, _, _ in progress)
    assert {total for _, total, _ in progress} == {2} and progress[-1][0] == 2 and len(progress) == 4
    shown = {name for _, _, current in progress for name in current.split(", ")}
    assert shown == {"stg_events__changes", "stg_git__blame"}
    assert [sql for sql in built if ddl in sql]
    assert [sql for sql in built if "from system.columns where database = 'raw'" in sql]


def test_a_union_of_models_whose_columns_differ_fails_naming_them() -> None:
    """union_by_name refuses what a positional union would silently shift: the git clone's commits lack the API
    commits' author_login and line totals, and carry no such columns of their own to swap them with."""
    parts = {"parts": [["git_commits", "stg_git__commits"], ["github_commits", "stg_github__commits"]]}
    messages: list[str] = []
    result = dbt.invoke(["run-operation", "union_by_name", "--args", json.dumps(parts)],
                        callbacks=[lambda event: messages.append(event.info.msg)])
    assert not result.success
    assert any("union_by_name: stg_github__commits does not have the columns of stg_git__commits (missing: none; "
               "extra: provider, author_login, lines_added, lines_deleted)" in message for message in messages)
    same = {"parts": [["github_prs", "stg_github__pull_requests"], ["gitlab_prs", "stg_gitlab__pull_requests"]]}
    assert dbt.invoke(["run-operation", "union_by_name", "--args", json.dumps(same)]).success


def test_a_warehouse_in_another_home_reuses_the_partial_parse(tmp_path) -> None:
    """dbt parses again from scratch when the profile's connection keys change: the chDB data folder is not one
    of them, so each test's (or user's) DEVHEALTH_HOME costs a partial parse, not a full one."""
    from devhealth.settings import clickhouse_settings, dbt_environment

    # this session's parse, its warehouse in this session's home, is what the other home starts from
    assert dbt.invoke(["parse", "--quiet"]).success
    target = tmp_path / "target"
    target.mkdir()
    shutil.copy(dbt.target_dir() / "partial_parse.msgpack", target)
    home = {**os.environ, "DEVHEALTH_HOME": str(tmp_path / "other")}
    env = {**home, **dbt_environment(clickhouse_settings(home), home)}
    assert env["DEVHEALTH_CHDB_PATH"] != dbt_environment(clickhouse_settings())["DEVHEALTH_CHDB_PATH"]
    done = subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--target-path", str(target)],
                          cwd=dbt.project_dir(), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "saved manifest not found" not in done.stdout
    assert "Unable to do partial parsing" not in done.stdout, done.stdout


def test_a_process_parses_once_while_the_project_and_the_parse_options_stay_the_same(monkeypatch) -> None:
    """dbt.invoke hands dbt the manifest of the process's last parse (devhealth.dbt_manifest) until a project
    file, a parse option or the environment dbt reads changes; a new parse then sees the change."""
    listed = ["ls", "--quiet", "--select", "stg_git__blame"]
    assert dbt.invoke(listed).success
    first = dbt_manifest.kept()
    assert first is not None and dbt.invoke(listed).success and dbt_manifest.kept() is first
    # what a parse depends on: its options and dbt's environment, not the nodes a command selects
    project, key = dbt.project_dir(), dbt_manifest.parse_key(dbt.project_dir(), listed)
    assert dbt_manifest.parse_key(project, ["run", "--select", "stg_git__commits"]) == key
    for other in (["ls", "--vars", "{large_commit_lines: 7}"], ["ls", "--target=prod"], ["ls", "-t", "prod"],
                  ["ls", "--target-path", "elsewhere"]):
        assert dbt_manifest.parse_key(project, other) != key, other
    monkeypatch.setenv("DEVHEALTH_CLICKHOUSE_CLUSTER", "devhealth")
    assert dbt_manifest.parse_key(project, listed) != key
    monkeypatch.delenv("DEVHEALTH_CLICKHOUSE_CLUSTER")
    # a model file saved again, unchanged (other workers read it): the process parses once more
    os.utime(project / "models" / "staging" / "git" / "stg_git__blame.sql")
    assert dbt.invoke(listed).success and dbt_manifest.kept() is not first
    # `dbt parse` itself makes the manifest the next command runs on
    parsed = dbt.invoke(["parse", "--quiet"])
    assert parsed.success and dbt_manifest.kept() is parsed.result
    assert dbt.invoke(listed).success and dbt_manifest.kept() is parsed.result


def test_devhealths_commands_keep_dbts_file_log_at_info_unless_told(monkeypatch, tmp_path) -> None:
    """dbt.invoke keeps dbt's file log at info (dbt.LOG_LEVEL_FILE), where dbt's default, debug, formats every
    statement into it; DBT_LOG_LEVEL_FILE, set, chooses."""
    listed = ["ls", "--quiet", "--select", "stg_git__blame"]
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "default"))
    assert dbt.invoke(listed).success and "DBT_LOG_LEVEL_FILE" not in os.environ
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "debug"))
    assert dbt.invoke(listed).success
    default, debug = ((tmp_path / name / "dbt.log").read_text() for name in ("default", "debug"))
    assert "[info ]" in default and "[debug]" not in default
    assert "[debug]" in debug


def test_the_freshness_of_status_leaves_the_builds_partial_parse() -> None:
    """`devhealth status` checks freshness with a var read at parse time: run in the builds' target folder, it
    would make the next build parse the project from scratch."""
    from devhealth.status import source_freshness

    assert dbt.invoke(["parse", "--quiet"]).success
    source_freshness(["git.commits"])
    seen: list[str] = []
    assert dbt.invoke(["parse"], callbacks=[lambda event: seen.append(event.info.name)]).success
    assert "UnableToPartialParse" not in seen


def test_the_grain_test_fails_on_each_repeated_or_missing_key_and_only_on_those(warehouse) -> None:
    # the rows macros/tests/grain.sql returns (a dbt test fails on any) on a table planted with each case
    warehouse.command("create database if not exists grain_check")
    warehouse.command("drop table if exists grain_check.planted")
    warehouse.command("create table grain_check.planted (org_id String, key Nullable(String), computed_at Date) "
                      "engine = MergeTree order by tuple()")
    warehouse.command("insert into grain_check.planted values ('o', 'twice', '2024-01-01'), "
                      "('o', 'twice', '2024-01-01'), ('o', 'once', '2024-01-01'), ('', 'no org', '2024-01-01'), "
                      "('o', NULL, '2024-01-01'), ('o', 'once', '2024-01-02'), ('o', 'latest', '2024-01-02')")

    # the macro reads a table by key hash first; a view, or the subquery a test's `where` config makes, once
    warehouse.command("create view grain_check.planted_view as select * from grain_check.planted")
    models = [f"api.Relation.create(schema='grain_check', identifier='{name}')" for name in ("planted", "planted_view")]
    models.append("'(select * from grain_check.planted where true) as dbt_subquery'")

    def failing(arguments: str) -> set[tuple]:
        # one dbt command per case: the three relations' failing rows, each labelled with its relation
        union = " union all ".join(f"select {index} as relation, * from ({{{{ test_grain({model}, {arguments}) }}}})"
                                   for index, model in enumerate(models))
        result = dbt.invoke(["show", "--inline", union, "--limit", "-1", "--log-level", "none"])
        assert result.success, result.exception
        found: list[list[tuple]] = [[] for _ in models]
        for row in result.result.results[0].agate_table.rows:
            found[int(row[0])].append(tuple(row)[1:])
        found = [sorted(rows, key=str) for rows in found]
        assert found[0] == found[1] == found[2] and len(found[0]) == len(set(found[0]))
        return set(found[0])

    try:
        # 'once' is on two days: a repeated key; 'twice' too, NULL and '' are missing keys
        assert failing("['org_id', 'key']") == {("", "no org", 1), ("o", None, 1), ("o", "once", 2), ("o", "twice", 2)}
        assert failing("['org_id', 'key', 'computed_at']") == {("", "no org", date(2024, 1, 1), 1),
                                                              ("o", None, date(2024, 1, 1), 1),
                                                              ("o", "twice", date(2024, 1, 1), 2)}
        # an org of '' is a real value here: only NULL is missing
        assert failing("['org_id', 'key'], allow_default=['org_id']") == {
            ("o", None, 1), ("o", "once", 2), ("o", "twice", 2)}
        # the latest build's rows only: 'once' and 'latest' of 2024-01-02, each once
        assert failing("['org_id', 'key'], latest_build_only=true") == set()
    finally:
        warehouse.command("drop database grain_check")
