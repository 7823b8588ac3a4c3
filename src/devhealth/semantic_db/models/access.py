"""API keys: only a hash of the key is stored, with the prefix shown to tell keys apart."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Identity, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from devhealth.semantic_db.models.base import Base, Timestamped, org_id_column

PERMISSIONS = ("metrics:read", "sync:run", "admin")


class ApiKey(Timestamped, Base):
    __tablename__ = "api_keys"
    __table_args__ = (
        UniqueConstraint("key_hash"),
        UniqueConstraint("prefix"),
        CheckConstraint(f"permissions <@ array{list(PERMISSIONS)}::varchar[]", name="permissions_known"),
        CheckConstraint("rate_limit_per_minute is null or rate_limit_per_minute > 0", name="rate_limit_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64))
    permissions: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
