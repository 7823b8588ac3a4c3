"""Who uses devhealth: users, organizations and the memberships between them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Identity, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from devhealth.semantic_db.models.base import Base, Timestamped, org_id_column

ROLES = ("owner", "admin", "member", "viewer")


class User(Timestamped, Base):
    """A person who can sign in; emails are stored lower-cased, which makes the unique key case-insensitive."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email) and email like '%_@_%'", name="email_normalized"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_superuser: Mapped[bool] = mapped_column(Boolean, server_default="false")
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Organization(Timestamped, Base):
    """A tenant: every org-scoped row and every warehouse row carries its id."""

    __tablename__ = "organizations"
    __table_args__ = (CheckConstraint("length(btrim(name)) > 0", name="name_not_blank"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Membership(Timestamped, Base):
    """A user's role in one organization."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("org_id", "user_id"),
        CheckConstraint(f"role in {ROLES}", name="role_known"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
