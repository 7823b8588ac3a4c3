"""Alembic environment: migrates the database every devhealth command resolves, online only.

The URL comes from `config.attributes["url"]` (set by `devhealth.semantic_db.migrate`), else from the
same resolution as the CLI, so a plain `alembic upgrade head` at the repository root needs no URL in the ini.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from devhealth.semantic_db.migrate import include_name
from devhealth.semantic_db.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

def database_url() -> str:
    url = config.attributes.get("url")
    if url:
        return str(url)
    from devhealth.postgres import sqlalchemy_uri

    return sqlalchemy_uri()


def run_migrations_online() -> None:
    engine = create_engine(database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_name=include_name,
            compare_type=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("devhealth migrations run online only: partition and policy DDL depend on the live database")
run_migrations_online()
