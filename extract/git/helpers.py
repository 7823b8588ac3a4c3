"""Pure parsing for the git source: repository identity and `git log` records."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devhealth.extract.git.settings import FIELD_SEPARATOR

REPO_NAMESPACE = uuid.UUID("6f1c3a52-8d1e-4c55-9a57-2d0f4b8c1e11")
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")


def normalise_remote_url(url: str) -> str:
    """`git@github.com:Acme/API.git` and `https://github.com/acme/api` both become `github.com/acme/api`."""
    url = url.strip()
    scp = _SCP_LIKE.match(url) if "://" not in url else None
    if scp:
        host, path = scp.group("host"), scp.group("path")
    else:
        rest = url.split("://", 1)[-1]
        host, _, path = rest.rpartition("@")[2].partition("/")
        host = host.split(":")[0]
    path = path.strip("/").removesuffix(".git")
    return f"{host.lower()}/{path.lower()}"


def repo_identity(remote_url: str | None, path: Path) -> tuple[str, str]:
    """A repo id stable across machines (UUID5 of the remote, else of the path) and its display name."""
    if remote_url:
        normalised = normalise_remote_url(remote_url)
        owner_and_name = "/".join(normalised.split("/")[1:][-2:])
        return str(uuid.uuid5(REPO_NAMESPACE, normalised)), owner_and_name
    absolute = path.resolve()
    return str(uuid.uuid5(REPO_NAMESPACE, str(absolute))), absolute.name


def _utc_and_offset(iso_time: str) -> tuple[datetime, int]:
    moment = datetime.fromisoformat(iso_time)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return moment.astimezone(UTC), minutes


def parse_commit_record(record: str, repo_id: str) -> dict[str, Any]:
    """One commit from a `LOG_FORMAT` record."""
    (sha, parents, author_name, author_email, author_time, committer_name, committer_email,
     committer_time, subject) = record.split(FIELD_SEPARATOR)
    parent_shas = parents.split()
    authored_at, author_offset = _utc_and_offset(author_time)
    committed_at, _ = _utc_and_offset(committer_time)
    return {
        "repo_id": repo_id,
        "sha": sha,
        # a JSON array in text: dlt stores nested values as JSON strings on ClickHouse
        "parent_shas": json.dumps(parent_shas),
        "is_merge": len(parent_shas) > 1,
        "author_name": author_name,
        "author_email": author_email.lower(),
        "authored_at": authored_at,
        "author_tz_offset_minutes": author_offset,
        "committer_name": committer_name,
        "committer_email": committer_email.lower(),
        "committed_at": committed_at,
        "message_subject": subject,
    }
