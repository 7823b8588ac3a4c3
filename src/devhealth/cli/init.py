"""`devhealth init`: make a fresh home ready for its first sync in one step."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console(highlight=False, soft_wrap=True)


def init(
    org: Annotated[str, typer.Option("--org", help="The organization to create (syncs default to it).")],
    email: Annotated[str, typer.Option("--email", help="Its owner: a new user, or an existing one.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new user's password from "
                                                 "stdin.")] = False,
) -> None:
    """Migrate the semantic database, create the owner (a superuser) and the organization; rerunning it
    changes nothing that exists."""
    from devhealth.cli.admin import _read_secret
    from devhealth.semantic_db import db, migrate
    from devhealth.semantic_db.db import admin_session
    from devhealth.semantic_db.passwords import check_strength
    from devhealth.semantic_db.services import organizations, users

    where, before, after = migrate.upgrade_as_owner()
    console.print(f"{where}: revision {after} ({'already current' if before == after else 'migrated'})",
                  markup=False)
    # resolved after the migration: on the embedded server it is what creates the admin login role
    engine = db.get_engine(admin=True)
    with admin_session(engine) as session:
        user = users.find_user(session, email)
    password = None
    if user is None:
        password = _read_secret("Password", password_stdin, confirm=True)
        check_strength(password)
    with admin_session(engine) as session:
        if user is None:
            user = users.create_user(session, email, password, superuser=True)
            console.print(f"created user {user.email} (superuser)", markup=False)
        else:
            console.print(f"user {user.email} exists", markup=False)
        existing = organizations.find_organization(session, org)
        if existing is None:
            created = organizations.create_organization(session, org, user.email)
            console.print(f"created organization {created.name} owned by {user.email}", markup=False)
        else:
            console.print(f"organization {existing.name} exists", markup=False)
    console.print("next: devhealth sync git PATH, then devhealth metrics all", markup=False)
