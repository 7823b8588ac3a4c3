"""What happened: the job record of every sync, and the append-only audit log of admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from devhealth.semantic_db.models.base import Base, Timestamped, org_id_column

RUN_STATUSES = ("running", "succeeded", "failed", "cancelled")


class SyncRun(Timestamped, Base):
    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint(f"status in {RUN_STATUSES}", name="status_known"),
        CheckConstraint("progress between 0 and 1", name="progress_fraction"),
        CheckConstraint("(status = 'running') = (finished_at is null)", name="finished_unless_running"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    sync_configuration_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("sync_configurations.id", ondelete="SET NULL"), index=True
    )
    provider: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), server_default="running")
    progress: Mapped[float] = mapped_column(Float, server_default="0")
    rows_loaded: Mapped[int] = mapped_column(BigInteger, server_default="0")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class AuditLog(Base):
    """Partitioned by month on `created_at`; a partitioned table's key must hold the partition column."""

    __tablename__ = "audit_logs"
    __table_args__ = (
        PrimaryKeyConstraint("id", "created_at"),
        {"postgresql_partition_by": "RANGE (created_at)"},
    )

    # PostgreSQL 16 has no identity columns on partitioned tables; a sequence default serves instead.
    id: Mapped[int] = mapped_column(BigInteger, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    org_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(320))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
