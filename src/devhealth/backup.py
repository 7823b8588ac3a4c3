"""Backups of everything a devhealth home needs to carry on: the warehouse (ClickHouse BACKUP/RESTORE),
the semantic database (pg_dump/pg_restore, which pgserver ships), the dlt pipelines' state and cursors,
and, when the operator gives a passphrase, the credentials' secret key.

A backup folder holds `clickhouse/`, `postgres.dump`, `pipelines/`, optionally `secret.key.enc`, and
`manifest.json` (every file's SHA-256, and row counts and checksums per table) with `manifest.sha256`.
A restore verifies all of that first, restores beside the live data, checks what it restored, and only
then swaps it in: any failure leaves the live warehouse, semantic database and pipelines as they were.
"""

from __future__ import annotations

import os
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devhealth import backup_postgres
from devhealth.backup_files import FORMAT, list_files, prune_backups, verify_backup, write_manifest
from devhealth.backup_key import KEY_FILE, read_encrypted_keys, write_encrypted_keys
from devhealth.errors import ConfigError, InputError, WarehouseError
from devhealth.settings import ClickHouseSettings, devhealth_home
from devhealth.warehouse import Warehouse, sql_string

WAREHOUSE_DATABASES = ("raw", "staging", "intermediate", "marts")
PIPELINES = "pipelines"
KEY_NOT_INCLUDED = ("the secret key is not in this backup: keep DEVHEALTH_HOME/secret.key (or DEVHEALTH_SECRET_KEY) "
                    "somewhere safe, or back up with --key-passphrase-stdin; a restore needs it to read the "
                    "stored provider credentials")


@dataclass(frozen=True)
class TableFingerprint:
    database: str
    table: str
    rows: int
    checksum: str


def _identifier(name: str) -> str:
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def existing_databases(warehouse: Warehouse, names: tuple[str, ...] = WAREHOUSE_DATABASES) -> list[str]:
    return [name for name in names if warehouse.database_exists(name)]


def fingerprints(warehouse: Warehouse, databases: list[str]) -> list[TableFingerprint]:
    """Row count and an order-independent checksum of every table (views are recomputed from tables)."""
    tables = warehouse.query(
        "select database, name from system.tables where has({databases:Array(String)}, database) "
        "and engine like '%MergeTree' order by database, name",
        {"databases": list(databases)},
    ).rows
    result = []
    for database, table in tables:
        rows, checksum = warehouse.query(
            f"select count(), toString(groupBitXor(cityHash64(*))) from {_identifier(database)}.{_identifier(table)}"
        ).rows[0]
        result.append(TableFingerprint(database, table, int(rows), str(checksum)))
    return result


def check_backup_path(path: Path) -> Path:
    """A path fit to name in a statement and on a command line: no control characters."""
    text = str(path)
    if not text.strip() or any(unicodedata.category(char) == "Cc" for char in text):
        raise InputError(f"backup path {text!r}: contains a control character or is empty")
    return Path(path).absolute()


def _clickhouse_target(settings: ClickHouseSettings, folder: Path) -> tuple[str, str]:
    """Where ClickHouse writes the backup, and whether its files are in the backup folder ("files") or not.

    A server writes File() backups on its own disk under its `backups.allowed_path`; set
    CLICKHOUSE_BACKUP_TARGET (for example `S3('https://bucket.s3.amazonaws.com/devhealth/2026-11-23')` or
    `Disk('backups', 'devhealth-2026-11-23')`) to send them elsewhere.
    """
    if not settings.is_embedded and os.environ.get("CLICKHOUSE_BACKUP_TARGET"):
        return os.environ["CLICKHOUSE_BACKUP_TARGET"], "external"
    # a server writes File() on its own disk: only the embedded engine's files land in this folder. BACKUP and
    # RESTORE take no query parameters: the path (check_backup_path refused control characters) is a literal
    return f"File({sql_string(str(folder.resolve() / 'clickhouse'))})", "files" if settings.is_embedded else "external"


