"""Engines and sessions for the semantic database: pooled with pre-ping, scoped to one org or to admin.

Row-level security reads two transaction-local settings: `devhealth.org_id` (set by `org_session`) and
`devhealth.admin_scope` (set by `admin_session`). A session that sets neither sees no org-scoped rows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction

from devhealth.errors import ConfigError, DevhealthError
from devhealth.settings import mask_uri, postgres_settings


class DatabaseError(DevhealthError):
    """The semantic database refused a statement."""


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _engine_for(uri: str) -> Engine:
    with _lock:
        engine = _engines.get(uri)
        if engine is None:
            # pre-ping replaces connections a restarted server or a firewall dropped while pooled.
            engine = create_engine(uri, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_recycle=1800)
            _engines[uri] = engine
        return engine


def database_uri() -> str:
    from devhealth.postgres import sqlalchemy_uri

    return sqlalchemy_uri()


def get_engine(uri: str | None = None) -> Engine:
    """The pooled engine for `uri`, else for the database every devhealth command resolves."""
    return _engine_for(uri or database_uri())


def describe_source(engine: Engine) -> str:
    """Where the engine points, password masked, named by the variable it came from."""
    settings = postgres_settings()
    if settings.is_embedded:
        return f"embedded PostgreSQL at {settings.data_dir}"
    return f"{settings.source}={mask_uri(engine.url.render_as_string(hide_password=False))}"


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


@contextmanager
def _scoped_session(engine: Engine, settings: dict[str, str]) -> Iterator[Session]:
    session = Session(engine, expire_on_commit=False)

    @event.listens_for(session, "after_begin")
    def _apply(_session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
        for name, value in settings.items():
            connection.execute(text("select set_config(:name, :value, true)"), {"name": name, "value": value})

    try:
        with session.begin():
            yield session
    except OperationalError as error:
        if error.statement is None:  # raised while connecting, not by a statement
            raise ConfigError(f"cannot reach PostgreSQL at {describe_source(engine)}: {_first_line(error)}") from None
        raise DatabaseError(_first_line(error)) from None
    except DBAPIError as error:
        raise DatabaseError(_first_line(error)) from None
    finally:
        session.close()


@contextmanager
def admin_session(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction that may read and write every organization's rows; commits on success."""
    with _scoped_session(engine or get_engine(), {"devhealth.admin_scope": "on", "devhealth.org_id": ""}) as session:
        yield session


@contextmanager
def org_session(org_id: int, engine: Engine | None = None) -> Iterator[Session]:
    """One transaction that sees and may write only `org_id`'s rows; commits on success."""
    with _scoped_session(engine or get_engine(), {"devhealth.org_id": str(int(org_id)),
                                                  "devhealth.admin_scope": "off"}) as session:
        yield session


def dispose_engine(uri: str) -> None:
    """Close the pooled connections to `uri`, if an engine was made for it."""
    with _lock:
        engine = _engines.pop(uri, None)
    if engine is not None:
        engine.dispose()
