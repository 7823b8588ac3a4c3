"""Initial schema: every table, updated_at triggers, row-level security and monthly audit partitions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:29:32.725664
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_logs",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=320), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", "created_at", name=op.f("pk_audit_logs")),
        postgresql_partition_by="RANGE (created_at)",
    )
    op.create_index(op.f("ix_audit_logs_org_id"), "audit_logs", ["org_id"], unique=False)
    op.create_table(
        "organizations",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_organizations_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_organizations_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_superuser", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("email = lower(email) and email like '%%_@_%%'", name=op.f("ck_users_email_normalized")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("permissions", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "permissions <@ array['metrics:read', 'sync:run', 'admin']::varchar[]",
            name=op.f("ck_api_keys_permissions_known"),
        ),
        sa.CheckConstraint(
            "rate_limit_per_minute is null or rate_limit_per_minute > 0", name=op.f("ck_api_keys_rate_limit_positive")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_api_keys_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_keys_prefix")),
    )
    op.create_index(op.f("ix_api_keys_org_id"), "api_keys", ["org_id"], unique=False)
    op.create_table(
        "identity_mappings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("person", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind in ('email', 'login', 'account_id')", name=op.f("ck_identity_mappings_kind_known")),
        sa.CheckConstraint(
            "length(btrim(person)) > 0 and length(btrim(value)) > 0", name=op.f("ck_identity_mappings_not_blank")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_identity_mappings_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_mappings")),
        sa.UniqueConstraint(
            "org_id", "provider", "kind", "value", name=op.f("uq_identity_mappings_org_id_provider_kind_value")
        ),
    )
    op.create_index(op.f("ix_identity_mappings_org_id"), "identity_mappings", ["org_id"], unique=False)
    op.create_index(op.f("ix_identity_mappings_person"), "identity_mappings", ["person"], unique=False)
    op.create_table(
        "integration_credentials",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), server_default="default", nullable=False),
        sa.Column("encrypted_secret", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_integration_credentials_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_credentials")),
        sa.UniqueConstraint("org_id", "provider", "name", name=op.f("uq_integration_credentials_org_id_provider_name")),
    )
    op.create_index(op.f("ix_integration_credentials_org_id"), "integration_credentials", ["org_id"], unique=False)
    op.create_table(
        "memberships",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("role in ('owner', 'admin', 'member', 'viewer')", name=op.f("ck_memberships_role_known")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_memberships_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("org_id", "user_id", name=op.f("uq_memberships_org_id_user_id")),
    )
    op.create_index(op.f("ix_memberships_org_id"), "memberships", ["org_id"], unique=False)
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"], unique=False)
    op.create_table(
        "repositories",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("default_branch", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_repositories_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repositories")),
        sa.UniqueConstraint("org_id", "provider", "full_name", name=op.f("uq_repositories_org_id_provider_full_name")),
    )
    op.create_index(op.f("ix_repositories_org_id"), "repositories", ["org_id"], unique=False)
    op.create_table(
        "settings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("key ~ '^[a-z][a-z0-9_.]{0,62}$'", name=op.f("ck_settings_key_format")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_settings_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
        sa.UniqueConstraint("org_id", "key", name=op.f("uq_settings_org_id_key")),
    )
    op.create_index(op.f("ix_settings_org_id"), "settings", ["org_id"], unique=False)
    op.create_table(
        "sync_configurations",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("targets", postgresql.ARRAY(sa.String(length=16)), nullable=False),
        sa.Column("schedule", sa.String(length=100), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_run_status", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "scope_kind in ('repo', 'project', 'board')", name=op.f("ck_sync_configurations_scope_kind_known")
        ),
        sa.CheckConstraint(
            "targets <@ array['git', 'prs', 'cicd', 'deployments', 'incidents', 'work-items']::varchar[]",
            name=op.f("ck_sync_configurations_targets_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_sync_configurations_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_configurations")),
        sa.UniqueConstraint(
            "org_id",
            "provider",
            "scope_kind",
            "scope",
            name=op.f("uq_sync_configurations_org_id_provider_scope_kind_scope"),
        ),
    )
    op.create_index(op.f("ix_sync_configurations_org_id"), "sync_configurations", ["org_id"], unique=False)
    op.create_table(
        "team_mappings",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("members", postgresql.ARRAY(sa.String(length=320)), server_default="{}", nullable=False),
        sa.Column("repo_patterns", postgresql.ARRAY(sa.String(length=300)), server_default="{}", nullable=False),
        sa.Column("work_scopes", postgresql.ARRAY(sa.String(length=300)), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("length(btrim(team)) > 0", name=op.f("ck_team_mappings_team_not_blank")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_team_mappings_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_mappings")),
        sa.UniqueConstraint("org_id", "team", name=op.f("uq_team_mappings_org_id_team")),
    )
    op.create_index(op.f("ix_team_mappings_org_id"), "team_mappings", ["org_id"], unique=False)
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("org_id", sa.BigInteger(), nullable=False),
        sa.Column("sync_configuration_id", sa.BigInteger(), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="running", nullable=False),
        sa.Column("progress", sa.Float(), server_default="0", nullable=False),
        sa.Column("rows_loaded", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(status = 'running') = (finished_at is null)", name=op.f("ck_sync_runs_finished_unless_running")
        ),
        sa.CheckConstraint(
            "status in ('running', 'succeeded', 'failed', 'cancelled')", name=op.f("ck_sync_runs_status_known")
        ),
        sa.CheckConstraint("progress between 0 and 1", name=op.f("ck_sync_runs_progress_fraction")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_sync_runs_org_id_organizations"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sync_configuration_id"],
            ["sync_configurations.id"],
            name=op.f("fk_sync_runs_sync_configuration_id_sync_configurations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(op.f("ix_sync_runs_org_id"), "sync_runs", ["org_id"], unique=False)
    op.create_index(op.f("ix_sync_runs_sync_configuration_id"), "sync_runs", ["sync_configuration_id"], unique=False)
    _create_functions()
    _create_triggers()
    _enable_row_level_security()
    _create_first_audit_partitions()


def downgrade() -> None:
    _drop_functions_and_triggers()
    op.drop_index(op.f("ix_sync_runs_sync_configuration_id"), table_name="sync_runs")
    op.drop_index(op.f("ix_sync_runs_org_id"), table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_index(op.f("ix_team_mappings_org_id"), table_name="team_mappings")
    op.drop_table("team_mappings")
    op.drop_index(op.f("ix_sync_configurations_org_id"), table_name="sync_configurations")
    op.drop_table("sync_configurations")
    op.drop_index(op.f("ix_settings_org_id"), table_name="settings")
    op.drop_table("settings")
    op.drop_index(op.f("ix_repositories_org_id"), table_name="repositories")
    op.drop_table("repositories")
    op.drop_index(op.f("ix_memberships_user_id"), table_name="memberships")
    op.drop_index(op.f("ix_memberships_org_id"), table_name="memberships")
    op.drop_table("memberships")
    op.drop_index(op.f("ix_integration_credentials_org_id"), table_name="integration_credentials")
    op.drop_table("integration_credentials")
    op.drop_index(op.f("ix_identity_mappings_person"), table_name="identity_mappings")
    op.drop_index(op.f("ix_identity_mappings_org_id"), table_name="identity_mappings")
    op.drop_table("identity_mappings")
    op.drop_index(op.f("ix_api_keys_org_id"), table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("users")
    op.drop_table("organizations")
    op.drop_index(op.f("ix_audit_logs_org_id"), table_name="audit_logs")
    op.drop_table("audit_logs")
    _drop_functions()


# Tables kept current by the updated_at trigger (audit_logs is append-only and has none).
UPDATED_AT_TABLES = (
    "users",
    "organizations",
    "memberships",
    "settings",
    "integration_credentials",
    "sync_configurations",
    "identity_mappings",
    "team_mappings",
    "repositories",
    "api_keys",
    "sync_runs",
)
# Row-level security: each org-scoped table and the column naming its organization.
ORG_COLUMNS = {
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


def _schema() -> str:
    return op.get_bind().execute(sa.text("select current_schema()")).scalar_one()


def _create_functions() -> None:
    op.execute("""
        create function devhealth_set_updated_at() returns trigger language plpgsql as $$
        begin
            new.updated_at := now();
            return new;
        end $$
    """)
    # The app names the current org per transaction (set_config(..., true)); unset means no org's rows.
    op.execute("""
        create function devhealth_current_org() returns bigint language sql stable as
        $$ select nullif(current_setting('devhealth.org_id', true), '')::bigint $$
    """)
    op.execute("""
        create function devhealth_admin_scope() returns boolean language sql stable as
        $$ select coalesce(current_setting('devhealth.admin_scope', true), '') = 'on' $$
    """)
    op.execute("""
        create function devhealth_audit_append_only() returns trigger language plpgsql as $$
        begin
            raise exception 'audit_logs is append-only: % refused', tg_op;
        end $$
    """)
    # security definer: roles that may only insert audit rows still get the month's partition created.
    op.execute(f"""
        create function devhealth_ensure_audit_partition(at timestamptz) returns text
        language plpgsql security definer set search_path = "{_schema()}", pg_catalog as $$
        declare
            month_start timestamptz := date_trunc('month', at, 'UTC');
            partition_name text := 'audit_logs_p' || to_char(month_start at time zone 'UTC', 'YYYYMM');
        begin
            if to_regclass(partition_name) is null then
                perform pg_advisory_xact_lock(hashtext(partition_name));
                execute format(
                    'create table if not exists %I partition of audit_logs for values from (%L) to (%L)',
                    partition_name, month_start, month_start + interval '1 month');
            end if;
            return partition_name;
        end $$
    """)


def _create_triggers() -> None:
    for table in UPDATED_AT_TABLES:
        op.execute(f"""
            create trigger {table}_set_updated_at before update on {table}
            for each row when (old.* is distinct from new.*) execute function devhealth_set_updated_at()
        """)
    op.execute("""
        create trigger audit_logs_append_only before update or delete on audit_logs
        for each row execute function devhealth_audit_append_only()
    """)
    op.execute("""
        create trigger audit_logs_no_truncate before truncate on audit_logs
        for each statement execute function devhealth_audit_append_only()
    """)


def _enable_row_level_security() -> None:
    # forced, so a table owner running the app is isolated too; only admin_session() sets the admin scope.
    for table, column in ORG_COLUMNS.items():
        rule = f"devhealth_admin_scope() or {column} = devhealth_current_org()"
        op.execute(f"alter table {table} enable row level security")
        op.execute(f"alter table {table} force row level security")
        op.execute(f"create policy org_isolation on {table} using ({rule}) with check ({rule})")
    op.execute("alter table users enable row level security")
    op.execute("alter table users force row level security")
    op.execute("""
        create policy org_members on users
        using (devhealth_admin_scope()
               or id in (select user_id from memberships where org_id = devhealth_current_org()))
        with check (devhealth_admin_scope())
    """)


def _create_first_audit_partitions() -> None:
    op.execute("select devhealth_ensure_audit_partition(now())")
    op.execute("select devhealth_ensure_audit_partition(now() + interval '1 month')")


def _drop_functions_and_triggers() -> None:
    for table in UPDATED_AT_TABLES:
        op.execute(f"drop trigger if exists {table}_set_updated_at on {table}")
    op.execute("drop trigger if exists audit_logs_append_only on audit_logs")
    op.execute("drop trigger if exists audit_logs_no_truncate on audit_logs")
    # the users policy reads memberships, so it must go before that table
    op.execute("drop policy if exists org_members on users")


def _drop_functions() -> None:
    for function in (
        "devhealth_ensure_audit_partition(timestamptz)",
        "devhealth_audit_append_only()",
        "devhealth_admin_scope()",
        "devhealth_current_org()",
        "devhealth_set_updated_at()",
    ):
        op.execute(f"drop function if exists {function}")
