"""The audit trail: one append-only row per admin action, in the same transaction as the action."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from devhealth.semantic_db.models import AuditLog


def default_actor() -> str:
    """Who is acting: DEVHEALTH_ACTOR when a caller sets it, else the operating-system user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return os.environ.get("DEVHEALTH_ACTOR") or f"os:{user}"


def record(session: Session, action: str, *, org_id: int | None = None, target: str | None = None,
           details: dict[str, Any] | None = None, actor: str | None = None) -> None:
    """Append an audit row; `details` must never hold a secret (callers pass names and ids only)."""
    session.execute(text("select devhealth_ensure_audit_partition(now())"))
    session.add(AuditLog(org_id=org_id, actor=actor or default_actor(), action=action, target=target,
                         details=details or {}))
    session.flush()


def recent(session: Session, limit: int = 100) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
                                .limit(limit)))
