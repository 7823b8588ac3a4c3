"""Organizations and memberships; sync and metrics commands resolve their `--org` here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import ROLES, Membership, Organization
from devhealth.semantic_db.services import audit, required
from devhealth.semantic_db.services.users import require_user


@dataclass(frozen=True)
class OrganizationInfo:
    id: int
    name: str
    created_at: datetime


def _info(org: Organization) -> OrganizationInfo:
    return OrganizationInfo(id=org.id, name=org.name, created_at=org.created_at)


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("organization name is empty")
    return cleaned


def find_organization(session: Session, name: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.name == clean_name(name)))


def require_organization(session: Session, name: str) -> Organization:
    return required(find_organization(session, name), f"unknown organization '{clean_name(name)}'")


def list_organizations(session: Session) -> list[OrganizationInfo]:
    return [_info(org) for org in session.scalars(select(Organization).order_by(Organization.name))]


@dataclass(frozen=True)
class OrganizationName:
    id: int
    name: str


def directory(session: Session) -> list[OrganizationName]:
    """Every organization's id and name, by name, in any session: ordinary roles resolve `--org` with it
    (a SECURITY DEFINER function; it lists names only, no other table's rows)."""
    rows = session.execute(text("select id, name from devhealth_organization_directory()"))
    return [OrganizationName(id=row.id, name=row.name) for row in rows]


def get_or_create_organization(session: Session, name: str, *, actor: str | None = None) -> OrganizationInfo:
    """The organization called `name`, created (and audited) if it is new; safe under concurrency."""
    cleaned = clean_name(name)
    created = session.scalar(insert(Organization).values(name=cleaned)
                             .on_conflict_do_nothing(index_elements=["name"]).returning(Organization.id))
    if created is not None:
        audit.record(session, "organization.create", org_id=created, target=cleaned, actor=actor)
    return _info(require_organization(session, cleaned))


def create_organization(session: Session, name: str, owner_email: str, *, actor: str | None = None
                        ) -> OrganizationInfo:
    """A new organization with `owner_email` (an existing user) as its owner; a taken name raises InputError."""
    cleaned = clean_name(name)
    owner = require_user(session, owner_email)
    if find_organization(session, cleaned) is not None:
        raise InputError(f"organization '{cleaned}' already exists")
    org = Organization(name=cleaned)
    session.add(org)
    session.flush()
    session.add(Membership(org_id=org.id, user_id=owner.id, role="owner"))
    session.flush()
    audit.record(session, "organization.create", org_id=org.id, target=cleaned,
                 details={"owner": owner.email}, actor=actor)
    return _info(org)


def add_member(session: Session, org_name: str, email: str, role: str = "member", *, actor: str | None = None
               ) -> Membership:
    """Give an existing user a role in the organization, or change the role they have."""
    if role not in ROLES:
        raise InputError(f"role '{role}' is not one of {', '.join(ROLES)}")
    org = require_organization(session, org_name)
    user = require_user(session, email)
    membership = session.scalar(select(Membership).where(Membership.org_id == org.id,
                                                         Membership.user_id == user.id))
    previous = membership.role if membership else None
    if membership is None:
        membership = Membership(org_id=org.id, user_id=user.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    audit.record(session, "membership.set", org_id=org.id, target=user.email,
                 details={"role": role, "previous_role": previous}, actor=actor)
    return membership
