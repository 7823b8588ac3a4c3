"""`devhealth run`: the main job, from extraction to a summary and an HTML report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from devhealth.cli.tables import print_rows
from devhealth.errors import InputError

if TYPE_CHECKING:
    from devhealth.summary import DoraKeys, OrgSummary

console = Console(soft_wrap=True)


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        start = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InputError(f"--since {value}: not a date (YYYY-MM-DD)") from None
    # checked here too, so the error comes before migrations and engines start
    if start > datetime.now(UTC).date():
        raise InputError(f"--since {value}: is after today")
    return start


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def _band(value: str | None) -> Text:
    colours = {"elite": "green", "high": "green3", "medium": "yellow", "low": "red"}
    return Text(value or "n/a", style=colours.get(value or "", "dim"))


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _valued(figure: str, band: str | None) -> Text:
    return Text(f"{figure} ") + _band(band)


def _scope(keys: DoraKeys) -> str:
    return keys.scope_name if keys.scope_type == "team" else "organization"


def render(summary: OrgSummary) -> None:
    console.rule(f"{summary.org_name}: {summary.window_start} to {summary.window_end} (4 weeks)")
    dora = []
    for keys in summary.dora:
        dora.append([
            _scope(keys),
            str(keys.deployments_count), _band(keys.deployment_frequency_band),
            _valued(_hours(keys.lead_time_median_hours), keys.lead_time_band),
            _valued(_share(keys.change_failure_rate), keys.change_failure_rate_band),
            _valued(_hours(keys.time_to_restore_median_hours), keys.time_to_restore_band),
        ])
    if dora:
        print_rows(console, ["scope", "deploys", "frequency", "lead time", "change failure", "time to restore"],
                   dora, title="DORA keys, last 4 weeks (value and band)")
        # a line of its own: the keys table is full at 80 columns, and rework has no band in the seed's reports
        rework = ", ".join(f"{_scope(keys)} {_share(keys.rework_rate)}" for keys in summary.dora)
        console.print(Text(f"Rework rate (unplanned deployments that fix a problem): {rework}"))
    else:
        console.print("No production deployments in these weeks: the DORA keys need deployment data "
                      "(devhealth sync github|gitlab|events).")
    trend = []
    for week in summary.trend:
        trend.append([str(week.week), str(week.deployments_count), _hours(week.lead_time_median_hours),
                      _share(week.change_failure_rate), _share(week.rework_rate),
                      _hours(week.time_to_restore_median_hours)])
    if trend:
        print_rows(console, ["week", "deploys", "lead time", "change failure", "rework", "time to restore"], trend,
                   title="Week by week")
    if summary.slowest_pr_stage is None:
        console.print("No pull requests merged in these weeks: their stages need pull request data "
                      "(devhealth sync prs --provider github|gitlab).")
    else:
        stages = ", ".join(f"{stage} {_hours(hours)}" for stage, hours in summary.pr_stage_medians_hours.items())
        console.print(f"Slowest PR stage: [bold]{summary.slowest_pr_stage}[/] (medians: {stages})")
    # the score is churned lines times authors (file_hotspots): a whole number, read by its thousands
    hotspots = [[spot.repo_name, spot.path, f"{spot.commits_count:,}", f"{spot.churn_lines:,}",
                 f"{spot.hotspot_score:,.0f}"] for spot in summary.hotspots]
    if hotspots:
        print_rows(console, ["repository", "path", "commits", "churn lines", "score"], hotspots,
                   title="Top hotspots")
    else:
        console.print("No file changes to rank as hotspots yet (devhealth sync git PATH).")
    if summary.after_hours_team is not None and summary.after_hours_ratio is not None:
        console.print(f"Highest after-hours ratio: [bold]{summary.after_hours_team}[/] "
                      f"({summary.after_hours_ratio:.0%} of commits outside business hours)")


def run(
    repo: Annotated[list[Path] | None, typer.Option(
        "--repo", help="Local repository to extract (repeatable); default: the repository you run in.")] = None,
    synthetic: Annotated[bool, typer.Option(help="Generate and load the synthetic demo organization.")] = True,
    org: Annotated[list[str] | None, typer.Option(
        "--org", help="Organization to load (repeatable: one summary each): each gets the synthetic history, "
        "the first the repositories; created when new. [demo]")] = None,
    since: Annotated[str | None, typer.Option(help="Start of the synthetic history (YYYY-MM-DD).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON for machines.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress output.")] = False,
) -> None:
    """Migrate, extract, sync teams, build every mart with dbt, then summarise and write the HTML report."""
    from devhealth.job import DEMO_ORG, RunOptions, default_repositories, run_job
    from devhealth.stages import StageRunner

    options = RunOptions(
        repos=tuple(repo) if repo else default_repositories(Path.cwd()),
        synthetic=synthetic, since=_since(since), orgs=tuple(org or (DEMO_ORG,)),
    )
    result = run_job(options, StageRunner(Console(stderr=True, soft_wrap=True), quiet=quiet or as_json))
    if as_json:
        typer.echo(json.dumps({"summaries": [summary.as_dict() for summary in result.summaries],
                               "report": str(result.report_path)}, indent=2))
        return
    if not quiet:
        for summary in result.summaries:
            render(summary)
        console.print(f"Report: {result.report_path}")
