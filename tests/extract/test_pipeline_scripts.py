"""The `*_pipeline.py` scripts run with plain `python path/to/x_pipeline.py`, as `dlt init` lays them out, with `--org`.

Plain python puts the script's own folder first on sys.path, so a module there named like a standard one (once
extract/http.py) would be imported in its place.
"""

import subprocess
import sys
from pathlib import Path

from devhealth.semantic_db import db
from devhealth.semantic_db.services import organizations, sync_configurations, sync_runs

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = ROOT / "src" / "devhealth" / "extract"
EVENTS = ROOT / "tests" / "fixtures" / "events" / "day1.jsonl"


def script(name: str, *args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXTRACT / name), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def acme_runs(env: dict[str, str]) -> list[tuple[str, str | None, str, int | None]]:
    with db.admin_session(db.get_engine(env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme").id
        return sorted((run.provider, run.scope, run.status, run.rows_loaded)
                      for run in sync_runs.recent_sync_runs(session, acme))


def test_git_and_events_scripts_load_as_the_named_org_with_plain_python(make_git_repo, org_env, tmp_path) -> None:
    repo = make_git_repo("plain", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"}),
                                   ("2024-03-05T10:00:00+00:00", {"a.txt": "1\n2\n", "b.txt": "3\n"})])
    with db.admin_session(db.get_engine(org_env["POSTGRES_URI"])) as session:
        organizations.get_or_create_organization(session, "Other")

    git = script("git_pipeline.py", str(repo), "--org", "Acme", env=org_env, cwd=tmp_path)
    assert git.returncode == 0, git.stderr
    assert git.stdout.strip() == "Acme: {'commit_files': 3, 'commits': 2}"

    events = script("events_pipeline.py", str(EVENTS), "--org", "Acme", env=org_env, cwd=tmp_path)
    assert events.returncode == 0, events.stderr
    assert events.stdout.strip() == "Acme: {'changes': 2, 'deployments': 2, 'incidents': 1}"

    # each load is Acme's sync run with its rows; the git repository is registered to Acme
    assert acme_runs(org_env) == [("events", str(EVENTS), "succeeded", 5), ("git", str(repo), "succeeded", 5)]
    with db.admin_session(db.get_engine(org_env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme").id
        assert [row.full_name for row in sync_configurations.repositories_for_org(session, acme)] == ["plain"]

    # the rows carry Acme's id, read back by a process of its own (one chDB engine per process)
    stamped = subprocess.run([sys.executable, "-m", "devhealth.cli", "query",
                              "select (select groupUniqArray(org_id) from raw.git___commits), "
                              "(select groupUniqArray(org_id) from raw.events___deployments)",
                              "--format", "csv", "--no-header"], capture_output=True, text=True, env=org_env,
                             timeout=300)
    assert stamped.returncode == 0, stamped.stderr
    with db.admin_session(db.get_engine(org_env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme").id
    assert stamped.stdout.strip() == f"['{acme}'],['{acme}']"


def test_a_script_names_an_unknown_org_in_one_line_and_loads_nothing(org_env, tmp_path) -> None:
    refused = script("events_pipeline.py", str(EVENTS), "--org", "Nobody", env=org_env, cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == ["error: --org 'Nobody': unknown organization; choose one of Acme"]
    assert refused.stdout == ""
    assert acme_runs(org_env) == []