def _current_key_ids() -> list[str]:
    from devhealth.semantic_db.secret_keys import key_id, load_keyring

    try:
        return [key_id(key) for key in load_keyring(create=False).keys]
    except ConfigError:
        return []


def create_backup(destination: Path, warehouse: Warehouse | None = None, postgres_uri: str | None = None,
                  key_passphrase: str | None = None, home: Path | None = None) -> dict[str, Any]:
    """Back up the warehouse, the semantic database, the pipelines' state and, with a passphrase, the key."""
    destination = check_backup_path(destination)
    warehouse = warehouse or Warehouse()
    home = home or devhealth_home()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise InputError(f"backup destination {destination}: already exists and is not empty")
    databases = existing_databases(warehouse)
    if not databases:
        raise InputError("backup: the warehouse holds no devhealth databases yet; run `devhealth run` first")
    keys = _keys_to_seal() if key_passphrase is not None else ()
    destination.mkdir(parents=True, exist_ok=True)
    try:
        return _write_backup(destination, warehouse, databases, postgres_uri, key_passphrase, keys, home)
    except BaseException as error:
        # a half-written backup must not be mistaken for one, nor block the next attempt
        shutil.rmtree(destination, ignore_errors=True)
        converted = _one_line_postgres(error, f"backup to {destination}")
        if converted is error:
            raise
        raise converted from error


def _one_line_postgres(error: BaseException, what: str) -> BaseException:
    """A PostgreSQL driver error as our one-line error (the CLI prints those); anything else unchanged."""
    import psycopg

    if isinstance(error, psycopg.Error):
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return WarehouseError(f"{what}: the semantic database: {first}; nothing was changed"
                              if what.startswith("restore") else f"{what}: the semantic database: {first}")
    return error


def _keys_to_seal() -> tuple[bytes, ...]:
    from devhealth.semantic_db.secret_keys import load_keyring

    try:
        return load_keyring(create=False).keys
    except ConfigError as error:
        raise InputError(f"--key-passphrase-stdin: there is no secret key to back up ({error})") from None


def _write_backup(destination: Path, warehouse: Warehouse, databases: list[str], postgres_uri: str | None,
                  key_passphrase: str | None, keys: tuple[bytes, ...], home: Path) -> dict[str, Any]:
    clause = ", ".join(f"database {_identifier(name)}" for name in databases)
    target, kind = _clickhouse_target(warehouse.settings, destination)
    try:
        warehouse.command(f"backup {clause} to {target}")
    except Exception as error:
        raise WarehouseError(f"backup to {destination}: {str(error).strip().splitlines()[0]}") from error
    postgres = backup_postgres.dump(postgres_uri, destination / backup_postgres.DUMP) if postgres_uri else None
    pipelines = home / PIPELINES
    if pipelines.is_dir():
        shutil.copytree(pipelines, destination / PIPELINES, symlinks=True)
    if key_passphrase is not None:
        write_encrypted_keys(destination, keys, key_passphrase)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "clickhouse": kind,
        "databases": databases,
        "tables": [asdict(fingerprint) for fingerprint in fingerprints(warehouse, databases)],
        "postgres": postgres,
        "pipelines": pipelines.is_dir(),
        "secret_key": {"included": key_passphrase is not None, "key_ids": _current_key_ids()},
        "files": list_files(destination),
    }
    manifest["manifest_sha256"] = write_manifest(destination, manifest)
    return manifest


