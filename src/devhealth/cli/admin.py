"""`devhealth admin`: the semantic layer (users, organizations, credentials, mappings), in PostgreSQL.

Each command parses its options, calls one service of `devhealth.semantic_db` inside one admin
transaction (so a failure leaves no partial rows) and renders the result. Secrets come from stdin or
a hidden prompt only, and are never printed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from devhealth.errors import ConfigError, InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from devhealth.semantic_db.models import Organization
    from devhealth.semantic_db.services.teams import TeamInfo

app = typer.Typer(help="Administer the semantic layer in PostgreSQL.", no_args_is_help=True)
team_app = typer.Typer(help="Teams: members and the repositories they own.", no_args_is_help=True)
app.add_typer(team_app, name="team")
settings_app = typer.Typer(help="Per-organization settings (timezone, business hours, ...).", no_args_is_help=True)
app.add_typer(settings_app, name="settings")
console = Console(highlight=False, soft_wrap=True)
notices = Console(stderr=True, highlight=False, soft_wrap=True)

OrgOption = Annotated[str, typer.Option("--org", help="Organization name.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TeamOption = Annotated[str, typer.Option("--team", help="Team name.")]
PersonOption = Annotated[str, typer.Option("--person", help="Person key, as in map-identity.")]
RepoGlob = Annotated[str, typer.Option("--pattern", help="Glob over owner/name, e.g. acme/pay-*.")]
AddedRepoGlob = Annotated[str, typer.Option("--pattern", help="The glob, exactly as added.")]
WorkScope = Annotated[str, typer.Option("--scope", help="Jira project key, GitLab group/name or GitHub owner/name "
                                                        "whose work items the team owns.")]
AddedWorkScope = Annotated[str, typer.Option("--scope", help="The work scope, exactly as added.")]


@functools.cache
def _engine() -> Engine:
    """The semantic database, refusing to run on a schema that is not at the latest migration."""
    from devhealth.semantic_db import migrate

    return migrate.current_engine(admin=True)


@contextmanager
def _admin() -> Iterator[Session]:
    """The command's one admin transaction: committed when the block ends, rolled back on any error."""
    from devhealth.semantic_db.db import admin_session

    with admin_session(_engine()) as session:
        yield session


@contextmanager
def _org_admin(org: str) -> Iterator[tuple[Session, Organization]]:
    """The command's one admin transaction and the organization named `org` (an unknown name is refused)."""
    from devhealth.semantic_db.services import organizations

    with _admin() as session:
        yield session, organizations.require_organization(session, org)


def _org_id(session: Session, org: str | None) -> int | None:
    """The id of the organization an optional `--org` names; None without one."""
    from devhealth.semantic_db.services import organizations

    return organizations.require_organization(session, org).id if org is not None else None


def _change_team(org: str, team: str, value: str, change: Callable[[Session, int, str, str], TeamInfo],
                 field: str) -> None:
    """Add `value` to, or take it from, one of a team's lists in one admin transaction, then print that list
    (`team T: repo patterns a, b`, `(none)` once the last is gone)."""
    with _org_admin(org) as (session, org_row):
        info = change(session, org_row.id, team, value)
    console.print(f"team {info.team}: {field.replace('_', ' ')} {', '.join(getattr(info, field)) or '(none)'}")


def _read_secret(label: str, from_stdin: bool, *, confirm: bool = False) -> str:
    """A secret from stdin (`--...-stdin`) or a hidden prompt; never from argv."""
    if from_stdin:
        secret = sys.stdin.read().rstrip("\r\n")
    elif sys.stdin.isatty():
        secret = typer.prompt(label, hide_input=True, confirmation_prompt=confirm, default="", show_default=False)
    else:
        raise InputError(f"no {label.lower()} given: pipe it with --{label.lower().split()[0]}-stdin, "
                         "or run in a terminal to be prompted")
    if not secret:
        raise InputError(f"{label.lower()} is empty")
    return secret


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _render(rows: Sequence[Any], columns: Sequence[str], as_json: bool, title: str) -> None:
    records = [{c: _plain(getattr(row, c)) for c in columns} for row in rows]
    if as_json:
        typer.echo(json.dumps(records, indent=2))
        return
    table = Table(*columns, title=title)
    for record in records:
        table.add_row(*(", ".join(v) if isinstance(v, list) else "" if v is None else str(v)
                        for v in record.values()))
    console.print(table)


