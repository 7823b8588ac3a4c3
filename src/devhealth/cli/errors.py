"""The CLI's one error boundary: a user-facing error becomes one line on stderr and exit code 1."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console

from devhealth.errors import DevhealthError, one_line

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def run_guarded(entry: Callable[[], Any]) -> None:
    """Call the Typer app; DevhealthError (and ValueError from settings) print one line, no traceback."""
    try:
        entry()
    except DevhealthError as error:
        stderr.print(f"error: {one_line(error)}", markup=False)
        sys.exit(1)
    except OSError as error:
        # a folder that cannot be written (read-only or full DEVHEALTH_HOME): the path and the reason
        if not error.filename:
            raise
        stderr.print(f"error: {error.filename}: {error.strerror or type(error).__name__}", markup=False)
        sys.exit(1)
