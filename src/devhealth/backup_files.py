"""The files of a backup folder: their checksums, the manifest that lists them, and its own hash.

A backup is trusted only when `manifest.sha256` matches `manifest.json` and every file the manifest
lists is present with its size and SHA-256, and nothing else is there. `verify_backup` checks all of it
before a restore touches anything, and names the first file that fails.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from devhealth.errors import InputError

MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
FORMAT = 2
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(folder: Path) -> list[dict[str, Any]]:
    """Every file under `folder` except the manifest and its hash, sorted, with size and SHA-256."""
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(folder).as_posix()
        if relative in (MANIFEST, MANIFEST_HASH):
            continue
        files.append({"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)})
    return files


def write_manifest(folder: Path, manifest: dict[str, Any]) -> str:
    """Write the manifest and, last, its hash in `sha256sum` form; returns the hash."""
    text = json.dumps(manifest, indent=2, sort_keys=True).encode()
    (folder / MANIFEST).write_bytes(text)
    digest = hashlib.sha256(text).hexdigest()
    (folder / MANIFEST_HASH).write_text(f"{digest}  {MANIFEST}\n")
    return digest


def _read_manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise InputError(f"backup {folder}: not a folder")
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise InputError(f"backup {folder}: no {MANIFEST}; not a devhealth backup")
    hash_path = folder / MANIFEST_HASH
    if not hash_path.is_file():
        raise InputError(f"backup {folder}: {MANIFEST_HASH} is missing; the manifest cannot be trusted")
    expected = hash_path.read_text(errors="replace").split(maxsplit=1)[0] if hash_path.read_bytes().strip() else ""
    if sha256_of(manifest_path) != expected:
        raise InputError(f"backup {folder}: {MANIFEST} does not match {MANIFEST_HASH} (damaged or edited)")
    try:
        manifest = json.loads(manifest_path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"backup {folder}: {MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"backup {folder}: {MANIFEST} is not a format {FORMAT} devhealth manifest; "
                         "back up again with this version")
    return manifest


def verify_backup(folder: Path) -> dict[str, Any]:
    """The manifest of the backup in `folder`, once every file checks out; else InputError naming the first bad one."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for relative in sorted(listed):
        entry = listed[relative]
        path = folder / relative
        if not path.is_file():
            raise InputError(f"backup {folder}: {relative} is missing")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise InputError(f"backup {folder}: {relative} is damaged (its checksum differs from the manifest)")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if (path.is_file() or path.is_symlink()) and relative not in listed and relative not in (MANIFEST,
                                                                                                 MANIFEST_HASH):
            raise InputError(f"backup {folder}: {relative} is not in the manifest")
    _check_complete(folder, manifest, listed)
    return manifest


def _check_complete(folder: Path, manifest: dict[str, Any], listed: dict[str, Any]) -> None:
    """What the manifest says was backed up must be among its files."""
    needed = []
    if manifest["clickhouse"] == "files":
        needed.append("clickhouse/.backup")
        needed += [f"clickhouse/metadata/{database}.sql" for database in manifest["databases"]]
    if manifest["postgres"] is not None:
        needed.append("postgres.dump")
    if manifest["secret_key"]["included"]:
        needed.append("secret.key.enc")
    for relative in needed:
        if relative not in listed:
            raise InputError(f"backup {folder}: {relative} is missing")
    if manifest["clickhouse"] == "files":
        backed_up = clickhouse_databases(folder / "clickhouse" / ".backup")
        if backed_up != sorted(manifest["databases"]):
            raise InputError(f"backup {folder}: clickhouse/.backup lists databases {', '.join(backed_up)}; "
                             f"the manifest lists {', '.join(sorted(manifest['databases']))}")


def clickhouse_databases(index: Path) -> list[str]:
    """The databases a ClickHouse backup holds, from its own index of files (`metadata/<database>.sql`)."""
    try:
        names = [element.text or "" for element in ElementTree.parse(index).getroot().iter("name")]
    except ElementTree.ParseError:
        raise InputError(f"backup {index.parents[1]}: clickhouse/.backup is not a ClickHouse backup index") from None
    found = {name.removeprefix("metadata/").removesuffix(".sql") for name in names
             if name.startswith("metadata/") and name.endswith(".sql") and name.count("/") == 1}
    return sorted(found)


def backups_in(parent: Path) -> list[tuple[str, Path]]:
    """The verified-manifest backups directly inside `parent`, as (created_at, folder), newest first."""
    found = []
    for child in parent.iterdir() if parent.is_dir() else []:
        if not child.is_dir() or not (child / MANIFEST).is_file():
            continue
        try:
            manifest = _read_manifest(child)
        except InputError:
            continue
        found.append((str(manifest["created_at"]), child))
    return sorted(found, reverse=True)


def prune_backups(parent: Path, keep: int, current: Path) -> list[Path]:
    """Delete all but the newest `keep` devhealth backups in `parent` (never `current`); returns the deleted."""
    if keep < 1:
        raise InputError(f"--keep {keep}: keep at least 1 backup")
    pruned = []
    kept = 0
    for _, folder in backups_in(parent):
        if folder.resolve() == current.resolve() or kept < keep:
            kept += 1
            continue
        shutil.rmtree(folder)
        pruned.append(folder)
    return pruned
