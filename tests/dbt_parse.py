"""Keeping dbt's partial parse in the suite.

dbt parses the whole project again (about 6 s against 1 for a partial parse) when a command's vars differ from
those its saved parse was made with, and saves the new parse over the old one; and when its target folder holds
no saved parse. The suite runs many dbt commands per worker, so either way would cost it minutes.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

from dbt.cli.main import dbtRunnerResult

from devhealth import dbt


def invoke_with_vars(args: Sequence[str], variables: str) -> dbtRunnerResult:
    """`dbt.invoke` with `--vars`, in a target folder of those vars' own: a module alternating a set of vars with
    none would otherwise parse in full twice per switch, and the next module on its worker once more."""
    folder = dbt.target_dir() / f"vars-{hashlib.sha256(variables.encode()).hexdigest()[:12]}"
    return dbt.invoke([*args, "--vars", variables, "--target-path", str(folder)])


def start_from_this_parse(target: Path) -> Path:
    """Put this worker's saved parse into `target`, the target folder of a dbt process with its own home: the
    chDB folder is not one of the connection keys dbt compares, so that process parses partially (and parses
    again only the files changed since). The worker parses first only when no command of its own has."""
    saved = dbt.target_dir() / "partial_parse.msgpack"
    if not saved.exists():
        assert dbt.invoke(["parse", "--quiet"]).success
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(saved, target)
    return target
