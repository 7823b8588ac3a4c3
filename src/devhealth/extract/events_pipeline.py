"""Load one JSON Lines events file into raw: `python -m devhealth.extract.events_pipeline PATH`."""

from __future__ import annotations

import sys
from pathlib import Path

from dlt.common.pipeline import LoadInfo

from devhealth.extract.events import events_source
from devhealth.extract.events.settings import DATASET_NAME
from devhealth.pipelines import load
from devhealth.settings import DEFAULT_ORG_ID


def sync_events(path: str | Path, org_id: str = DEFAULT_ORG_ID, dataset_name: str = DATASET_NAME) -> LoadInfo:
    """Validate the whole file, then load it; a bad line loads nothing."""
    return load(events_source(path, org_id=org_id), pipeline_name=dataset_name, dataset_name=dataset_name)


if __name__ == "__main__":
    print(sync_events(sys.argv[1]))
