"""Backup and restore of a home the main job built: the real migrated semantic schema (its partitioned audit
log included), a warehouse `devhealth run` built, dlt's pipeline state, and a stored credential.

One home is built per module (`devhealth run` on a small synthetic history and a git repository), synced
from GitHub replayed from tests/fixtures/github (tests/extract/rest_replay.py), then backed up once with
its key. Each test restores that backup somewhere, or tampers with a copy of it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from embedded_postgres import stop_embedded_postgres
from git_helpers import run_git
from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "extract"))
from rest_replay import ReplayServer, fixture

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
REPO = "/repos/acme/api"
PASSPHRASE = "correct horse battery staple"
TOKEN = "ghp_backup_test_token_0123456789"
# what the home looks like, read by a process of its own (chDB is one engine per process)
DIGEST = """
import json, sys
from pathlib import Path
import psycopg
from devhealth import backup, backup_postgres
from devhealth.backup_files import list_files
from devhealth.postgres import libpq_uri
from devhealth.settings import devhealth_home
from devhealth.warehouse import Warehouse

warehouse = Warehouse()
home = devhealth_home()
with psycopg.connect(libpq_uri()) as connection:
    postgres = backup_postgres.fingerprints(connection)
    pg_databases = [row[0] for row in connection.execute("select datname from pg_database order by 1")]
pipelines = home / "pipelines"
print(json.dumps({
    "warehouse": [vars(item) for item in backup.fingerprints(warehouse, backup.existing_databases(warehouse))],
    "databases": [row[0] for row in warehouse.query("select name from system.databases order by name").rows],
    "postgres": postgres,
    "pg_databases": pg_databases,
    "pipelines": list_files(pipelines) if pipelines.is_dir() else None,
    "home": sorted(path.name for path in home.iterdir()),
    "key": (home / "secret.key").read_text() if (home / "secret.key").exists() else None,
}))
"""


def devhealth(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=600, input=stdin)


def digest(env: dict[str, str]) -> dict:
    completed = subprocess.run([sys.executable, "-c", DIGEST], capture_output=True, text=True, env=env, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def query(sql: str, env: dict[str, str]) -> list[str]:
    result = devhealth("query", sql, "--format", "csv", "--no-header", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def pg_execute(env: dict[str, str], *statements: str) -> list:
    code = "from devhealth.postgres import libpq_uri; print(libpq_uri())"
    uri = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    results = []
    with psycopg.connect(uri, autocommit=True) as connection:
        for statement in statements:
            cursor = connection.execute(statement)
            results.append(cursor.fetchall() if cursor.description else [])
    return results


def home_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLICKHOUSE_URI", "POSTGRES_URI", "DATABASE_URI",
                                                            "DATABASE_URL", "DEVHEALTH_SECRET_KEY", "GITHUB_TOKEN")}
    return {**env, "DEVHEALTH_HOME": str(root), "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001"}


def stop_postgres(home: Path) -> None:
    stop_embedded_postgres(home)


def serve_issues(replay: ReplayServer, *, with_second_page: bool) -> None:
    """GitHub's issues of acme/api, as recorded: page 1 only before the backup, both pages after it."""
    replay.add(REPO, fixture("github/repo.json"))
    if with_second_page:
        replay.add(f"{REPO}/issues", fixture("github/issues_page1.json"),
                   headers={"Link": f'<{{base}}{REPO}/issues?page=2&state=all>; rel="next"'})
        replay.add(f"{REPO}/issues", fixture("github/issues_page2.json"), query={"page": "2"})
    else:
        replay.add(f"{REPO}/issues", fixture("github/issues_page1.json"))


