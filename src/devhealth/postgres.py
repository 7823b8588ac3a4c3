"""The semantic database's PostgreSQL: a server from POSTGRES_URI, else an embedded pgserver.

On the embedded server the superuser `postgres` only migrates. Sessions log in as two ordinary roles
made here once the migrations have created the group roles: `devhealth_service` (granted `devhealth_app`:
one organization per transaction) and `devhealth_operator` (granted `devhealth_admin`: admin commands).
"""

from __future__ import annotations

import logging
import subprocess
import threading
import warnings
from pathlib import Path

from devhealth.errors import ConfigError
from devhealth.settings import PostgresSettings, postgres_settings

_lock = threading.Lock()
_servers: dict[Path, object] = {}
_login_roles_ready: set[str] = set()
# login role -> the group role it is granted (migration 0002 creates the group roles)
EMBEDDED_LOGINS = {"devhealth_service": "devhealth_app", "devhealth_operator": "devhealth_admin"}


def embedded_server(data_dir: Path) -> object:
    """Start (or reuse, across processes) the pgserver cluster in `data_dir`."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver keeps its socket in data_dir anyway
        warnings.simplefilter("ignore")
        import pgserver

    data_dir = Path(data_dir).resolve()
    with _lock:
        server = _servers.get(data_dir)
        if server is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            # cleanup_mode=None leaves the server running for the next command to reuse; a failure is one line
            # (_start_failure), not pgserver's logged dump of the tool's output
            logging.getLogger("pgserver").setLevel(logging.CRITICAL)
            try:
                server = pgserver.get_server(data_dir, cleanup_mode=None)
            except subprocess.CalledProcessError as error:
                raise ConfigError(_start_failure(data_dir, error)) from None
            _servers[data_dir] = server
        return server


def _start_failure(data_dir: Path, error: subprocess.CalledProcessError) -> str:
    """One line for a server that would not start: the PostgreSQL tool that failed and the last line of the
    server's log (pgserver sends the tools' output there and to its logger, not to the exception)."""
    tool = Path(str(error.cmd[0])).name if isinstance(error.cmd, list | tuple) and error.cmd else "PostgreSQL"
    reason = f"{tool} exited with status {error.returncode}"
    log = data_dir / "log"
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines() if line.strip()] \
        if log.is_file() else []
    if lines:
        reason += f"; its log ends: {lines[-1]}"
    return f"cannot start the embedded PostgreSQL in {data_dir}: {reason}"


def sqlalchemy_uri(settings: PostgresSettings | None = None) -> str:
    """A `postgresql+psycopg://` URI for the resolved semantic database."""
    settings = settings or postgres_settings()
    if settings.uri is not None:
        return settings.uri
    assert settings.data_dir is not None
    server = embedded_server(settings.data_dir)
    uri: str = server.get_uri()  # type: ignore[attr-defined]
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def libpq_uri(settings: PostgresSettings | None = None) -> str:
    """The same URI in libpq form, for psycopg, pg_dump and psql."""
    return sqlalchemy_uri(settings).replace("postgresql+psycopg://", "postgresql://", 1)


def _ensure_embedded_logins(owner_uri: str) -> bool:
    """Create the embedded login roles once the group roles exist; False while the database is unmigrated."""
    if owner_uri in _login_roles_ready:
        return True
    import psycopg

    with psycopg.connect(owner_uri.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True) as conn:
        groups = {row[0] for row in conn.execute("select rolname from pg_roles where rolname = any(%s)",
                                                 [list(EMBEDDED_LOGINS.values())])}
        if groups != set(EMBEDDED_LOGINS.values()):
            return False
        for login, group in EMBEDDED_LOGINS.items():
            # trust authentication on the server's private socket: these roles need no password
            conn.execute(f"""
                do $$ begin
                    if not exists (select from pg_roles where rolname = '{login}') then
                        create role {login} login nosuperuser nocreatedb nocreaterole nobypassrls;
                    end if;
                end $$""")
            if conn.execute("select not pg_has_role(%s, %s, 'MEMBER')", [login, group]).fetchone() == (True,):
                conn.execute(f"grant {group} to {login}")
    _login_roles_ready.add(owner_uri)
    return True


def session_uri(*, admin: bool = False, settings: PostgresSettings | None = None) -> str:
    """The URI sessions log in with: POSTGRES_URI as given, or on the embedded server an ordinary login
    role (`devhealth_operator` for admin work, else `devhealth_service`), never the superuser.

    Before the first migration the embedded roles do not exist yet; the owner URI is returned, and the
    migration check every command makes first (`migrate.require_current`) stops there.
    """
    settings = settings or postgres_settings()
    owner = sqlalchemy_uri(settings)
    if not settings.is_embedded or not _ensure_embedded_logins(owner):
        return owner
    from sqlalchemy.engine import make_url

    login = "devhealth_operator" if admin else "devhealth_service"
    return make_url(owner).set(username=login, password=None).render_as_string(hide_password=False)
