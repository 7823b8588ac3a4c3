"""Migrations on the real pgserver: up from empty, no drift against the models, down and up again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, create_engine, inspect, pool, text

from devhealth.semantic_db import migrate
from devhealth.semantic_db.models import ORG_SCOPED_TABLES, Base

REPO_ROOT = Path(__file__).resolve().parents[2]
EXPECTED_TABLES = {
    "users", "organizations", "memberships", "settings", "integration_credentials", "sync_configurations",
    "identity_mappings", "team_mappings", "repositories", "api_keys", "sync_runs", "audit_logs",
}


def _scalar_rows(url: str, sql: str) -> list:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        rows = [row[0] for row in connection.execute(text(sql))]
    engine.dispose()
    return rows


def test_upgrade_from_empty_creates_every_table_with_rls_and_partitions(empty_database: str) -> None:
    before, after = migrate.upgrade(empty_database)
    assert (before, after) == (None, migrate.head_revision(empty_database))
    tables = set(_scalar_rows(empty_database, "select relname from pg_class where relkind in ('r', 'p') "
                                              "and relnamespace = 'public'::regnamespace and not relispartition"))
    assert tables == EXPECTED_TABLES | {"alembic_version"}
    forced = set(_scalar_rows(empty_database, "select relname from pg_class where relforcerowsecurity"))
    assert forced == set(ORG_SCOPED_TABLES) | {"users"}
    assert _scalar_rows(empty_database, "select partstrat from pg_partitioned_table "
                                        "where partrelid = 'audit_logs'::regclass") == ["r"]
    partitions = _scalar_rows(empty_database, "select inhrelid::regclass::text from pg_inherits "
                                              "where inhparent = 'audit_logs'::regclass order by 1")
    assert len(partitions) == 2 and all(p.startswith("audit_logs_p") for p in partitions)
    triggers = set(_scalar_rows(empty_database, "select tgname from pg_trigger where not tgisinternal "
                                                "and tgrelid in (select oid from pg_class where not relispartition)"))
    assert {f"{table}_set_updated_at" for table in EXPECTED_TABLES - {"audit_logs"}} <= triggers


def test_models_and_migrations_do_not_drift(semantic_database: str) -> None:
    command.check(migrate.alembic_config(semantic_database))


def test_drift_is_detected_when_a_model_changes(semantic_database: str) -> None:
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["repositories"].append_column(Column("drift_probe", Integer))
    engine = create_engine(semantic_database, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": migrate.include_name})
        assert compare_metadata(context, Base.metadata) == []
        diffs = compare_metadata(context, changed)
    engine.dispose()
    assert [(diff[0], diff[2], diff[3].name) for diff in diffs] == [("add_column", "repositories", "drift_probe")]


def test_downgrade_to_base_and_back(semantic_database: str) -> None:
    migrate.downgrade(semantic_database, "base")
    engine = create_engine(semantic_database, poolclass=pool.NullPool)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    assert _scalar_rows(semantic_database, "select proname from pg_proc where proname like 'devhealth%'") == []
    assert migrate.current_revision(semantic_database) is None
    migrate.upgrade(semantic_database)
    command.check(migrate.alembic_config(semantic_database))


def test_plain_alembic_from_the_repository_root(empty_database: str) -> None:
    env = {**os.environ, "POSTGRES_URI": empty_database}
    alembic = [sys.executable, "-m", "alembic"]
    upgraded = subprocess.run([*alembic, "upgrade", "head"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert upgraded.returncode == 0, upgraded.stderr
    checked = subprocess.run([*alembic, "check"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert checked.returncode == 0 and "No new upgrade operations detected" in checked.stdout + checked.stderr
    assert migrate.current_revision(empty_database) == migrate.head_revision(empty_database)
