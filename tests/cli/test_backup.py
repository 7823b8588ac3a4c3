"""Backup round trip on the embedded engines: back up, drop, restore, compare counts and checksums."""

import json
import subprocess
import sys

import psycopg

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=300)


def query_csv(sql: str, env: dict[str, str]) -> str:
    result = devhealth("query", sql, "--format", "csv", "--no-header", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def pg_uri(env: dict[str, str]) -> str:
    code = "from devhealth.postgres import libpq_uri; print(libpq_uri())"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_round_trip_restores_both_stores(cli_env, tmp_path) -> None:
    for statement in (
        "create database raw",
        "create database marts",
        "create table raw.events (id UInt64, at DateTime64(6, 'UTC')) engine = MergeTree order by id",
        "insert into raw.events select number, now64() - number from numbers(5000)",
        "create table marts.daily engine = MergeTree order by day as "
        "select toDate(at) as day, count() as n from raw.events group by day",
    ):
        assert devhealth("query", statement, env=cli_env).returncode == 0
    with psycopg.connect(pg_uri(cli_env), autocommit=True) as connection:
        connection.execute("create table notes (id int primary key, body text)")
        connection.execute("insert into notes values (1, 'kept'), (2, 'also kept')")
    before = query_csv("select count(), sum(cityHash64(*)) from raw.events", cli_env)

    backup_dir = tmp_path / "backup"
    created = devhealth("backup", "create", str(backup_dir), env=cli_env)
    assert created.returncode == 0, created.stderr
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert {(t["database"], t["table"], t["rows"]) for t in manifest["tables"]} >= {("raw", "events", 5000)}

    devhealth("query", "drop database raw sync", env=cli_env)
    devhealth("query", "drop database marts sync", env=cli_env)
    with psycopg.connect(pg_uri(cli_env), autocommit=True) as connection:
        connection.execute("drop table notes")

    restored = devhealth("backup", "restore", str(backup_dir), env=cli_env)
    assert restored.returncode == 0, restored.stderr
    assert query_csv("select count(), sum(cityHash64(*)) from raw.events", cli_env) == before
    assert query_csv("select sum(n) from marts.daily", cli_env) == "5000"
    with psycopg.connect(pg_uri(cli_env)) as connection:
        assert connection.execute("select body from notes order by id").fetchall() == [("kept",), ("also kept",)]


def test_restore_of_a_folder_that_is_not_a_backup_is_one_line(cli_env, tmp_path) -> None:
    result = devhealth("backup", "restore", str(tmp_path), "--no-postgres", env=cli_env)
    assert result.returncode == 1
    assert str(tmp_path) in result.stderr and "manifest.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_backup_refuses_a_non_empty_destination(cli_env, tmp_path) -> None:
    (tmp_path / "occupied.txt").write_text("x")
    result = devhealth("backup", "create", str(tmp_path), "--no-postgres", env=cli_env)
    assert result.returncode == 1 and "not empty" in result.stderr
