"""Row-level security, checked as a role that is neither superuser nor BYPASSRLS (superusers skip RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, event, pool, text
from sqlalchemy.orm import Session

from devhealth.semantic_db.db import DatabaseError, admin_session, org_session
from devhealth.semantic_db.models import ORG_SCOPED_TABLES, TeamMapping
from devhealth.semantic_db.services import (
    api_keys,
    audit,
    credentials,
    identities,
    org_settings,
    organizations,
    sync_configurations,
    sync_runs,
    teams,
    users,
)


@pytest.fixture
def app_engine(engine: Engine) -> Iterator[Engine]:
    """Connections that `SET ROLE` to a fresh unprivileged role granted plain DML, as an application would be."""
    role = f"app_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f"create role {role} nologin nosuperuser nobypassrls"))
        connection.execute(text(f"grant usage on schema public to {role}"))
        connection.execute(text(f"grant select, insert, update, delete on all tables in schema public to {role}"))
        connection.execute(text(f"grant usage, select on all sequences in schema public to {role}"))
    restricted = create_engine(engine.url, poolclass=pool.NullPool)

    @event.listens_for(restricted, "connect")
    def _set_role(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"set role {role}")
        dbapi_connection.commit()

    yield restricted
    restricted.dispose()
    with engine.begin() as connection:
        connection.execute(text(f"drop owned by {role}"))
        connection.execute(text(f"drop role {role}"))


def _populate(session: Session, name: str, keyring) -> int:
    users.create_user(session, f"lead@{name}.example", "a long enough passphrase")
    org = organizations.create_organization(session, name, f"lead@{name}.example")
    teams.create_team(session, org.id, "platform")
    teams.add_team_member(session, org.id, "platform", f"dev@{name}.example")
    identities.map_identity(session, org.id, f"dev@{name}.example", "github", "login", f"{name}-dev")
    credentials.set_credential(session, org.id, "github", f"token-of-{name}", keyring=keyring)
    org_settings.set_setting(session, org.id, "lookback_days", 30)
    configuration = sync_configurations.configure_sync(session, org.id, "github", "repo", f"{name}/api", ["prs"])
    sync_configurations.register_repository(session, org.id, "github", f"{name}/api")
    api_keys.create_api_key(session, org.id, "ci", ["metrics:read"])
    sync_runs.start_sync_run(session, org.id, "github", configuration_id=configuration.id)
    return org.id


@pytest.fixture
def two_orgs(engine: Engine, keyring) -> tuple[int, int]:
    with admin_session(engine) as session:
        return _populate(session, "acme", keyring), _populate(session, "globex", keyring)


def _org_ids(session: Session, table: str) -> set[int]:
    column = ORG_SCOPED_TABLES[table]
    return {row[0] for row in session.execute(text(f"select {column} from {table}"))}


def test_the_role_really_is_unprivileged(app_engine: Engine) -> None:
    with app_engine.connect() as connection:
        flags = connection.execute(text("select rolsuper, rolbypassrls from pg_roles "
                                        "where rolname = current_user")).one()
    assert tuple(flags) == (False, False)


def test_an_org_session_sees_only_its_org_in_every_table(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    for org_id in (acme, globex):
        with org_session(org_id, app_engine) as session:
            for table in ORG_SCOPED_TABLES:
                assert _org_ids(session, table) == {org_id}, table
            emails = set(session.scalars(text("select email from users")))
    assert emails == {"lead@globex.example"}


def test_a_query_for_another_org_returns_nothing(app_engine: Engine, keyring, two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with org_session(acme, app_engine) as session:
        assert teams.teams_for_org(session, globex) == []
        assert identities.identity_mappings_for_org(session, globex) == []
        assert [t.members for t in teams.teams_for_org(session, acme)] == [("dev@acme.example",)]
        assert credentials.read_credential(session, acme, "github", keyring=keyring) == "token-of-acme"
        with pytest.raises(Exception, match="no credential"):
            credentials.read_credential(session, globex, "github", keyring=keyring)


def test_without_an_org_nothing_is_visible(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    with Session(app_engine) as session:
        for table in [*ORG_SCOPED_TABLES, "users"]:
            assert session.scalar(text(f"select count(*) from {table}")) == 0, table


def test_writes_into_another_org_are_refused(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with pytest.raises(DatabaseError, match="row-level security"), org_session(acme, app_engine) as session:
        session.add(TeamMapping(org_id=globex, team="intruders", members=[], repo_patterns=[], work_scopes=[]))
        session.flush()
    with org_session(acme, app_engine) as session:
        moved = session.execute(text("update team_mappings set team = 'renamed' where org_id = :org"),
                                {"org": globex})
        assert moved.rowcount == 0
    with admin_session(app_engine) as session:
        assert sorted(t.team for t in teams.teams_for_org(session, globex)) == ["platform"]


def test_admin_scope_spans_orgs_and_audits_per_org(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with admin_session(app_engine) as session:
        assert [o.name for o in organizations.list_organizations(session)] == ["acme", "globex"]
        assert {row.org_id for row in audit.recent(session, 500)} == {None, acme, globex}
    with org_session(globex, app_engine) as session:
        actions = {row.action for row in audit.recent(session, 500)}
        assert {row.org_id for row in audit.recent(session, 500)} == {globex}
    assert {"organization.create", "credential.create", "team.create", "api_key.create"} <= actions


def test_unprivileged_role_gets_new_audit_partitions(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    acme, _ = two_orgs
    far = datetime(2031, 7, 15, tzinfo=UTC)
    with org_session(acme, app_engine) as session:
        name = session.scalar(text("select devhealth_ensure_audit_partition(:at)"), {"at": far})
        session.execute(text("insert into audit_logs (created_at, org_id, actor, action) "
                             "values (:at, :org, 'test', 'probe')"), {"at": far, "org": acme})
        stored_in = session.scalar(text("select tableoid::regclass::text from audit_logs where action = 'probe'"))
    assert name == stored_in == "audit_logs_p203107"