def prune(destination: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` backups beside `destination` (itself included), delete the older ones."""
    destination = check_backup_path(destination)
    return prune_backups(destination.parent, keep, destination)


@dataclass
class _Rollback:
    """What a restore has done so far, undone newest first when a later step fails."""

    steps: list[Callable[[], None]]

    def run(self) -> None:
        for step in reversed(self.steps):
            try:
                step()
            except Exception:  # the original failure is the one to report; keep undoing
                continue


def restore_backup(source: Path, warehouse: Warehouse | None = None, postgres_uri: str | None = None,
                   key_passphrase: str | None = None, home: Path | None = None) -> dict[str, Any]:
    """Replace the warehouse, the semantic database and the pipelines' state with the backup in `source`.

    Nothing live changes until the backup verified and the restored copies matched its manifest.
    """
    source = check_backup_path(source)
    manifest = verify_backup(source)
    warehouse = warehouse or Warehouse()
    home = home or devhealth_home()
    keyring = _restored_keyring(source, manifest, key_passphrase, home)
    restore_postgres = bool(postgres_uri) and manifest["postgres"] is not None
    token = secrets.token_hex(4)
    rollback = _Rollback([])
    cleanup: list[Callable[[], None]] = []
    staged_pipelines = _stage_pipelines(source, manifest, home, token)
    try:
        aside = _restore_warehouse(warehouse, source, manifest, token, rollback)
        cleanup += [lambda name=name: warehouse.command(f"drop database if exists {_identifier(name)} sync")
                    for name in aside]
        if restore_postgres:
            assert postgres_uri is not None
            staged = backup_postgres.stage(postgres_uri, source / backup_postgres.DUMP, token,
                                           manifest["postgres"]["tables"], _credentials_check(keyring, source))
            rollback.steps.append(lambda: backup_postgres.drop(staged, staged.staged))
            old = backup_postgres.swap_in(staged, token)
            rollback.steps[-1] = lambda: backup_postgres.swap_back(staged, old)
            if old is not None:
                cleanup.append(lambda: backup_postgres.drop(staged, old))
        cleanup.append(_swap_pipelines(home, staged_pipelines, token, rollback))
        if keyring is not None and keyring.write:
            _install_keys(home, keyring.keys, rollback)
    except BaseException as error:
        rollback.run()
        converted = _one_line_postgres(error, f"restore from {source}")
        if converted is error:
            raise
        raise converted from error
    finally:
        shutil.rmtree(staged_pipelines, ignore_errors=True)
    for step in cleanup:
        step()
    return manifest


@dataclass(frozen=True)
class _KeysAfterRestore:
    """The keys the home will read credentials with once the restore is done, and whether to write them."""

    keys: tuple[bytes, ...]
    source: str
    write: bool


def _restored_keyring(source: Path, manifest: dict[str, Any], passphrase: str | None,
                      home: Path) -> _KeysAfterRestore | None:
    from devhealth.semantic_db import secret_keys

    restored: tuple[bytes, ...] = ()
    if passphrase is not None:
        if not manifest["secret_key"]["included"]:
            raise InputError(f"backup {source}: holds no secret key (it was created without --key-passphrase-stdin)")
        restored = read_encrypted_keys(source, passphrase)
    if os.environ.get(secret_keys.VARIABLE, "").strip():
        if restored:
            raise InputError(f"--key-passphrase-stdin: {secret_keys.VARIABLE} is set, so a restored key file would "
                             f"not be read; put the backup's key in {secret_keys.VARIABLE} instead")
        current = secret_keys.load_keyring(create=False)
        return _KeysAfterRestore(current.keys, secret_keys.VARIABLE, write=False)
    key_file = home / secret_keys.KEY_FILE
    current_keys = secret_keys.parse_keys(key_file.read_text(), str(key_file)) if key_file.exists() else ()
    keys = tuple(dict.fromkeys((*restored, *current_keys)))
    if not keys:
        return None
    source_name = f"{KEY_FILE} of the backup" if restored else str(key_file)
    return _KeysAfterRestore(keys, source_name, write=bool(restored))


def _credentials_check(keyring: _KeysAfterRestore | None, source: Path) -> Callable[[Any], None]:
    """Every restored credential must decrypt with the keys the home will have, before anything is swapped."""
    from devhealth.semantic_db.secret_keys import Keyring

    def check(connection: Any) -> None:
        if connection.execute("select to_regclass('public.integration_credentials')").fetchone()[0] is None:
            return
        rows = connection.execute("select org_id, provider, name, encrypted_secret "
                                  "from public.integration_credentials order by id").fetchall()
        if rows and keyring is None:
            raise ConfigError(f"backup {source}: holds {len(rows)} encrypted credentials and there is no secret key "
                              "here to read them: restore with --key-passphrase-stdin if the backup holds the key, "
                              "else copy the old secret.key into DEVHEALTH_HOME or set DEVHEALTH_SECRET_KEY; "
                              "nothing was changed")
        if not rows or keyring is None:
            return
        ring = Keyring(keyring.keys, source=keyring.source)
        for org_id, provider, name, token in rows:
            try:
                ring.decrypt(bytes(token), f"credential {provider}/{name} of organization {org_id}")
            except ConfigError as error:
                raise ConfigError(f"backup {source}: {error}; nothing was changed") from None

    return check


def _restore_warehouse(warehouse: Warehouse, source: Path, manifest: dict[str, Any], token: str,
                       rollback: _Rollback) -> list[str]:
    """RESTORE under the live names with the live databases renamed aside; returns the aside names."""
    live = existing_databases(warehouse)
    aside: dict[str, str] = {}

    def undo() -> None:
        # drop only what RESTORE made: a live database that was not yet renamed aside stays
        for name in existing_databases(warehouse):
            if name in aside or name not in live:
                warehouse.command(f"drop database if exists {_identifier(name)} sync")
        for name, parked in aside.items():
            warehouse.command(f"rename database {_identifier(parked)} to {_identifier(name)}")

    rollback.steps.append(undo)
    for name in live:
        parked = f"{name}__before_restore_{token}"
        warehouse.command(f"rename database {_identifier(name)} to {_identifier(parked)}")
        aside[name] = parked
    databases: list[str] = manifest["databases"]
    clause = ", ".join(f"database {_identifier(name)}" for name in databases)
    target, _ = _clickhouse_target(warehouse.settings, source)
    try:
        warehouse.command(f"restore {clause} from {target}")
    except Exception as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise WarehouseError(f"restore from {source}: {message}; the live warehouse is unchanged") from error
    restored = {(item.database, item.table): asdict(item) for item in fingerprints(warehouse, databases)}
    expected = {(item["database"], item["table"]): item for item in manifest["tables"]}
    for key in sorted(set(restored) | set(expected)):
        if restored.get(key) != expected.get(key):
            found, wanted = restored.get(key, {}).get("rows"), expected.get(key, {}).get("rows")
            raise WarehouseError(f"restore from {source}: table {key[0]}.{key[1]} differs from the backup manifest "
                                 f"({found} rows restored, {wanted} expected, or another checksum); "
                                 "the live warehouse is unchanged")
    return list(aside.values())


def _stage_pipelines(source: Path, manifest: dict[str, Any], home: Path, token: str) -> Path:
    """The backup's pipeline state copied into the home beside the live one (empty when it had none)."""
    staged = home / f"{PIPELINES}.restoring-{token}"
    home.mkdir(parents=True, exist_ok=True)
    if manifest["pipelines"]:
        shutil.copytree(source / PIPELINES, staged, symlinks=True)
    else:
        staged.mkdir()
    return staged


def _swap_pipelines(home: Path, staged: Path, token: str, rollback: _Rollback) -> Callable[[], None]:
    """Put the staged pipeline state in place; returns the step that deletes the old one."""
    live = home / PIPELINES
    aside = home / f"{PIPELINES}.before-restore-{token}"
    if live.exists():
        live.rename(aside)
        rollback.steps.append(lambda: aside.rename(live))
    staged.rename(live)
    rollback.steps.append(lambda: shutil.rmtree(live, ignore_errors=True))
    return lambda: shutil.rmtree(aside, ignore_errors=True)


def _install_keys(home: Path, keys: tuple[bytes, ...], rollback: _Rollback) -> None:
    from devhealth.semantic_db.secret_keys import KEY_FILE as HOME_KEY_FILE
    from devhealth.semantic_db.secret_keys import write_key_file

    path = home / HOME_KEY_FILE
    before = path.read_bytes() if path.exists() else None
    write_key_file(path, keys)
    rollback.steps.append(lambda: path.write_bytes(before) if before is not None else path.unlink())

