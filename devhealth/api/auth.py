"""Who is asking: the API key in `Authorization: Bearer dh_...`, checked against the semantic layer.

Each request checks the key's stored hash (constant-time compare), revocation, expiry and permission,
marks it used, then takes one unit of the key's per-minute rate limit. Every denial is written to the
audit log with its reason and the key's prefix when the key is known; the key itself never is.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, text

READ_PERMISSION = "metrics:read"
WINDOW_SECONDS = 60.0
AUDIT_ACTOR = "api"


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


class Authenticator:
    def __init__(self, engine: Engine, limiter: RateLimiter | None = None) -> None:
        self.engine = engine
        self.limiter = limiter or RateLimiter()

    def authenticate(self, authorization: str | None, path: str) -> Caller:
        """The caller of a request with this Authorization header, else `Denied` (audited)."""
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
                caller = Caller(org_id=str(check.key.org_id), key_id=check.key.id, prefix=check.key.prefix)
                limit = check.key.rate_limit_per_minute
        if denial is not None:
            raise denial
        if limit is not None:
            wait = self.limiter.acquire(caller.key_id, limit)
            if wait is not None:
                retry_after = max(1, math.ceil(wait))
                with admin_session(self.engine) as session:
                    audit.record(session, "api_key.denied", org_id=int(caller.org_id), target=caller.prefix,
                                 details={"reason": "rate_limit", "path": path, "limit_per_minute": limit},
                                 actor=AUDIT_ACTOR)
                raise Denied(429, f"API key {caller.prefix} is over its rate limit of {limit} requests per minute; "
                             f"retry in {retry_after} s", {"Retry-After": str(retry_after)})
        return caller