def sync_issues(env: dict[str, str], replay: ReplayServer) -> str:
    result = devhealth("sync", "work-items", "--provider", "github", "--repo", "acme/api", "--base-url", replay.base,
                       "--org", "demo", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert TOKEN not in result.stdout + result.stderr
    return result.stdout


def sync_git(env: dict[str, str], repo: Path) -> str:
    result = devhealth("sync", "git", "--repo", str(repo), "--org", "demo", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def rows_line(output: str, label: str) -> str:
    """The line saying how many rows a sync loaded, without its duration."""
    line = next(line.strip() for line in output.splitlines() if label in line and "rows" in line)
    return re.sub(r" in [0-9.]+s$", "", line)


@pytest.fixture(scope="module")
def replay() -> Iterator[ReplayServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield ReplayServer(server)
    server.clear()
    server.stop()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, replay: ReplayServer) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("backup-restore")
    env = home_env(root / "home")
    repo = root / "service"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, "remote", "add", "origin", "git@github.com:acme/service.git")
    commit(repo, "2024-05-06T10:00:00+00:00", "app.py", "print(1)\n")

    since = (datetime.now(UTC) - timedelta(days=20)).date().isoformat()
    run = devhealth("run", "--quiet", "--repo", str(repo), "--since", since, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    stored = devhealth("admin", "set-credential", "--org", "demo", "--provider", "github", "--secret-stdin",
                       env=env, stdin=TOKEN)
    assert stored.returncode == 0, stored.stderr
    serve_issues(replay, with_second_page=False)
    assert "work-items github acme/api: 3 rows" in sync_issues(env, replay)

    backup = root / "backups" / "nightly"
    created = devhealth("backup", "create", str(backup), "--key-passphrase-stdin", env=env, stdin=PASSPHRASE + "\n")
    assert created.returncode == 0, created.stderr
    yield SimpleNamespace(root=root, env=env, repo=repo, backup=backup, at_backup=digest(env))
    stop_postgres(root / "home")


def commit(repo: Path, when: str, path: str, content: str) -> None:
    (repo / path).write_text(content)
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", f"change at {when}", env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def test_the_backup_holds_every_store_with_a_checksum_and_the_key_encrypted(built) -> None:
    manifest = json.loads((built.backup / "manifest.json").read_text())
    paths = {entry["path"] for entry in manifest["files"]}
    assert {"clickhouse/.backup", "postgres.dump", "secret.key.enc"} <= paths
    assert any(path.startswith("pipelines/") and path.endswith("state.json") for path in paths)
    assert {table["table"] for table in manifest["postgres"]["tables"]} >= {
        "public.users", "public.integration_credentials", "public.alembic_version"}
    # the audit log's monthly partitions are tables of their own
    assert any(table["table"].startswith("public.audit_logs_p") and table["rows"] > 0
               for table in manifest["postgres"]["tables"])
    assert manifest["databases"] == ["raw", "staging", "intermediate", "marts"]
    key_file = (built.root / "home" / "secret.key").read_text()
    sealed = (built.backup / "secret.key.enc").read_text()
    assert key_file.strip() not in sealed and TOKEN not in sealed

    verified = devhealth("backup", "verify", str(built.backup), env=built.env)
    assert verified.returncode == 0, verified.stderr
    assert f"{len(manifest['files'])} files" in verified.stdout and "holds the secret key" in verified.stdout


def test_in_place_restore_brings_back_the_backup_and_the_first_sync_loads_what_came_after(built, replay) -> None:
    env = built.env
    # after the backup: new commits and issues are synced, tables and a credential are created
    commit(built.repo, "2024-05-08T10:00:00+00:00", "lib.py", "x = 1\n")
    commit(built.repo, "2024-05-09T10:00:00+00:00", "app.py", "print(3)\n")
    git_after = rows_line(sync_git(env, built.repo), str(built.repo))
    serve_issues(replay, with_second_page=True)
    issues_after = rows_line(sync_issues(env, replay), "work-items github acme/api")
    assert issues_after == "work-items github acme/api: 2 rows"  # the repository and issue 31
    query("create table raw.created_after_backup (x UInt8) engine = MergeTree order by x", env)
    pg_execute(env, "create table created_after_backup (x int)")
    # a second credential: a row in integration_credentials and one in the partitioned audit log
    stored = devhealth("admin", "set-credential", "--org", "demo", "--provider", "gitlab", "--secret-stdin",
                       env=env, stdin="glpat-later")
    assert stored.returncode == 0, stored.stderr
    # raw keeps every loaded row: a load of too much or too little shows in these counts
    loaded = "select (select count() from raw.git___commits), (select count() from raw.github___work_items)"
    loaded_before_restore = query(loaded, env)

    restored = devhealth("backup", "restore", str(built.backup), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "counts and checksums match" in restored.stdout

    now = digest(env)
    assert now == built.at_backup
    assert "created_after_backup" not in query("select name from system.tables where database = 'raw'", env)
    assert pg_execute(env, "select to_regclass('public.created_after_backup')") == [[(None,)]]
    assert pg_execute(env, "select provider from integration_credentials order by provider") == [[("github",)]]

    # the sync state came back with the data: each first sync loads exactly what came after the backup
    assert rows_line(sync_git(env, built.repo), str(built.repo)) == git_after
    assert rows_line(sync_issues(env, replay), "work-items github acme/api") == issues_after
    assert query(loaded, env) == loaded_before_restore
    assert query("select count() from raw.github___work_items where work_item_key = 'acme/api#31'", env) == ["1"]

    # and back to the backup again, so the other tests start from it
    again = devhealth("backup", "restore", str(built.backup), env=env)
    assert again.returncode == 0, again.stderr
    assert digest(env) == built.at_backup


def test_a_fresh_home_without_the_key_is_refused_and_left_empty(built, tmp_path) -> None:
    env = home_env(tmp_path / "fresh")
    try:
        before = digest(env)
        refused = devhealth("backup", "restore", str(built.backup), env=env)
        assert refused.returncode == 1
        assert refused.stderr.strip().splitlines() == [
            f"error: backup {built.backup}: holds 1 encrypted credentials and there is no secret key here to read "
            "them: restore with --key-passphrase-stdin if the backup holds the key, else copy the old secret.key "
            "into DEVHEALTH_HOME or set DEVHEALTH_SECRET_KEY; nothing was changed"]
        wrong = devhealth("backup", "restore", str(built.backup), "--key-passphrase-stdin", env=env,
                          stdin="not the passphrase\n")
        assert (wrong.returncode, wrong.stderr.strip()) == (
            1, f"error: backup {built.backup}: the passphrase does not decrypt secret.key.enc")
        # a key of its own does not read the backup's credentials either
        (tmp_path / "fresh" / "secret.key").write_text("Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=\n")
        before = digest(env)
        foreign = devhealth("backup", "restore", str(built.backup), env=env)
        assert foreign.returncode == 1 and "credential github/default of organization" in foreign.stderr
        assert "cannot be decrypted" in foreign.stderr and len(foreign.stderr.strip().splitlines()) == 1
        assert digest(env) == before and before["warehouse"] == [] and before["pipelines"] is None
    finally:
        stop_postgres(tmp_path / "fresh")


def test_a_fresh_home_with_the_passphrase_gets_everything_and_reads_its_credentials(built, replay, tmp_path) -> None:
    env = home_env(tmp_path / "fresh")
    try:
        restored = devhealth("backup", "restore", str(built.backup), "--key-passphrase-stdin", env=env,
                             stdin=PASSPHRASE + "\n")
        assert restored.returncode == 0, restored.stderr
        now = digest(env)
        for part in ("warehouse", "postgres", "pipelines", "key"):
            assert now[part] == built.at_backup[part], part
        # the stored token decrypts: the first sync pages on from the restored cursor (issue 31 only)
        serve_issues(replay, with_second_page=True)
        assert rows_line(sync_issues(env, replay), "work-items github acme/api") == "work-items github acme/api: 2 rows"
        rotated = devhealth("admin", "rotate-key", env=env)
        assert rotated.returncode == 0, rotated.stderr
    finally:
        stop_postgres(tmp_path / "fresh")


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def edit_manifest(folder: Path, change, rehash: bool = False) -> None:
    import hashlib

    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    text = json.dumps(manifest, indent=2, sort_keys=True).encode()
    (folder / "manifest.json").write_bytes(text)
    if rehash:
        (folder / "manifest.sha256").write_text(f"{hashlib.sha256(text).hexdigest()}  manifest.json\n")


def first_part_file(folder: Path, name: str) -> str:
    return next(path.relative_to(folder).as_posix() for path in sorted((folder / "clickhouse" / "data").rglob(name)))


def test_a_damaged_or_incomplete_backup_is_refused_naming_the_first_bad_file_and_nothing_changes(
        built, tmp_path) -> None:
    env = built.env
    source = built.backup
    data_bin = first_part_file(source, "data.bin")
    state = next(p.relative_to(source).as_posix() for p in sorted((source / "pipelines").rglob("state.json")))

    def rows_of(table: str):
        def change(manifest: dict) -> None:
            entry = next(t for t in manifest["tables"] if t["table"] == table)
            entry["rows"] += 1
        return change

    damaged = " is damaged (its checksum differs from the manifest)"
    edited = "manifest.json does not match manifest.sha256 (damaged or edited)"
    cases = {
        "warehouse part": (lambda f: flip_byte(f / data_bin), data_bin + damaged),
        "warehouse metadata": (lambda f: flip_byte(f / "clickhouse/metadata/raw.sql"),
                               "clickhouse/metadata/raw.sql" + damaged),
        "clickhouse index": (lambda f: flip_byte(f / "clickhouse/.backup"), "clickhouse/.backup" + damaged),
        "postgres dump": (lambda f: flip_byte(f / "postgres.dump"), "postgres.dump" + damaged),
        "pipeline state": (lambda f: flip_byte(f / state), state + damaged),
        "sealed key": (lambda f: flip_byte(f / "secret.key.enc"), "secret.key.enc" + damaged),
        "missing part": (lambda f: (f / data_bin).unlink(), f"{data_bin} is missing"),
        "unlisted file": (lambda f: (f / "clickhouse/data/raw/extra.bin").write_text("x"),
                          "clickhouse/data/raw/extra.bin is not in the manifest"),
        "manifest row count": (lambda f: edit_manifest(f, rows_of("git___commits")), edited),
        "manifest without a database": (lambda f: edit_manifest(f, lambda m: m["databases"].remove("marts")), edited),
        "manifest hash missing": (lambda f: (f / "manifest.sha256").unlink(),
                                  "manifest.sha256 is missing; the manifest cannot be trusted"),
        "manifest hash edited": (lambda f: flip_byte(f / "manifest.sha256"), edited),
        "dump left out of a rehashed manifest": (
            lambda f: edit_manifest(f, lambda m: m.update(files=[e for e in m["files"]
                                                                if e["path"] != "postgres.dump"]), rehash=True),
            "postgres.dump is not in the manifest"),
        "database left out of a rehashed manifest": (
            lambda f: edit_manifest(f, lambda m: m["databases"].remove("marts"), rehash=True),
            "clickhouse/.backup lists databases intermediate, marts, raw, staging; the manifest lists "
            "intermediate, raw, staging"),
    }
    before = digest(env)
    for name, (tamper, expected) in cases.items():
        copy = tmp_path / name.replace(" ", "-")
        shutil.copytree(source, copy)
        tamper(copy)
        result = devhealth("backup", "restore", str(copy), env=env)
        outcome = (result.returncode, result.stderr.strip().splitlines())
        assert outcome == (1, [f"error: backup {copy}: {expected}"]), name
        if name == "postgres dump":
            checked = devhealth("backup", "verify", str(copy), env=env)
            assert (checked.returncode, checked.stderr.strip()) == (1, f"error: backup {copy}: {expected}")
    assert digest(env) == before


def test_a_restore_that_fails_its_own_checks_puts_everything_back(built, tmp_path) -> None:
    """A manifest that verifies (rehashed) but disagrees with the data: the restore gets as far as the swap."""
    env = built.env
    before = digest(env)

    lying_warehouse = tmp_path / "lying-warehouse"
    shutil.copytree(built.backup, lying_warehouse)
    edit_manifest(lying_warehouse, lambda m: next(t for t in m["tables"] if t["table"] == "git___commits").update(
        rows=999_999), rehash=True)
    failed = devhealth("backup", "restore", str(lying_warehouse), env=env)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[0].startswith(
        f"error: restore from {lying_warehouse}: table raw.git___commits differs from the backup manifest")
    assert digest(env) == before

    lying_postgres = tmp_path / "lying-postgres"
    shutil.copytree(built.backup, lying_postgres)
    edit_manifest(lying_postgres, lambda m: next(t for t in m["postgres"]["tables"]
                                                 if t["table"] == "public.users").update(rows=999), rehash=True)
    failed = devhealth("backup", "restore", str(lying_postgres), env=env)
    assert (failed.returncode, failed.stderr.strip()) == (
        1, "error: restore of the semantic database: table public.users differs from the backup manifest; "
           "the live database is unchanged")
    assert digest(env) == before


def test_backup_paths_are_bound_not_spliced_and_keep_prunes_only_backups(built, tmp_path) -> None:
    env = built.env
    parent = tmp_path / "nightly"
    tricky = parent / "bk3') -- "
    created = devhealth("backup", "create", str(tricky), "--no-postgres", env=env)
    assert created.returncode == 0, created.stderr
    # the warehouse went where it was told, not to a path cut short by the quote
    assert (tricky / "clickhouse" / ".backup").is_file()
    assert sorted(path.name for path in parent.iterdir()) == ["bk3') -- "]
    assert devhealth("backup", "verify", str(tricky), env=env).returncode == 0

    bad = str(parent / "a\nb")
    newline = devhealth("backup", "create", bad, "--no-postgres", env=env)
    assert newline.returncode == 1
    assert newline.stderr.strip().splitlines() == [
        f"error: backup path {bad!r}: contains a control character or is empty"]
    assert sorted(path.name for path in parent.iterdir()) == ["bk3') -- "]

    (parent / "not-a-backup").mkdir()
    (parent / "not-a-backup" / "manifest.json").write_text("{}")
    for name in ("second", "third"):
        made = devhealth("backup", "create", str(parent / name), "--no-postgres", "--keep", "2", env=env)
        assert made.returncode == 0, made.stderr
    assert f"deleted older backup {tricky}\n" in made.stdout
    assert sorted(path.name for path in parent.iterdir()) == ["not-a-backup", "second", "third"]
    refused = devhealth("backup", "create", str(parent / "fourth"), "--keep", "0", env=env)
    assert (refused.returncode, refused.stderr.strip()) == (1, "error: --keep 0: keep at least 1 backup")
    assert not (parent / "fourth").exists()
