"""The PostgreSQL semantic layer: organizations, people, teams, credentials and job records.

Open a transaction with `db.admin_session()` (every org's rows: admin tools; it runs as `devhealth_admin`),
`db.org_session(org_id)` (row-level security limits it to that org; it runs as `devhealth_app`) or
`db.directory_session()` (no org's rows, only `organizations.directory`: resolving `--org`), then call the
services; each session commits when its block ends and rolls back, leaving no partial rows, on any error.

    from devhealth.semantic_db.db import admin_session, org_session
    from devhealth.semantic_db.services import credentials, identities, organizations, sync_runs, teams

    with admin_session() as session:
        org = organizations.get_or_create_organization(session, "acme")      # -> OrganizationInfo(id, name, ...)
    with org_session(org.id) as session:
        token = credentials.read_credential(session, org.id, "github")       # plaintext str, never log it
        team_rows = teams.teams_for_org(session, org.id)                     # -> list[TeamInfo]
        people = identities.identity_mappings_for_org(session, org.id)       # -> list[IdentityInfo]
        run_id = sync_runs.start_sync_run(session, org.id, "github", scope="acme/api")
    with org_session(org.id) as session:
        sync_runs.finish_sync_run(session, run_id, "succeeded", rows_loaded=1234)

Service API (all take the open `Session` first):
- organizations: `get_or_create_organization(session, name) -> OrganizationInfo`,
  `list_organizations(session) -> list[OrganizationInfo]`, `require_organization(session, name) -> Organization`
  (InputError "unknown organization 'X'"), `create_organization(session, name, owner_email)`,
  `add_member(session, org_name, email, role)`.
- teams: `teams_for_org(session, org_id) -> list[TeamInfo]` (team, members, repo_patterns, work_scopes,
  updated_at), `create_team`, `add_team_member`, `add_repo_pattern`, `add_work_scope`.
- identities: `identity_mappings_for_org(session, org_id) -> list[IdentityInfo]` (person, display_name,
  provider, kind in email/login/account_id, value lower-cased except account ids), `map_identity`.
- sync_runs: `start_sync_run(session, org_id, provider, *, scope=None, configuration_id=None) -> int`,
  `update_sync_progress(session, run_id, progress, rows_loaded=None)`,
  `finish_sync_run(session, run_id, status, *, rows_loaded=None, error=None) -> SyncRun`
  (status succeeded/failed/cancelled; stamps the configuration's last run), `recent_sync_runs`.
- credentials: `read_credential(session, org_id, provider, *, name="default", keyring=None) -> str`,
  `set_credential(...)`, `list_credentials(session, org_id)` (metadata only), `rotate_credentials`.
- sync_configurations: `sync_configurations_for_org(session, org_id, provider=None)`, `configure_sync`,
  `register_repository`, `repositories_for_org`.
- org_settings: `get_settings(session, org_id) -> dict`, `set_setting` (validated per key).
- users, api_keys: `create_user`, `authenticate`, `list_users`; `create_api_key`, `verify_api_key`,
  `check_api_key(session, key, permission) -> ApiKeyCheck` (the row, or why not), `list_api_keys`, `revoke_api_key`.

Every admin action writes one `audit_logs` row in the same transaction (`services.audit.record`).
Schema changes go through Alembic (`devhealth admin migrate`, or `alembic upgrade head` at the repo root).
"""
