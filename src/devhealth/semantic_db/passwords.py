"""Password hashing: PBKDF2-SHA256 stored self-describing as `pbkdf2_sha256$<iterations>$<salt>$<hash>`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from devhealth.errors import InputError

ALGORITHM = "pbkdf2_sha256"
# OWASP's 2023 figure for PBKDF2-HMAC-SHA256; hashes with fewer iterations are upgraded on login.
ITERATIONS = 600_000
SALT_BYTES = 16
MIN_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def check_strength(password: str) -> None:
    """Refuse empty and weak passwords, saying why without echoing the password."""
    if not password:
        raise InputError("password is empty")
    if len(password) < MIN_LENGTH:
        raise InputError(f"password is too weak: use at least {MIN_LENGTH} characters")
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        raise InputError(f"password is too weak: use at least {MIN_DISTINCT_CHARACTERS} different characters")


def hash_password(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def _parse(encoded: str) -> tuple[int, bytes, bytes] | None:
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
        return None
    try:
        return int(parts[1]), _unb64(parts[2]), _unb64(parts[3])
    except ValueError:
        return None


def verify_password(password: str, encoded: str) -> bool:
    """Whether `password` matches `encoded`; the digests are compared in constant time."""
    parsed = _parse(encoded)
    if parsed is None:
        return False
    iterations, salt, expected = parsed
    actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(actual, expected)


def needs_rehash(encoded: str) -> bool:
    parsed = _parse(encoded)
    return parsed is None or parsed[0] < ITERATIONS
