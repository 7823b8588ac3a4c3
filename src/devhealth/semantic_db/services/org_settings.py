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


# what Python's `re` accepts and ClickHouse's RE2, which the marts match with, does not: look-arounds and
# back-references; a pattern with one would fail every build instead of matching
RE2_UNSUPPORTED = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")


def _bot_patterns(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
        raise ValueError("must be a list of regular expressions")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"'{pattern}' is not a regular expression ({error})") from None
        if RE2_UNSUPPORTED.search(pattern):
            raise ValueError(f"'{pattern}' uses a look-around or a back-reference, which ClickHouse's RE2 "
                             "does not support") from None


VALIDATORS: dict[str, Callable[[Any], None]] = {
    "timezone": _timezone,
    "business_hours": _business_hours,
    "working_days": _working_days,
    "bot_patterns": _bot_patterns,
}


# settings that no longer mean anything, and why
RETIRED = {
    "lookback_days": "is retired: every build recomputes the periods whose data changed, whatever their age",
}


def validate(key: str, value: Any) -> None:
    if key in RETIRED:
        raise InputError(f"setting '{key}' {RETIRED[key]}")
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