@app.command("migrate")
def migrate_command(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create or upgrade the semantic database schema (Alembic)."""
    from devhealth.semantic_db import migrate

    where, before, after = migrate.upgrade_as_owner(revision)
    change = "already current" if before == after else f"was {before or 'empty'}"
    console.print(f"{where}: revision {after} ({change})")


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option("--email", help="Sign-in email (case-insensitive, unique).")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    superuser: Annotated[bool, typer.Option("--superuser", help="May administer every organization.")] = False,
) -> None:
    """Create a user; the password comes from stdin or a hidden prompt."""
    from devhealth.semantic_db.passwords import check_strength
    from devhealth.semantic_db.services import users

    password = _read_secret("Password", password_stdin, confirm=True)
    check_strength(password)
    with _admin() as session:
        user = users.create_user(session, email, password, superuser=superuser)
    console.print(f"created user {user.email} (id {user.id}{', superuser' if superuser else ''})")


@app.command("list-users")
def list_users(as_json: JsonOption = False) -> None:
    """List users and the organizations they belong to."""
    from devhealth.semantic_db.services import users

    with _admin() as session:
        rows = users.list_users(session)
    _render(rows, ["id", "email", "is_superuser", "is_active", "organizations", "created_at"], as_json, "users")


@app.command("create-org")
def create_org(
    name: Annotated[str, typer.Option("--name", help="Organization name (unique).")],
    owner_email: Annotated[str, typer.Option("--owner-email", help="An existing user, made owner.")],
) -> None:
    """Create an organization owned by an existing user."""
    from devhealth.semantic_db.services import organizations

    with _admin() as session:
        org = organizations.create_organization(session, name, owner_email)
    console.print(f"created organization {org.name} (id {org.id}) owned by {owner_email.strip().lower()}")


@app.command("list-orgs")
def list_orgs(as_json: JsonOption = False) -> None:
    """List organizations."""
    from devhealth.semantic_db.services import organizations

    with _admin() as session:
        rows = organizations.list_organizations(session)
    _render(rows, ["id", "name", "created_at"], as_json, "organizations")


@app.command("add-member")
def add_member(
    org: OrgOption,
    email: Annotated[str, typer.Option("--email", help="An existing user.")],
    role: Annotated[str, typer.Option("--role", help="owner, admin, member or viewer.")] = "member",
) -> None:
    """Give a user a role in an organization (or change it)."""
    from devhealth.semantic_db.services import organizations

    with _admin() as session:
        membership = organizations.add_member(session, org, email, role)
    console.print(f"{email.strip().lower()} is {membership.role} of {org.strip()}")


@app.command("set-credential")
def set_credential(
    org: OrgOption,
    provider: Annotated[str, typer.Option("--provider", help="github, gitlab, jira, ...")],
    name: Annotated[str, typer.Option("--name", help="Credential name, for several per provider.")] = "default",
    secret_stdin: Annotated[bool, typer.Option("--secret-stdin", help="Read the secret from stdin.")] = False,
) -> None:
    """Store a provider secret for an organization, encrypted with the secret key."""
    from devhealth.semantic_db.secret_keys import load_keyring
    from devhealth.semantic_db.services import credentials

    secret = _read_secret("Secret", secret_stdin)
    _engine()  # a stale schema is refused before any key is generated
    keyring = load_keyring()
    if keyring.created:
        notices.print(f"generated a secret key at {keyring.path} (mode 0600) to encrypt credentials; back it up, "
                      "or set DEVHEALTH_SECRET_KEY to use your own", markup=False)
    with _org_admin(org) as (session, org_row):
        info = credentials.set_credential(session, org_row.id, provider, secret, name=name, keyring=keyring)
    console.print(f"stored credential {info.provider}/{info.name} for {org_row.name} (key {info.key_id})")


@app.command("configure-sync")
def configure_sync(
    org: OrgOption,
    provider: Annotated[str, typer.Option("--provider", help="github, gitlab or jira.")],
    scope: Annotated[str, typer.Option("--scope", help="GitHub owner/name, GitLab group/name or Jira key.")],
    targets: Annotated[list[str] | None, typer.Option(
        "--target", help="prs, cicd, deployments, incidents, work-items, or git (commits from the API, for an "
                         "org without clones); repeatable. [all the provider has but git]")]
    = None,
    schedule: Annotated[str | None, typer.Option("--schedule", help="Five-field cron expression.")] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Keep the scope but leave it out of syncs.")]
    = False,
) -> None:
    """Configure a scope that `devhealth sync <group> --provider P` loads when no --repo/--project is given."""
    from devhealth.extract.resource_groups import SCOPE_KINDS, check_provider, default_groups, groups_of
    from devhealth.grouped_sync import check_scope
    from devhealth.semantic_db.services import sync_configurations

    checked = check_provider(provider)
    for target in targets or ():
        if target not in groups_of(checked):
            raise InputError(f"--target {target!r}: {checked} syncs {', '.join(groups_of(checked))}")
    with _org_admin(org) as (session, org_row):
        row = sync_configurations.configure_sync(session, org_row.id, checked, SCOPE_KINDS[checked],
                                                 check_scope(checked, scope), list(targets or default_groups(checked)),
                                                 schedule=schedule, enabled=not disabled)
        state = "enabled" if row.enabled else "disabled"
        console.print(f"{org_row.name}: {checked} {row.scope_kind} {row.scope} syncs {', '.join(row.targets)} "
                      f"({state})")


@app.command("list-syncs")
def list_syncs(org: OrgOption, as_json: JsonOption = False) -> None:
    """List an organization's sync configurations and how each last ran."""
    from devhealth.semantic_db.services import sync_configurations

    with _org_admin(org) as (session, org_row):
        rows = sync_configurations.sync_configurations_for_org(session, org_row.id)
        _render(rows, ("provider", "scope_kind", "scope", "targets", "enabled", "schedule", "last_run_at",
                       "last_run_status"), as_json, f"sync configurations of {org_row.name}")


@app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt every credential with a new secret key (MultiFernet).

    With the embedded key file a new key is generated; with DEVHEALTH_SECRET_KEY put the new key
    first (NEW,OLD), run this, then remove OLD.
    """
    from devhealth.semantic_db import secret_keys
    from devhealth.semantic_db.services import credentials

    _engine()  # a stale schema is refused before any key is generated
    keyring = secret_keys.load_keyring(create=False)
    if keyring.path is not None:
        keyring = secret_keys.add_new_key(keyring)
    elif len(keyring.keys) == 1:
        raise ConfigError(f"{secret_keys.VARIABLE} holds one key: put a new key first (NEW,OLD) and rerun rotate-key")
    with _admin() as session:
        result = credentials.rotate_credentials(session, keyring)
    secret_keys.keep_only_primary(keyring)
    follow_up = "" if keyring.path else f"; remove the older keys from {secret_keys.VARIABLE}"
    console.print(f"re-encrypted {result.rotated} credentials with key {result.key_id} "
                  f"({result.already_current} already current){follow_up}")


@app.command("create-api-key")
def create_api_key(
    org: OrgOption,
    name: Annotated[str, typer.Option("--name", help="What the key is for.")],
    permission: Annotated[list[str], typer.Option("--permission", help="metrics:read, sync:run or admin.")],
    expires_days: Annotated[int | None, typer.Option("--expires-days", help="Days until it expires.")] = None,
    rate_limit: Annotated[int | None, typer.Option("--rate-limit", help="Requests per minute.")] = None,
) -> None:
    """Create an API key; it is printed once and only its hash is stored."""
    from devhealth.semantic_db.services import api_keys

    with _org_admin(org) as (session, org_row):
        key = api_keys.create_api_key(session, org_row.id, name, permission, expires_in_days=expires_days,
                                      rate_limit_per_minute=rate_limit)
    notices.print(f"API key {key.name} ({key.prefix}) for {org_row.name}: {', '.join(key.permissions)}"
                  f"{f', expires {key.expires_at:%Y-%m-%d}' if key.expires_at else ''}; "
                  "it is shown once, on stdout", markup=False)
    typer.echo(key.key)


@app.command("list-api-keys")
def list_api_keys(
    org: Annotated[str | None, typer.Option("--org", help="Only this organization's keys.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List API keys: prefix, permissions, limits and use; never the key."""
    from devhealth.semantic_db.services import api_keys

    with _admin() as session:
        org_id = _org_id(session, org)
        rows = api_keys.list_api_keys(session, org_id)
    _render(rows, ["prefix", "org", "name", "permissions", "rate_limit_per_minute", "expires_at", "last_used_at",
                   "revoked_at"], as_json, "API keys")


@app.command("revoke-api-key")
def revoke_api_key(
    prefix: Annotated[str, typer.Option("--prefix", help="The key's prefix, as list-api-keys shows it.")],
) -> None:
    """Revoke an API key: the API refuses it from the next request on."""
    from devhealth.semantic_db.services import api_keys

    with _admin() as session:
        info = api_keys.revoke_api_key(session, prefix)
    console.print(f"API key {info.name} ({info.prefix}) of {info.org} revoked at {info.revoked_at:%Y-%m-%d %H:%M:%S}",
                  markup=False)


@app.command("map-identity")
def map_identity(
    org: OrgOption,
    person: Annotated[str, typer.Option("--person", help="The person's key, usually their work email.")],
    provider: Annotated[str, typer.Option("--provider", help="git, github, gitlab, jira, ...")],
    kind: Annotated[str, typer.Option("--kind", help="email, login or account_id.")],
    value: Annotated[str, typer.Option("--value", help="The identity at that provider.")],
    display_name: Annotated[str | None, typer.Option("--display-name", help="Name to show.")] = None,
) -> None:
    """Map a provider identity (email, login, account id) to a person."""
    from devhealth.semantic_db.services import identities

    with _org_admin(org) as (session, org_row):
        info = identities.map_identity(session, org_row.id, person, provider, kind, value,
                                       display_name=display_name)
    console.print(f"{info.provider} {info.kind} {info.value} -> {info.person} in {org_row.name}")


@team_app.command("create")
def team_create(org: OrgOption, name: Annotated[str, typer.Option("--name", help="Team name.")]) -> None:
    """Create a team."""
    from devhealth.semantic_db.services import teams

    with _org_admin(org) as (session, org_row):
        info = teams.create_team(session, org_row.id, name)
    console.print(f"created team {info.team} in {org_row.name}")


@team_app.command("add-member")
def team_add_member(org: OrgOption, team: TeamOption, person: PersonOption) -> None:
    """Add a person to a team."""
    from devhealth.semantic_db.services import teams

    _change_team(org, team, person, teams.add_team_member, "members")


@team_app.command("add-repo-pattern")
def team_add_repo_pattern(org: OrgOption, team: TeamOption, pattern: RepoGlob) -> None:
    """Give a team the repositories matching a glob."""
    from devhealth.semantic_db.services import teams

    _change_team(org, team, pattern, teams.add_repo_pattern, "repo_patterns")


@team_app.command("list")
def team_list(org: OrgOption, as_json: JsonOption = False) -> None:
    """List an organization's teams."""
    from devhealth.semantic_db.services import teams

    with _org_admin(org) as (session, org_row):
        rows = teams.teams_for_org(session, org_row.id)
    _render(rows, [f.name for f in dataclasses.fields(teams.TeamInfo) if f.name != "org_id"], as_json,
            f"teams of {org_row.name}")


@app.command("create-row-policies")
def create_row_policies(
    bi_role: Annotated[str, typer.Option("--bi-role", help="Shared BI role; each org's is <role>_org_<id>.")]
    = "devhealth_bi",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the SQL; change nothing.")] = False,
) -> None:
    """Give every organization a read-only ClickHouse role that sees only its own rows of the marts.

    Needs a ClickHouse server (the prod targets); chDB has no access control, so there use --dry-run.
    """
    from devhealth import orgs, row_policies

    organizations = orgs.list_orgs(_engine())
    if not organizations:
        raise InputError(f"no organization exists yet: {orgs.CREATE_ORG_HINT}")
    statements = row_policies.create_row_policies(organizations, bi_role, dry_run=dry_run)
    if dry_run:
        typer.echo("\n".join(f"{statement};" for statement in statements))
        return
    policies = row_policies.org_policies(statements)
    for org in organizations:
        console.print(f"{org.name} (id {org.id}): role {row_policies.org_role(org, bi_role)}, "
                      f"{sum(p.role == row_policies.org_role(org, bi_role) for p in policies)} row policies")


@team_app.command("add-work-scope")
def team_add_work_scope(org: OrgOption, team: TeamOption, scope: WorkScope) -> None:
    """Give a team a work scope, so its work items count for the team instead of as unassigned."""
    from devhealth.semantic_db.services import teams

    _change_team(org, team, scope, teams.add_work_scope, "work_scopes")


def _remove_team_member(session: Session, org_id: int, team: str, person: str) -> TeamInfo:
    """teams.remove_team_member, refusing a person who is not on the team."""
    from devhealth.semantic_db.services import teams

    before = {t.team: t.members for t in teams.teams_for_org(session, org_id)}
    if person.strip().lower() not in before.get(team.strip(), (person.strip().lower(),)):
        raise InputError(f"--person {person.strip()}: not a member of team {team.strip()}")
    return teams.remove_team_member(session, org_id, team, person)


@team_app.command("remove-member")
def team_remove_member(org: OrgOption, team: TeamOption, person: PersonOption) -> None:
    """Take a person off a team."""
    _change_team(org, team, person, _remove_team_member, "members")


@team_app.command("remove-repo-pattern")
def team_remove_repo_pattern(org: OrgOption, team: TeamOption, pattern: AddedRepoGlob) -> None:
    """Take a repository glob away from a team."""
    from devhealth.semantic_db.services import removals

    _change_team(org, team, pattern, removals.remove_repo_pattern, "repo_patterns")


@team_app.command("remove-work-scope")
def team_remove_work_scope(org: OrgOption, team: TeamOption, scope: AddedWorkScope) -> None:
    """Take a work scope away from a team."""
    from devhealth.semantic_db.services import removals

    _change_team(org, team, scope, removals.remove_work_scope, "work_scopes")


@team_app.command("delete")
def team_delete(org: OrgOption, team: TeamOption) -> None:
    """Delete a team with its members, repository globs and work scopes (the audit log keeps what it held)."""
    from devhealth.semantic_db.services import removals

    with _org_admin(org) as (session, org_row):
        removals.delete_team(session, org_row.id, team)
    console.print(f"deleted team {team.strip()} of {org_row.name}; `devhealth sync teams` takes it out of the marts")


@app.command("remove-member")
def remove_member(org: OrgOption, email: Annotated[str, typer.Option("--email", help="The member's email.")]
                  ) -> None:
    """Take a user out of an organization (never its last owner)."""
    from devhealth.semantic_db.services import removals

    with _admin() as session:
        removals.remove_member(session, org, email)
    console.print(f"{email.strip().lower()} is no longer a member of {org.strip()}")


def _set_active(email: str, active: bool) -> None:
    from devhealth.semantic_db.services import removals

    with _admin() as session:
        changed = removals.set_user_active(session, email, active)
    state = "active" if active else "deactivated"
    console.print(f"{email.strip().lower()} is {state}{'' if changed else ' (already)'}")


@app.command("deactivate-user")
def deactivate_user(email: Annotated[str, typer.Option("--email", help="The user's email.")]) -> None:
    """Stop a user from signing in; their memberships and audit trail stay."""
    _set_active(email, False)


@app.command("activate-user")
def activate_user(email: Annotated[str, typer.Option("--email", help="The user's email.")]) -> None:
    """Let a deactivated user sign in again."""
    _set_active(email, True)


@app.command("delete-credential")
def delete_credential(
    org: OrgOption,
    provider: Annotated[str, typer.Option("--provider", help="github, gitlab, jira, ...")],
    name: Annotated[str, typer.Option("--name", help="Credential name.")] = "default",
) -> None:
    """Delete a stored provider secret; syncs fall back to the token in the environment."""
    from devhealth.semantic_db.services import removals

    with _org_admin(org) as (session, org_row):
        removals.delete_credential(session, org_row.id, provider, name=name)
    console.print(f"deleted credential {provider}/{name} of {org_row.name}")


@app.command("remove-sync")
def remove_sync(
    org: OrgOption,
    provider: Annotated[str, typer.Option("--provider", help="github, gitlab or jira.")],
    scope: Annotated[str, typer.Option("--scope", help="The configured scope.")],
) -> None:
    """Delete a sync configuration (its past runs stay); `configure-sync --disabled` only pauses one."""
    from devhealth.semantic_db.services import removals

    with _org_admin(org) as (session, org_row):
        removals.remove_sync_configuration(session, org_row.id, provider, scope)
    console.print(f"removed {provider} sync of {scope.strip()} from {org_row.name}")


@app.command("audit")
def audit_log(
    org: Annotated[str | None, typer.Option("--org", help="Only this organization's actions.")] = None,
    action: Annotated[str | None, typer.Option("--action", help="Actions starting with this, e.g. team. or "
                                                                "credential.delete.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Newest rows to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Read the audit log, newest first."""
    from devhealth.semantic_db.services import removals

    with _admin() as session:
        org_id = _org_id(session, org)
        rows = removals.audit_entries(session, org_id=org_id, action=action, limit=limit)
    if as_json:
        typer.echo(json.dumps([{**dataclasses.asdict(row), "created_at": row.created_at.isoformat()}
                               for row in rows], indent=2))
        return
    table = Table(title="audit log")
    for column in ("at", "org", "actor", "action", "target", "details"):
        # fold rather than cut: an action or target cut short reads as another one
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row.created_at.isoformat(timespec="seconds"), "" if row.org_id is None else str(row.org_id),
                      row.actor, row.action, row.target or "", json.dumps(row.details, sort_keys=True))
    console.print(table, markup=False)


def _setting_value(raw: str) -> Any:
    """A setting's value as JSON (`"Europe/Paris"`, `[1,2,3]`, `{"start": "09:00", "end": "17:00"}`); a bare
    word that is not JSON is taken as a string, so `--value Europe/Paris` works unquoted."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        if raw.strip().startswith(("[", "{", '"')):
            raise InputError(f"--value {raw}: not valid JSON") from None
        return raw.strip()


@settings_app.command("set")
def settings_set(
    org: OrgOption,
    key: Annotated[str, typer.Option("--key", help="timezone, business_hours, working_days or bot_patterns.")],
    value: Annotated[str, typer.Option("--value", help="JSON value, e.g. Europe/Paris, [1,2,3,4,5], "
                                                       '{"start":"09:00","end":"17:00"}.')],
) -> None:
    """Set one of an organization's settings; it is validated before anything is written."""
    from devhealth.semantic_db.services import org_settings

    parsed = _setting_value(value)
    with _org_admin(org) as (session, org_row):
        org_settings.set_setting(session, org_row.id, key.strip(), parsed)
    console.print(f"{org_row.name}: {key.strip()} = {json.dumps(parsed)}", markup=False)


@settings_app.command("unset")
def settings_unset(org: OrgOption, key: Annotated[str, typer.Option("--key", help="The setting to remove.")]
                   ) -> None:
    """Remove a setting, so the project default applies again."""
    from devhealth.semantic_db.services import removals

    with _org_admin(org) as (session, org_row):
        removals.unset_setting(session, org_row.id, key.strip())
    console.print(f"{org_row.name}: {key.strip()} unset")


@settings_app.command("show")
def settings_show(org: OrgOption, as_json: JsonOption = False) -> None:
    """An organization's settings."""
    from devhealth.semantic_db.services import org_settings

    with _org_admin(org) as (session, org_row):
        values = org_settings.get_settings(session, org_row.id)
    if as_json:
        typer.echo(json.dumps(values, indent=2, sort_keys=True))
        return
    table = Table("setting", "value", title=f"settings of {org_row.name}")
    for key in sorted(values):
        table.add_row(key, json.dumps(values[key]))
    console.print(table, markup=False)
