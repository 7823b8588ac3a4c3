"""The service API other layers call: organizations, teams, identities, sync runs, settings, API keys."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import Engine, select, text

from devhealth.errors import InputError
from devhealth.semantic_db.db import DatabaseError, admin_session, org_session
from devhealth.semantic_db.models import ApiKey, SyncConfiguration
from devhealth.semantic_db.services import (
    api_keys,
    identities,
    org_settings,
    organizations,
    sync_configurations,
    sync_runs,
    teams,
    users,
)


def _count(engine: Engine, table: str) -> int:
    with admin_session(engine) as session:
        return session.scalar(text(f"select count(*) from {table}"))


def test_get_or_create_organization_is_idempotent(engine: Engine) -> None:
    with admin_session(engine) as session:
        first = organizations.get_or_create_organization(session, "  Acme   Corp ")
        again = organizations.get_or_create_organization(session, "Acme Corp")
        other = organizations.get_or_create_organization(session, "Globex")
        assert first == again and first.name == "Acme Corp" and other.id != first.id
        assert [o.name for o in organizations.list_organizations(session)] == ["Acme Corp", "Globex"]
        created = session.scalar(text("select count(*) from audit_logs where action = 'organization.create'"))
    assert created == 2


def test_teams_with_members_and_repo_patterns(engine: Engine) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        teams.create_team(session, org_id, "payments")
        teams.create_team(session, org_id, "core")
        teams.add_team_member(session, org_id, "payments", "Ann@Example.com")
        teams.add_team_member(session, org_id, "payments", "ann@example.com")
        teams.add_team_member(session, org_id, "payments", "bob@example.com")
        teams.add_repo_pattern(session, org_id, "payments", "acme/pay-*")
        teams.add_work_scope(session, org_id, "payments", "PAY")
        with pytest.raises(InputError, match="team 'core' already exists"):
            teams.create_team(session, org_id, "core")
        with pytest.raises(InputError, match="unknown team 'ghosts'"):
            teams.add_team_member(session, org_id, "ghosts", "x@example.com")
    with org_session(org_id, engine) as session:
        found = teams.teams_for_org(session, org_id)
    assert [(t.team, t.members, t.repo_patterns, t.work_scopes) for t in found] == [
        ("core", (), (), ()),
        ("payments", ("ann@example.com", "bob@example.com"), ("acme/pay-*",), ("PAY",)),
    ]


def test_identity_mappings_normalize_and_move(engine: Engine) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        identities.map_identity(session, org_id, "ann@example.com", "github", "login", "AnnGH", display_name="Ann")
        identities.map_identity(session, org_id, "ann@example.com", "jira", "account_id", "5b10ac8d82e05b22cc7d4ef5")
        identities.map_identity(session, org_id, "bob@example.com", "github", "login", "anngh")
        with pytest.raises(InputError, match="identity kind 'handle'"):
            identities.map_identity(session, org_id, "ann@example.com", "github", "handle", "x")
    with org_session(org_id, engine) as session:
        found = [(i.person, i.provider, i.kind, i.value, i.display_name)
                 for i in identities.identity_mappings_for_org(session, org_id)]
    assert found == [
        ("ann@example.com", "jira", "account_id", "5b10ac8d82e05b22cc7d4ef5", None),
        ("bob@example.com", "github", "login", "anngh", None),
    ]


def test_sync_run_lifecycle_stamps_its_configuration(engine: Engine) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        config_id = sync_configurations.configure_sync(session, org_id, "github", "repo", "acme/api",
                                                       ["prs", "git", "prs"], schedule="*/30 * * * *").id
    with org_session(org_id, engine) as session:
        run_id = sync_runs.start_sync_run(session, org_id, "github", scope="acme/api", configuration_id=config_id)
        sync_runs.update_sync_progress(session, run_id, 0.5, rows_loaded=120)
    with org_session(org_id, engine) as session:
        run = sync_runs.finish_sync_run(session, run_id, "failed", rows_loaded=150, error="HTTP 502 from api")
        with pytest.raises(InputError, match="already finished as failed"):
            sync_runs.finish_sync_run(session, run_id, "succeeded")
        config = session.get(SyncConfiguration, config_id)
    assert (run.status, run.rows_loaded, run.progress, run.error) == ("failed", 150, 0.5, "HTTP 502 from api")
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert (config.last_run_status, config.targets) == ("failed", ["git", "prs"])
    assert config.last_run_at is not None


@pytest.mark.parametrize(("key", "value", "message"), [
    ("lookback_days", 14, "is retired: every build recomputes the periods whose data changed"),
    ("bot_patterns", ["(?<!dependa)bot$"], "look-around or a back-reference"),
    ("timezone", "Mars/Olympus", "not an IANA time zone"),
    ("business_hours", {"start": "18:00", "end": "09:00"}, "start must come before end"),
    ("bot_patterns", ["[unclosed"], "is not a regular expression"),
    ("colour", "blue", "unknown setting 'colour'"),
])
def test_settings_are_validated_before_writing(engine: Engine, key: str, value: object, message: str) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        org_settings.set_setting(session, org_id, "timezone", "Europe/Paris")
    with pytest.raises(InputError, match=message), admin_session(engine) as session:
        org_settings.set_setting(session, org_id, key, value)
    with admin_session(engine) as session:
        org_settings.set_setting(session, org_id, "timezone", "UTC")
        assert org_settings.get_settings(session, org_id) == {"timezone": "UTC"}


def test_api_keys_store_a_hash_and_verify(engine: Engine) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        new = api_keys.create_api_key(session, org_id, "ci", ["metrics:read"], expires_in_days=7,
                                      rate_limit_per_minute=60)
        stored = session.scalar(select(ApiKey))
        logged = session.scalar(text("select string_agg(a::text, ' ') from audit_logs a"))
        assert api_keys.verify_api_key(session, new.key).id == new.id
        assert api_keys.verify_api_key(session, new.key[:-1] + ("A" if new.key[-1] != "A" else "B")) is None
        stored.expires_at = text("now() - interval '1 second'")
        session.flush()
        assert api_keys.verify_api_key(session, new.key) is None
        with pytest.raises(InputError, match="permissions delete:all not among"):
            api_keys.create_api_key(session, org_id, "bad", ["delete:all"])
    assert new.key.startswith(f"dh_{new.prefix}_") and stored.key_hash == api_keys.hash_key(new.key)
    assert new.key not in logged and new.key.split("_", 2)[2] not in stored.key_hash


def test_a_failed_admin_action_leaves_no_rows(engine: Engine) -> None:
    with admin_session(engine) as session:
        users.create_user(session, "ann@example.com", "a long enough passphrase")
    with pytest.raises(InputError, match=re.escape("email 'ann@example.com' already exists")), \
            admin_session(engine) as session:
        users.create_user(session, "ANN@example.com", "another long passphrase")
    with pytest.raises(InputError, match=re.escape("unknown user 'nobody@example.com'")), \
            admin_session(engine) as session:
        organizations.create_organization(session, "acme", "nobody@example.com")
    assert (_count(engine, "users"), _count(engine, "organizations"), _count(engine, "audit_logs")) == (1, 0, 1)


def test_audit_logs_are_append_only(engine: Engine) -> None:
    with admin_session(engine) as session:
        organizations.get_or_create_organization(session, "acme")
    for statement in ("update audit_logs set action = 'forged'", "delete from audit_logs",
                      "truncate audit_logs"):
        # the application's roles are not granted it; the owner, who is, meets the trigger
        with pytest.raises(DatabaseError, match="permission denied for table audit_logs"), \
                admin_session(engine) as session:
            session.execute(text(statement))
        with pytest.raises(Exception, match="audit_logs is append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    assert _count(engine, "audit_logs") == 1


def test_updated_at_follows_every_change(engine: Engine) -> None:
    with admin_session(engine) as session:
        org_id = organizations.get_or_create_organization(session, "acme").id
        teams.create_team(session, org_id, "core")
        before = session.execute(text("select created_at, updated_at from team_mappings")).one()
    time.sleep(0.01)
    with admin_session(engine) as session:
        session.execute(text("update team_mappings set team = team"))  # no change: no new timestamp
        unchanged = session.scalar(text("select updated_at from team_mappings"))
    with admin_session(engine) as session:
        session.execute(text("update team_mappings set work_scopes = '{CORE}'"))
        after = session.scalar(text("select updated_at from team_mappings"))
    assert before.created_at == before.updated_at == unchanged and after > before.updated_at
