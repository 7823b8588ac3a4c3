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
from devhealth.semantic_db.models import PERMISSIONS, ApiKey
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


def verify_api_key(session: Session, key: str) -> ApiKey | None:
    """The live key row matching `key` (not revoked, not expired), else None; marks it used.

    Call it in an `admin_session`: the key is what tells which organization is asking.
    """
    parts = key.split("_")
    if len(parts) < 3 or not key.startswith(KEY_PREFIX):
        return None
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key)):
        return None
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= datetime.now(UTC)):
        return None
    row.last_used_at = func.now()
    session.flush()
    return row
