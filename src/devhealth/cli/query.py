"""`devhealth query`: run SQL on the warehouse with the marts as the current database."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from devhealth.cli.tables import print_rows
from devhealth.settings import MARTS_DATABASE

if TYPE_CHECKING:
    from devhealth.warehouse import QueryResult


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def render(result: QueryResult, output: OutputFormat, header: bool = True) -> None:
    if output is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        if header:
            writer.writerow(result.columns)
        writer.writerows([[_plain(v) for v in row] for row in result.rows])
    elif output is OutputFormat.json:
        records = [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows]
        typer.echo(json.dumps(records, indent=2))
    else:
        rows = [["" if v is None else str(_plain(v)) for v in row] for row in result.rows]
        print_rows(Console(), result.columns, rows)


def query(
    sql: Annotated[str, typer.Argument(help="SQL to run; unqualified names resolve in the marts database.")],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, csv (with a header row) or json.")
    ] = OutputFormat.table,
    header: Annotated[bool, typer.Option("--header/--no-header", help="CSV: the column names first.")] = True,
) -> None:
    """Run SQL on the warehouse and print the rows."""
    from devhealth.warehouse import Warehouse

    render(Warehouse().query(sql, database=MARTS_DATABASE), output, header)
