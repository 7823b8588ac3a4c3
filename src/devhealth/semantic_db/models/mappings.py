"""How provider data maps to people and teams: identities, teams and the repository registry."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Identity, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from devhealth.semantic_db.models.base import Base, Timestamped, org_id_column

IDENTITY_KINDS = ("email", "login", "account_id")


class IdentityMapping(Timestamped, Base):
    """One provider identity (an email, login or account id) that belongs to a person of the org."""

    __tablename__ = "identity_mappings"
    __table_args__ = (
        UniqueConstraint("org_id", "provider", "kind", "value"),
        CheckConstraint(f"kind in {IDENTITY_KINDS}", name="kind_known"),
        CheckConstraint("length(btrim(person)) > 0 and length(btrim(value)) > 0", name="not_blank"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    person: Mapped[str] = mapped_column(String(320), index=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(320))


class TeamMapping(Timestamped, Base):
    """A team: its members (person keys), the repositories it owns (glob patterns) and its work scopes."""

    __tablename__ = "team_mappings"
    __table_args__ = (
        UniqueConstraint("org_id", "team"),
        CheckConstraint("length(btrim(team)) > 0", name="team_not_blank"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    team: Mapped[str] = mapped_column(String(200))
    members: Mapped[list[str]] = mapped_column(ARRAY(String(320)), server_default="{}")
    repo_patterns: Mapped[list[str]] = mapped_column(ARRAY(String(300)), server_default="{}")
    work_scopes: Mapped[list[str]] = mapped_column(ARRAY(String(300)), server_default="{}")


class Repository(Timestamped, Base):
    """A repository the organization tracks, named as its provider names it (`owner/name`)."""

    __tablename__ = "repositories"
    __table_args__ = (UniqueConstraint("org_id", "provider", "full_name"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    org_id: Mapped[int] = org_id_column()
    provider: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    default_branch: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, server_default="true")
