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
