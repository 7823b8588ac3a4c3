"""Load one JSON Lines events file into raw: `python src/devhealth/extract/events_pipeline.py PATH [--org NAME]`
(or `python -m devhealth.extract.events_pipeline ...`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from dlt.common.pipeline import LoadInfo

from devhealth.extract.events import events_source
from devhealth.extract.events.settings import DATASET_NAME
from devhealth.extract.script import recorded_load, run_for_org, script_arguments
from devhealth.pipelines import load
from devhealth.settings import DEFAULT_ORG_ID


def sync_events(path: str | Path, org_id: str = DEFAULT_ORG_ID, dataset_name: str = DATASET_NAME) -> LoadInfo:
    """Validate the whole file, then load it; a bad line loads nothing."""
    return load(events_source(path, org_id=org_id), pipeline_name=dataset_name, dataset_name=dataset_name)


def main(argv: Sequence[str] | None = None) -> int:
    parser = script_arguments("events_pipeline", "Load one JSON Lines events file into the warehouse's raw database.")
    parser.add_argument("path", help="JSON Lines: change, deployment and incident events")
    args = parser.parse_args(argv)
    return run_for_org(args.org, lambda org: recorded_load(org, "events", args.path,
                                                           lambda: sync_events(args.path, org_id=org.id)))


if __name__ == "__main__":
    sys.exit(main())
