"""Git repositories whose commits are a given number of days old, for retention and cluster builds."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

IDENTITY = {"GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.com",
            "GIT_COMMITTER_NAME": "Ann", "GIT_COMMITTER_EMAIL": "ann@example.com"}


def days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()


def git(repo: Path, *args: str, when: str | None = None) -> None:
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, **IDENTITY, **dates})


@pytest.fixture(scope="session")
def make_aged_repo(tmp_path_factory) -> Callable[..., Path]:
    """`make_aged_repo(name, *ages_in_days)`: a repository with one commit per age, oldest first as given."""

    def make(name: str, *ages_in_days: int) -> Path:
        repo = tmp_path_factory.mktemp(name)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "remote", "add", "origin", f"git@github.com:acme/{name}.git")
        for index, age in enumerate(ages_in_days):
            (repo / "file.txt").write_text(f"change {index}, {age} days old\n")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", f"{age} days old", when=days_ago(age))
        return repo

    return make
