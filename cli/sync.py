"""`devhealth sync`: run one provider's dlt pipeline into the warehouse's raw database."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from dlt.common.pipeline import LoadInfo
from rich.console import Console
from rich.table import Table

from devhealth.errors import InputError

app = typer.Typer(help="Extract provider data into the raw database with dlt.", no_args_is_help=True)
console = Console()


def _run_and_report(label: str, run: Callable[[], LoadInfo], report: Table) -> None:
    from devhealth.pipelines import loaded_rows

    started = time.perf_counter()
    with console.status(f"loading {label}"):
        info = run()
    seconds = time.perf_counter() - started
    rows = loaded_rows(info)
    for table, count in rows.items():
        report.add_row(label, table, f"{count:,}", f"{count / seconds:,.0f}")
    if not rows:
        report.add_row(label, "(nothing new)", "0", "")
    console.print(f"{label}: {sum(rows.values()):,} rows in {seconds:.1f}s")


def _report_table() -> Table:
    report = Table(title="rows loaded")
    for column in ("input", "table", "rows", "rows/s"):
        report.add_column(column, justify="left" if column in ("input", "table") else "right")
    return report


@app.command("git")
def sync_git(
    paths: Annotated[list[Path] | None, typer.Argument(help="Local repositories to extract.")] = None,
    repos: Annotated[list[Path] | None, typer.Option("--repo", help="A repository (repeatable).")] = None,
    branch: Annotated[str | None, typer.Option(help="Branch or revision to read; HEAD by default.")] = None,
    blame: Annotated[bool, typer.Option("--blame", help="Also load lines owned per author at the head.")] = False,
) -> None:
    """Extract commits, commit files and optionally blame from local git repositories."""
    from devhealth.extract.git import git_repository
    from devhealth.extract.git.settings import DATASET_NAME, PIPELINE_NAME
    from devhealth.pipelines import load

    targets = [*(paths or []), *(repos or [])]
    if not targets:
        raise InputError("sync git: name at least one repository path")
    # every path is checked before anything loads, so a typo in the last one costs no partial run
    sources = [(path, git_repository(path, branch=branch, blame=blame)) for path in targets]
    report = _report_table()
    for path, source in sources:
        _run_and_report(str(path), lambda source=source: load(source, PIPELINE_NAME, DATASET_NAME), report)
    console.print(report)
