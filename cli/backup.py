"""`devhealth backup`: back up and restore the warehouse and the semantic database together."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Back up or restore the warehouse (ClickHouse BACKUP) and semantic database (pg_dump).",
                  no_args_is_help=True)
console = Console()


def _postgres_uri(include: bool) -> str | None:
    if not include:
        return None
    from devhealth.postgres import libpq_uri

    return libpq_uri()


@app.command("create")
def create(
    dest: Annotated[Path, typer.Argument(help="A new, empty folder for the backup.")],
    postgres: Annotated[bool, typer.Option(help="Also dump the semantic database.")] = True,
) -> None:
    """Back up every devhealth database and, by default, the semantic database."""
    from devhealth.backup import create_backup

    manifest = create_backup(dest, postgres_uri=_postgres_uri(postgres))
    rows = sum(table["rows"] for table in manifest["tables"])
    console.print(f"backed up {len(manifest['tables'])} tables ({rows} rows) from "
                  f"{', '.join(manifest['databases'])} to {dest}")


@app.command("restore")
def restore(
    source: Annotated[Path, typer.Argument(help="A folder written by `devhealth backup create`.")],
    postgres: Annotated[bool, typer.Option(help="Also restore the semantic database.")] = True,
) -> None:
    """Replace the warehouse (and semantic database) with a backup, then verify row counts and checksums."""
    from devhealth.backup import restore_backup

    manifest = restore_backup(source, postgres_uri=_postgres_uri(postgres))
    console.print(f"restored {len(manifest['tables'])} tables from {source}; counts and checksums match")
