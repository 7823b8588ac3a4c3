"""Pure parsing for the events source: validate JSON Lines and shape them into raw contract rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devhealth.errors import InputError
from devhealth.extract.events.settings import (
    DEFAULT_REPO_HOST,
    DEPLOYMENT_STATUSES,
    EARLIEST_EVENT_TIME,
    FUTURE_TOLERANCE,
    KINDS,
    PROVIDER,
    REPO,
    RFC3339,
    SHA,
)
from devhealth.extract.rows import json_text, repo_id_of, utc

Row = dict[str, Any]


class LineError(ValueError):
    """One line is invalid; `field` names the culprit (or `line` when it is not a JSON object)."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(f"field '{field_name}': {reason}")
        self.field_name = field_name


def repo_identity(repo: str) -> tuple[str, str]:
    """(repo_id, repo_name) for `owner/name` (on GitHub) or `host/owner/name`."""
    parts = repo.strip("/").split("/")
    if len(parts) >= 3 and "." in parts[0]:
        return repo_id_of(f"https://{repo}"), "/".join(parts[1:]).lower()
    return repo_id_of(f"https://{DEFAULT_REPO_HOST}/{repo}"), repo.lower()


def _given(event: dict[str, Any], name: str, required: bool) -> Any:
    """The field's value; None where an optional field is absent or null, a `LineError` where a required one is."""
    value = event.get(name)
    if value is None and required:
        raise LineError(name, "missing")
    return value


