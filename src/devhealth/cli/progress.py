"""dlt's extract counters shown as rich progress: one task per resource of each scope being loaded."""

from __future__ import annotations

from collections.abc import Sequence

from dlt.common.runtime.collector import Collector
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn


def resource_progress(console: Console) -> Progress:
    """A live display on a terminal; elsewhere (pipes, CliRunner, CI logs) it draws nothing at all."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:>10,.0f} rows"),
                    TimeElapsedColumn(), console=console, disable=not console.is_terminal)


class ResourceProgress(Collector):
    """Counts rows per resource while dlt extracts one scope; a pipeline reports its tables by resource name."""

    def __init__(self, progress: Progress, label: str, resources: Sequence[str]) -> None:
        self.step = ""
        self._progress = progress
        self._tasks: dict[str, TaskID] = {name: progress.add_task(f"{label} {name}", total=None)
                                          for name in resources}

    def update(self, name: str, inc: int = 1, total: int | None = None, inc_total: int | None = None,
               message: str | None = None, label: str | None = None) -> None:
        # normalize reports the same tables again; only extract counts rows as they arrive
        if self.step.startswith("Extract") and not label and name in self._tasks:
            self._progress.advance(self._tasks[name], inc)

    def finish(self) -> None:
        """Mark every task of the scope done, so its spinner stops once the load has landed."""
        ours = set(self._tasks.values())
        for task in self._progress.tasks:
            if task.id in ours:
                self._progress.update(task.id, total=task.completed)

    def _start(self, step: str) -> None:
        self.step = step

    def _stop(self) -> None:
        return None
