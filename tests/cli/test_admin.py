"""`devhealth admin` end to end on pgserver: every command, the bad inputs, and no secret in any output."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from devhealth.semantic_db import db
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.secret_keys import Keyring
from devhealth.semantic_db.services import api_keys, credentials, organizations, users

DEVHEALTH = [sys.executable, "-m", "devhealth.cli", "admin"]
PASSWORD = "violet kettle on a bicycle"
SECRET = "glpat-Vx7Qm2ZrT9bK4nLp8sWd"


def admin(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], input=stdin if stdin is not None else "", capture_output=True,
                          text=True, env=env, timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in expected:
        assert part in lines[0]
    return lines[0]


@pytest.fixture
def secret_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def admin_env(cli_env: dict[str, str], semantic_database: str, secret_key: str) -> dict[str, str]:
    return {**cli_env, "POSTGRES_URI": semantic_database, "DEVHEALTH_SECRET_KEY": secret_key}


def _seed(url: str, keyring: Keyring | None = None) -> None:
    """Ann, owner of Acme (and Acme's github secret when a keyring is given), through the services."""
    with admin_session(db.get_engine(url)) as session:
        users.create_user(session, "ann@example.com", PASSWORD)
        org = organizations.create_organization(session, "Acme", "ann@example.com")
        if keyring is not None:
            credentials.set_credential(session, org.id, "github", SECRET, keyring=keyring)


def _counts(url: str) -> tuple[int, ...]:
    with admin_session(db.get_engine(url)) as session:
        return tuple(session.scalar(text(f"select count(*) from {table}"))
                     for table in ("users", "organizations", "memberships", "integration_credentials", "audit_logs"))


def test_admin_commands_end_to_end(admin_env: dict[str, str], semantic_database: str, secret_key: str) -> None:
    outputs = [
        ok(admin("create-user", "--email", "Ann@Example.com", "--password-stdin", env=admin_env, stdin=PASSWORD)),
        ok(admin("create-user", "--email", "bob@example.com", "--password-stdin", "--superuser", env=admin_env,
                 stdin=PASSWORD + "\n")),
        ok(admin("create-org", "--name", "Acme", "--owner-email", "ann@example.com", env=admin_env)),
        ok(admin("add-member", "--org", "Acme", "--email", "BOB@example.com", "--role", "viewer", env=admin_env)),
        ok(admin("set-credential", "--org", "Acme", "--provider", "gitlab", "--secret-stdin", env=admin_env,
                 stdin=SECRET)),
        ok(admin("map-identity", "--org", "Acme", "--person", "ann@example.com", "--provider", "gitlab",
                 "--kind", "login", "--value", "Ann.A", env=admin_env)),
        ok(admin("team", "create", "--org", "Acme", "--name", "payments", env=admin_env)),
        ok(admin("team", "add-member", "--org", "Acme", "--team", "payments", "--person", "ann@example.com",
                 env=admin_env)),
        ok(admin("team", "add-repo-pattern", "--org", "Acme", "--team", "payments", "--pattern", "acme/pay-*",
                 env=admin_env)),
    ]
    created_key = admin("create-api-key", "--org", "Acme", "--name", "grafana", "--permission", "metrics:read",
                        "--expires-days", "30", env=admin_env)
    api_key = ok(created_key).strip()
    assert "created user ann@example.com" in outputs[0] and "is viewer of Acme" in outputs[3]
    assert "shown once" in created_key.stderr and api_key.startswith("dh_")

    listed_users = json.loads(ok(admin("list-users", "--json", env=admin_env)))
    assert [(u["email"], u["is_superuser"], u["organizations"]) for u in listed_users] == [
        ("ann@example.com", False, ["Acme"]), ("bob@example.com", True, ["Acme"])]
    assert [o["name"] for o in json.loads(ok(admin("list-orgs", "--json", env=admin_env)))] == ["Acme"]
    listed_teams = json.loads(ok(admin("team", "list", "--org", "Acme", "--json", env=admin_env)))
    assert [(t["team"], t["members"], t["repo_patterns"]) for t in listed_teams] == [
        ("payments", ["ann@example.com"], ["acme/pay-*"])]
    table = ok(admin("list-orgs", env=admin_env))
    assert "Acme" in table and "┃" in table

    engine = db.get_engine(semantic_database)
    with admin_session(engine) as session:
        org_id = organizations.require_organization(session, "Acme").id
        keyring = Keyring((secret_key.encode(),), "test")
        assert credentials.read_credential(session, org_id, "gitlab", keyring=keyring) == SECRET
        assert api_keys.verify_api_key(session, api_key) is not None
        actions = list(session.scalars(text("select action from audit_logs order by id")))
        audit_text = session.scalar(text("select string_agg(a::text, ' ') from audit_logs a"))
    assert actions == ["user.create", "user.create", "organization.create", "membership.set", "credential.create",
                       "identity.map", "team.create", "team.add_member", "team.add_repo_pattern", "api_key.create"]
    everything_shown = " ".join(outputs) + audit_text + table + json.dumps([listed_users, listed_teams])
    for secret in (PASSWORD, SECRET, api_key):
        assert secret not in everything_shown


def test_migrate_creates_then_reports_current(cli_env: dict[str, str], empty_database: str) -> None:
    env = {**cli_env, "POSTGRES_URI": empty_database}
    unmigrated = admin("list-orgs", env=env)
    one_line_error(unmigrated, "revision none", "devhealth admin migrate")
    assert "(was empty)" in ok(admin("migrate", env=env))
    assert "already current" in ok(admin("migrate", env=env))
    assert json.loads(ok(admin("list-orgs", "--json", env=env))) == []
    one_line_error(admin("migrate", "--revision", "9999", env=env), "revision '9999'")


@pytest.mark.parametrize(("args", "stdin", "expected"), [
    (["create-user", "--email", "ANN@example.com", "--password-stdin"], PASSWORD,
     ["email 'ann@example.com' already exists"]),
    (["create-user", "--email", "new@example.com", "--password-stdin"], "tiny", ["too weak", "12 characters"]),
    (["create-user", "--email", "new@example.com", "--password-stdin"], "", ["password is empty"]),
    (["create-user", "--email", "new@example.com"], "", ["no password given", "--password-stdin"]),
    (["create-user", "--email", "not-an-email", "--password-stdin"], PASSWORD, ["'not-an-email' is not an email"]),
    (["create-org", "--name", "Globex", "--owner-email", "ghost@example.com"], None, ["unknown user"]),
    (["create-org", "--name", "Acme", "--owner-email", "ann@example.com"], None, ["'Acme' already exists"]),
    (["add-member", "--org", "Nowhere", "--email", "ann@example.com"], None, ["unknown organization 'Nowhere'"]),
    (["add-member", "--org", "Acme", "--email", "ann@example.com", "--role", "king"], None, ["role 'king'"]),
    (["set-credential", "--org", "Nowhere", "--provider", "github", "--secret-stdin"], SECRET,
     ["unknown organization 'Nowhere'"]),
    (["set-credential", "--org", "Acme", "--provider", "github", "--secret-stdin"], "", ["secret is empty"]),
    (["create-api-key", "--org", "Acme", "--name", "x", "--permission", "root"], None, ["permissions root"]),
    (["team", "add-member", "--org", "Acme", "--team", "ghosts", "--person", "a@b.c"], None, ["unknown team"]),
])
def test_bad_input_is_one_line_and_leaves_no_rows(admin_env: dict[str, str], semantic_database: str,
                                                  args: list[str], stdin: str | None, expected: list[str]) -> None:
    _seed(semantic_database)
    before = _counts(semantic_database)
    line = one_line_error(admin(*args, env=admin_env, stdin=stdin), *expected)
    assert _counts(semantic_database) == before
    assert "Traceback" not in line and SECRET not in line and PASSWORD not in line


def test_missing_secret_key_with_a_server_database(admin_env: dict[str, str], semantic_database: str) -> None:
    env = {k: v for k, v in admin_env.items() if k != "DEVHEALTH_SECRET_KEY"}
    _seed(semantic_database)
    result = admin("set-credential", "--org", "Acme", "--provider", "github", "--secret-stdin", env=env, stdin=SECRET)
    one_line_error(result, "DEVHEALTH_SECRET_KEY is not set")
    assert _counts(semantic_database)[3] == 0 and SECRET not in result.stdout + result.stderr
    assert not (Path(env["DEVHEALTH_HOME"]) / "secret.key").exists()


def test_wrong_postgres_uri_is_one_masked_line(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "POSTGRES_URI": "postgresql://devhealth:hunter2secret@127.0.0.1:1/devhealth"}
    for args in (["list-orgs"], ["migrate"]):
        line = one_line_error(admin(*args, env=env), "cannot reach PostgreSQL", "POSTGRES_URI=", "127.0.0.1:1")
        assert "hunter2secret" not in line
    one_line_error(admin("list-users", env={**cli_env, "POSTGRES_URI": "mysql://u:hunter2secret@h/x"}),
                   "POSTGRES_URI", "'mysql' is not PostgreSQL")


def test_rotate_key_with_the_variable(admin_env: dict[str, str], semantic_database: str, secret_key: str) -> None:
    _seed(semantic_database, Keyring((secret_key.encode(),), "test"))
    one_line_error(admin("rotate-key", env=admin_env), "holds one key", "NEW,OLD")
    new_key = Fernet.generate_key().decode()
    rotated = ok(admin("rotate-key", env={**admin_env, "DEVHEALTH_SECRET_KEY": f"{new_key},{secret_key}"}))
    assert "re-encrypted 1 credentials" in rotated and "remove the older keys" in rotated
    with admin_session(db.get_engine(semantic_database)) as session:
        org_id = organizations.require_organization(session, "Acme").id
        assert credentials.read_credential(session, org_id, "github",
                                           keyring=Keyring((new_key.encode(),), "new")) == SECRET


def test_embedded_default_key_and_no_plaintext_on_disk(cli_env: dict[str, str]) -> None:
    home = Path(cli_env["DEVHEALTH_HOME"])
    ok(admin("migrate", env=cli_env))
    ok(admin("create-user", "--email", "ann@example.com", "--password-stdin", env=cli_env, stdin=PASSWORD))
    ok(admin("create-org", "--name", "Acme", "--owner-email", "ann@example.com", env=cli_env))
    first = admin("set-credential", "--org", "Acme", "--provider", "github", "--secret-stdin", env=cli_env,
                  stdin=SECRET)
    second = admin("set-credential", "--org", "Acme", "--provider", "jira", "--secret-stdin", env=cli_env,
                   stdin=SECRET + "-jira")
    key_file = home / "secret.key"
    assert f"generated a secret key at {key_file} (mode 0600)" in ok(first) + first.stderr
    assert "generated" not in ok(second) + second.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    rotated = ok(admin("rotate-key", env=cli_env))
    assert "re-encrypted 2 credentials" in rotated and len(key_file.read_text().split()) == 1
    listed = ok(admin("list-users", "--json", env=cli_env))
    for path in home.rglob("*"):
        try:
            content = path.read_bytes() if path.is_file() else b""
        except (FileNotFoundError, PermissionError):  # PostgreSQL's temporary files come and go
            continue
        assert PASSWORD.encode() not in content and SECRET.encode() not in content, path
    assert PASSWORD not in listed and SECRET not in listed


def test_create_row_policies_for_the_semantic_layers_orgs(admin_env: dict[str, str], semantic_database: str) -> None:
    one_line_error(admin("create-row-policies", "--dry-run", env=admin_env), "no organization exists yet",
                   "devhealth admin create-org")
    _seed(semantic_database)
    with admin_session(db.get_engine(semantic_database)) as session:
        acme = organizations.require_organization(session, "Acme").id
    rendered = ok(admin("create-row-policies", "--dry-run", env=admin_env)).splitlines()
    assert rendered[0] == f"create role if not exists devhealth_bi_org_{acme};"
    assert (f"create row policy if not exists org_{acme}_dora_metrics_weekly on marts.dora_metrics_weekly "
            f"for select using org_id = '{acme}' to devhealth_bi_org_{acme};") in rendered
