"""Sessions: the scope each one states, pooled connections that survive a server-side kill, bad servers."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import Engine, text

from devhealth.errors import ConfigError
from devhealth.postgres import libpq_uri
from devhealth.semantic_db import db
from devhealth.semantic_db.db import admin_session, org_session


def test_sessions_state_their_scope(engine: Engine) -> None:
    with org_session(42, engine) as session:
        scope = session.execute(text("select devhealth_current_org(), devhealth_admin_scope()")).one()
    assert tuple(scope) == (42, False)
    with engine.connect() as connection:  # transaction-local: nothing leaks into the pooled connection
        assert connection.scalar(text("select devhealth_current_org()")) is None
    with admin_session(engine) as session:
        assert tuple(session.execute(text("select devhealth_current_org(), devhealth_admin_scope()")).one()) == (
            None, True)


def test_pre_ping_replaces_a_connection_the_server_dropped(engine: Engine) -> None:
    with admin_session(engine) as session:
        first_pid = session.scalar(text("select pg_backend_pid()"))
    with psycopg.connect(libpq_uri(), autocommit=True) as killer:
        killer.execute("select pg_terminate_backend(%s)", (first_pid,))
    with admin_session(engine) as session:
        assert session.scalar(text("select count(*) from organizations")) == 0


def test_an_unreachable_server_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://devhealth:topsecret@127.0.0.1:1/devhealth"
    monkeypatch.setenv("POSTGRES_URI", url)
    try:
        with pytest.raises(ConfigError, match="cannot reach PostgreSQL at POSTGRES_URI=") as raised, \
                admin_session(db.get_engine(url)) as session:
            session.execute(text("select 1"))
    finally:
        db.dispose_engine(url)
    assert "topsecret" not in str(raised.value) and "devhealth:***@127.0.0.1:1" in str(raised.value)
