"""The CLI boundary: help, version, query formats and one-line errors with no traceback."""

import json
import subprocess
import sys

import pytest

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=300)


def test_help_lists_command_groups(cli_env) -> None:
    result = devhealth("--help", env=cli_env)
    assert result.returncode == 0
    for command in ("query", "run", "admin", "sync", "metrics"):
        assert command in result.stdout


def test_version(cli_env) -> None:
    result = devhealth("--version", env=cli_env)
    assert result.returncode == 0 and result.stdout.startswith("devhealth ")


def test_query_formats_on_embedded_warehouse(cli_env) -> None:
    csv_out = devhealth("query", "select number as n, toString(number * 2) as s from numbers(3)",
                        "--format", "csv", "--no-header", env=cli_env)
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines() == ["0,0", "1,2", "2,4"]
    with_header = devhealth("query", "select number as n, toString(number * 2) as s from numbers(2)",
                            "--format", "csv", env=cli_env)
    assert with_header.stdout.splitlines() == ["n,s", "0,0", "1,2"]
    json_out = devhealth("query", "select 1 as a, 'x' as b", "--format", "json", env=cli_env)
    assert json.loads(json_out.stdout) == [{"a": 1, "b": "x"}]


def test_query_resolves_unqualified_names_in_marts(cli_env) -> None:
    create = devhealth("query", "create database if not exists marts", env=cli_env)
    assert create.returncode == 0, create.stderr
    probe = "create table marts.probe engine = MergeTree order by tuple() as select 42 as answer"
    devhealth("query", probe, env=cli_env)
    result = devhealth("query", "select answer from probe", "--format", "csv", "--no-header", env=cli_env)
    assert result.stdout.strip() == "42"


@pytest.mark.parametrize("variable", ["CLICKHOUSE_URI", "DATABASE_URI", "DATABASE_URL"])
def test_bad_scheme_is_one_masked_line(cli_env, variable: str) -> None:
    result = devhealth("query", "select 1", env={**cli_env, variable: "mysql://admin:s3cr3t@db:3306/x"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0] and "'mysql'" in lines[0] and "CLICKHOUSE_URI" in lines[0]
    assert "s3cr3t" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_malformed_uri_is_one_line(cli_env) -> None:
    result = devhealth("query", "select 1", env={**cli_env, "CLICKHOUSE_URI": "clickhouse://u:pw@h:port/db"})
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "malformed" in result.stderr
    assert "pw@" not in result.stderr


def test_sql_error_is_one_line(cli_env) -> None:
    result = devhealth("query", "select * from no_such_table", env=cli_env)
    assert result.returncode == 1
    assert "no_such_table" in result.stderr and "Traceback" not in result.stderr


def test_sync_git_names_a_missing_path(org_env, tmp_path) -> None:
    missing = tmp_path / "nowhere"
    result = devhealth("sync", "git", str(missing), env=org_env)
    assert result.returncode == 1
    assert str(missing) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_summary_of_git_history_alone_says_what_each_section_needs(capsys) -> None:
    from datetime import date

    from devhealth.cli.run import render
    from devhealth.summary import Hotspot, OrgSummary

    window = (date(2026, 11, 2), date(2026, 11, 23))
    render(OrgSummary("o", "acme", *window))
    bare = capsys.readouterr().out
    assert "DORA keys need deployment data" in bare and "need pull request data" in bare
    assert "No file changes to rank" in bare and "Top hotspots" not in bare and "medians: )" not in bare
    render(OrgSummary("o", "acme", *window, hotspots=[Hotspot("acme/api", "CHANGELOG", 2670, 1234567, 9876543.0)]))
    ranked = capsys.readouterr().out
    assert "Top hotspots" in ranked and "1,234,567" in ranked and "9,876,543" in ranked and "9876543.0" not in ranked
