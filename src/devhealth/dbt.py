"""Runs dbt in-process through dbtRunner, against the warehouse the settings resolve to."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg

from devhealth import dbt_manifest
from devhealth.errors import BuildError, ConfigError
from devhealth.settings import clickhouse_settings, dbt_environment, devhealth_home

SELECTORS = ("daily", "dora", "complexity", "all")
# dbt's unit tests check a model's logic on fixed rows, the same on every run: dbt advises running them in
# development and CI, not in production builds (make test runs them all once, tests/dbt_models/test_marts.py);
# in every build they cost about 40 s, more than a refresh of the demo organization's data
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# dbt's file log at its default level, debug, formats and scrubs every statement it sends and every cache event:
# about a tenth of the fixed cost of a build (the refresh of a warehouse with no rows: 9.6-10.4 s against
# 8.6-9.6 s). devhealth's builds keep each node's line and every error there; DBT_LOG_LEVEL_FILE=debug (or
# dbt's --log-level-file) brings the statements back. A plain `dbt build` keeps dbt's default
LOG_LEVEL_FILE = "info"


def project_dir() -> Path:
    """The dbt project: DEVHEALTH_PROJECT_DIR, else the checkout this package runs from."""
    configured = os.environ.get("DEVHEALTH_PROJECT_DIR")
    candidate = Path(configured) if configured else Path(__file__).resolve().parents[2]
    if not (candidate / "dbt_project.yml").is_file():
        raise ConfigError(f"DEVHEALTH_PROJECT_DIR={candidate}: no dbt_project.yml there")
    return candidate


def target_dir() -> Path:
    """The folder dbt keeps its artifacts in (manifest, partial parse): DBT_TARGET_PATH, else the project's target/."""
    return Path(os.environ.get("DBT_TARGET_PATH") or project_dir() / "target")


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def invoke(args: Sequence[str], callbacks: Sequence[Callable[[EventMsg], None]] = ()) -> dbtRunnerResult:
    """Run one dbt command from the project folder with the resolved warehouse settings; `callbacks`
    receive every event dbt emits (macro logs among them)."""
    project = project_dir()
    settings = clickhouse_settings()
    if settings.is_embedded and settings.path is not None:
        from devhealth.warehouse import hold_embedded_warehouse

        # before dbt starts: dbt would report a busy engine as a failed connection deep in its log
        hold_embedded_warehouse(settings.path.resolve())
    elif args and args[0] in ("build", "run", "test", "seed", "snapshot", "run-operation", "show"):
        from devhealth.warehouse import Warehouse

        # before dbt starts: dbt would print its own connection error, several lines long, for every node
        Warehouse(settings).scalar("select 1")
    log_level = {} if "DBT_LOG_LEVEL_FILE" in os.environ else {"DBT_LOG_LEVEL_FILE": LOG_LEVEL_FILE}
    with _environment({**dbt_environment(settings), **log_level}):
        cwd = Path.cwd()
        os.chdir(project)
        try:
            folders = ["--project-dir", str(project), "--profiles-dir", str(project)]
            key = dbt_manifest.parse_key(project, args) if args and args[0] == "parse" else ""
            manifest = dbt_manifest.manifest_for(project, args, folders)
            result = dbtRunner(manifest=manifest, callbacks=list(callbacks)).invoke([*args, *folders])
            dbt_manifest.remember(args, key, result)
            return result
        finally:
            os.chdir(cwd)


def failures(result: dbtRunnerResult) -> list[str]:
    """The names of nodes that errored or failed, for a one-line message."""
    if result.result is None or not hasattr(result.result, "results"):
        return []
    return [
        f"{item.node.name} ({item.status})"
        for item in result.result.results
        if str(item.status) in ("error", "fail", "runtime error")
    ]


# (nodes finished, nodes in the run, the node running now)
ProgressReport = Callable[[int, int, str], None]


class NodeProgress:
    """Turns dbt's events into progress: each START line carries `index of total`, each node ends once.

    dbt runs nodes on several threads, so the current node is every node running now, in the order they
    started. dbt fires its events to callbacks whatever the log level, so this works under `--quiet`.
    """

    def __init__(self, report: ProgressReport) -> None:
        self._report = report
        self.finished = 0
        self.total = 0
        self.running: list[str] = []
        self.current = ""

    def __call__(self, event: EventMsg) -> None:
        name = event.info.name
        node = event.data.node_info.node_name if name in ("LogStartLine", "NodeFinished") else ""
        if name == "LogStartLine":
            self.total = max(self.total, int(event.data.total))
            self.running.append(node)
        elif name == "NodeFinished":
            self.finished += 1
            if node in self.running:
                self.running.remove(node)
        else:
            return
        # between two nodes the line keeps the last one shown, rather than flickering empty
        self.current = ", ".join(self.running) or self.current
        self._report(self.finished, self.total, self.current)


def build(selector: str = "all", extra: Sequence[str] = (), progress: ProgressReport | None = None
          ) -> dbtRunnerResult:
    """`dbt build --selector <selector>` without dbt's unit tests (WITHOUT_UNIT_TESTS); a failing model or data
    test raises BuildError naming it.

    `progress` hears (nodes finished, nodes in the run, current node) as the build goes. Each build's
    outcome is written to DEVHEALTH_HOME/last_build.json for `devhealth status`.
    """
    if selector not in SELECTORS:
        raise ConfigError(f"selector {selector!r}: choose one of {', '.join(SELECTORS)}")
    started = datetime.now(UTC)
    result = invoke(["build", "--selector", selector, *WITHOUT_UNIT_TESTS, *extra],
                    callbacks=[NodeProgress(progress)] if progress is not None else ())
    record_build(selector, started, result)
    if not result.success:
        failed = failures(result)
        detail = ", ".join(failed) if failed else str(result.exception or "see dbt output above")
        raise BuildError(f"dbt build --selector {selector} failed: {detail}")
    return result


@dataclass(frozen=True)
class BuildRecord:
    """The outcome of the latest `dbt build` devhealth ran."""

    selector: str
    success: bool
    started_at: str
    finished_at: str
    nodes: int
    failures: list[str]


def last_build_path() -> Path:
    return devhealth_home() / "last_build.json"


def record_build(selector: str, started: datetime, result: dbtRunnerResult) -> BuildRecord:
    results = getattr(result.result, "results", None) or []
    record = BuildRecord(selector=selector, success=bool(result.success), started_at=started.isoformat(),
                         finished_at=datetime.now(UTC).isoformat(), nodes=len(results), failures=failures(result))
    path = last_build_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(record), indent=2))
    return record


def last_build() -> BuildRecord | None:
    """The latest build devhealth recorded, or None before the first one."""
    path = last_build_path()
    if not path.is_file():
        return None
    return BuildRecord(**json.loads(path.read_text()))
