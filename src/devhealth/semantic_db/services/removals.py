"""Taking things back: members, users, teams (and what they own), credentials, sync configurations, settings.

Each function refuses with InputError naming what it could not find, changes nothing else, and records
the removal in the audit log in the same transaction. Removing what is already gone is an error, so a
typo in a name never reads as success.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import (
    AuditLog,
    IntegrationCredential,
    Membership,
    Setting,
    SyncConfiguration,
    TeamMapping,
)
from devhealth.semantic_db.services import audit
from devhealth.semantic_db.services.organizations import require_organization
from devhealth.semantic_db.services.teams import TeamInfo, store_team_list
from devhealth.semantic_db.services.teams import _info as team_info
from devhealth.semantic_db.services.teams import _require as require_team
from devhealth.semantic_db.services.users import require_user


def remove_member(session: Session, org_name: str, email: str, *, actor: str | None = None) -> None:
    """Take a user out of an organization; its last owner stays, so the organization is never orphaned."""
    org = require_organization(session, org_name)
    user = require_user(session, email)
    membership = session.scalar(select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id))
    if membership is None:
        raise InputError(f"{user.email} is not a member of {org.name}")
    if membership.role == "owner":
        owners = session.scalar(select(func.count()).select_from(Membership)
                                .where(Membership.org_id == org.id, Membership.role == "owner"))
        if owners == 1:
            raise InputError(f"{user.email} is the last owner of {org.name}: make another member owner first")
    session.delete(membership)
    session.flush()
    audit.record(session, "membership.remove", org_id=org.id, target=user.email,
                 details={"role": membership.role}, actor=actor)


def set_user_active(session: Session, email: str, active: bool, *, actor: str | None = None) -> bool:
    """Deactivate (no sign-in, rows kept for the audit trail) or reactivate a user; returns whether it changed."""
    user = require_user(session, email)
    if user.is_active == active:
        return False
    user.is_active = active
    session.flush()
    audit.record(session, "user.activate" if active else "user.deactivate", target=user.email,
                 details={"user_id": user.id}, actor=actor)
    return True


def delete_team(session: Session, org_id: int, team: str, *, actor: str | None = None) -> None:
    row = require_team(session, org_id, team)
    details = {"members": list(row.members), "repo_patterns": list(row.repo_patterns),
               "work_scopes": list(row.work_scopes)}
    session.delete(row)
    session.flush()
    audit.record(session, "team.delete", org_id=org_id, target=row.team, details=details, actor=actor)


def _remove_from_team(session: Session, org_id: int, team: str, column: str, value: str, action: str,
                      actor: str | None) -> TeamInfo:
    row: TeamMapping = require_team(session, org_id, team)
    current: list[str] = getattr(row, column)
    if value not in current:
        label = column.removesuffix("s").replace("_", " ")
        raise InputError(f"team '{row.team}' has no {label} '{value}'")
    store_team_list(session, row, column, [item for item in current if item != value], value, action, actor)
    return team_info(row)


def remove_repo_pattern(session: Session, org_id: int, team: str, pattern: str, *, actor: str | None = None
                        ) -> TeamInfo:
    return _remove_from_team(session, org_id, team, "repo_patterns", pattern.strip(), "team.remove_repo_pattern",
                             actor)


def remove_work_scope(session: Session, org_id: int, team: str, scope: str, *, actor: str | None = None
                      ) -> TeamInfo:
    return _remove_from_team(session, org_id, team, "work_scopes", scope.strip(), "team.remove_work_scope", actor)


def delete_credential(session: Session, org_id: int, provider: str, *, name: str = "default",
                      actor: str | None = None) -> None:
    """Delete a stored provider secret; syncs then fall back to the environment's token."""
    row = session.scalar(select(IntegrationCredential).where(
        IntegrationCredential.org_id == org_id, IntegrationCredential.provider == provider,
        IntegrationCredential.name == name))
    if row is None:
        raise InputError(f"no credential {provider}/{name} is stored for organization {org_id}")
    session.delete(row)
    session.flush()
    audit.record(session, "credential.delete", org_id=org_id, target=f"{provider}/{name}", actor=actor)


def remove_sync_configuration(session: Session, org_id: int, provider: str, scope: str, *,
                              actor: str | None = None) -> None:
    """Delete a sync configuration; its past sync runs stay, unlinked from it."""
    rows = list(session.scalars(select(SyncConfiguration).where(
        SyncConfiguration.org_id == org_id, SyncConfiguration.provider == provider,
        SyncConfiguration.scope == scope.strip())))
    if not rows:
        raise InputError(f"no {provider} sync configuration for scope '{scope.strip()}' in organization {org_id}")
    for row in rows:
        session.delete(row)
        session.flush()
        audit.record(session, "sync_configuration.delete", org_id=org_id,
                     target=f"{provider}:{row.scope_kind}:{row.scope}", actor=actor)


def unset_setting(session: Session, org_id: int, key: str, *, actor: str | None = None) -> None:
    """Remove an organization's setting, so the project default applies again."""
    removed = session.execute(delete(Setting).where(Setting.org_id == org_id, Setting.key == key)
                              .returning(Setting.id)).first()
    if removed is None:
        raise InputError(f"setting '{key}' is not set for organization {org_id}")
    audit.record(session, "setting.unset", org_id=org_id, target=key, actor=actor)


@dataclass(frozen=True)
class AuditEntry:
    created_at: datetime
    org_id: int | None
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]


def audit_entries(session: Session, *, org_id: int | None = None, action: str | None = None, limit: int = 50
                  ) -> list[AuditEntry]:
    """The newest audit rows first, of one organization and/or whose action starts with `action`."""
    if limit < 1:
        raise InputError(f"--limit {limit}: must be at least 1")
    query = select(AuditLog)
    if org_id is not None:
        query = query.where(AuditLog.org_id == org_id)
    if action:
        query = query.where(AuditLog.action.startswith(action, autoescape=True))
    rows = session.scalars(query.order_by(AuditLog.created_at.desc(), AuditLog.id.desc()).limit(limit))
    return [AuditEntry(row.created_at, row.org_id, row.actor, row.action, row.target, row.details or {})
            for row in rows]
