"""`devhealth run` end to end on the embedded engines: the demo organization plus a git repository."""

import json
import re
import subprocess
import sys
from pathlib import Path

DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
BANDS = {"elite", "high", "medium", "low", None}


def devhealth(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def mart_fingerprints(env: dict[str, str]) -> dict[str, str]:
    """Row count and an order-independent hash of every mart's columns except computed_at.

    `_versions` tables are the append-only storage behind the daily marts' views: each run adds its
    computation there by design, and the views, which are the marts people read, must not change.
    """
    listed = devhealth("query", "select table, groupArray(name) from system.columns where database = 'marts' "
                       "and name != 'computed_at' and not endsWith(table, '_versions') group by table order by table",
                       "--format", "json", env=env)
    assert listed.returncode == 0, listed.stderr
    parts = [
        f"select '{row['table']}' as mart, toString(count()) || ':' || "
        f"toString(groupBitXor(cityHash64({', '.join(row['groupArray(name)'])}))) as fingerprint "
        f"from marts.`{row['table']}`"
        for row in json.loads(listed.stdout)
    ]
    result = devhealth("query", " union all ".join(parts), "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return {row["mart"]: row["fingerprint"] for row in json.loads(result.stdout)}


def test_run_summarises_and_reports_and_a_rerun_changes_no_mart(cli_env, make_git_repo) -> None:
    repo = make_git_repo("service", [
        ("2024-05-06T10:00:00+00:00", {"app.py": "print(1)\n"}),
        ("2024-05-07T22:30:00+00:00", {"app.py": "print(2)\n", "lib.py": "x = 1\n"}),
    ], remote="git@github.com:acme/service.git")

    first = devhealth("run", "--json", "--repo", str(repo), "--org", "demo", "--org", "twin", env=cli_env)
    assert first.returncode == 0, first.stderr[-3000:]
    output = json.loads(first.stdout)
    summary, twin = output["summaries"]
    assert (summary["org_name"], twin["org_name"]) == ("demo", "twin") and summary["org_id"] != twin["org_id"]
    # the same seed gives both organizations the same history: sharing a warehouse must not mix their figures
    figures = ("deployments_count", "lead_time_median_hours", "change_failure_rate", "time_to_restore_median_hours")
    assert ([[keys[name] for name in figures] for keys in summary["dora"]]
            == [[keys[name] for name in figures] for keys in twin["dora"]])
    org_keys = next(keys for keys in summary["dora"] if keys["scope_type"] == "org")
    assert org_keys["deployments_count"] > 0
    assert {keys["scope_type"] for keys in summary["dora"]} == {"org", "team"}
    for keys in summary["dora"]:
        assert {keys[name] for name in ("deployment_frequency_band", "lead_time_band", "change_failure_rate_band",
                                        "time_to_restore_band")} <= BANDS
    assert len(summary["trend"]) == 4
    assert summary["slowest_pr_stage"] in {"coding", "pickup", "review", "deploy"}
    slowest = summary["pr_stage_medians_hours"][summary["slowest_pr_stage"]]
    assert slowest == max(hours for hours in summary["pr_stage_medians_hours"].values() if hours is not None)
    assert len(summary["hotspots"]) == 5 and summary["after_hours_team"]

    report = Path(output["report"])
    page = report.read_text()
    charts = json.loads(re.search(r"<script type='application/json' id='devhealth-charts'>(.*?)</script>",
                                  page).group(1))
    assert set(charts["demo"]) == {"dora_trends", "pr_cycle_breakdown", "investment_sunburst", "team_heatmap",
                                   "work_item_flow"}
    assert all(points > 0 for points in charts["demo"].values()), charts
    assert set(charts) == {"demo", "twin"} and charts["twin"] == charts["demo"]
    # five charts per organization, plotly.js embedded once so the page opens offline
    assert page.count("Plotly.newPlot") == 10 and page.count("plotly.js v") == 1

    # the git repository was extracted for the demo org, alongside the synthetic repositories
    repos = devhealth("query", "select repo_name from marts.dim_repos where repo_name = 'acme/service'",
                      "--format", "csv", "--no-header", env=cli_env)
    assert repos.stdout.strip() == "acme/service"

    status = devhealth("status", "--json", env=cli_env)
    assert status.returncode == 0, status.stderr[-2000:]
    state = json.loads(status.stdout)
    loads = {load["dataset"]: load for load in state["loads"]}
    assert {"git", "github", "jira", "events", "semantic"} <= set(loads) and loads["git"]["rows"] > 0
    freshness = {item["source"]: item["status"] for item in state["freshness"]}
    # freshness of the tables that hold rows only: gitlab was never loaded, the synthetic org has no releases
    assert freshness["git.commits"] == "pass" and freshness["github.pull_requests"] == "pass"
    assert "gitlab.pull_requests" not in freshness and "github.releases" not in freshness
    assert set(freshness.values()) == {"pass"}
    assert state["last_build"]["selector"] == "all" and state["last_build"]["success"] is True
    assert state["last_build"]["nodes"] > 100 and state["last_build"]["failures"] == []
    assert state["locations"]["report"] == str(report)
    assert state["locations"]["warehouse"].startswith("chDB at ") and state["locations"]["pipelines_dir"].endswith(
        "/pipelines")
    assert {(run["provider"], run["status"]) for run in state["sync_runs"]} >= {("synthetic", "succeeded"),
                                                                               ("git", "succeeded")}

    before = mart_fingerprints(cli_env)
    second = devhealth("run", "--quiet", "--repo", str(repo), "--org", "demo", "--org", "twin", env=cli_env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert mart_fingerprints(cli_env) == before

    # one selector on the built warehouse, as JSON; status then shows that build as the last one
    built = devhealth("metrics", "complexity", "--json", env=cli_env)
    assert built.returncode == 0, built.stderr[-2000:]
    outcome = json.loads(built.stdout)
    assert outcome["selector"] == "complexity" and outcome["success"] is True
    assert outcome["nodes"] == sum(outcome["statuses"].values()) and outcome["nodes"] > 10
    assert set(outcome["statuses"]) <= {"success", "pass"}
    last = json.loads(devhealth("status", "--json", env=cli_env).stdout)["last_build"]
    assert (last["selector"], last["nodes"], last["success"]) == ("complexity", outcome["nodes"], True)


def test_run_with_nothing_to_extract_says_so(cli_env, tmp_path) -> None:
    result = devhealth("run", "--no-synthetic", env=cli_env, cwd=tmp_path)
    assert result.returncode == 1
    assert "nothing to extract" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_run_rejects_a_bad_since(cli_env) -> None:
    result = devhealth("run", "--since", "last tuesday", env=cli_env)
    assert result.returncode == 1 and "--since last tuesday" in result.stderr
