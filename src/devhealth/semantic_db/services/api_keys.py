"""API keys: shown once at creation, stored as a SHA-256 hash (keys are random, so no slow hash is needed)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import PERMISSIONS, ApiKey, Organization
from devhealth.semantic_db.services import audit

KEY_PREFIX = "dh_"


@dataclass(frozen=True)
class NewApiKey:
    """The plaintext `key` exists only here: hand it to the user once."""

    id: int
    name: str
    prefix: str
    key: str
    permissions: tuple[str, ...]
    expires_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(session: Session, org_id: int, name: str, permissions: list[str], *,
                   expires_in_days: int | None = None, rate_limit_per_minute: int | None = None,
                   actor: str | None = None) -> NewApiKey:
    unknown = sorted(set(permissions) - set(PERMISSIONS))
    if unknown or not permissions:
        raise InputError(f"permissions {', '.join(unknown) or '(none)'} not among {', '.join(PERMISSIONS)}")
    if not name.strip():
        raise InputError("API key name is empty")
    if expires_in_days is not None and expires_in_days <= 0:
        raise InputError(f"expiry of {expires_in_days} days is not in the future")
    if rate_limit_per_minute is not None and rate_limit_per_minute <= 0:
        raise InputError(f"rate limit {rate_limit_per_minute} per minute must be positive")
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    row = ApiKey(org_id=org_id, name=name.strip(), prefix=prefix, key_hash=hash_key(key),
                 permissions=sorted(set(permissions)), expires_at=expires_at,
                 rate_limit_per_minute=rate_limit_per_minute)
    session.add(row)
    session.flush()
    audit.record(session, "api_key.create", org_id=org_id, target=f"{name.strip()} ({prefix})",
                 details={"prefix": prefix, "permissions": row.permissions,
                          "expires_at": expires_at.isoformat() if expires_at else None}, actor=actor)
    return NewApiKey(id=row.id, name=row.name, prefix=prefix, key=key, permissions=tuple(row.permissions),
                     expires_at=expires_at)


@dataclass(frozen=True)
class ApiKeyCheck:
    """The outcome of checking a presented key: `key` is set only when it may be used.

    `reason` says why not (missing, malformed, unknown, revoked, expired, permission), for the audit and
    the caller's one-line answer; `prefix` and `org_id` are set once the key is known, to name it in the audit.
    """

    key: ApiKey | None
    reason: str | None = None
    prefix: str | None = None
    org_id: int | None = None


def key_prefix(key: str) -> str | None:
    """The prefix of a well-formed key (dh_<8 hex>_<token>), else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    prefix, _, token = key[len(KEY_PREFIX):].partition("_")
    if len(prefix) != 8 or not token or any(c not in "0123456789abcdef" for c in prefix):
        return None
    return prefix


def check_api_key(session: Session, key: str, permission: str | None = None) -> ApiKeyCheck:
    """Check `key` against the stored hashes (constant-time compare), revocation, expiry and `permission`.

    A key holding `admin` holds every permission. On success `last_used_at` is set. Call it in an
    `admin_session`: the key is what tells which organization is asking.
    """
    if not key:
        return ApiKeyCheck(None, "missing")
    prefix = key_prefix(key)
    if prefix is None:
        return ApiKeyCheck(None, "malformed")
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    # compare against a hash even when no row matches, so the answer takes as long either way
    stored = row.key_hash if row is not None else hash_key(KEY_PREFIX)
    if not hmac.compare_digest(stored, hash_key(key)) or row is None:
        return ApiKeyCheck(None, "unknown")
    if row.revoked_at is not None:
        return ApiKeyCheck(None, "revoked", prefix, row.org_id)
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        return ApiKeyCheck(None, "expired", prefix, row.org_id)
    if permission is not None and permission not in row.permissions and "admin" not in row.permissions:
        return ApiKeyCheck(None, "permission", prefix, row.org_id)
    row.last_used_at = func.now()
    session.flush()
    return ApiKeyCheck(row, None, prefix, row.org_id)


def verify_api_key(session: Session, key: str) -> ApiKey | None:
    """The live key row matching `key` (not revoked, not expired), else None; marks it used.

    Call it in an `admin_session`: the key is what tells which organization is asking.
    """
    return check_api_key(session, key).key


@dataclass(frozen=True)
class ApiKeyInfo:
    """A stored key as admins see it: never the key, nor its hash."""

    id: int
    org: str
    name: str
    prefix: str
    permissions: tuple[str, ...]
    rate_limit_per_minute: int | None
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


def list_api_keys(session: Session, org_id: int | None = None) -> list[ApiKeyInfo]:
    """Every key (of `org_id` when given), oldest first."""
    query = select(ApiKey, Organization.name).join(Organization, Organization.id == ApiKey.org_id)
    if org_id is not None:
        query = query.where(ApiKey.org_id == org_id)
    return [ApiKeyInfo(id=row.id, org=org_name, name=row.name, prefix=row.prefix,
                       permissions=tuple(row.permissions), rate_limit_per_minute=row.rate_limit_per_minute,
                       expires_at=row.expires_at, last_used_at=row.last_used_at, revoked_at=row.revoked_at,
                       created_at=row.created_at)
            for row, org_name in session.execute(query.order_by(ApiKey.id))]


def revoke_api_key(session: Session, prefix: str, *, actor: str | None = None) -> ApiKeyInfo:
    """Revoke the key shown as `prefix`; revoking a revoked key keeps its first revocation time.

    Raises:
        InputError: no key has that prefix.
    """
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix.strip()))
    if row is None:
        raise InputError(f"--prefix {prefix.strip()!r}: no API key has that prefix "
                         "(see `devhealth admin list-api-keys`)")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.flush()
        audit.record(session, "api_key.revoke", org_id=row.org_id, target=f"{row.name} ({row.prefix})",
                     details={"prefix": row.prefix}, actor=actor)
    return next(info for info in list_api_keys(session, row.org_id) if info.id == row.id)
