"""Engines and sessions for the semantic database: pooled with pre-ping, scoped to one org or to admin.

Row-level security reads two transaction-local settings: `devhealth.org_id` (set by `org_session`) and
`devhealth.admin_scope` (set by `admin_session`). A session that sets neither sees no org-scoped rows.
Each transaction also switches to a database role that does not bypass row-level security, whatever
role the connection logged in as: `devhealth_app` for one org, `devhealth_admin` (which the policies
require before the admin scope counts) for admin work. A login that was not granted `devhealth_admin`
cannot cross organizations, whatever settings it claims.
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


APP_ROLE = "devhealth_app"
ADMIN_ROLE = "devhealth_admin"


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
    """The owner's URI: what migrations run as."""
    from devhealth.postgres import sqlalchemy_uri

    return sqlalchemy_uri()


def get_engine(uri: str | None = None, *, admin: bool = False) -> Engine:
    """The pooled engine for `uri`, else for the login every devhealth command resolves.

    With POSTGRES_URI that is its role for both kinds of work; on the embedded server, org-scoped work
    logs in as `devhealth_service` and admin work as `devhealth_operator`, never as the superuser.
    """
    from devhealth.postgres import session_uri

    return _engine_for(uri or session_uri(admin=admin))


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
def _scoped_session(engine: Engine, role: str, settings: dict[str, str]) -> Iterator[Session]:
    session = Session(engine, expire_on_commit=False)

    @event.listens_for(session, "after_begin")
    def _apply(_session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
        # LOCAL: the role ends with the transaction, so a pooled connection never keeps it.
        try:
            connection.execute(text(f"set local role {role}"))
        except DBAPIError as error:
            if "permission denied to set role" not in _first_line(error):
                raise
            login = engine.url.username or "the login"
            raise DatabaseError(f"database role '{login}' may not act as {role} ({describe_source(engine)}): "
                                f"grant {role} to it, or use a login that holds it (README, Security)") from None
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
    with _scoped_session(engine or get_engine(admin=True), ADMIN_ROLE,
                         {"devhealth.admin_scope": "on", "devhealth.org_id": ""}) as session:
        yield session


@contextmanager
def org_session(org_id: int, engine: Engine | None = None) -> Iterator[Session]:
    """One transaction that sees and may write only `org_id`'s rows; commits on success."""
    with _scoped_session(engine or get_engine(), APP_ROLE, {"devhealth.org_id": str(int(org_id)),
                                                            "devhealth.admin_scope": "off"}) as session:
        yield session


@contextmanager
def directory_session(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction of no organization: it sees no org's rows, only the directory of names
    (`organizations.directory`) that resolving `--org NAME` needs."""
    with _scoped_session(engine or get_engine(), APP_ROLE, {"devhealth.org_id": "",
                                                            "devhealth.admin_scope": "off"}) as session:
        yield session


def dispose_engine(uri: str) -> None:
    """Close the pooled connections to `uri`, if an engine was made for it."""
    with _lock:
        engine = _engines.pop(uri, None)
    if engine is not None:
        engine.dispose()
