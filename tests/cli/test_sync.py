"""`devhealth sync`: rows loaded are reported, and bad input is one line naming it."""

import subprocess
import sys

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, timeout=300)


def test_sync_git_reports_rows_and_rejects_a_bad_path_before_loading(make_git_repo, cli_env, tmp_path) -> None:
    repo = make_git_repo("cli-sync", [("2024-03-04T10:00:00+00:00", {"a.txt": "1\n2\n"}),
                                      ("2024-03-05T10:00:00+00:00", {"b.txt": "3\n"})])
    missing = tmp_path / "missing"
    failed = devhealth("sync", "git", str(repo), "--repo", str(missing), env=cli_env)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [f"error: git repository {missing}: no such path"]

    result = devhealth("sync", "git", "--repo", str(repo), "--blame", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert f"{repo}: 6 rows" in result.stdout
    for table, rows in (("commits", "2"), ("commit_files", "2"), ("blame", "2")):
        assert any(table in line and f" {rows} " in line for line in result.stdout.splitlines()), result.stdout


def test_sync_synthetic_loads_every_dataset_and_rejects_bad_sizes(cli_env) -> None:
    bad = devhealth("sync", "synthetic", "--teams", "3", "--people", "4", env=cli_env)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [
        "error: synthetic --people 4: needs at least 2 per team (6 for 3 teams) so reviews have a reviewer"]

    result = devhealth("sync", "synthetic", "--seed", "5", "--days", "7", "--commits-per-day", "10", env=cli_env)
    assert result.returncode == 0, result.stderr
    for table in ("git.commits", "github.pull_requests", "github.deployments", "jira.work_items",
                  "semantic.identities"):
        assert table in result.stdout
    assert "synthetic: " in result.stdout and " rows in " in result.stdout
