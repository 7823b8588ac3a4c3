"""The CLI's one error boundary: a user-facing error becomes one line on stderr and exit code 1."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console

from devhealth.errors import DevhealthError

_PASSWORD_IN_URI = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", re.IGNORECASE)

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def mask_secrets(text: str) -> str:
    """Hide passwords in any URI inside `text`."""
    return _PASSWORD_IN_URI.sub(lambda m: f"{m.group('scheme')}***@", text)


def one_line(error: BaseException) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return mask_secrets(message)


def run_guarded(entry: Callable[[], Any]) -> None:
    """Call the Typer app; DevhealthError (and ValueError from settings) print one line, no traceback."""
    try:
        entry()
    except DevhealthError as error:
        stderr.print(f"error: {one_line(error)}", markup=False)
        sys.exit(1)
