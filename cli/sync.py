"""`devhealth sync`: run one provider's dlt pipeline into the warehouse's raw database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="Extract provider data into the raw database with dlt.", no_args_is_help=True)
console = Console()


@app.command("git")
def sync_git(
    paths: Annotated[list[Path], typer.Argument(help="Local repositories to extract.")],
) -> None:
    """Extract commits from local git repositories."""
    from devhealth.extract.git import git_repository
    from devhealth.pipelines import load

    for path in paths:
        info = load(git_repository(path), pipeline_name="git", dataset_name="git")
        rows = sum(info.metrics_rows().values()) if hasattr(info, "metrics_rows") else None
        console.print(f"git {path}: loaded" + (f" {rows} rows" if rows is not None else ""))
