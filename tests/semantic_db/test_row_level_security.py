"""Row-level security, checked as a role that is neither superuser nor BYPASSRLS (superusers skip RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from devhealth.semantic_db.db import ADMIN_ROLE, APP_ROLE, DatabaseError, admin_session, org_session
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


def _login_engine(engine: Engine, *grants: str) -> Iterator[Engine]:
    """An engine that logs in (no SET ROLE from a superuser session) as a fresh ordinary role given `grants`."""
    role = f"login_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        connection.execute(text(f"create role {role} login nosuperuser nobypassrls"))
        for group in grants:
            connection.execute(text(f"grant {group} to {role}"))
    restricted = create_engine(engine.url.set(username=role, password=None), poolclass=pool.NullPool)
    yield restricted
    restricted.dispose()
    with engine.begin() as connection:
        connection.execute(text(f"drop owned by {role}"))
        connection.execute(text(f"drop role {role}"))


@pytest.fixture
def app_engine(engine: Engine) -> Iterator[Engine]:
    """As an application's login: an ordinary role granted `devhealth_app` only."""
    yield from _login_engine(engine, APP_ROLE)


@pytest.fixture
def admin_engine(engine: Engine) -> Iterator[Engine]:
    """As an operator's login: an ordinary role granted `devhealth_admin`."""
    yield from _login_engine(engine, ADMIN_ROLE)


def _populate(session: Session, name: str, keyring) -> int:
    users.create_user(session, f"lead@{name}.example", "a long enough passphrase")
    org = organizations.create_organization(session, name, f"lead@{name}.example")
    teams.create_team(session, org.id, "platform")
    teams.add_team_member(session, org.id, "platform", f"dev@{name}.example")
    identities.map_identity(session, org.id, f"dev@{name}.example", "github", "login", f"{name}-dev")
    credentials.set_credential(session, org.id, "github", f"token-of-{name}", keyring=keyring)
    org_settings.set_setting(session, org.id, "working_days", [1, 2, 3, 4])
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


def test_the_roles_really_are_unprivileged(app_engine: Engine, admin_engine: Engine) -> None:
    for login in (app_engine, admin_engine):
        with login.connect() as connection:
            flags = connection.execute(text("select rolsuper, rolbypassrls from pg_roles "
                                            "where rolname = session_user")).one()
        assert tuple(flags) == (False, False)
    with org_session(1, app_engine) as session:
        assert session.execute(text("select rolsuper, rolbypassrls from pg_roles "
                                    "where rolname = current_user")).one() == (False, False)


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


