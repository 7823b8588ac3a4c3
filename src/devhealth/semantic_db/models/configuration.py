"""What an organization configures: settings, provider credentials and sync configurations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, Identity, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from devhealth.semantic_db.models.base import Base, Timestamped, org_id_column

SCOPE_KINDS = ("repo", "project", "board")
SYNC_TARGETS = ("git", "prs", "cicd", "deployments", "incidents", "work-items")


class Setting(Timestamped, Base):
    """One org-scoped setting; the service validates the value against the key's schema before writing."""

    __tablename__ = "settings"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        CheckConstraint("key ~ '^[a-z][a-z0-9_.]{0,62}$'", name="key_format"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    key: Mapped[str] = mapped_column(String(63))
    value: Mapped[Any] = mapped_column(JSONB)


class IntegrationCredential(Timestamped, Base):
    """A provider secret, Fernet-encrypted; `key_id` names the key that encrypted it, for rotation."""

    __tablename__ = "integration_credentials"
    __table_args__ = (UniqueConstraint("org_id", "provider", "name"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    provider: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100), server_default="default")
    encrypted_secret: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SyncConfiguration(Timestamped, Base):
    """What to extract for one provider scope (a repo, project or board), when, and how the last run went."""

    __tablename__ = "sync_configurations"
    __table_args__ = (
        UniqueConstraint("org_id", "provider", "scope_kind", "scope"),
        CheckConstraint(f"scope_kind in {SCOPE_KINDS}", name="scope_kind_known"),
        CheckConstraint(f"targets <@ array{list(SYNC_TARGETS)}::varchar[]", name="targets_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    provider: Mapped[str] = mapped_column(String(32))
    scope_kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(300))
    targets: Mapped[list[str]] = mapped_column(ARRAY(String(16)))
    schedule: Mapped[str | None] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="true")
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_run_status: Mapped[str | None] = mapped_column(String(16))
