"""`devhealth admin` taking things back, settings, work scopes and the audit log; `devhealth init` on a fresh home."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from devhealth.semantic_db import db
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.secret_keys import Keyring
from devhealth.semantic_db.services import credentials, organizations, sync_configurations, teams, users

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
PASSWORD = "violet kettle on a bicycle"
SECRET = "glpat-Vx7Qm2ZrT9bK4nLp8sWd"


def devhealth(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_settings_scopes_removals_and_the_audit_log(cli_env: dict[str, str], semantic_database: str) -> None:
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    env = {**cli_env, "POSTGRES_URI": semantic_database, "DEVHEALTH_SECRET_KEY": key.decode()}
    engine = db.get_engine(semantic_database)
    with admin_session(engine) as session:
        users.create_user(session, "ann@example.com", PASSWORD)
        users.create_user(session, "bob@example.com", PASSWORD)
        org = organizations.create_organization(session, "Acme", "ann@example.com")
        organizations.add_member(session, "Acme", "bob@example.com", "member")
        credentials.set_credential(session, org.id, "github", SECRET, keyring=Keyring((key,), "test"))
        sync_configurations.configure_sync(session, org.id, "jira", "project", "PAY", ["work-items"])
        teams.create_team(session, org.id, "payments")
        teams.add_repo_pattern(session, org.id, "payments", "acme/pay-*")

    admin = ("admin",)
    ok(devhealth(*admin, "settings", "set", "--org", "Acme", "--key", "timezone", "--value", "Europe/Paris", env=env))
    ok(devhealth(*admin, "settings", "set", "--org", "Acme", "--key", "working_days", "--value", "[1,2,3,4]",
                 env=env))
    assert "not an IANA time zone" in error_line(devhealth(*admin, "settings", "set", "--org", "Acme", "--key",
                                                           "timezone", "--value", "Mars/Olympus", env=env))
    shown = json.loads(ok(devhealth(*admin, "settings", "show", "--org", "Acme", "--json", env=env)))
    assert shown == {"timezone": "Europe/Paris", "working_days": [1, 2, 3, 4]}
    ok(devhealth(*admin, "settings", "unset", "--org", "Acme", "--key", "working_days", env=env))

    scoped = ok(devhealth(*admin, "team", "add-work-scope", "--org", "Acme", "--team", "payments", "--scope", "PAY",
                          env=env))
    assert "work scopes PAY" in scoped
    unpatterned = ok(devhealth(*admin, "team", "remove-repo-pattern", "--org", "Acme", "--team", "payments",
                               "--pattern", "acme/pay-*", env=env))
    assert "team payments: repo patterns (none)" in unpatterned
    assert "--person bob@example.com: not a member of team payments" in error_line(devhealth(
        *admin, "team", "remove-member", "--org", "Acme", "--team", "payments", "--person", "bob@example.com", env=env))
    assert "has no repo pattern 'acme/x'" in error_line(devhealth(
        *admin, "team", "remove-repo-pattern", "--org", "Acme", "--team", "payments", "--pattern", "acme/x", env=env))
    assert "last owner" in error_line(devhealth(*admin, "remove-member", "--org", "Acme", "--email",
                                                "ann@example.com", env=env))
    ok(devhealth(*admin, "remove-member", "--org", "Acme", "--email", "bob@example.com", env=env))
    ok(devhealth(*admin, "deactivate-user", "--email", "bob@example.com", env=env))
    ok(devhealth(*admin, "delete-credential", "--org", "Acme", "--provider", "github", env=env))
    ok(devhealth(*admin, "remove-sync", "--org", "Acme", "--provider", "jira", "--scope", "PAY", env=env))

    with admin_session(engine) as session:
        org_id = organizations.require_organization(session, "Acme").id
        assert [(t.team, t.repo_patterns, t.work_scopes) for t in teams.teams_for_org(session, org_id)] == [
            ("payments", (), ("PAY",))]
        assert users.authenticate(session, "bob@example.com", PASSWORD) is None
        assert session.scalar(text("select count(*) from memberships")) == 1
        assert credentials.list_credentials(session, org_id) == []
        assert sync_configurations.sync_configurations_for_org(session, org_id) == []

    audit = json.loads(ok(devhealth(*admin, "audit", "--org", "Acme", "--limit", "8", "--json", env=env)))
    assert [row["action"] for row in audit] == [
        "sync_configuration.delete", "credential.delete", "membership.remove", "team.remove_repo_pattern",
        "team.add_work_scope", "setting.unset", "setting.set", "setting.set"]
    assert audit[0]["target"] == "jira:project:PAY"
    # deactivating a user belongs to no organization: the whole log shows it, filtered by action
    users_audit = json.loads(ok(devhealth(*admin, "audit", "--action", "user.", "--json", env=env)))
    assert [(row["action"], row["target"]) for row in users_audit] == [
        ("user.deactivate", "bob@example.com"), ("user.create", "bob@example.com"),
        ("user.create", "ann@example.com")]
    table = ok(devhealth(*admin, "audit", "--org", "Acme", env={**env, "COLUMNS": "250"}))
    assert "credential.delete" in table and SECRET not in table

    ok(devhealth(*admin, "team", "delete", "--org", "Acme", "--team", "payments", env=env))
    assert json.loads(ok(devhealth(*admin, "team", "list", "--org", "Acme", "--json", env=env))) == []


@pytest.mark.parametrize("server", ["embedded", "POSTGRES_URI"])
def test_init_makes_a_fresh_home_ready_and_reruns_quietly(cli_env: dict[str, str], server: str,
                                                          request: pytest.FixtureRequest) -> None:
    # on the embedded server a newcomer gets, the rerun logs in as the roles the first run's migration made
    env = cli_env if server == "embedded" else {**cli_env, "POSTGRES_URI": request.getfixturevalue("empty_database")}
    if server == "embedded":  # before init, status shows what there is and says, in one line, what it cannot
        unmigrated = json.loads(ok(devhealth("status", "--json", env=env)))
        assert unmigrated["sync_runs"] == [] and unmigrated["rows_out_of_time_range"] is None  # not "none"
        assert "run `devhealth admin migrate`" in unmigrated["sync_runs_unavailable"]
    first = ok(devhealth("init", "--org", "Acme", "--email", "Ann@Example.com", "--password-stdin", env=env,
                         stdin=PASSWORD))
    assert "migrated" in first and "created user ann@example.com (superuser)" in first
    assert "created organization Acme owned by ann@example.com" in first
    again = ok(devhealth("init", "--org", "Acme", "--email", "ann@example.com", env=env))
    assert "already current" in again and "user ann@example.com exists" in again and "Acme exists" in again
    listed = json.loads(ok(devhealth("admin", "list-users", "--json", env=env)))
    assert [(u["email"], u["is_superuser"], u["organizations"]) for u in listed] == [
        ("ann@example.com", True, ["Acme"])]
    if server == "embedded":
        assert json.loads(ok(devhealth("status", "--json", env=env)))["sync_runs_unavailable"] is None
