"""`devhealth sync`: rows loaded are reported, and bad input is one line naming it."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from devhealth.semantic_db import db
from devhealth.semantic_db.services import organizations, sync_configurations, sync_runs

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=300)


def test_sync_git_reports_rows_and_rejects_a_bad_path_before_loading(make_git_repo, org_env, tmp_path) -> None:
    repo = make_git_repo("cli-sync", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n2\n"}),
                                      ("2024-03-05T10:00:00+00:00", {"b.txt": "3\n"})])
    missing = tmp_path / "missing"
    failed = devhealth("sync", "git", str(repo), "--repo", str(missing), env=org_env)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [f"error: git repository {missing}: no such path"]

    result = devhealth("sync", "git", "--repo", str(repo), "--blame", env=org_env)
    assert result.returncode == 0, result.stderr
    assert f"{repo}: 6 rows" in result.stdout
    for table, rows in (("commits", "2"), ("commit_files", "2"), ("blame", "2")):
        assert any(table in line and f" {rows} " in line for line in result.stdout.splitlines()), result.stdout


def test_sync_synthetic_loads_every_dataset_and_rejects_bad_sizes(org_env) -> None:
    bad = devhealth("sync", "synthetic", "--teams", "3", "--people", "4", env=org_env)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "error: synthetic --people 4: needs at least 2 per team (6 for 3 teams) so reviews have a reviewer"]

    result = devhealth("sync", "synthetic", "--seed", "5", "--days", "7", "--commits-per-day", "10", env=org_env)
    assert result.returncode == 0, result.stderr
    for table in ("git.commits", "github.pull_requests", "github.deployments", "jira.work_items",
                  "semantic.identities"):
        assert table in result.stdout
    assert "synthetic: " in result.stdout and " rows in " in result.stdout
    total = int(result.stdout.split("synthetic: ")[1].split(" rows")[0].replace(",", ""))

    # the rows carry Acme's id, and the load is Acme's sync run with that many rows
    with db.admin_session(db.get_engine(org_env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme").id
        runs = [(run.provider, run.scope, run.status, run.rows_loaded)
                for run in sync_runs.recent_sync_runs(session, acme)]
    assert runs == [("synthetic", "seed 5", "succeeded", total)]
    stamped = devhealth("query", "select groupUniqArray(org_id) from raw.git___commits", "--format", "csv",
                        "--no-header", env=org_env)
    assert stamped.stdout.strip() == f"['{acme}']", stamped.stderr


def fast_import_history(repo, commits: int) -> None:
    stream = []
    for number in range(1, commits + 1):
        message = f"change {number}\n"
        content = f"{number}\n" * (number % 7 + 1)
        stream.append(f"commit refs/heads/main\ncommitter Dev <dev{number % 5}@example.com> "
                      f"{1_700_000_000 + number * 600} +0000\ndata {len(message)}\n{message}"
                      f"M 100644 inline f{number % 50}.txt\ndata {len(content)}\n{content}\n")
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input="".join(stream).encode(), check=True)


def test_sync_git_killed_mid_run_then_rerun_loses_and_duplicates_nothing(org_env, tmp_path) -> None:
    repo = tmp_path / "killed"
    fast_import_history(repo, 20_000)
    process = subprocess.Popen([*DEVHEALTH, "sync", "git", str(repo)], env=org_env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # kill as soon as a package is handed to the load step: its jobs are then part-way into raw
    loading = Path(org_env["DEVHEALTH_HOME"]) / "pipelines" / "git" / "load" / "normalized"
    deadline = time.monotonic() + 120
    while process.poll() is None and not any(loading.glob("*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the first sync finished before it could be killed"

    rerun = devhealth("sync", "git", str(repo), env=org_env)
    assert rerun.returncode == 0, rerun.stderr
    # the load the killed run left pending is the rerun's to report: every row in raw came from one of the two
    # runs, and the killed one reported nothing (raw holds duplicates when the kill fell mid-normalize: the
    # rerun normalizes that package again; staging's dedup keeps one row per key)
    written = devhealth("query", "select (select count() from raw.git___commits), "
                        "(select count() from raw.git___commit_files)", "--format", "csv", "--no-header", env=org_env)
    commits_written, files_written = (int(value) for value in written.stdout.strip().split(","))
    assert commits_written in (20_000, 40_000) and files_written == commits_written, written.stdout
    assert f"{repo}: {commits_written + files_written:,} rows" in " ".join(rerun.stdout.split()), rerun.stdout
    with db.admin_session(db.get_engine(org_env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme")
        runs = sorted(sync_runs.recent_sync_runs(session, acme.id), key=lambda run: run.id)
    assert [(run.status, run.rows_loaded) for run in runs] == [
        ("failed", 0), ("succeeded", commits_written + files_written)]
    assert runs[0].error.startswith(f"abandoned: pid {process.pid} (devhealth sync git {repo}) since ")
    counted = devhealth("query", "select uniqExact(sha), uniqExact(sha, path) from raw.git___commit_files",
                        "--format", "csv", "--no-header", env=org_env)
    commits = devhealth("query", "select uniqExact(sha) from raw.git___commits", "--format", "csv", "--no-header",
                        env=org_env)
    assert commits.stdout.strip() == "20000", commits.stderr
    assert counted.stdout.strip() == "20000,20000", counted.stderr
    assert devhealth("sync", "git", str(repo), env=org_env).stdout.count(": 0 rows") == 1


def test_since_in_the_future_is_one_line_before_any_engine_starts(cli_env) -> None:
    home = Path(cli_env["DEVHEALTH_HOME"])
    for command in (("sync", "github", "--repo", "acme/api"), ("sync", "prs", "--provider", "gitlab"),
                    ("sync", "jira", "--site", "https://x.atlassian.net", "--project", "P")):
        failed = devhealth(*command, "--since", "2999-01-01", env=cli_env)
        assert failed.returncode == 1
        assert failed.stderr.strip().splitlines() == [
            "error: --since '2999-01-01': is in the future; a backfill starts at a time up to now"]
    run = devhealth("run", "--since", "2999-01-01", env=cli_env)
    assert run.stderr.strip().splitlines() == ["error: --since 2999-01-01: is after today"]
    # no semantic database and no warehouse were opened for these
    assert not (home / "postgres").exists() and not (home / "clickhouse").exists()


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_clickhouse_is_one_line_naming_the_configured_port(make_git_repo, org_env) -> None:
    repo = make_git_repo("unreachable", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})])
    for scheme in ("clickhouse", "clickhouse+native"):
        port = _closed_port()
        env = {**org_env, "CLICKHOUSE_URI": f"{scheme}://default:s3cret-pw@127.0.0.1:{port}/raw"}
        failed = devhealth("sync", "git", str(repo), env=env)
        assert failed.returncode == 1
        assert failed.stderr.strip().splitlines() == [
            f"error: warehouse ClickHouse {'http' if scheme == 'clickhouse' else 'native'}://default:***@127.0.0.1:"
            f"{port}/raw (from CLICKHOUSE_URI) is unreachable (connection refused); nothing was loaded from this sync"]
        assert "s3cret" not in failed.stdout + failed.stderr


def test_reading_commands_name_an_unreachable_clickhouse_in_one_line(org_env) -> None:
    port = _closed_port()
    env = {**org_env, "CLICKHOUSE_URI": f"clickhouse://default:s3cret-pw@127.0.0.1:{port}/"}
    for command in (["metrics", "daily"], ["query", "select 1"], ["status"]):
        failed = devhealth(*command, env=env)
        assert failed.returncode == 1, command
        assert failed.stderr.strip().splitlines() == [
            f"error: warehouse ClickHouse http://default:***@127.0.0.1:{port}/marts (from CLICKHOUSE_URI) "
            "is unreachable (connection refused)"], command
        assert "s3cret" not in failed.stdout + failed.stderr


def test_a_devhealth_home_that_cannot_be_written_is_one_line_naming_it(make_git_repo, org_env, tmp_path) -> None:
    repo = make_git_repo("nowhere", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})])
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where the home's parent folder should be\n")
    home = blocker / "home"
    failed = devhealth("sync", "git", str(repo), env={**org_env, "DEVHEALTH_HOME": str(home)})
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(home) in lines[0], failed.stderr
    assert "Not a directory" in lines[0] or "cannot" in lines[0]
def test_sync_git_json_and_the_repository_registry(make_git_repo, org_env, semantic_database) -> None:
    repo = make_git_repo("registered", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})],
                         remote="https://ci:tok3n@github.com/Acme/Registered.git")
    result = devhealth("sync", "git", str(repo), "--json", env=org_env)
    assert result.returncode == 0, result.stderr
    loads = json.loads(result.stdout)["loads"]
    assert [(load["input"], load["tables"]) for load in loads] == [(str(repo), {"commit_files": 1, "commits": 1})]
    with db.admin_session(db.get_engine(semantic_database)) as session:
        org = organizations.require_organization(session, "Acme")
        registered = [(row.provider, row.full_name, row.url)
                      for row in sync_configurations.repositories_for_org(session, org.id)]
    # the token in the remote never reaches the registry
    assert registered == [("git", "acme/registered", "github.com/acme/registered")]


def test_git_pipeline_script_loads_for_the_only_organization(make_git_repo, org_env) -> None:
    repo = make_git_repo("script", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})])
    loaded = subprocess.run([sys.executable, "-m", "devhealth.extract.git_pipeline", str(repo)], capture_output=True,
                            text=True, timeout=300, env=org_env)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "Acme: {'commit_files': 1, 'commits': 1}"


def test_git_pipeline_script_refuses_a_home_without_organizations(make_git_repo, cli_env, semantic_database) -> None:
    repo = make_git_repo("orphan", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n"})])
    refused = subprocess.run([sys.executable, "-m", "devhealth.extract.git_pipeline", str(repo)],
                             capture_output=True, text=True, timeout=300,
                             env={**cli_env, "POSTGRES_URI": semantic_database})
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "error: no organization exists yet: run `devhealth init --org NAME --email EMAIL` on a fresh home, or "
        "`devhealth admin create-org --name NAME --owner-email EMAIL`"]


def test_since_is_checked_before_the_semantic_layer_is_opened(cli_env) -> None:
    # an unreachable semantic database: only a --since checked first can give this message
    env = {**cli_env, "POSTGRES_URI": "postgresql://u:pw@127.0.0.1:9/none"}
    result = devhealth("sync", "github", "--repo", "acme/api", "--since", "yesterday", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: --since 'yesterday': expected a date such as 2024-01-31 or an RFC 3339 time"]
    grouped = devhealth("sync", "prs", "--provider", "github", "--since", "2024-13-01", env=env)
    assert grouped.returncode == 1 and "--since '2024-13-01'" in grouped.stderr
