"""`devhealth metrics`: build the metric marts with dbt."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="Build metric marts with dbt build.", no_args_is_help=True)
console = Console()


def _build(selector: str) -> None:
    from devhealth import dbt

    result = dbt.build(selector)
    count = len(result.result.results) if result.result is not None else 0
    console.print(f"dbt build --selector {selector}: {count} nodes passed")


@app.command("daily")
def daily() -> None:
    """Build the daily-metric marts and their upstream models, with tests."""
    _build("daily")


@app.command("dora")
def dora() -> None:
    """Build the DORA marts and their upstream models, with tests."""
    _build("dora")


@app.command("complexity")
def complexity() -> None:
    """Build the code complexity and churn marts (file hotspots) and their upstream models, with tests."""
    _build("complexity")


@app.command("all")
def build_all() -> None:
    """Build every model, seed and test."""
    _build("all")
