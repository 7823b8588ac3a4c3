"""Users: creation with a checked password, listing, and sign-in that upgrades old password hashes."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db import passwords
from devhealth.semantic_db.emails import normalize_email
from devhealth.semantic_db.models import Membership, Organization, User
from devhealth.semantic_db.services import audit, required


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    is_superuser: bool
    is_active: bool
    created_at: datetime
    organizations: tuple[str, ...]


@functools.cache
def _decoy_hash() -> str:
    return passwords.hash_password(secrets.token_urlsafe(16))


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def require_user(session: Session, email: str) -> User:
    return required(find_user(session, email), f"unknown user '{normalize_email(email)}'")


def create_user(session: Session, email: str, password: str | None, *, superuser: bool = False,
                actor: str | None = None) -> User:
    """Create a user; a duplicate email (in any letter case) or a weak password raises InputError."""
    normalized = normalize_email(email)
    if password is not None:
        passwords.check_strength(password)
    if find_user(session, normalized) is not None:
        raise InputError(f"a user with email '{normalized}' already exists")
    user = User(email=normalized, is_superuser=superuser,
                password_hash=passwords.hash_password(password) if password is not None else None)
    session.add(user)
    session.flush()
    audit.record(session, "user.create", target=normalized,
                 details={"user_id": user.id, "superuser": superuser, "password_set": password is not None},
                 actor=actor)
    return user


def list_users(session: Session) -> list[UserInfo]:
    orgs = (select(Membership.user_id, func.array_agg(Organization.name).label("names"))
            .join(Organization, Organization.id == Membership.org_id).group_by(Membership.user_id).subquery())
    rows = session.execute(select(User, orgs.c.names).outerjoin(orgs, orgs.c.user_id == User.id).order_by(User.email))
    return [UserInfo(id=user.id, email=user.email, is_superuser=user.is_superuser, is_active=user.is_active,
                     created_at=user.created_at, organizations=tuple(sorted(names or ())))
            for user, names in rows]


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the password matches; a hash with fewer than the current iterations is replaced."""
    user = find_user(session, email)
    if user is None or not user.is_active or user.password_hash is None:
        # Verify anyway, so an unknown email takes as long as a wrong password.
        passwords.verify_password(password, _decoy_hash())
        return None
    if not passwords.verify_password(password, user.password_hash):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = func.now()
    session.flush()
    return user
