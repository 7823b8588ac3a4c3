"""Operations on the semantic database; each takes an open `Session` from `admin_session` or `org_session`."""

from __future__ import annotations

from typing import TypeVar

from devhealth.errors import InputError

T = TypeVar("T")


def required(found: T | None, unknown: str) -> T:
    """What a lookup `found`; when it found nothing, the one-line `InputError` `unknown`, which names the input:
    a command given a name that matches nothing stops there rather than acting on nothing."""
    if found is None:
        raise InputError(unknown)
    return found
