"""`devhealth sync`: run one provider's dlt pipeline into the warehouse's raw database."""

from __future__ import annotations

import dataclasses
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


@app.command("synthetic")
def sync_synthetic(
    seed: Annotated[int | None, typer.Option(help="Seed; the same options always load the same rows. [7]")] = None,
    teams: Annotated[int | None, typer.Option(help="Teams. [4]")] = None,
    people: Annotated[int | None, typer.Option(help="People, spread over the teams. [24]")] = None,
    repos: Annotated[int | None, typer.Option(help="Repositories, each owned by a team. [8]")] = None,
    days: Annotated[int | None, typer.Option(help="Days of history. [90]")] = None,
    commits_per_day: Annotated[int | None, typer.Option(help="Average commits per weekday. [40]")] = None,
    commits: Annotated[int | None, typer.Option(help="Total commits wanted; sets --commits-per-day.")] = None,
) -> None:
    """Generate a deterministic synthetic organization and load it into the git, github, events, jira
    and semantic datasets."""
    from devhealth.extract.synthetic import load_synthetic
    from devhealth.extract.synthetic.generator import SyntheticSpec, per_day_for_total

    chosen = {"seed": seed, "teams": teams, "people": people, "repos": repos, "days": days,
              "commits_per_day": commits_per_day}
    spec = SyntheticSpec(**{name: value for name, value in chosen.items() if value is not None})
    if commits is not None:
        spec = dataclasses.replace(spec, commits_per_day=per_day_for_total(commits, spec.days))
    report = _report_table()
    started = time.perf_counter()
    with console.status(f"generating and loading the synthetic organization (seed {spec.seed})"):
        rows = load_synthetic(spec)
    seconds = time.perf_counter() - started
    for table, count in rows.items():
        report.add_row(f"seed {spec.seed}", table, f"{count:,}", f"{count / seconds:,.0f}")
    console.print(report)
    total = sum(rows.values())
    console.print(f"synthetic: {total:,} rows in {seconds:.1f}s ({total / seconds:,.0f} rows/s)")
