"""dlt source for a local git repository: commits reachable from HEAD."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import dlt
import pyarrow as pa

from devhealth.errors import InputError
from devhealth.extract.git.helpers import parse_commit_record, repo_identity
from devhealth.extract.git.settings import BATCH_SIZE, LOG_FORMAT, RECORD_SEPARATOR


def _git(repo: Path, *args: str) -> str:
    completed = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    return completed.stdout if completed.returncode == 0 else ""


def open_repository(path: str | Path) -> Path:
    """The repository's top folder, or an `InputError` naming `path`."""
    repo = Path(path).expanduser()
    if not repo.exists():
        raise InputError(f"git repository {path}: no such path")
    top = _git(repo, "rev-parse", "--show-toplevel").strip()
    if not top:
        raise InputError(f"git repository {path}: not a git repository")
    return Path(top)


@dlt.source(name="git")
def git_repository(path: str | Path) -> Iterator[dlt.sources.DltResource]:
    """Commits of one local repository.

    Args:
        path: A folder inside the repository.

    Returns:
        The `commits` resource.
    """
    repo = open_repository(path)
    remote = _git(repo, "remote", "get-url", "origin").strip() or None
    repo_id, repo_name = repo_identity(remote, repo)

    @dlt.resource(name="commits", primary_key=["repo_id", "sha"], write_disposition="merge")
    def commits() -> Iterator[pa.Table]:
        if not _git(repo, "rev-parse", "--verify", "-q", "HEAD").strip():
            return
        process = subprocess.Popen(
            ["git", "-C", str(repo), "log", f"--format={LOG_FORMAT}", "HEAD"],
            stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout is not None
        batch: list[dict] = []
        for record in process.stdout.read().split(RECORD_SEPARATOR):
            record = record.strip("\n")
            if not record:
                continue
            batch.append({**parse_commit_record(record, repo_id), "repo_name": repo_name})
            if len(batch) >= BATCH_SIZE:
                yield pa.Table.from_pylist(batch)
                batch = []
        process.wait()
        if batch:
            yield pa.Table.from_pylist(batch)

    yield commits
