"""Running git in tests with a fixed identity, so commits are reproducible."""

import os
import subprocess
from pathlib import Path

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ann Author", "GIT_AUTHOR_EMAIL": "Ann@Example.com",
    "GIT_COMMITTER_NAME": "Ann Author", "GIT_COMMITTER_EMAIL": "Ann@Example.com",
}


def run_git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True,
        env={**os.environ, **GIT_IDENTITY, **(env or {})},
    )
    return completed.stdout


def git_repo_with(folder: Path, name: str, commits: list[tuple[str, dict[str, str]]],
                  remote: str | None = None) -> Path:
    """A repository in `folder` whose commits are given as (iso author time, {path: content}) pairs."""
    repo = folder / name
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    if remote:
        run_git(repo, "remote", "add", "origin", remote)
    for when, files in commits:
        for path, content in files.items():
            target = repo / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        run_git(repo, "add", "-A")
        run_git(repo, "commit", "-q", "-m", f"change at {when}",
                env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})
    return repo
