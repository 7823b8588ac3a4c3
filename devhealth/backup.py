"""Backups of both stores: the warehouse with ClickHouse BACKUP/RESTORE, the semantic database with
pg_dump/pg_restore (pgserver ships both binaries).

A backup folder holds `clickhouse/` (the BACKUP of every devhealth database), `postgres.dump`
(pg_dump's custom format) and `manifest.json` (row counts and checksums per table, checked on restore).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from devhealth.errors import InputError, WarehouseError
from devhealth.settings import ClickHouseSettings
from devhealth.warehouse import Warehouse

WAREHOUSE_DATABASES = ("raw", "staging", "intermediate", "marts")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class TableFingerprint:
    database: str
    table: str
    rows: int
    checksum: str


def _pg_binary(name: str) -> str:
    found = shutil.which(name)
    try:
        import pgserver

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    if found:
        return found
    raise InputError(f"{name}: not found; install the PostgreSQL client tools")


def existing_databases(warehouse: Warehouse) -> list[str]:
    return [name for name in WAREHOUSE_DATABASES if warehouse.database_exists(name)]


def fingerprints(warehouse: Warehouse, databases: list[str]) -> list[TableFingerprint]:
    """Row count and an order-independent checksum of every table (views are recomputed from tables)."""
    listed = ", ".join(f"'{name}'" for name in databases) or "''"
    tables = warehouse.query(
        f"select database, name from system.tables where database in ({listed}) "
        "and engine like '%MergeTree' order by database, name"
    ).rows
    result = []
    for database, table in tables:
        rows, checksum = warehouse.query(
            f"select count(), toString(groupBitXor(cityHash64(*))) from `{database}`.`{table}`"
        ).rows[0]
        result.append(TableFingerprint(database, table, int(rows), str(checksum)))
    return result


def _clickhouse_target(settings: ClickHouseSettings, folder: Path) -> str:
    """Where ClickHouse writes the backup: File() in `folder`, or CLICKHOUSE_BACKUP_TARGET on a server.

    A server writes File() backups on its own disk under its `backups.allowed_path`; set
    CLICKHOUSE_BACKUP_TARGET (for example `S3('https://bucket.s3.amazonaws.com/devhealth/2026-11-23')` or
    `Disk('backups', 'devhealth-2026-11-23')`) to send them elsewhere.
    """
    if not settings.is_embedded and os.environ.get("CLICKHOUSE_BACKUP_TARGET"):
        return os.environ["CLICKHOUSE_BACKUP_TARGET"]
    return f"File('{Path(folder).resolve() / 'clickhouse'}')"


def create_backup(destination: Path, warehouse: Warehouse | None = None, postgres_uri: str | None = None) -> dict:
    """Back up the warehouse databases and the semantic database into `destination` (a new folder)."""
    warehouse = warehouse or Warehouse()
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise InputError(f"backup destination {destination}: already exists and is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    databases = existing_databases(warehouse)
    if not databases:
        raise InputError("backup: the warehouse holds no devhealth databases yet; run `devhealth run` first")
    clause = ", ".join(f"database `{name}`" for name in databases)
    target = _clickhouse_target(warehouse.settings, destination)
    try:
        warehouse.command(f"backup {clause} to {target}")
    except Exception as error:
        raise WarehouseError(f"backup to {destination}: {str(error).splitlines()[0]}") from error
    if postgres_uri:
        dump = destination / "postgres.dump"
        _run_pg(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", postgres_uri], "pg_dump")
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "databases": databases,
        "tables": [asdict(fingerprint) for fingerprint in fingerprints(warehouse, databases)],
        "postgres": bool(postgres_uri),
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore_backup(source: Path, warehouse: Warehouse | None = None, postgres_uri: str | None = None) -> dict:
    """Replace the warehouse databases (and the semantic database) with the backup in `source`.

    The restored tables are checked against the manifest; a mismatch raises WarehouseError.
    """
    warehouse = warehouse or Warehouse()
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise InputError(f"backup {source}: no {MANIFEST}; not a devhealth backup")
    manifest = json.loads(manifest_path.read_text())
    databases: list[str] = manifest["databases"]
    for name in reversed(WAREHOUSE_DATABASES):
        if name in databases:
            warehouse.command(f"drop database if exists `{name}` sync")
    clause = ", ".join(f"database `{name}`" for name in databases)
    try:
        warehouse.command(f"restore {clause} from {_clickhouse_target(warehouse.settings, source)}")
    except Exception as error:
        raise WarehouseError(f"restore from {source}: {str(error).splitlines()[0]}") from error
    restored = [asdict(fingerprint) for fingerprint in fingerprints(warehouse, databases)]
    if restored != manifest["tables"]:
        raise WarehouseError(f"restore from {source}: restored tables differ from the backup manifest")
    if postgres_uri and manifest.get("postgres"):
        _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={postgres_uri}",
                 str(source / "postgres.dump")], "pg_restore")
    return manifest


def _run_pg(command: list[str], name: str) -> None:
    completed = subprocess.run([_pg_binary(command[0]), *command[1:]], capture_output=True, text=True)
    if completed.returncode != 0:
        # pg tools echo the connection string on some errors; keep only their first line, without URIs
        first = next((line for line in completed.stderr.splitlines() if line.strip()), "failed")
        raise WarehouseError(f"{name}: {first.split('postgresql://')[0].strip()}")
