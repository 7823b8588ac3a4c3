"""Who is asking: the API key in `Authorization: Bearer dh_...`, checked against the semantic layer.

Each request's key is checked against its stored hash (constant-time compare), revocation, expiry and
permission, and marked used, then takes one unit of the key's per-minute rate limit. An accepted key is
remembered for a few seconds (`KEY_CACHE_SECONDS`, the bound on honouring a revocation). Every denial is
written to the audit log with its reason and the key's prefix when the key is known; the key itself never is.
"""

from __future__ import annotations

import hmac
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

READ_PERMISSION = "metrics:read"
WINDOW_SECONDS = 60.0
AUDIT_ACTOR = "api"
# how long an accepted key is taken on trust: the bound on honouring a revocation or a permission change
KEY_CACHE_SECONDS = 5.0
# how often remembered keys' uses are written to last_used_at
USAGE_FLUSH_SECONDS = 5.0


@dataclass(frozen=True)
class Caller:
    """The organization a request reads for, from its key: the `org_id` the marts carry."""

    org_id: str
    key_id: int
    prefix: str


class Denied(Exception):
    """A request the API refuses: its HTTP status, one-line message and headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class RateLimiter:
    """At most `limit` requests per key in any 60 seconds (a sliding log of the last `limit` request times)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[int, deque[float]] = {}

    def acquire(self, key_id: int, limit: int) -> float | None:
        """None when the request may go ahead (and counts), else the seconds until it may."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key_id, deque())
            while seen and seen[0] <= now - WINDOW_SECONDS:
                seen.popleft()
            while len(seen) > limit:  # the limit was lowered since
                seen.popleft()
            if len(seen) >= limit:
                return seen[0] + WINDOW_SECONDS - now
            seen.append(now)
            return None


_REASONS = {
    "missing": (401, "missing API key: send the header Authorization: Bearer dh_..."),
    "malformed": (401, "malformed API key: expected the header Authorization: Bearer dh_<prefix>_<secret>"),
    "unknown": (401, "invalid API key"),
    "revoked": (401, "API key {prefix} is revoked"),
    "expired": (401, "API key {prefix} has expired"),
    "permission": (403, "API key {prefix} lacks the permission " + READ_PERMISSION),
}


def bearer_token(header: str | None) -> str | None:
    """The token of `Bearer <token>`, '' when the header is absent, None when it is not a bearer token."""
    if header is None or not header.strip():
        return ""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or " " in token.strip():
        return None
    return token.strip()


@dataclass(frozen=True)
class Verified:
    """A key the semantic layer accepted, as the server remembers it for `cache_seconds`."""

    caller: Caller
    key_hash: str
    expires_at: datetime | None
    rate_limit_per_minute: int | None
    verified_at: float  # on the authenticator's monotonic clock


class Authenticator:
    """Checks keys against the semantic layer, and remembers an accepted key for a few seconds.

    Asking PostgreSQL on every request (a transaction, its role and settings, the lookup, the
    last_used_at update) costs more than most dashboard queries. So an accepted key is kept in memory for
    `cache_seconds`: within that bound a request is checked against the remembered hash (constant-time,
    as in the database path), expiry and rate limit, without a round trip. A revocation or a change of
    permission is therefore honoured within `cache_seconds`; expiry at once. A remembered key's uses are
    written to last_used_at in one batch by `flush_usage`, which the app calls every few seconds.
    Denials always go to the database, and are audited there.
    """

    def __init__(self, engine: Engine, limiter: RateLimiter | None = None, *,
                 cache_seconds: float = KEY_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.engine = engine
        self.limiter = limiter or RateLimiter()
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._verified: dict[str, Verified] = {}  # by key prefix
        self._used: dict[int, datetime] = {}  # key id -> latest use not yet written

    def authenticate(self, authorization: str | None, path: str) -> Caller:
        """The caller of a request with this Authorization header, else `Denied` (audited)."""
        verified = self.remembered(authorization) or self.verify(authorization, path)
        self.admit(verified, path)
        return verified.caller

    def remembered(self, authorization: str | None) -> Verified | None:
        """The key of this header when it was accepted less than `cache_seconds` ago and has not expired
        since; None when the database must be asked. No I/O: callable from the event loop."""
        if self.cache_seconds <= 0:
            return None
        from devhealth.semantic_db.services.api_keys import hash_key, key_prefix

        token = bearer_token(authorization)
        prefix = key_prefix(token) if token else None
        if prefix is None:
            return None
        with self._lock:
            verified = self._verified.get(prefix)
        if verified is None:
            return None
        if (self._clock() - verified.verified_at >= self.cache_seconds
                or (verified.expires_at is not None and verified.expires_at <= self._now())):
            self._forget(prefix)
            return None
        # a wrong secret under a known prefix goes to the database, which refuses and audits it
        if not hmac.compare_digest(verified.key_hash, hash_key(token)):
            return None
        with self._lock:
            self._used[verified.caller.key_id] = self._now()
        return verified

    def verify(self, authorization: str | None, path: str) -> Verified:
        """The key of this header as the semantic layer holds it (marked used), else `Denied`, audited."""
        from sqlalchemy import text

        from devhealth.semantic_db.db import admin_session
        from devhealth.semantic_db.services import api_keys, audit

        token = bearer_token(authorization)
        with admin_session(self.engine) as session:
            if token is None:
                check = api_keys.ApiKeyCheck(None, "malformed")
            else:
                check = api_keys.check_api_key(session, token, READ_PERMISSION)
            if check.key is None:
                reason = check.reason or "unknown"
                audit.record(session, "api_key.denied", org_id=check.org_id, target=check.prefix,
                             details={"reason": reason, "path": path}, actor=AUDIT_ACTOR)
                status, message = _REASONS[reason]
                denial = Denied(status, message.format(prefix=check.prefix),
                                {"WWW-Authenticate": "Bearer"} if status == 401 else {})
            else:
                # a use only moves last_used_at: its commit need not wait for the disk (denials, audited, do)
                session.execute(text("set local synchronous_commit = off"))
                denial = None
                key = check.key
                verified = Verified(Caller(org_id=str(key.org_id), key_id=key.id, prefix=key.prefix),
                                    key.key_hash, key.expires_at, key.rate_limit_per_minute, self._clock())
        if denial is not None:
            if check.prefix is not None:
                self._forget(check.prefix)
            raise denial
        if self.cache_seconds > 0:
            with self._lock:
                self._verified[verified.caller.prefix] = verified
        return verified

    def admit(self, verified: Verified, path: str) -> None:
        """Take one request of the key's rate limit, else `Denied` with 429 and Retry-After (audited)."""
        limit = verified.rate_limit_per_minute
        if limit is None:
            return
        wait = self.limiter.acquire(verified.caller.key_id, limit)
        if wait is None:
            return
        from devhealth.semantic_db.db import admin_session
        from devhealth.semantic_db.services import audit

        caller = verified.caller
        retry_after = max(1, math.ceil(wait))
        with admin_session(self.engine) as session:
            audit.record(session, "api_key.denied", org_id=int(caller.org_id), target=caller.prefix,
                         details={"reason": "rate_limit", "path": path, "limit_per_minute": limit},
                         actor=AUDIT_ACTOR)
        raise Denied(429, f"API key {caller.prefix} is over its rate limit of {limit} requests per minute; "
                     f"retry in {retry_after} s", {"Retry-After": str(retry_after)})

    def flush_usage(self) -> int:
        """Write the remembered keys' latest uses to last_used_at, in one statement; how many keys."""
        from sqlalchemy import text

        from devhealth.semantic_db.db import admin_session

        with self._lock:
            used, self._used = self._used, {}
        if not used:
            return 0
        try:
            with admin_session(self.engine) as session:
                session.execute(text("set local synchronous_commit = off"))
                # never backwards: a request verified by the database meanwhile may have written a later time
                session.execute(text("update api_keys set last_used_at = greatest(last_used_at, :used_at) "
                                     "where id = :key_id"),
                                [{"key_id": key_id, "used_at": at} for key_id, at in used.items()])
        except Exception:
            with self._lock:
                for key_id, at in used.items():
                    self._used[key_id] = max(at, self._used.get(key_id, at))
            raise
        return len(used)

    def _forget(self, prefix: str) -> None:
        with self._lock:
            self._verified.pop(prefix, None)
