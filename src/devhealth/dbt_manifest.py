"""One parse of the dbt project per process, for as long as nothing it was made from changes.

dbt parses the project before every command: a partial parse from the target folder's saved parse, about 0.8 s
on this project, however little the command does. A process that runs several commands (`devhealth run` seeds,
builds and writes row policies; the API's tests and the suite run hundreds) hands dbt the manifest of its last
parse instead, while the project's files, the options that change a parse and the environment dbt reads are
all as they were. dbt's own parse remains the one source of manifests: a process only keeps what it made.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt.contracts.graph.manifest import Manifest

# the commands that read a manifest (dbt's `requires.manifest`); `parse` makes one, the others need none
READS_MANIFEST = frozenset({"build", "run", "test", "seed", "snapshot", "compile", "show", "run-operation", "docs",
                            "ls", "list", "source", "retry", "clone"})
# options that change what a parse makes, each with one value
PARSE_OPTIONS = ("--vars", "--target", "-t", "--profile", "--target-path")
# the files dbt reads besides the folders dbt_project.yml names
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml", "packages.yml", "dependencies.yml")
# dbt_project.yml's folder settings and dbt's defaults for them
PROJECT_FOLDERS = {"model-paths": ["models"], "macro-paths": ["macros"], "seed-paths": ["seeds"],
                   "test-paths": ["tests"], "analysis-paths": ["analyses"], "snapshot-paths": ["snapshots"]}

_last: tuple[str, Manifest] | None = None


def parse_options(args: Sequence[str]) -> list[str]:
    """The options of `args` that change what dbt's parse makes, with their values."""
    kept = []
    for index, arg in enumerate(args):
        name, equals, _ = arg.partition("=")
        if name in PARSE_OPTIONS:
            kept.extend([arg] if equals else args[index:index + 2])
    return kept


def _project_files(project: Path) -> Iterator[Path]:
    settings = yaml.safe_load((project / "dbt_project.yml").read_text()) or {}
    for name in PROJECT_FILES:
        if (project / name).is_file():
            yield project / name
    for key, default in PROJECT_FOLDERS.items():
        for folder in settings.get(key, default):
            for root, folders, files in os.walk(project / folder):
                folders.sort()
                yield from (Path(root) / name for name in sorted(files))


def parse_key(project: Path, args: Sequence[str]) -> str:
    """What a parse of `project` for `args` depends on, as one digest: the parse options, every DBT_ and
    DEVHEALTH_ variable (the ones env_var() reads; secrets enter only the digest), each project file's size and
    modification time."""
    digest = hashlib.sha256("\0".join(parse_options(args)).encode())
    for name, value in sorted(os.environ.items()):
        if name.startswith(("DBT_", "DEVHEALTH_")):
            digest.update(f"\0{name}={value}".encode())
    for path in _project_files(project):
        stat = path.stat()
        digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def manifest_for(project: Path, args: Sequence[str], dbt_args: Sequence[str]) -> Manifest | None:
    """The manifest the command `args` can run on: the last one this process parsed when its key still holds,
    else a new parse of `project` (`dbt_args` are the options every command takes, the project's folders).
    None for a command that reads no manifest, and when the parse fails: the command then parses itself and
    reports the failure as it always does."""
    global _last
    if not args or args[0] not in READS_MANIFEST:
        return None
    key = parse_key(project, args)
    if _last is not None and _last[0] == key:
        return _last[1]
    _last = None
    parsed = dbtRunner().invoke(["parse", *parse_options(args), "--log-level", "none", *dbt_args])
    if not parsed.success or not isinstance(parsed.result, Manifest):
        return None
    _last = (key, parsed.result)
    return parsed.result


def kept() -> Manifest | None:
    """The manifest this process keeps for its next command, if any."""
    return _last[1] if _last is not None else None


def remember(args: Sequence[str], key: str, result: dbtRunnerResult) -> None:
    """Keep what a `parse` command made (`key`: its parse_key, taken before it ran); forget the kept manifest
    after a command that raised, which may have left it half changed."""
    global _last
    if args and args[0] == "parse" and result.success and isinstance(result.result, Manifest):
        _last = (key, result.result)
    elif result.exception is not None:
        _last = None
