"""The semantic database's half of a backup: a pg_dump taken in the same snapshot as its fingerprints,
and a restore into a new database that replaces the live one only once it has been checked.

Restoring beside the live database, then renaming, is what lets a failed restore change nothing, and
what makes an in-place restore work at all: `pg_restore --clean` cannot drop the partitioned audit log's
indexes, and would leave tables created after the backup in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from devhealth.errors import InputError, WarehouseError

DUMP = "postgres.dump"
_TABLES = (
    "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
    "where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') "
    "and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%' order by 1, 2"
)


def pg_binary(name: str) -> str:
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found:
        return found
    raise InputError(f"{name}: not found; install the PostgreSQL client tools")


def _tool_environment(uri: str, database: str | None = None) -> tuple[str, dict[str, str]]:
    """A conninfo for a pg tool without the password, which goes in PGPASSWORD: argv is visible to every user."""
    params = conninfo_to_dict(uri)
    password = params.pop("password", None)
    if database:
        params["dbname"] = database
    environment = dict(os.environ)
    if password:
        environment["PGPASSWORD"] = str(password)
    return make_conninfo(**{key: str(value) for key, value in params.items()}), environment


def run_pg_tool(name: str, arguments: list[str], uri: str, database: str | None = None) -> None:
    conninfo, environment = _tool_environment(uri, database)
    completed = subprocess.run([pg_binary(name), f"--dbname={conninfo}", *arguments], capture_output=True,
                               text=True, env=environment)
    if completed.returncode != 0:
        # pg tools echo the connection string on some errors: keep their first line, cut before any URI
        first = next((line for line in completed.stderr.splitlines() if line.strip()), "failed")
        raise WarehouseError(f"{name}: {first.split('postgresql://')[0].split('dbname=')[0].strip()}")


def fingerprints(connection: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Rows and an order-independent MD5 of every table's rows (partitions each on their own)."""
    # the same text rendering on both sides: pg_dump reads with row security off, so do the counts
    connection.execute("set timezone = 'UTC'")
    connection.execute("set row_security = off")
    result = []
    for schema, table in connection.execute(_TABLES).fetchall():
        rows, checksum = connection.execute(sql.SQL(
            "select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') "
            "from {}.{} as t").format(sql.Identifier(schema), sql.Identifier(table))).fetchone()
        result.append({"table": f"{schema}.{table}", "rows": int(rows), "checksum": checksum})
    return result


def dump(uri: str, target: Path) -> dict[str, Any]:
    """pg_dump into `target` from the snapshot the fingerprints were taken in, so both describe the same data."""
    with psycopg.connect(uri) as connection:
        connection.execute("begin isolation level repeatable read read only")
        snapshot = connection.execute("select pg_export_snapshot()").fetchone()[0]
        tables = fingerprints(connection)
        run_pg_tool("pg_dump", ["--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}"], uri)
        connection.execute("commit")
    return {"tables": tables}


@dataclass(frozen=True)
class StagedDatabase:
    """A restored database beside the live one, not yet swapped in."""

    uri: str
    live: str
    staged: str
    maintenance: str


def _maintenance(live: str) -> str:
    # CREATE/RENAME DATABASE run from another database; template1 only when the live one is `postgres`
    return "template1" if live == "postgres" else "postgres"


def _admin(uri: str, database: str) -> psycopg.Connection[Any]:
    return psycopg.connect(uri, dbname=database, autocommit=True)


def stage(uri: str, dump_file: Path, token: str, expected: list[dict[str, Any]],
          check: Callable[[psycopg.Connection[Any]], None]) -> StagedDatabase:
    """Restore `dump_file` into a new database, compare its tables with `expected`, run `check` on it."""
    live = str(conninfo_to_dict(uri).get("dbname") or "postgres")
    staged = f"{live}__restore_{token}"[:63]
    database = StagedDatabase(uri, live, staged, _maintenance(live))
    with _admin(uri, database.maintenance) as connection:
        found = connection.execute("select pg_encoding_to_char(encoding), datcollate, datctype from pg_database "
                                   "where datname = %s", (live,)).fetchone()
        encoding, collate, ctype = found or ("UTF8", "C", "C")
        create = sql.SQL("create database {} template template0 encoding {} lc_collate {} lc_ctype {}")
        connection.execute(create.format(sql.Identifier(staged), sql.Literal(encoding), sql.Literal(collate),
                                         sql.Literal(ctype)))
        _ensure_database_roles(connection)
    try:
        run_pg_tool("pg_restore", ["--no-owner", "--exit-on-error", str(dump_file)], uri, staged)
        with psycopg.connect(uri, dbname=staged) as connection:
            restored = fingerprints(connection)
            if restored != expected:
                differing = _first_difference(expected, restored)
                raise WarehouseError(f"restore of the semantic database: {differing} differs from the backup "
                                     "manifest; the live database is unchanged")
            check(connection)
    except BaseException:
        # the failure that stopped the restore is the one to report, not a failed clean-up after it
        with contextlib.suppress(psycopg.Error):
            drop(database, staged)
        raise
    return database


# the roles migration 0002 creates: the dump's grants name them, and roles belong to the server, not to a
# database, so a fresh home's server (or another cluster) lacks them until they are made here
DATABASE_ROLES = ("devhealth_app", "devhealth_admin")


def _ensure_database_roles(connection: psycopg.Connection[Any]) -> None:
    for role in DATABASE_ROLES:
        if connection.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone() is None:
            connection.execute(sql.SQL("create role {} nologin nosuperuser nocreatedb nocreaterole nobypassrls")
                               .format(sql.Identifier(role)))
    app, admin = DATABASE_ROLES
    if not connection.execute("select pg_has_role(%s, %s, 'MEMBER')", (admin, app)).fetchone()[0]:
        connection.execute(sql.SQL("grant {} to {}").format(sql.Identifier(app), sql.Identifier(admin)))


def _first_difference(expected: list[dict[str, Any]], restored: list[dict[str, Any]]) -> str:
    before = {item["table"]: item for item in expected}
    after = {item["table"]: item for item in restored}
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            return f"table {table}"
    return "the table list"


def swap_in(database: StagedDatabase, token: str) -> str | None:
    """Rename the live database aside and the staged one into its place; returns the old one's new name."""
    aside = f"{database.live}__before_restore_{token}"[:63]
    with _admin(database.uri, database.maintenance) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", (database.live,)).fetchone()
        if exists:
            # a database cannot be renamed while anyone is connected to it
            connection.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                               "where datname = %s and pid <> pg_backend_pid()", (database.live,))
            connection.execute(sql.SQL("alter database {} rename to {}").format(
                sql.Identifier(database.live), sql.Identifier(aside)))
        try:
            connection.execute(sql.SQL("alter database {} rename to {}").format(
                sql.Identifier(database.staged), sql.Identifier(database.live)))
        except psycopg.Error:
            if exists:
                connection.execute(sql.SQL("alter database {} rename to {}").format(
                    sql.Identifier(aside), sql.Identifier(database.live)))
            raise
    return aside if exists else None


def swap_back(database: StagedDatabase, aside: str | None) -> None:
    """Undo `swap_in`: the restored database is dropped and the old one takes its name again."""
    with _admin(database.uri, database.maintenance) as connection:
        connection.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database.live)))
        if aside is not None:
            connection.execute(sql.SQL("alter database {} rename to {}").format(
                sql.Identifier(aside), sql.Identifier(database.live)))


def drop(database: StagedDatabase, name: str) -> None:
    with _admin(database.uri, database.maintenance) as connection:
        connection.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
