"""`devhealth backup`: back up, verify and restore the warehouse, the semantic database and the sync state."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Back up, verify or restore the warehouse (ClickHouse BACKUP), the semantic database "
                       "(pg_dump) and the pipelines' sync state.", no_args_is_help=True)
# paths are printed whole, never wrapped: an operator copies them
console = Console(soft_wrap=True)
notices = Console(stderr=True, soft_wrap=True)

PassphraseOption = Annotated[bool, typer.Option(
    "--key-passphrase-stdin", help="Read a passphrase from stdin; create: the secret key goes into the backup "
    "encrypted with it; restore: decrypt the backup's key and install it in DEVHEALTH_HOME.")]


def _postgres_uri(include: bool) -> str | None:
    if not include:
        return None
    from devhealth.postgres import libpq_uri

    return libpq_uri()


def _passphrase(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    from devhealth.backup_key import check_passphrase

    return check_passphrase(sys.stdin.readline().rstrip("\r\n"))


@app.command("create")
def create(
    dest: Annotated[Path, typer.Argument(help="A new, empty folder for the backup.")],
    postgres: Annotated[bool, typer.Option(help="Also dump the semantic database.")] = True,
    key_passphrase_stdin: PassphraseOption = False,
    keep: Annotated[int | None, typer.Option(
        help="Then delete all but the newest N devhealth backups in DEST's parent folder (DEST included).")] = None,
) -> None:
    """Back up every devhealth database, the semantic database, the pipelines' state and (optionally) the key."""
    from devhealth.backup import KEY_NOT_INCLUDED, create_backup, prune
    from devhealth.errors import InputError

    if keep is not None and keep < 1:
        raise InputError(f"--keep {keep}: keep at least 1 backup")
    manifest = create_backup(dest, postgres_uri=_postgres_uri(postgres),
                             key_passphrase=_passphrase(key_passphrase_stdin))
    rows = sum(table["rows"] for table in manifest["tables"])
    console.print(f"backed up {len(manifest['tables'])} tables ({rows} rows) from "
                  f"{', '.join(manifest['databases'])}, {len(manifest['files'])} files, to {dest}; "
                  f"manifest sha256 {manifest['manifest_sha256']}", markup=False)
    if not manifest["secret_key"]["included"]:
        notices.print(KEY_NOT_INCLUDED, markup=False)
    if keep is not None:
        for folder in prune(dest, keep):
            console.print(f"deleted older backup {folder}", markup=False)


@app.command("verify")
def verify(
    source: Annotated[Path, typer.Argument(help="A folder written by `devhealth backup create`.")],
) -> None:
    """Check a backup's manifest hash and every file's checksum, without restoring anything."""
    from devhealth.backup import check_backup_path
    from devhealth.backup_files import verify_backup

    manifest = verify_backup(check_backup_path(source))
    size = sum(entry["size"] for entry in manifest["files"])
    key = "holds the secret key (encrypted)" if manifest["secret_key"]["included"] else "holds no secret key"
    console.print(f"backup {source}: {len(manifest['files'])} files ({size} bytes) match the manifest; created "
                  f"{manifest['created_at']}; {len(manifest['tables'])} warehouse tables; {key}", markup=False)


@app.command("restore")
def restore(
    source: Annotated[Path, typer.Argument(help="A folder written by `devhealth backup create`.")],
    postgres: Annotated[bool, typer.Option(help="Also restore the semantic database.")] = True,
    key_passphrase_stdin: PassphraseOption = False,
) -> None:
    """Verify a backup, restore it beside the live data, check it, then swap it in; a failure changes nothing."""
    from devhealth.backup import restore_backup

    manifest = restore_backup(source, postgres_uri=_postgres_uri(postgres),
                              key_passphrase=_passphrase(key_passphrase_stdin))
    console.print(f"restored {len(manifest['tables'])} tables from {source}; counts and checksums match",
                  markup=False)
