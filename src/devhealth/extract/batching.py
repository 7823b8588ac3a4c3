"""What every incremental REST resource shares: the `updated_at` cursor and `BATCH_SIZE` batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TypeVar

import dlt

from devhealth.errors import ConfigError
from devhealth.extract.rows import utc

T = TypeVar("T")


def batched(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most `size` rows: dlt takes a batch per yield, which keeps its overhead per row low."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def parse_since(since: str) -> datetime:
    """`--since` as a UTC time: a date (`2024-01-31`) or a full RFC 3339 time."""
    try:
        moment = utc(since if "T" in since else f"{since}T00:00:00+00:00")
    except (ValueError, OverflowError):
        raise ConfigError(f"--since {since!r}: expected a date such as 2024-01-31 or an RFC 3339 time") from None
    assert moment is not None
    # a backfill reads from `since` up to now: a start after now is a range dlt cannot read
    if moment > datetime.now(UTC):
        raise ConfigError(f"--since {since!r}: is in the future; a backfill starts at a time up to now")
    return moment


def incremental_cursor(since: str | None, default_start: str, cursor: str = "updated_at") -> Any:
    """The resource's cursor on `cursor`, kept in pipeline state between runs.

    With `since`, the read is a backfill: a closed range ending now, which dlt runs without reading
    or moving the stored cursor, so the next plain run resumes where it left off.
    """
    if since is None:
        return dlt.sources.incremental(cursor, initial_value=utc(default_start))
    return dlt.sources.incremental(cursor, initial_value=parse_since(since), end_value=datetime.now(UTC))
