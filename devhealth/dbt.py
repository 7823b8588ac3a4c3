"""Runs dbt in-process through dbtRunner, against the warehouse the settings resolve to."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg

from devhealth.errors import BuildError, ConfigError
from devhealth.settings import clickhouse_settings, dbt_environment

SELECTORS = ("daily", "dora", "complexity", "all")


def project_dir() -> Path:
    """The dbt project: DEVHEALTH_PROJECT_DIR, else the checkout this package runs from."""
    configured = os.environ.get("DEVHEALTH_PROJECT_DIR")
    candidate = Path(configured) if configured else Path(__file__).resolve().parents[1]
    if not (candidate / "dbt_project.yml").is_file():
        raise ConfigError(f"DEVHEALTH_PROJECT_DIR={candidate}: no dbt_project.yml there")
    return candidate


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
    with _environment(dbt_environment(settings)):
        cwd = Path.cwd()
        os.chdir(project)
        try:
            runner = dbtRunner(callbacks=list(callbacks))
            return runner.invoke([*args, "--project-dir", str(project), "--profiles-dir", str(project)])
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


def build(selector: str = "all", extra: Sequence[str] = ()) -> dbtRunnerResult:
    """`dbt build --selector <selector>`; a failing model or test raises BuildError naming it."""
    if selector not in SELECTORS:
        raise ConfigError(f"selector {selector!r}: choose one of {', '.join(SELECTORS)}")
    result = invoke(["build", "--selector", selector, *extra])
    if not result.success:
        failed = failures(result)
        detail = ", ".join(failed) if failed else str(result.exception or "see dbt output above")
        raise BuildError(f"dbt build --selector {selector} failed: {detail}")
    return result
