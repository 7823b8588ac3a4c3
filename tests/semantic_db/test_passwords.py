"""PBKDF2-SHA256 password hashes: format, verification, strength rules and the upgrade on login."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from devhealth.errors import InputError
from devhealth.semantic_db import passwords
from devhealth.semantic_db.db import admin_session
from devhealth.semantic_db.models import User
from devhealth.semantic_db.services import users

PASSWORD = "tulips in the rain 42"


def test_hash_is_self_describing_and_salted() -> None:
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    algorithm, iterations, salt, digest = first.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 600_000
    assert len(salt) >= 16 and len(digest) == 43  # 32 bytes, base64 without padding
    assert first != second and PASSWORD not in first


def test_verify_accepts_only_the_password() -> None:
    encoded = passwords.hash_password(PASSWORD, iterations=1_000)
    assert passwords.verify_password(PASSWORD, encoded)
    assert not passwords.verify_password(PASSWORD + " ", encoded)
    assert not passwords.verify_password(PASSWORD, encoded.replace("pbkdf2_sha256", "md5"))
    assert not passwords.verify_password(PASSWORD, "pbkdf2_sha256$x$y$z")
    assert passwords.needs_rehash(encoded) and not passwords.needs_rehash(passwords.hash_password(PASSWORD))


@pytest.mark.parametrize(("password", "message"), [
    ("", "password is empty"),
    ("short1!", "at least 12 characters"),
    ("abababababababab", "at least 5 different characters"),
])
def test_weak_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as raised:
        passwords.check_strength(password)
    assert password == "" or password not in str(raised.value)


def test_login_upgrades_an_old_iteration_count(engine: Engine) -> None:
    with admin_session(engine) as session:
        user = users.create_user(session, "Old.Timer@Example.com", PASSWORD)
        user.password_hash = passwords.hash_password(PASSWORD, iterations=100_000)
    with admin_session(engine) as session:
        assert users.authenticate(session, "old.timer@example.com", "wrong password here") is None
        stored = session.scalar(select(User.password_hash).where(User.email == "old.timer@example.com"))
        assert stored.split("$")[1] == "100000"
        assert users.authenticate(session, "OLD.TIMER@example.com", PASSWORD) is not None
    with admin_session(engine) as session:
        user = session.scalar(select(User).where(User.email == "old.timer@example.com"))
    assert user.password_hash.split("$")[1] == str(passwords.ITERATIONS)
    assert passwords.verify_password(PASSWORD, user.password_hash)
    assert user.last_login_at is not None


def test_unknown_users_and_users_without_password_do_not_sign_in(engine: Engine) -> None:
    with admin_session(engine) as session:
        users.create_user(session, "sso@example.com", None)
        assert users.authenticate(session, "sso@example.com", PASSWORD) is None
        assert users.authenticate(session, "nobody@example.com", PASSWORD) is None
