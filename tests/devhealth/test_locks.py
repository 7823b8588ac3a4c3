"""Concurrent and killed runs: a second process is told who holds the engine; a killed sync's record is closed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from devhealth.orgs import OrgRef, close_abandoned_runs, recorded_sync
from devhealth.semantic_db import db
from devhealth.semantic_db.services import organizations, sync_runs

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
HOLD_ENGINE = ("import sys\nfrom devhealth.warehouse import Warehouse\nWarehouse().query('select 1')\n"
               "print('ready', flush=True)\nsys.stdin.read()\n")


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=300)


def test_a_sync_or_a_build_while_another_process_holds_the_engine_says_who(make_git_repo, org_env) -> None:
    repo = make_git_repo("busy", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})])
    holder = subprocess.Popen([sys.executable, "-c", HOLD_ENGINE], env=org_env, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        warehouse = Path(org_env["DEVHEALTH_HOME"]).resolve() / "clickhouse"
        for command in (("sync", "git", str(repo)), ("metrics", "daily")):
            busy = devhealth(*command, env=org_env)
            assert busy.returncode == 1
            lines = busy.stderr.strip().splitlines()
            assert len(lines) == 1, busy.stderr
            assert lines[0].startswith(f"error: the embedded warehouse {warehouse} is in use by pid {holder.pid} (")
            assert "since 20" in lines[0] and lines[0].endswith("wait for it to finish, then run again")
    finally:
        holder.communicate("", timeout=60)
    # the holder has gone: the same sync now runs
    done = devhealth("sync", "git", str(repo), env=org_env)
    assert done.returncode == 0, done.stderr


def test_a_sync_killed_mid_run_is_recorded_as_abandoned_by_the_next(semantic_database, tmp_path, monkeypatch) -> None:
    engine = db.get_engine(semantic_database)
    with db.admin_session(engine) as session:
        created = organizations.get_or_create_organization(session, "Killed")
    org = OrgRef(id=str(created.id), name=created.name)
    home = tmp_path / "home"
    env = {**os.environ, "DEVHEALTH_HOME": str(home), "POSTGRES_URI": semantic_database}
    killed = subprocess.Popen([sys.executable, "-c", (
        "import os, signal\nfrom devhealth.orgs import OrgRef, recorded_sync\n"
        f"with recorded_sync(OrgRef(id='{org.id}', name='Killed'), 'git', 'repo-a'):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")], env=env)
    assert killed.wait(timeout=120) == -signal.SIGKILL
    monkeypatch.setenv("DEVHEALTH_HOME", str(home))

    with recorded_sync(org, "git", "repo-b", engine=engine) as record:
        record.rows_loaded = 3
    with db.org_session(org.semantic_id, engine) as session:
        runs = {run.scope: run for run in sync_runs.recent_sync_runs(session, org.semantic_id)}
        assert runs["repo-b"].status == "succeeded" and runs["repo-b"].rows_loaded == 3
        assert runs["repo-a"].status == "failed" and runs["repo-a"].finished_at is not None
        assert runs["repo-a"].error.startswith(f"abandoned: pid {killed.pid} (")
        assert "ended before recording how this sync ended" in runs["repo-a"].error
    assert close_abandoned_runs(engine) == []  # nothing left behind to close twice
    assert list((home / "locks" / "sync_runs").glob("*.running")) == []
