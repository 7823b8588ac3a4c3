"""Declarative base, naming convention and the column shapes every table shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints make migrations reproducible and `alembic check` stable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    """`created_at` and `updated_at`, the last columns of every table that rows are updated in.

    `updated_at` is kept current by the `devhealth_set_updated_at` trigger, so raw SQL updates maintain it too.
    """

    # sort_order puts a mixin's columns after the table's own, where the migration creates them (but for
    # integration_credentials.rotated_at, which it puts between the two: column order is the migration's)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now(),
                                                 sort_order=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now(),
                                                 sort_order=1)


def org_id_column() -> Mapped[int]:
    return mapped_column(BigInteger, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True)
