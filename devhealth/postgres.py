"""The semantic database's PostgreSQL: a server from POSTGRES_URI, else an embedded pgserver."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

from devhealth.settings import PostgresSettings, postgres_settings

_lock = threading.Lock()
_servers: dict[Path, object] = {}


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
            # cleanup_mode=None leaves the server running for the next command to reuse
            server = pgserver.get_server(data_dir, cleanup_mode=None)
            _servers[data_dir] = server
        return server


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
