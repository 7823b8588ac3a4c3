"""Runs the Alembic project shipped inside this package, against any database URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, pool
from sqlalchemy.exc import DBAPIError, OperationalError

from devhealth.errors import ConfigError, InputError
from devhealth.semantic_db.db import DatabaseError
from devhealth.settings import mask_uri

# Monthly partitions of audit_logs are created at run time, not declared as models.
AUDIT_PARTITION = re.compile(r"^audit_logs_p\d{6}$")


def include_name(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Autogenerate's filter: compare everything but the audit partitions."""
    return not (type_ == "table" and name is not None and AUDIT_PARTITION.match(name))


def alembic_config(url: str) -> Config:
    ini = Path(str(resources.files("devhealth.semantic_db") / "alembic.ini"))
    config = Config(str(ini))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def current_revision(url: str, where: str | None = None) -> str | None:
    """The database's revision (None when unmigrated); `where` names it in errors, else the masked URL."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        reason = (str(error.orig).strip().splitlines() or ["connection failed"])[0]
        raise ConfigError(f"cannot reach PostgreSQL at {where or mask_uri(url)}: {reason}") from None
    finally:
        engine.dispose()


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def _run(step: Callable[[Config, str], None], url: str, revision: str, where: str | None
         ) -> tuple[str | None, str | None]:
    before = current_revision(url, where)
    try:
        step(alembic_config(url), revision)
    except CommandError as error:
        raise InputError(f"revision '{revision}': {error}") from None
    except DBAPIError as error:
        reason = (str(error.orig).strip().splitlines() or ["migration failed"])[0]
        raise DatabaseError(f"migration to '{revision}' failed and was rolled back: {reason}") from None
    return before, current_revision(url, where)


def upgrade(url: str, revision: str = "head", where: str | None = None) -> tuple[str | None, str | None]:
    """Migrate up to `revision`; returns the revisions before and after."""
    return _run(command.upgrade, url, revision, where)


def upgrade_as_owner(revision: str = "head") -> tuple[str, str | None, str | None]:
    """Migrate the semantic database up to `revision` as its owner (sessions log in as ordinary roles, which
    the embedded server creates once the migrations have made their groups); returns where the database is
    and the revisions before and after."""
    from devhealth.semantic_db import db

    owner = db.get_engine(db.database_uri())
    where = db.describe_source(owner)
    return (where, *upgrade(owner.url.render_as_string(hide_password=False), revision, where))


def downgrade(url: str, revision: str, where: str | None = None) -> tuple[str | None, str | None]:
    """Migrate down to `revision` (`base` drops everything); returns the revisions before and after."""
    return _run(command.downgrade, url, revision, where)


def require_current(engine: Engine) -> Engine:
    """`engine`, once its database is at the latest migration; otherwise a ConfigError saying how to get there."""
    from devhealth.semantic_db import db

    url = engine.url.render_as_string(hide_password=False)
    where = db.describe_source(engine)
    current, head = current_revision(url, where), head_revision(url)
    if current != head:
        raise ConfigError(f"the semantic database ({where}) is at revision {current or 'none'}, not {head}: "
                          "run `devhealth admin migrate`")
    return engine


def current_engine(*, admin: bool = False) -> Engine:
    """The engine of the login devhealth commands use (admin work, else one organization's), refusing a database
    that is not at the latest migration."""
    from devhealth.semantic_db import db

    return require_current(db.get_engine(admin=admin))
