"""Small pure conversions every source needs to meet the raw contract: UTC times, repo ids, JSON text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from devhealth.extract.git.helpers import normalise_remote_url, repo_identity


def utc(value: str | None) -> datetime | None:
    """An ISO 8601 / RFC 3339 time (`Z`, `+02:00`, Jira's `+0200`) as an aware UTC datetime."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    # Jira writes offsets without a colon (`+0200`), which fromisoformat before 3.11 rejected and some builds still do
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def repo_id_of(web_url: str) -> str:
    """The same UUID5 the git source gives a clone of `web_url`, so both share one repo id."""
    repo_id, _ = repo_identity(web_url, None)  # type: ignore[arg-type]
    return repo_id


def repo_key(web_url: str) -> str:
    """`https://github.com/Acme/API` -> `github.com/acme/api`."""
    return normalise_remote_url(web_url)


def json_text(value: Any) -> str:
    """Nested values as JSON text, with stable key order, as the contract stores arrays and objects."""
    return json.dumps(value, sort_keys=True)


def lower_or_none(value: str | None) -> str | None:
    return value.strip().lower() if value else None
