"""Terminal output at 80 columns: the run summary and `query --format table` wrap or change layout, never cut."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from rich.console import Console

from devhealth.cli import run as run_command
from devhealth.cli.tables import fits, print_rows
from devhealth.summary import DoraKeys, Hotspot, OrgSummary, WeekTrend

ELLIPSIS = "…"


def assert_whole(text: str, width: int = 80) -> None:
    """Nothing cut: no ellipsis, no line past the width, and every table row closes with its border."""
    assert ELLIPSIS not in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert all(line.rstrip()[-1] in "│┃┓┩┐┘┤" for line in lines if line[:1] in "│┃┏┡└┌├")


def rendered(width: int, headers: list[str], rows: list[list[str]]) -> str:
    console = Console(width=width, record=True, color_system=None)
    print_rows(console, headers, rows, title="t")
    return console.export_text()


def test_a_table_that_fits_keeps_every_header_and_value_whole() -> None:
    headers = ["repository", "path", "commits"]
    rows = [["acme/checkout-service", "src/checkout/a_rather_long_module_name.py", "12"]]
    text = rendered(80, headers, rows)
    assert_whole(text)
    assert all(header in text for header in headers) and "acme/checkout-service" in text
    assert "src/checkout/" in text and "12" in text


def test_columns_that_cannot_fit_side_by_side_print_one_block_per_row() -> None:
    headers = [f"column_number_{index}_with_a_long_name" for index in range(6)]
    rows = [[f"value-{row}-{index}" for index in range(6)] for row in range(2)]
    assert not fits(headers, rows, 80)
    text = rendered(80, headers, rows)
    assert_whole(text)
    assert all(f"{header} : value-1-{index}" in text for index, header in enumerate(headers))
    assert max(len(line) for line in text.splitlines()) <= 80


def test_values_are_data_not_markup() -> None:
    text = rendered(80, ["name"], [["[bold]team[/bold] [red]x"]])
    assert "[bold]team[/bold] [red]x" in text


def test_the_run_summary_reads_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    console = Console(width=80, record=True, color_system=None)
    monkeypatch.setattr(run_command, "console", console)
    keys = dict(deployments_count=155, median_weekly_deployment_days=5.0, lead_time_median_hours=21.9,
                change_failure_rate=0.084, time_to_restore_median_hours=4.1, deployment_frequency_band="elite",
                lead_time_band="elite", change_failure_rate_band="medium", time_to_restore_band="high",
                rework_rate=0.137)
    summary = OrgSummary(
        "org-1", "Acme Corporation", date(2024, 1, 8), date(2024, 1, 29),
        dora=[DoraKeys("org", "Acme Corporation", **keys),
              DoraKeys("team", "Platform Reliability Engineering", **keys)],
        trend=[WeekTrend(date(2024, 1, 29), 40, 20.5, 0.125, None, 0.05)],
        pr_stage_medians_hours={"coding": 5.5, "pickup": 2.5, "review": 2.0, "deploy": 18.0},
        slowest_pr_stage="deploy",
        hotspots=[Hotspot("acme/payments-gateway", "src/gateway/module_with_a_long_name_42.py", 31, 2048, 97.5)],
        after_hours_team="Platform Reliability Engineering", after_hours_ratio=0.12,
    )
    run_command.render(summary)
    text = console.export_text()
    assert_whole(text)
    assert "organization" in text and "21.9 h" in text and "8%" in text and "medium" in text
    # rework rate in the keys (13.7%) and in the week's row (5%)
    assert "rework" in text and "14%" in text and "5%" in text
    # a team name wraps on its words inside its cell rather than being cut
    assert all(word in text for word in ("Platform", "Reliability", "Engineering"))
    assert "acme/payments-gateway" in text and "coding 5.5 h" in text


def test_query_table_at_80_columns_keeps_column_names(cli_env) -> None:
    sql = ("select number as n, 'acme/checkout' as repository_name_column, number * 2 as after_hours_commit_ratio, "
           "'src/checkout/module_12.py' as path_of_the_hottest_file, 1.5 as median_weekly_deployment_days "
           "from numbers(2)")
    result = subprocess.run([sys.executable, "-m", "devhealth.cli", "query", sql],
                            capture_output=True, text=True, env={**cli_env, "COLUMNS": "80"}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert_whole(result.stdout)
    for name in ("repository_name_column", "after_hours_commit_ratio", "path_of_the_hottest_file",
                 "median_weekly_deployment_days"):
        assert name in result.stdout
