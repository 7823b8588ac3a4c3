"""What the `*_pipeline.py` scripts share when run as `dlt init` lays them out (`python x_pipeline.py ... --org NAME`):
the organization, the sync-run record, and one line of rows loaded or one line of error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from dlt.common.pipeline import LoadInfo

from devhealth.errors import DevhealthError, one_line
from devhealth.orgs import OrgRef, recorded_sync, register_repository, resolve_org
from devhealth.pipelines import loaded_rows


def script_arguments(script: str, description: str) -> argparse.ArgumentParser:
    """The parser of `python -m devhealth.extract.<script>`, with the `--org` every script takes."""
    parser = argparse.ArgumentParser(prog=f"python -m devhealth.extract.{script}", description=description)
    parser.add_argument("--org", help="organization name; the only one when omitted")
    return parser


def run_for_org(org_name: str | None, load: Callable[[OrgRef], dict[str, int]]) -> int:
    """Load as the organization `--org` names (the only one when None); `load` returns rows per raw table.

    Returns the exit status: 0 after printing the rows, 1 after printing our one-line error.
    """
    try:
        org = resolve_org(org_name)
        rows = load(org)
    except DevhealthError as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    print(f"{org.name}: {rows}")
    return 0


def recorded_load(org: OrgRef, provider: str, scope: str, load: Callable[[], LoadInfo], *,
                  repository: str | None = None) -> dict[str, int]:
    """Run `load` inside the org's sync-run record, then register `repository`; rows per raw table."""
    with recorded_sync(org, provider, scope) as record:
        rows = loaded_rows(load())
        record.rows_loaded = sum(rows.values())
    if repository is not None:
        register_repository(org, provider, repository)
    return rows
