"""SQLAlchemy 2.0 models of the semantic database; `Base.metadata` is what Alembic compares against."""

from devhealth.semantic_db.models.access import PERMISSIONS, ApiKey
from devhealth.semantic_db.models.accounts import ROLES, Membership, Organization, User
from devhealth.semantic_db.models.activity import RUN_STATUSES, AuditLog, SyncRun
from devhealth.semantic_db.models.base import Base
from devhealth.semantic_db.models.configuration import (
    SCOPE_KINDS,
    SYNC_TARGETS,
    IntegrationCredential,
    Setting,
    SyncConfiguration,
)
from devhealth.semantic_db.models.mappings import IDENTITY_KINDS, IdentityMapping, Repository, TeamMapping

# Tables whose rows belong to one organization, and the column that says which (RLS keys on it).
ORG_SCOPED_TABLES = {
    "organizations": "id",
    "memberships": "org_id",
    "settings": "org_id",
    "integration_credentials": "org_id",
    "sync_configurations": "org_id",
    "identity_mappings": "org_id",
    "team_mappings": "org_id",
    "repositories": "org_id",
    "api_keys": "org_id",
    "sync_runs": "org_id",
    "audit_logs": "org_id",
}

__all__ = [
    "IDENTITY_KINDS", "ORG_SCOPED_TABLES", "PERMISSIONS", "ROLES", "RUN_STATUSES", "SCOPE_KINDS", "SYNC_TARGETS",
    "ApiKey", "AuditLog", "Base", "IdentityMapping", "IntegrationCredential", "Membership", "Organization",
    "Repository", "Setting", "SyncConfiguration", "SyncRun", "TeamMapping", "User",
]
