"""Entry point of the `devhealth` command."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from devhealth import __version__
from devhealth.cli import admin, api, backup, init, metrics, query, run, status, sync
from devhealth.cli.errors import run_guarded

app = typer.Typer(
    name="devhealth",
    help="Software delivery health warehouse: extract with dlt, model with dbt, on ClickHouse.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(admin.app, name="admin")
app.add_typer(sync.app, name="sync")
app.add_typer(metrics.app, name="metrics")
app.add_typer(backup.app, name="backup")
app.command("query")(query.query)
app.command("run")(run.run)
app.command("status")(status.status)
app.command("api")(api.api)
app.command("init")(init.init)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"devhealth {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """devhealth: DORA and daily delivery metrics from git, code review, CI and incidents."""


def main() -> None:
    # the HTTP clients log each failed attempt as a warning; the error the command reports says it once.
    # urllib3's pool logs the retries; its own level holds when clickhouse_connect, imported later by the command
    # that needs it, sets the level of "urllib3" back to WARNING
    for noisy in ("urllib3", "urllib3.connectionpool", "clickhouse_connect"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    run_guarded(app)