def _text(event: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = _given(event, name, required)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise LineError(name, f"expected a string, got {type(value).__name__}")
    text = str(value).strip()
    if required and not text:
        raise LineError(name, "empty")
    return text or None


def _time(event: dict[str, Any], name: str, required: bool = True) -> datetime | None:
    value = _given(event, name, required)
    if value is None:
        return None
    if not isinstance(value, str) or not RFC3339.match(value.strip()):
        raise LineError(name, f"expected an RFC 3339 time with an offset, such as 2024-05-01T12:00:00Z, "
                              f"got {json.dumps(value)[:40]}")
    try:
        moment = utc(value.strip())
    except (ValueError, OverflowError):
        # the shape is right but no calendar has it: 2024-02-30, year 0, an offset of +99:00
        raise LineError(name, f"no such time {json.dumps(value)[:40]}") from None
    assert moment is not None
    return _plausible(moment, name, value)


def _plausible(moment: datetime, name: str, value: str) -> datetime:
    """Delivery events happen between 1970 and now: a year-2999 date would freeze every incremental mart."""
    if moment < EARLIEST_EVENT_TIME:
        raise LineError(name, f"{json.dumps(value)[:40]} is before {EARLIEST_EVENT_TIME:%Y-%m-%d}")
    latest = datetime.now(UTC) + FUTURE_TOLERANCE
    if moment > latest:
        raise LineError(name, f"{json.dumps(value)[:40]} is in the future (later than now plus "
                              f"{FUTURE_TOLERANCE.total_seconds() / 3600:g} hours)")
    return moment


def _sha(value: Any, name: str) -> str:
    if not isinstance(value, str) or not SHA.match(value):
        raise LineError(name, f"expected a 40-character hex commit sha, got {json.dumps(value)[:50]}")
    return value.lower()


def _repo(event: dict[str, Any]) -> tuple[str, str]:
    repo = _text(event, "repo")
    assert repo is not None
    if not REPO.match(repo):
        raise LineError("repo", f"expected owner/name or host/owner/name, got {json.dumps(repo)[:50]}")
    return repo_identity(repo)


def parse_change(event: dict[str, Any], org_id: str) -> Row:
    repo_id, repo_name = _repo(event)
    email = _text(event, "author_email", required=False)
    return {"org_id": org_id, "repo_name": repo_name, "sha": _sha(event.get("sha"), "sha"), "repo_id": repo_id,
            "created_at": _time(event, "created_at"), "author_email": email.lower() if email else None}


def parse_deployment(event: dict[str, Any], org_id: str) -> Row:
    repo_id, repo_name = _repo(event)
    status = _text(event, "status")
    if status not in DEPLOYMENT_STATUSES:
        raise LineError("status", f"expected one of {', '.join(DEPLOYMENT_STATUSES)}, got {json.dumps(status)}")
    shas = event.get("shas", [])
    if not isinstance(shas, list):
        raise LineError("shas", "expected a list of commit shas")
    shas = [_sha(sha, f"shas[{index}]") for index, sha in enumerate(shas)]
    started_at, finished_at = _time(event, "started_at"), _time(event, "finished_at", required=False)
    if finished_at is not None and started_at is not None and finished_at < started_at:
        raise LineError("finished_at", "earlier than started_at")
    return {
        "org_id": org_id, "repo_id": repo_id, "deployment_id": _text(event, "id"), "provider": PROVIDER,
        "repo_name": repo_name, "environment": _text(event, "environment"), "status": status,
        # the first listed sha stands for the deployed revision, as a provider's single `sha` does
        "sha": shas[0] if shas else None, "shas": json_text(shas),
        "started_at": started_at, "finished_at": finished_at,
    }


def parse_incident(event: dict[str, Any], org_id: str) -> Row:
    repo_id, repo_name = _repo(event)
    opened_at, resolved_at = _time(event, "created_at"), _time(event, "resolved_at", required=False)
    if resolved_at is not None and opened_at is not None and resolved_at < opened_at:
        raise LineError("resolved_at", "earlier than created_at")
    cause_sha = event.get("caused_by_sha")
    labels = event.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise LineError("labels", "expected a list of strings")
    return {
        "org_id": org_id, "provider": PROVIDER, "incident_id": _text(event, "id"), "repo_name": repo_name,
        "repo_id": repo_id, "title": _text(event, "title", required=False),
        "severity": _text(event, "severity", required=False), "opened_at": opened_at, "resolved_at": resolved_at,
        "caused_by_deployment_id": _text(event, "caused_by_deployment", required=False),
        "caused_by_sha": _sha(cause_sha, "caused_by_sha") if cause_sha is not None else None,
        "labels": json_text(sorted(labels)),
    }


PARSERS = {"change": parse_change, "deployment": parse_deployment, "incident": parse_incident}
KEYS = {"change": ("repo_name", "sha"), "deployment": ("repo_id", "deployment_id"), "incident": ("incident_id",)}


def parse_line(text: str, org_id: str) -> tuple[str, Row]:
    """(kind, row) for one line, or a `LineError` naming the field at fault."""
    try:
        event = json.loads(text)
    except ValueError as error:
        raise LineError("line", f"not valid JSON ({error.args[0].split(':')[0]})") from None
    except RecursionError:
        raise LineError("line", "not valid JSON (nested too deep)") from None
    if not isinstance(event, dict):
        raise LineError("line", "expected a JSON object")
    kind = event.get("kind")
    if kind not in KINDS:
        raise LineError("kind", f"expected one of {', '.join(KINDS)}, got {json.dumps(kind)[:40]}")
    return kind, PARSERS[kind](event, org_id)


@dataclass
class EventBatch:
    """A whole file's rows by kind; a repeated key keeps its last line, as a later load would."""

    rows: dict[str, dict[tuple[Any, ...], Row]] = field(default_factory=lambda: {kind: {} for kind in KINDS})

    def add(self, kind: str, row: Row) -> None:
        key = tuple(row[name] for name in KEYS[kind])
        self.rows[kind].pop(key, None)
        self.rows[kind][key] = row

    def of(self, kind: str) -> list[Row]:
        return list(self.rows[kind].values())


def parse_lines(lines: Iterable[str], org_id: str, file_name: str) -> EventBatch:
    """Every line of a file, validated before any is loaded; the first bad line is an `InputError`."""
    batch = EventBatch()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            kind, row = parse_line(text, org_id)
        except LineError as error:
            raise InputError(f"events file {file_name} line {number}: {error}; nothing from it was loaded") from None
        batch.add(kind, row)
    return batch
