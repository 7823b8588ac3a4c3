"""Sync configurations and the repository registry: what each organization extracts, and from where."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import SCOPE_KINDS, SYNC_TARGETS, Repository, SyncConfiguration
from devhealth.semantic_db.services import audit
from devhealth.semantic_db.services.credentials import check_provider

# Five cron fields of digits, ranges, steps, lists or `*`; the scheduler interprets them.
CRON_FIELD = r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*"
CRON = re.compile(rf"^{CRON_FIELD}( {CRON_FIELD}){{4}}$")


def configure_sync(session: Session, org_id: int, provider: str, scope_kind: str, scope: str,
                   targets: list[str], *, schedule: str | None = None, enabled: bool = True,
                   actor: str | None = None) -> SyncConfiguration:
    """Create or replace the configuration of one (provider, scope) for the organization."""
    check_provider(provider)
    if scope_kind not in SCOPE_KINDS:
        raise InputError(f"scope kind '{scope_kind}' is not one of {', '.join(SCOPE_KINDS)}")
    unknown = sorted(set(targets) - set(SYNC_TARGETS))
    if unknown or not targets:
        raise InputError(f"sync targets {', '.join(unknown) or '(none)'} not among {', '.join(SYNC_TARGETS)}")
    if schedule is not None and not CRON.match(" ".join(schedule.split())):
        raise InputError(f"schedule '{schedule}' is not a five-field cron expression")
    if not scope.strip():
        raise InputError("sync scope is empty")
    row = session.scalar(select(SyncConfiguration).where(
        SyncConfiguration.org_id == org_id, SyncConfiguration.provider == provider,
        SyncConfiguration.scope_kind == scope_kind, SyncConfiguration.scope == scope.strip()))
    if row is None:
        row = SyncConfiguration(org_id=org_id, provider=provider, scope_kind=scope_kind, scope=scope.strip())
        session.add(row)
    row.targets = sorted(set(targets), key=SYNC_TARGETS.index)
    row.schedule = " ".join(schedule.split()) if schedule else None
    row.enabled = enabled
    session.flush()
    audit.record(session, "sync_configuration.set", org_id=org_id, target=f"{provider}:{scope_kind}:{row.scope}",
                 details={"targets": row.targets, "schedule": row.schedule, "enabled": enabled}, actor=actor)
    return row


def sync_configurations_for_org(session: Session, org_id: int, provider: str | None = None
                                ) -> list[SyncConfiguration]:
    query = select(SyncConfiguration).where(SyncConfiguration.org_id == org_id)
    if provider is not None:
        query = query.where(SyncConfiguration.provider == provider)
    return list(session.scalars(query.order_by(SyncConfiguration.provider, SyncConfiguration.scope)))


def register_repository(session: Session, org_id: int, provider: str, full_name: str, *, url: str | None = None,
                        default_branch: str | None = None, actor: str | None = None) -> Repository:
    check_provider(provider)
    name = full_name.strip().strip("/")
    if not name:
        raise InputError("repository name is empty")
    row = session.scalar(select(Repository).where(Repository.org_id == org_id, Repository.provider == provider,
                                                  Repository.full_name == name))
    if row is None:
        row = Repository(org_id=org_id, provider=provider, full_name=name)
        session.add(row)
    row.url, row.default_branch, row.active = url, default_branch, True
    session.flush()
    audit.record(session, "repository.register", org_id=org_id, target=f"{provider}:{name}", actor=actor)
    return row


def repositories_for_org(session: Session, org_id: int) -> list[Repository]:
    return list(session.scalars(select(Repository).where(Repository.org_id == org_id)
                                .order_by(Repository.provider, Repository.full_name)))
