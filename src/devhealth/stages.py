"""Runs the main job's stages in order with Rich progress: rows, throughput and elapsed time per stage.

A stage is a named callable returning the rows it handled; a failing stage stops the job with its
error, and everything it had committed stays (loads are idempotent, so the job can simply be rerun).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@dataclass
class StageResult:
    name: str
    rows: int
    seconds: float
    detail: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class StageRunner:
    console: Console
    quiet: bool = False
    results: list[StageResult] = field(default_factory=list)

    def run(self, name: str, action: Callable[[], tuple[int, str] | int]) -> StageResult:
        return self.run_counted(name, lambda _report: action())

    def run_counted(self, name: str, action: Callable[[Callable[[int, int, str], None]], tuple[int, str] | int]
                    ) -> StageResult:
        """Like `run`, for a stage that reports (done, total, current item): the line shows `n/N current`."""
        started = time.perf_counter()
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=self.console, transient=True, disable=self.quiet) as progress:
            task = progress.add_task(name, total=None)

            def report(done: int, total: int, current: str) -> None:
                progress.update(task, description=f"{name}: {done}/{total} {current}")

            outcome = action(report)
        rows, detail = outcome if isinstance(outcome, tuple) else (outcome, "")
        result = StageResult(name, rows, time.perf_counter() - started, detail)
        self.results.append(result)
        if not self.quiet:
            rate = f", {result.rows_per_second:,.0f} rows/s" if result.rows else ""
            suffix = f" ({detail})" if detail else ""
            self.console.print(f"[green]✓[/green] {name}: {result.rows:,} rows in {result.seconds:.1f}s{rate}{suffix}")
        return result
