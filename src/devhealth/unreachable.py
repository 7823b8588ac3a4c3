"""Telling a warehouse that cannot be reached from any other failure, whichever client raised it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

# what clickhouse-connect's OperationalError says when urllib3 could not connect: it keeps no errno
_CONNECT_FAILURES = {
    "connection refused": "connection refused",
    "name or service not known": "unknown host",
    "temporary failure in name resolution": "unknown host",
    "timed out": "timed out",
    "failed to establish a new connection": "no connection",
    "max retries exceeded": "no connection",
}


def error_chain(error: BaseException) -> Iterator[BaseException]:
    """`error`, then its causes and contexts, each once."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unreachable_reason(error: BaseException) -> str | None:
    """Why the warehouse could not be reached, when that is what went wrong; None otherwise."""
    for link in error_chain(error):
        if isinstance(link, (ConnectionError, TimeoutError, socket.gaierror)):
            return (link.strerror or type(link).__name__).lower() if isinstance(link, OSError) else str(link)
        text = str(link)
        # clickhouse-driver's NetworkError (code 210) carries no errno either
        if type(link).__name__ in ("NetworkError", "SocketTimeoutError") or "Code: 210" in text:
            return "connection refused" if "refused" in text.lower() else "network error"
        lowered = text.lower()
        for marker, reason in _CONNECT_FAILURES.items():
            if marker in lowered:
                return reason
    return None
