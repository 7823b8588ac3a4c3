"""dlt source for generic JSON Lines events: changes, deployments and incidents from any tool."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import dlt

from devhealth.errors import InputError
from devhealth.extract.batching import batched
from devhealth.extract.contract_resources import contract_resource
from devhealth.extract.events.helpers import EventBatch, parse_lines
from devhealth.extract.events.settings import PROVIDER
from devhealth.settings import DEFAULT_ORG_ID, batch_size


def read_events(path: str | Path, org_id: str = DEFAULT_ORG_ID) -> EventBatch:
    """The whole file parsed and validated; any bad line rejects it before anything is loaded."""
    file = Path(path).expanduser()
    try:
        with file.open(encoding="utf-8") as lines:
            return parse_lines(lines, org_id, str(path))
    except FileNotFoundError:
        raise InputError(f"events file {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"events file {path}: is a directory, expected a .jsonl file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"events file {path}: not UTF-8 text (byte {error.start})") from None


@dlt.source(name="events", max_table_nesting=0)
def events_source(path: str | Path, org_id: str = DEFAULT_ORG_ID,
                  rows_per_batch: int | None = None) -> Iterable[Any]:
    """Changes, deployments and incidents from one JSON Lines file.

    Args:
        path: The `.jsonl` file, one event object per line with `kind` change, deployment or incident.
        org_id: The semantic layer's organization id stamped on every row.
        rows_per_batch: Rows per yielded batch; `BATCH_SIZE` by default.

    Returns:
        The resources changes, deployments and incidents. The same key sent again in a later
        file replaces the earlier version (merge), so reloading a file duplicates nothing.
    """
    batch = read_events(path, org_id)
    size = rows_per_batch or batch_size()

    @contract_resource("changes", PROVIDER)
    def changes() -> Iterator[list[dict[str, Any]]]:
        yield from batched(batch.of("change"), size)

    @contract_resource("deployments", PROVIDER)
    def deployments() -> Iterator[list[dict[str, Any]]]:
        yield from batched(batch.of("deployment"), size)

    @contract_resource("incidents", PROVIDER)
    def incidents() -> Iterator[list[dict[str, Any]]]:
        yield from batched(batch.of("incident"), size)

    return changes, deployments, incidents
