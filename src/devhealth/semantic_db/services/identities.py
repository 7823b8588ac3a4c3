"""Identity mappings: which emails, logins and account ids belong to which person of an organization."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import IDENTITY_KINDS, IdentityMapping
from devhealth.semantic_db.services import audit
from devhealth.semantic_db.services.credentials import check_provider


@dataclass(frozen=True)
class IdentityInfo:
    org_id: int
    person: str
    display_name: str | None
    provider: str
    kind: str
    value: str
    updated_at: datetime


def normalize_value(kind: str, value: str) -> str:
    # Emails and logins compare case-insensitively at every provider we read; account ids are opaque.
    cleaned = value.strip()
    return cleaned if kind == "account_id" else cleaned.lower()


def map_identity(session: Session, org_id: int, person: str, provider: str, kind: str, value: str, *,
                 display_name: str | None = None, actor: str | None = None) -> IdentityInfo:
    """Attach a provider identity to `person`; remapping an identity moves it to the new person."""
    check_provider(provider)
    if kind not in IDENTITY_KINDS:
        raise InputError(f"identity kind '{kind}' is not one of {', '.join(IDENTITY_KINDS)}")
    person_key, normalized = person.strip().lower(), normalize_value(kind, value)
    if not person_key or not normalized:
        raise InputError("identity mapping needs a non-empty person and value")
    row = session.scalar(select(IdentityMapping).where(
        IdentityMapping.org_id == org_id, IdentityMapping.provider == provider,
        IdentityMapping.kind == kind, IdentityMapping.value == normalized))
    previous = row.person if row else None
    if row is None:
        row = IdentityMapping(org_id=org_id, provider=provider, kind=kind, value=normalized)
        session.add(row)
    if previous is not None and previous != person_key:
        row.display_name = None  # the old person's name does not follow the identity
    row.person = person_key
    if display_name is not None:
        row.display_name = display_name.strip() or None
    session.flush()
    session.refresh(row)
    audit.record(session, "identity.map", org_id=org_id, target=f"{provider}:{kind}:{normalized}",
                 details={"person": person_key, "previous_person": previous}, actor=actor)
    return _info(row)


def _info(row: IdentityMapping) -> IdentityInfo:
    return IdentityInfo(org_id=row.org_id, person=row.person, display_name=row.display_name,
                        provider=row.provider, kind=row.kind, value=row.value, updated_at=row.updated_at)


def identity_mappings_for_org(session: Session, org_id: int) -> list[IdentityInfo]:
    """Every identity mapping of the organization, ordered by person, provider, kind and value."""
    rows = session.scalars(select(IdentityMapping).where(IdentityMapping.org_id == org_id).order_by(
        IdentityMapping.person, IdentityMapping.provider, IdentityMapping.kind, IdentityMapping.value))
    return [_info(row) for row in rows]
