"""`devhealth run`: the main job, extract then build then summarise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def run(
    repo: Annotated[
        list[Path] | None, typer.Option("--repo", help="Local repositories to extract (default: this one).")
    ] = None,
) -> None:
    """Extract the given repositories, build every mart with dbt, and print the headline figures."""
    from devhealth import dbt
    from devhealth.extract.git import git_repository
    from devhealth.pipelines import load

    for path in repo or [Path.cwd()]:
        load(git_repository(path), pipeline_name="git", dataset_name="git")
        console.print(f"extracted {path}")
    dbt.build("all")
    console.print("dbt build: all models and tests passed")
