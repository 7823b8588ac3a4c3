"""Stopping a test's embedded PostgreSQL: shared by conftest and the tests that make homes of their own."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def stop_embedded_postgres(home: Path) -> None:
    """pgserver leaves its server running for the next command; a test's server must not outlive the test."""
    pid_file = home / "postgres" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    # SIGINT is PostgreSQL's "fast" shutdown: roll back sessions, then exit cleanly
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGINT)
