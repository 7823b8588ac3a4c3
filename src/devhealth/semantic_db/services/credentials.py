"""Provider credentials, Fernet-encrypted at rest; plaintext exists only in the caller's memory."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import IntegrationCredential
from devhealth.semantic_db.secret_keys import Keyring, load_keyring
from devhealth.semantic_db.services import audit

PROVIDER = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
CREDENTIAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


@dataclass(frozen=True)
class CredentialInfo:
    """What may be shown about a credential: never the secret."""

    provider: str
    name: str
    key_id: str
    created_at: datetime
    rotated_at: datetime | None


@dataclass(frozen=True)
class RotationResult:
    rotated: int
    already_current: int
    key_id: str


def check_provider(provider: str) -> str:
    if not PROVIDER.match(provider):
        raise InputError(f"provider '{provider}' must be lower-case letters, digits, '-' or '_'")
    return provider


def _find(session: Session, org_id: int, provider: str, name: str) -> IntegrationCredential | None:
    return session.scalar(select(IntegrationCredential).where(
        IntegrationCredential.org_id == org_id, IntegrationCredential.provider == provider,
        IntegrationCredential.name == name))


def set_credential(session: Session, org_id: int, provider: str, secret: str, *, name: str = "default",
                   keyring: Keyring | None = None, actor: str | None = None) -> CredentialInfo:
    """Store (or replace) the secret for (org, provider, name), encrypted with the primary key."""
    check_provider(provider)
    if not CREDENTIAL_NAME.match(name):
        raise InputError(f"credential name '{name}' must be letters, digits, '.', '-' or '_'")
    if not secret.strip():
        raise InputError(f"secret for provider '{provider}' is empty")
    keyring = keyring or load_keyring()
    credential = _find(session, org_id, provider, name)
    action = "credential.replace" if credential else "credential.create"
    if credential is None:
        credential = IntegrationCredential(org_id=org_id, provider=provider, name=name)
        session.add(credential)
    else:
        credential.rotated_at = func.now()
    credential.encrypted_secret = keyring.encrypt(secret)
    credential.key_id = keyring.primary_id
    session.flush()
    session.refresh(credential)
    audit.record(session, action, org_id=org_id, target=f"{provider}/{name}",
                 details={"provider": provider, "name": name, "key_id": keyring.primary_id}, actor=actor)
    return _info(credential)


def _info(credential: IntegrationCredential) -> CredentialInfo:
    return CredentialInfo(provider=credential.provider, name=credential.name, key_id=credential.key_id,
                          created_at=credential.created_at, rotated_at=credential.rotated_at)


def read_credential(session: Session, org_id: int, provider: str, *, name: str = "default",
                    keyring: Keyring | None = None) -> str:
    """The plaintext secret for (org, provider, name); a missing one raises InputError naming it."""
    credential = _find(session, org_id, check_provider(provider), name)
    if credential is None:
        raise InputError(f"no credential '{name}' for provider '{provider}' in organization {org_id}; "
                         "store one with `devhealth admin set-credential`")
    keyring = keyring or load_keyring(create=False)
    return keyring.decrypt(credential.encrypted_secret, f"credential {provider}/{name} of organization {org_id}")


def list_credentials(session: Session, org_id: int) -> list[CredentialInfo]:
    rows = session.scalars(select(IntegrationCredential).where(IntegrationCredential.org_id == org_id)
                           .order_by(IntegrationCredential.provider, IntegrationCredential.name))
    return [_info(row) for row in rows]


def rotate_credentials(session: Session, keyring: Keyring, *, actor: str | None = None) -> RotationResult:
    """Re-encrypt every credential not under the primary key (needs an admin session: it spans orgs)."""
    rotated = current = 0
    for credential in session.scalars(select(IntegrationCredential).order_by(IntegrationCredential.id)):
        if keyring.id_of(credential.encrypted_secret) == keyring.primary_id:
            current += 1
            continue
        credential.encrypted_secret = keyring.rotate(credential.encrypted_secret)
        credential.key_id = keyring.primary_id
        credential.rotated_at = func.now()
        rotated += 1
    session.flush()
    audit.record(session, "credential.rotate_key", target=keyring.primary_id,
                 details={"rotated": rotated, "already_current": current, "key_id": keyring.primary_id},
                 actor=actor)
    return RotationResult(rotated=rotated, already_current=current, key_id=keyring.primary_id)