def test_writes_into_another_org_are_refused(app_engine: Engine, admin_engine: Engine,
                                             two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with pytest.raises(DatabaseError, match="row-level security"), org_session(acme, app_engine) as session:
        session.add(TeamMapping(org_id=globex, team="intruders", members=[], repo_patterns=[], work_scopes=[]))
        session.flush()
    with org_session(acme, app_engine) as session:
        moved = session.execute(text("update team_mappings set team = 'renamed' where org_id = :org"),
                                {"org": globex})
        assert moved.rowcount == 0
    with admin_session(admin_engine) as session:
        assert sorted(t.team for t in teams.teams_for_org(session, globex)) == ["platform"]


def test_admin_scope_spans_orgs_and_audits_per_org(app_engine: Engine, admin_engine: Engine,
                                                   two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with admin_session(admin_engine) as session:
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


def _raw_session_reads(login: Engine, org_id: int, claims: list[str]) -> dict[str, set]:
    """What a hand-written session of `login` reads after running `claims`: no service code in between."""
    with login.connect() as connection:
        connection.execute(text("select set_config('devhealth.org_id', :org, false)"), {"org": str(org_id)})
        for claim in claims:
            connection.execute(text(claim))
        return {
            "credential orgs": set(connection.scalars(text("select org_id from integration_credentials"))),
            "password hashes": set(connection.scalars(text("select email from users where password_hash is not null"))),
            "team orgs": set(connection.scalars(text("select org_id from team_mappings"))),
        }


def test_an_ordinary_role_cannot_claim_the_admin_scope(app_engine: Engine, two_orgs: tuple[int, int]) -> None:
    acme, _ = two_orgs
    own = {"credential orgs": {acme}, "password hashes": {"lead@acme.example"}, "team orgs": {acme}}
    assert _raw_session_reads(app_engine, acme, []) == own
    for claim in ("select set_config('devhealth.admin_scope', 'on', false)", "set devhealth.admin_scope = 'on'"):
        assert _raw_session_reads(app_engine, acme, [claim]) == own, claim
    with pytest.raises(DatabaseError, match=f"may not act as {ADMIN_ROLE}.*grant {ADMIN_ROLE} to it"), \
            admin_session(app_engine) as session:
        session.execute(text("select 1"))
    for escalation in (f"set role {ADMIN_ROLE}", "grant devhealth_admin to current_user",
                       "alter role current_user bypassrls", "reset role; select set_config("
                       "'devhealth.admin_scope', 'on', false)"):
        with pytest.raises(DatabaseError, match=r"permission denied|must be superuser"), \
                org_session(acme, app_engine) as session:
            session.execute(text(escalation))
            session.execute(text(f"set local role {ADMIN_ROLE}"))


def test_an_org_session_cannot_read_another_org(app_engine: Engine, keyring, two_orgs: tuple[int, int]) -> None:
    acme, globex = two_orgs
    with org_session(acme, app_engine) as session:
        session.execute(text("select set_config('devhealth.admin_scope', 'on', true)"))
        stolen = session.execute(text("select c.org_id, u.email from integration_credentials c "
                                      "full join users u on true where c.org_id = :globex or u.email like '%globex%'"),
                                 {"globex": globex}).all()
        directory = organizations.directory(session)
    assert stolen == []
    # the directory names organizations to resolve `--org`; nothing else crosses
    assert [(org.id, org.name) for org in directory] == [(acme, "acme"), (globex, "globex")]


def test_the_embedded_logins_are_ordinary_roles(engine: Engine, two_orgs: tuple[int, int]) -> None:
    from devhealth.postgres import session_uri

    acme, _ = two_orgs
    database = engine.url.database
    service = create_engine(make_url(session_uri()).set(database=database), poolclass=pool.NullPool)
    operator = create_engine(make_url(session_uri(admin=True)).set(database=database), poolclass=pool.NullPool)
    try:
        assert (service.url.username, operator.url.username) == ("devhealth_service", "devhealth_operator")
        for login in (service, operator):
            with login.connect() as connection:
                assert connection.execute(text("select rolsuper, rolbypassrls from pg_roles "
                                               "where rolname = session_user")).one() == (False, False)
        with org_session(acme, service) as session:
            assert {row.name for row in organizations.list_organizations(session)} == {"acme"}
        assert _raw_session_reads(service, acme, ["select set_config('devhealth.admin_scope', 'on', false)"]
                                  )["credential orgs"] == {acme}
        with pytest.raises(DatabaseError, match="'devhealth_service' may not act as devhealth_admin"), \
                admin_session(service) as session:
            session.execute(text("select 1"))
        with admin_session(operator) as session:
            assert [org.name for org in organizations.list_organizations(session)] == ["acme", "globex"]
    finally:
        service.dispose()
        operator.dispose()


def test_a_sync_runs_on_a_login_granted_only_devhealth_app(app_engine: Engine,
                                                           two_orgs: tuple[int, int]) -> None:
    from devhealth.errors import InputError
    from devhealth.orgs import list_orgs, recorded_sync, resolve_org

    _, globex = two_orgs
    org = resolve_org("globex", app_engine)
    assert (org.semantic_id, org.name) == (globex, "globex")
    assert [ref.name for ref in list_orgs(app_engine)] == ["acme", "globex"]
    with pytest.raises(InputError, match="--org 'initech': unknown organization; choose one of acme, globex"):
        resolve_org("initech", app_engine)
    with recorded_sync(org, "git", "globex/api", engine=app_engine) as record:
        record.rows_loaded = 7
    with org_session(globex, app_engine) as session:
        latest = sync_runs.recent_sync_runs(session, globex, limit=1)[0]
    assert (latest.status, latest.rows_loaded, latest.scope) == ("succeeded", 7, "globex/api")
