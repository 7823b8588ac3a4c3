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
        _now("created_at"),
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
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("length(btrim(name)) > 0", name=op.f("ck_organizations_name_not_blank")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("name", name=op.f("uq_organizations_name")),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_superuser", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint("email = lower(email) and email like '%%_@_%%'", name=op.f("ck_users_email_normalized")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    _create_org_table(
        "api_keys",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("permissions", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "permissions <@ array['metrics:read', 'sync:run', 'admin']::varchar[]",
            name=op.f("ck_api_keys_permissions_known"),
        ),
        sa.CheckConstraint(
            "rate_limit_per_minute is null or rate_limit_per_minute > 0", name=op.f("ck_api_keys_rate_limit_positive")
        ),
        unique=(("key_hash",), ("prefix",)),
    )
    _create_org_table(
        "identity_mappings",
        sa.Column("person", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("kind in ('email', 'login', 'account_id')", name=op.f("ck_identity_mappings_kind_known")),
        sa.CheckConstraint(
            "length(btrim(person)) > 0 and length(btrim(value)) > 0", name=op.f("ck_identity_mappings_not_blank")
        ),
        unique=(("org_id", "provider", "kind", "value"),),
        indexed=("person",),
    )
    _create_org_table(
        "integration_credentials",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), server_default="default", nullable=False),
        sa.Column("encrypted_secret", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        # released with rotated_at between the two timestamps; the column order stays as it was
        _now("created_at"),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        _now("updated_at"),
        unique=(("org_id", "provider", "name"),),
    )
    _create_org_table(
        "memberships",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("role in ('owner', 'admin', 'member', 'viewer')", name=op.f("ck_memberships_role_known")),
        references=(("user_id", "users", "CASCADE"),),
        unique=(("org_id", "user_id"),),
        indexed=("user_id",),
    )
    _create_org_table(
        "repositories",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("default_branch", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        *_timestamps(),
        unique=(("org_id", "provider", "full_name"),),
    )
    _create_org_table(
        "settings",
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        *_timestamps(),
        sa.CheckConstraint("key ~ '^[a-z][a-z0-9_.]{0,62}$'", name=op.f("ck_settings_key_format")),
        unique=(("org_id", "key"),),
    )
    _create_org_table(
        "sync_configurations",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("targets", postgresql.ARRAY(sa.String(length=16)), nullable=False),
        sa.Column("schedule", sa.String(length=100), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_run_status", sa.String(length=16), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "scope_kind in ('repo', 'project', 'board')", name=op.f("ck_sync_configurations_scope_kind_known")
        ),
        sa.CheckConstraint(
            "targets <@ array['git', 'prs', 'cicd', 'deployments', 'incidents', 'work-items']::varchar[]",
            name=op.f("ck_sync_configurations_targets_known"),
        ),
        unique=(("org_id", "provider", "scope_kind", "scope"),),
    )
    _create_org_table(
        "team_mappings",
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("members", postgresql.ARRAY(sa.String(length=320)), server_default="{}", nullable=False),
        sa.Column("repo_patterns", postgresql.ARRAY(sa.String(length=300)), server_default="{}", nullable=False),
        sa.Column("work_scopes", postgresql.ARRAY(sa.String(length=300)), server_default="{}", nullable=False),
        *_timestamps(),
        sa.CheckConstraint("length(btrim(team)) > 0", name=op.f("ck_team_mappings_team_not_blank")),
        unique=(("org_id", "team"),),
    )
    _create_org_table(
        "sync_runs",
        sa.Column("sync_configuration_id", sa.BigInteger(), nullable=True),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="running", nullable=False),
        sa.Column("progress", sa.Float(), server_default="0", nullable=False),
        sa.Column("rows_loaded", sa.BigInteger(), server_default="0", nullable=False),
        _now("started_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        *_timestamps(),
        sa.CheckConstraint(
            "(status = 'running') = (finished_at is null)", name=op.f("ck_sync_runs_finished_unless_running")
        ),
        sa.CheckConstraint(
            "status in ('running', 'succeeded', 'failed', 'cancelled')", name=op.f("ck_sync_runs_status_known")
        ),
        sa.CheckConstraint("progress between 0 and 1", name=op.f("ck_sync_runs_progress_fraction")),
        references=(("sync_configuration_id", "sync_configurations", "SET NULL"),),
        indexed=("sync_configuration_id",),
    )
    _create_functions()
    _create_triggers()
    _enable_row_level_security()
    _create_first_audit_partitions()


def downgrade() -> None:
    _drop_functions_and_triggers()
    _drop_org_table("sync_runs", indexed=("sync_configuration_id",))
    _drop_org_table("team_mappings")
    _drop_org_table("sync_configurations")
    _drop_org_table("settings")
    _drop_org_table("repositories")
    _drop_org_table("memberships", indexed=("user_id",))
    _drop_org_table("integration_credentials")
    _drop_org_table("identity_mappings", indexed=("person",))
    _drop_org_table("api_keys")
    op.drop_table("users")
    op.drop_table("organizations")
    op.drop_index(op.f("ix_audit_logs_org_id"), table_name="audit_logs")
    op.drop_table("audit_logs")
    _drop_functions()


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False)


def _now(name: str) -> sa.Column:
    """A timestamp the database fills in with the time of the insert."""
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _timestamps() -> tuple[sa.Column, sa.Column]:
    return _now("created_at"), _now("updated_at")


def _create_org_table(
    table: str,
    *items: sa.schema.SchemaItem,
    references: tuple[tuple[str, str, str], ...] = (),
    unique: tuple[tuple[str, ...], ...] = (),
    indexed: tuple[str, ...] = (),
) -> None:
    """An org-scoped table: `id`, `org_id` (rows go with their organization, indexed), then `items`.

    `references` are further (column, table, ondelete) foreign keys, `unique` the column sets that are unique,
    `indexed` further indexed columns. The constraints are built in the order this release first listed them
    (checks in `items`, foreign keys, primary key, unique), so the DDL sent stays the same statement for statement.
    """
    foreign_keys = [("org_id", "organizations", "CASCADE"), *references]
    constraints = [
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
            )
            for column, target, ondelete in foreign_keys
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *(sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}")) for columns in unique),
    ]
    op.create_table(table, _id(), sa.Column("org_id", sa.BigInteger(), nullable=False), *items, *constraints)
    for column in ("org_id", *indexed):
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def _drop_org_table(table: str, indexed: tuple[str, ...] = ()) -> None:
    """Undoes `_create_org_table`: its indexes, last created first, then the table."""
    for column in reversed(("org_id", *indexed)):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    op.drop_table(table)


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
