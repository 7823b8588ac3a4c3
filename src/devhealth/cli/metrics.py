"""`devhealth metrics`: build the metric marts with dbt."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Build metric marts with dbt build.", no_args_is_help=True)
console = Console(soft_wrap=True)
progress_console = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print the build's outcome as JSON.")]


def _build(selector: str, as_json: bool) -> None:
    from devhealth import dbt

    # n of N nodes and the node running now; drawn on a terminal only, never into --json output
    with Progress(SpinnerColumn(), TextColumn(f"dbt build --selector {selector}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[current]}"), TimeElapsedColumn(), console=progress_console,
                  transient=True, disable=as_json or not progress_console.is_terminal) as progress:
        task = progress.add_task("build", total=None, current="")
        result = dbt.build(selector, extra=["--quiet"],
                           progress=lambda done, total, current: progress.update(task, completed=done, total=total,
                                                                                  current=current))
    results = result.result.results if result.result is not None else []
    if as_json:
        counts: dict[str, int] = {}
        for item in results:
            counts[str(item.status)] = counts.get(str(item.status), 0) + 1
        typer.echo(json.dumps({"selector": selector, "success": True, "nodes": len(results), "statuses": counts},
                              indent=2))
        return
    console.print(f"dbt build --selector {selector}: {len(results)} nodes passed")


# each command builds the dbt selector of its own name (selectors.yml); the commands differ in nothing else
_SELECTOR_HELP = {
    "daily": "Build the daily-metric marts and their upstream models, with tests.",
    "dora": "Build the DORA marts and their upstream models, with tests.",
    "complexity": "Build the code complexity and churn marts (file hotspots) and their upstream models, with tests.",
    "all": "Build every model, seed and test.",
}


def _build_command(selector: str) -> Callable[..., None]:
    def build(as_json: JsonOption = False) -> None:
        _build(selector, as_json)
    return build


for _selector, _help in _SELECTOR_HELP.items():
    app.command(_selector, help=_help)(_build_command(_selector))
