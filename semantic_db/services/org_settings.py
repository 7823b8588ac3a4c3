"""Org-scoped settings: each key has a validator, and a value is written only once it passes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from devhealth.errors import InputError
from devhealth.semantic_db.models import Setting
from devhealth.semantic_db.services import audit

HOUR_MINUTE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _timezone(value: Any) -> None:
    if not isinstance(value, str):
        raise ValueError("must be an IANA time zone name such as Europe/Paris")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not an IANA time zone") from None


def _lookback_days(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
        raise ValueError("must be a whole number of days from 1 to 3650")


def _business_hours(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise ValueError('must be {"start": "HH:MM", "end": "HH:MM"}')
    if not all(isinstance(v, str) and HOUR_MINUTE.match(v) for v in value.values()):
        raise ValueError("start and end must be HH:MM times")
    if value["start"] >= value["end"]:
        raise ValueError("start must come before end")


def _working_days(value: Any) -> None:
    if (not isinstance(value, list) or not value
            or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in value)):
        raise ValueError("must be a non-empty list of ISO weekdays, 1 (Monday) to 7 (Sunday)")


def _bot_patterns(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise ValueError("must be a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"'{pattern}' is not a regular expression ({error})") from None


VALIDATORS: dict[str, Callable[[Any], None]] = {
    "timezone": _timezone,
    "lookback_days": _lookback_days,
    "business_hours": _business_hours,
    "working_days": _working_days,
    "bot_patterns": _bot_patterns,
}


def validate(key: str, value: Any) -> None:
    validator = VALIDATORS.get(key)
    if validator is None:
        raise InputError(f"unknown setting '{key}'; known settings: {', '.join(sorted(VALIDATORS))}")
    try:
        validator(value)
    except ValueError as error:
        raise InputError(f"setting '{key}' {error}") from None


def set_setting(session: Session, org_id: int, key: str, value: Any, *, actor: str | None = None) -> None:
    validate(key, value)
    session.execute(insert(Setting).values(org_id=org_id, key=key, value=value)
                    .on_conflict_do_update(index_elements=["org_id", "key"], set_={"value": value}))
    audit.record(session, "setting.set", org_id=org_id, target=key, details={"value": value}, actor=actor)


def get_settings(session: Session, org_id: int) -> dict[str, Any]:
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.org_id == org_id))
    return {key: value for key, value in rows}
