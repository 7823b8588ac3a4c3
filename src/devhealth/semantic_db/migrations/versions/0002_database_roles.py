"""Database roles: org-scoped work runs as `devhealth_app`, crossing organizations needs `devhealth_admin`.

Until now the admin scope was a setting any role could claim (`set_config('devhealth.admin_scope', 'on',
false)`). From here the policies also require the current role to hold `devhealth_admin`, a role that
only the database owner (or a role with ADMIN OPTION on it) can grant. Neither role bypasses row-level
security. Roles belong to the whole cluster, so they are created only when missing and kept on downgrade;
the grants and functions of this database are removed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APP_ROLE = "devhealth_app"
ADMIN_ROLE = "devhealth_admin"
# Every table the application reads and writes; alembic_version is the migrating owner's alone.
APP_TABLES = (
    "users", "organizations", "memberships", "settings", "integration_credentials", "sync_configurations",
    "identity_mappings", "team_mappings", "repositories", "api_keys", "sync_runs", "audit_logs",
)


def _schema() -> str:
    return op.get_bind().execute(sa.text("select current_schema()")).scalar_one()


def upgrade() -> None:
    schema = _schema()
    for role in (APP_ROLE, ADMIN_ROLE):
        op.execute(f"""
            do $$ begin
                if not exists (select from pg_roles where rolname = '{role}') then
                    create role {role} nologin nosuperuser nocreatedb nocreaterole nobypassrls;
                end if;
            end $$
        """)
    # only when missing: a DBA who made the roles beforehand need not give the owner ADMIN OPTION on them
    op.execute(f"""
        do $$ begin
            if not pg_has_role('{ADMIN_ROLE}', '{APP_ROLE}', 'MEMBER') then
                grant {APP_ROLE} to {ADMIN_ROLE};
            end if;
        end $$
    """)
    op.execute(f'grant usage on schema "{schema}" to {APP_ROLE}')
    op.execute(f"grant select, insert, update, delete on {', '.join(APP_TABLES)} to {APP_ROLE}")
    # which revision the database is at: every command checks it before its first session
    op.execute(f"grant select on alembic_version to {APP_ROLE}")
    # audit_logs is append-only; the trigger refuses updates and deletes, the grant does not offer them.
    op.execute(f"revoke update, delete on audit_logs from {APP_ROLE}")
    op.execute(f'grant usage, select on all sequences in schema "{schema}" to {APP_ROLE}')
    op.execute("revoke execute on function devhealth_ensure_audit_partition(timestamptz) from public")
    op.execute(f"grant execute on function devhealth_ensure_audit_partition(timestamptz) to {APP_ROLE}")
    # The setting alone no longer crosses organizations: the role must also hold devhealth_admin, which
    # an ordinary role cannot grant itself. The policies call this function, so they change with it.
    op.execute(f"""
        create or replace function devhealth_admin_scope() returns boolean language sql stable as
        $$ select coalesce(current_setting('devhealth.admin_scope', true), '') = 'on'
                  and pg_has_role(current_user, '{ADMIN_ROLE}', 'USAGE') $$
    """)
    # `--org NAME` is resolved by ordinary roles too: this function lists names and ids, never rows of
    # other tables. It runs as devhealth_admin with the admin scope set only while it runs.
    op.execute(f"""
        create function devhealth_organization_directory()
        returns table (id bigint, name varchar) language sql stable security definer
        set search_path = "{schema}", pg_catalog set devhealth.admin_scope = 'on' as
        $$ select id, name from organizations order by name $$
    """)
    op.execute(f"alter function devhealth_organization_directory() owner to {ADMIN_ROLE}")
    op.execute("revoke execute on function devhealth_organization_directory() from public")
    op.execute(f"grant execute on function devhealth_organization_directory() to {APP_ROLE}")


def downgrade() -> None:
    schema = _schema()
    op.execute("drop function if exists devhealth_organization_directory()")
    op.execute("""
        create or replace function devhealth_admin_scope() returns boolean language sql stable as
        $$ select coalesce(current_setting('devhealth.admin_scope', true), '') = 'on' $$
    """)
    op.execute("grant execute on function devhealth_ensure_audit_partition(timestamptz) to public")
    op.execute(f"revoke execute on function devhealth_ensure_audit_partition(timestamptz) from {APP_ROLE}")
    op.execute(f'revoke usage, select on all sequences in schema "{schema}" from {APP_ROLE}')
    op.execute(f"revoke select, insert, update, delete on {', '.join(APP_TABLES)} from {APP_ROLE}")
    op.execute(f"revoke select on alembic_version from {APP_ROLE}")
    op.execute(f'revoke usage on schema "{schema}" from {APP_ROLE}')
