"""File locks in DEVHEALTH_HOME: one process at a time per embedded warehouse and per pipeline.

chDB opens one engine per data folder and process, and a dlt pipeline's working folder takes one run at a
time; a second process gets a one-line `BusyError` naming who holds the lock, instead of a crash deep in
either. A lock is an `flock` on a small file, so the kernel releases it when its holder dies, even by
kill -9, and a lock left behind can never block.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from devhealth.errors import DevhealthError

_held: dict[Path, IO[str]] = {}
_guard = threading.Lock()


class BusyError(DevhealthError):
    """Another process holds a lock this one needs."""


def holder_text() -> str:
    """Who this process is, as a lock file records it."""
    program = Path(sys.argv[0]) if sys.argv else Path("python")
    # `devhealth ...` and `python -m devhealth.cli ...` both read as the command a user typed
    is_cli = program.name == "devhealth" or program.parts[-2:] == ("cli", "__main__.py")
    command = " ".join(["devhealth" if is_cli else str(program), *sys.argv[1:]])
    return json.dumps({"pid": os.getpid(), "command": command[:300],
                       "since": datetime.now(UTC).isoformat(timespec="seconds")})


def describe_holder(text: str) -> str:
    """`pid 123 (devhealth sync git .) since 2026-01-01T10:00:00+00:00`, or what can be said of a bad file."""
    try:
        holder = json.loads(text)
        return f"pid {int(holder['pid'])} ({holder['command']}) since {holder['since']}"
    except (ValueError, KeyError, TypeError):
        return "another process"


def _open(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("a+", encoding="utf-8")
    except OSError as error:
        raise DevhealthError(f"{path.parent}: cannot write the lock file there ({error.strerror or error})") \
            from None


def try_lock(path: Path) -> IO[str] | None:
    """The open, locked file at `path`, or None when another process holds it."""
    handle = _open(path)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def hold(path: Path, what: str) -> None:
    """Hold the lock at `path` until this process ends (again: no-op); `what` names the locked thing."""
    path = path.resolve()
    with _guard:
        if path in _held:
            return
        handle = try_lock(path)
        if handle is None:
            holder = describe_holder(path.read_text(encoding="utf-8", errors="replace"))
            raise BusyError(f"{what} is in use by {holder}; wait for it to finish, then run again")
        handle.seek(0)
        handle.truncate()
        handle.write(holder_text())
        handle.flush()
        _held[path] = handle
