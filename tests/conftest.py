"""Shared fixtures: one chDB warehouse and one pgserver per test session, real engines only.

chDB allows one engine per process, so the session's DEVHEALTH_HOME is fixed before anything
opens it; tests that need isolation use their own databases or datasets inside it.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from embedded_postgres import stop_embedded_postgres
from git_helpers import git_repo_with

SESSION_HOME = Path(tempfile.mkdtemp(prefix="devhealth-tests-"))
# every process (the xdist controller too) makes one; each takes its warehouse and pgserver away when it exits
atexit.register(shutil.rmtree, SESSION_HOME, ignore_errors=True)
os.environ["DEVHEALTH_HOME"] = str(SESSION_HOME)
for variable in ("CLICKHOUSE_URI", "POSTGRES_URI", "DATABASE_URI", "DATABASE_URL", "DEVHEALTH_DBT_TARGET", "DBT_TARGET",
                 "DLT_DATA_DIR"):
    os.environ.pop(variable, None)
# dbt writes manifest.json and run_results.json after every command, 0.3 to 0.5 s each time, and the suite runs
# several hundred commands that never read them; the cases that read an artifact ask for it (--write-json)
os.environ["DBT_WRITE_JSON"] = "false"
# dbt's file log at its default level, debug, formats every statement it runs and every cache event: 6 % of a
# run of the project on a small warehouse (three runs each way, one thread: 8.7-9.2 s against 8.4-8.5 s). The
# suite keeps each node's line and every error; DBT_LOG_LEVEL_FILE=debug brings the statements back
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "info")
# pytest-xdist runs three workers: each keeps dbt's artifacts (manifest, partial parse, logs) in a folder of its own
# under the project's target/, so one worker's parse never overwrites what another's build reads
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER:
    PROJECT = Path(__file__).resolve().parents[1]
    os.environ["DBT_TARGET_PATH"] = str(PROJECT / "target" / WORKER)
    os.environ["DBT_LOG_PATH"] = str(PROJECT / "logs" / WORKER)
    # the workers already keep both cores busy: a second dbt thread each would only contend for them
    # (make demo and the benchmarks build on the profile's two threads)
    os.environ["DEVHEALTH_DBT_THREADS"] = "1"



@pytest.fixture(scope="session")
def devhealth_home() -> Path:
    return SESSION_HOME


@pytest.fixture(scope="session")
def warehouse():
    from devhealth.warehouse import Warehouse

    return Warehouse()


@pytest.fixture
def make_git_repo(tmp_path: Path) -> Callable[..., Path]:
    """Create a repository whose commits are given as (iso author time, {path: content}) pairs."""
    return functools.partial(git_repo_with, tmp_path)


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a `devhealth` subprocess with its own DEVHEALTH_HOME (chDB is one engine per process)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CLICKHOUSE_URI", "POSTGRES_URI", "DATABASE_URI", "DATABASE_URL")}
    env["DEVHEALTH_HOME"] = str(tmp_path / "cli-home")
    yield env
    stop_embedded_postgres(Path(env["DEVHEALTH_HOME"]))


@pytest.fixture(scope="session", autouse=True)
def _stop_session_postgres() -> Iterator[None]:
    yield
    stop_embedded_postgres(SESSION_HOME)


def _database_url(name: str) -> str:
    from urllib.parse import urlsplit

    from devhealth.postgres import sqlalchemy_uri

    return urlsplit(sqlalchemy_uri())._replace(path=f"/{name}").geturl()


def _admin_execute(*statements: str) -> None:
    import psycopg

    from devhealth.postgres import libpq_uri

    with psycopg.connect(libpq_uri(), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture(scope="session")
def migrated_template() -> str:
    """A database on the session's pgserver migrated to head once; tests copy it (CREATE DATABASE ... TEMPLATE)."""
    from devhealth.semantic_db import migrate

    name = f"devhealth_template_{os.getpid()}"
    _admin_execute(f'drop database if exists "{name}"', f'create database "{name}"')
    migrate.upgrade(_database_url(name))
    return name


def _fresh_database(template: str | None) -> Iterator[str]:
    import uuid

    name = f"test_{uuid.uuid4().hex[:12]}"
    _admin_execute(f'create database "{name}"' + (f' template "{template}"' if template else ""))
    yield _database_url(name)
    from devhealth.semantic_db import db

    db.dispose_engine(_database_url(name))
    _admin_execute(f'drop database "{name}" with (force)')


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A fresh, empty database on the session's pgserver; yields its SQLAlchemy URL."""
    yield from _fresh_database(None)


@pytest.fixture
def semantic_database(migrated_template: str) -> Iterator[str]:
    """A fresh database at the latest migration, for tests that need isolation; yields its SQLAlchemy URL."""
    yield from _fresh_database(migrated_template)


@pytest.fixture(scope="module")
def module_semantic_database(migrated_template: str) -> Iterator[str]:
    """Like `semantic_database`, shared by one test module (a server started once for its tests reads it)."""
    yield from _fresh_database(migrated_template)


@pytest.fixture
def org_env(cli_env: dict[str, str], semantic_database: str) -> dict[str, str]:
    """`cli_env` whose semantic layer (a fresh database) holds one organization, Acme, which syncs default to."""
    from devhealth.semantic_db import db
    from devhealth.semantic_db.services import organizations

    with db.admin_session(db.get_engine(semantic_database)) as session:
        organizations.get_or_create_organization(session, "Acme")
    return {**cli_env, "POSTGRES_URI": semantic_database}
