"""What the `*_pipeline.py` scripts share when run as `dlt init` lays them out (`python x_pipeline.py ... --org NAME`):
the organization, the sync-run record, and one line of rows loaded or one line of error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from dlt.common.pipeline import LoadInfo
from dlt.common.runtime.collector import Collector

from devhealth.errors import DevhealthError, one_line
from devhealth.orgs import OrgRef, org_credential, recorded_sync, register_repository, resolve_org
from devhealth.pipelines import load, loaded_rows, org_pipeline_name


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


def load_for_org(source: Any, name: str, org_id: str, dataset_name: str, resources: Sequence[str] | None,
                 progress: Collector | None) -> LoadInfo:
    """Load `source` through the org's own pipeline `name`; `resources` narrows the load to those resources,
    leaving the others' cursors alone."""
    if resources is not None:
        source = source.with_resources(*resources)
    return load(source, pipeline_name=org_pipeline_name(name, org_id), dataset_name=dataset_name, progress=progress)


def repository_main(script: str, provider: str, description: str, scope: tuple[str, str],
                    sync: Callable[..., LoadInfo], argv: Sequence[str] | None) -> int:
    """The `main` of a script that loads one repository of `provider`: `scope` is its argument's name and help,
    `sync(scope, since=, access_token=, org_id=)` the load, with the org's stored token."""
    parser = script_arguments(script, description)
    parser.add_argument("scope", metavar=scope[0], help=scope[1])
    parser.add_argument("since", nargs="?", help="backfill from this date (2024-01-31)")
    args = parser.parse_args(argv)
    return run_for_org(args.org, lambda org: recorded_load(org, provider, args.scope, lambda: sync(
        args.scope, since=args.since, access_token=org_credential(org, provider), org_id=org.id),
        repository=args.scope))
