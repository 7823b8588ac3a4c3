"""Credentials: Fernet round trip, the key file, key rotation, and no plaintext anywhere it could leak."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select, text

from devhealth.errors import ConfigError, InputError
from devhealth.semantic_db import secret_keys
from devhealth.semantic_db.db import admin_session, org_session
from devhealth.semantic_db.models import IntegrationCredential
from devhealth.semantic_db.secret_keys import Keyring, key_id, load_keyring
from devhealth.semantic_db.services import credentials, organizations

SECRET = "ghp_R3alLookingTokenValue0123456789abcd"


def _org(engine: Engine, name: str = "acme") -> int:
    with admin_session(engine) as session:
        return organizations.get_or_create_organization(session, name).id


def test_round_trip_stores_only_ciphertext(engine: Engine, keyring: Keyring) -> None:
    org_id = _org(engine)
    with admin_session(engine) as session:
        info = credentials.set_credential(session, org_id, "github", SECRET, keyring=keyring)
    assert info.key_id == keyring.primary_id and info.rotated_at is None
    with org_session(org_id, engine) as session:
        assert credentials.read_credential(session, org_id, "github", keyring=keyring) == SECRET
        stored = session.scalar(select(IntegrationCredential.encrypted_secret))
        dumped = session.scalar(text("select string_agg(t::text, ' ') from integration_credentials t"))
        logged = session.scalar(text("select string_agg(a::text, ' ') from audit_logs a"))
    assert SECRET.encode() not in stored and SECRET not in dumped
    assert SECRET not in logged and "credential.create" in logged


def test_replacing_a_secret_stamps_rotated_at(engine: Engine, keyring: Keyring) -> None:
    org_id = _org(engine)
    with admin_session(engine) as session:
        credentials.set_credential(session, org_id, "jira", "first-secret", keyring=keyring)
    with admin_session(engine) as session:
        info = credentials.set_credential(session, org_id, "jira", "second-secret", keyring=keyring)
        assert credentials.read_credential(session, org_id, "jira", keyring=keyring) == "second-secret"
        assert session.scalar(text("select count(*) from integration_credentials")) == 1
    assert info.rotated_at is not None


def test_rotation_re_encrypts_with_the_new_key(engine: Engine) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    org_a, org_b = _org(engine, "a"), _org(engine, "b")
    with admin_session(engine) as session:
        credentials.set_credential(session, org_a, "github", "secret-a", keyring=Keyring((old,), "old"))
        credentials.set_credential(session, org_b, "gitlab", "secret-b", keyring=Keyring((old,), "old"))
    with admin_session(engine) as session:
        result = credentials.rotate_credentials(session, Keyring((new, old), "new,old"))
    assert (result.rotated, result.already_current, result.key_id) == (2, 0, key_id(new))
    only_new, only_old = Keyring((new,), "new"), Keyring((old,), "old")
    with admin_session(engine) as session:
        assert credentials.read_credential(session, org_a, "github", keyring=only_new) == "secret-a"
        assert credentials.read_credential(session, org_b, "gitlab", keyring=only_new) == "secret-b"
        assert set(session.scalars(select(IntegrationCredential.key_id))) == {key_id(new)}
        with pytest.raises(ConfigError, match="cannot be decrypted") as raised:
            credentials.read_credential(session, org_a, "github", keyring=only_old)
        again = credentials.rotate_credentials(session, only_new)
    assert "secret-a" not in str(raised.value)
    assert (again.rotated, again.already_current) == (0, 2)


def test_embedded_key_file_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    environ = {"DEVHEALTH_HOME": str(tmp_path)}
    first = load_keyring(environ)
    second = load_keyring(environ)
    path = tmp_path / secret_keys.KEY_FILE
    assert first.created and not second.created and first.keys == second.keys
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rotated = secret_keys.add_new_key(second)
    assert rotated.keys[1:] == first.keys and stat.S_IMODE(path.stat().st_mode) == 0o600
    secret_keys.keep_only_primary(rotated)
    assert load_keyring(environ).keys == rotated.keys[:1]


def test_the_variable_wins_and_holds_several_keys(tmp_path: Path) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    keyring = load_keyring({"DEVHEALTH_HOME": str(tmp_path), "DEVHEALTH_SECRET_KEY": f" {new} , {old} "})
    assert keyring.keys == (new.encode(), old.encode()) and keyring.source == "DEVHEALTH_SECRET_KEY"
    assert not (tmp_path / secret_keys.KEY_FILE).exists()
    with pytest.raises(ConfigError, match="DEVHEALTH_SECRET_KEY is set"):
        secret_keys.add_new_key(keyring)


def test_a_server_database_needs_the_variable(tmp_path: Path) -> None:
    environ = {"DEVHEALTH_HOME": str(tmp_path), "POSTGRES_URI": "postgresql://u:pw@db.internal/devhealth"}
    with pytest.raises(ConfigError, match="DEVHEALTH_SECRET_KEY is not set") as raised:
        load_keyring(environ)
    assert ":pw@" not in str(raised.value) and not any(tmp_path.iterdir())


def test_a_malformed_key_is_named_not_shown() -> None:
    with pytest.raises(ConfigError, match="key 2 is not a Fernet key") as raised:
        load_keyring({"DEVHEALTH_SECRET_KEY": f"{Fernet.generate_key().decode()},not-a-real-key-value"})
    assert "not-a-real-key-value" not in str(raised.value)


@pytest.mark.parametrize(("provider", "secret", "message"), [
    ("github", "   ", "secret for provider 'github' is empty"),
    ("Git Hub", "x", "provider 'Git Hub' must be lower-case"),
])
def test_bad_credentials_are_refused_without_rows(engine: Engine, keyring: Keyring, provider: str, secret: str,
                                                  message: str) -> None:
    org_id = _org(engine)
    with pytest.raises(InputError, match=message), admin_session(engine) as session:
        credentials.set_credential(session, org_id, provider, secret, keyring=keyring)
    with admin_session(engine) as session:
        assert session.scalar(text("select count(*) from integration_credentials")) == 0
