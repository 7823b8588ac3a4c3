"""`devhealth run` end to end on the embedded engines: the demo organization plus a git repository."""

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from browser import open_page, screenshot

ROOT = Path(__file__).resolve().parents[2]
# an organization name a user typed: it must reach the report as text, never as markup
TWIN = "x</script><script>alert(1)</script>"
HOSTILE = "<img src=x onerror=alert(2)>"
DEVHEALTH = [sys.executable, "-m", "devhealth.cli"]
BANDS = {"elite", "high", "medium", "low", None}


def devhealth(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DEVHEALTH, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def mart_fingerprints(env: dict[str, str]) -> dict[str, str]:
    """Row count and an order-independent hash of every mart's columns except the build clock (computed_at,
    a keyed mart's _built_at).

    `_versions` tables are the append-only storage behind the daily marts' views: each run adds its
    computation there by design, and the views, which are the marts people read, must not change. A keyed
    mart's `__recompute_keys`, `__recompute_log` and `__deleted_days` are its bookkeeping: what each build
    recomputed, and the days of the rows it deleted.
    """
    listed = devhealth("query", "select table, groupArray(name) from system.columns where database = 'marts' "
                       "and name not in ('computed_at', '_built_at') and not endsWith(table, '_versions') "
                       "and not match(table, '__(recompute_keys|recompute_log|deleted_days)$') "
                       "group by table order by table",
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

    first = devhealth("run", "--json", "--repo", str(repo), "--org", "demo", "--org", TWIN, env=cli_env)
    assert first.returncode == 0, first.stderr[-3000:]
    output = json.loads(first.stdout)
    summary, twin = output["summaries"]
    assert (summary["org_name"], twin["org_name"]) == ("demo", TWIN) and summary["org_id"] != twin["org_id"]
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
    assert set(charts["demo"]) == {"dora_trends", "dora_by_team", "pr_cycle_breakdown", "pr_stage_trends",
                                   "slowest_prs", "deployment_calendar", "commit_activity", "team_heatmap",
                                   "investment_sunburst", "work_item_flow"}
    assert all(points > 0 for points in charts["demo"].values()), charts
    assert set(charts) == {"demo", TWIN} and charts[TWIN] == charts["demo"]
    # ten charts per organization, plotly.js embedded once so the page opens offline, a selector between orgs
    assert page.count("Plotly.newPlot") == 20 and page.count("plotly.js v") == 1
    assert "<option value='1'>x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</option>" in page
    assert TWIN not in page and "Generated at" in page

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
    assert state["rows_out_of_time_range"] == []  # counted, and no time the synthetic history holds is odd
    assert state["last_build"]["nodes"] > 100 and state["last_build"]["failures"] == []
    assert state["locations"]["report"] == str(report)
    assert state["locations"]["warehouse"].startswith("chDB at ") and state["locations"]["pipelines_dir"].endswith(
        "/pipelines")
    assert {(run["provider"], run["status"]) for run in state["sync_runs"]} >= {("synthetic", "succeeded"),
                                                                               ("git", "succeeded")}

    before = mart_fingerprints(cli_env)
    second = devhealth("run", "--quiet", "--repo", str(repo), "--org", "demo", "--org", TWIN, env=cli_env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert mart_fingerprints(cli_env) == before

    browse_report(cli_env, [(summary["org_id"], "demo"), (twin["org_id"], TWIN)], report.parent)
    # one selector on the built warehouse, as JSON; status then shows that build as the last one
    built = devhealth("metrics", "complexity", "--json", env=cli_env)
    assert built.returncode == 0, built.stderr[-2000:]
    outcome = json.loads(built.stdout)
    assert outcome["selector"] == "complexity" and outcome["success"] is True
    assert outcome["nodes"] == sum(outcome["statuses"].values()) and outcome["nodes"] > 10
    assert set(outcome["statuses"]) <= {"success", "pass"}
    last = json.loads(devhealth("status", "--json", env=cli_env).stdout)["last_build"]
    assert (last["selector"], last["nodes"], last["success"]) == ("complexity", outcome["nodes"], True)


def plant_hostile_names(env: dict[str, str], org_id: str) -> None:
    """Team, repository, status and category names as a provider could send them, in the org's marts."""
    org = f"'{org_id}'"
    statements = [
        f"alter table marts.dim_teams update team_name = concat(team_name, ' {HOSTILE}') where org_id = {org}",
        f"alter table marts.dim_repos update repo_name = concat(repo_name, ' {HOSTILE}') where org_id = {org}",
        # statuses and categories are part of their marts' sort keys: a copy of the rows carries the name
        "insert into marts.work_item_state_flow (org_id, month, provider, work_scope_id, from_status, to_status, "
        "transitions_count, items_count, computed_at) select org_id, month, provider, work_scope_id, "
        f"concat(from_status, ' {HOSTILE}'), to_status, transitions_count, items_count, computed_at "
        f"from marts.work_item_state_flow where org_id = {org}",
        "insert into marts.investment_breakdown_monthly (org_id, month, provider, work_scope_id, category, "
        "subcategory, items_completed_weight, story_points_completed_weight, computed_at) select org_id, month, "
        f"provider, work_scope_id, category, concat(subcategory, ' {HOSTILE}'), items_completed_weight, "
        f"story_points_completed_weight, computed_at from marts.investment_breakdown_monthly where org_id = {org}",
    ]
    for statement in statements:
        result = devhealth("query", statement + " settings mutations_sync = 2", env=env)
        assert result.returncode == 0, result.stderr[-2000:]


def browse_report(env: dict[str, str], orgs: list[tuple[str, str]], work: Path) -> None:
    """The report as a reader's Chromium shows it, with hostile names in every place a name appears."""
    plant_hostile_names(env, orgs[1][0])
    path = work / "hostile.html"
    written = subprocess.run([sys.executable, "-c", (
        "import json, sys; from pathlib import Path; from devhealth.report import write_report; "
        "from devhealth.warehouse import Warehouse; "
        "write_report(Warehouse(), [tuple(org) for org in json.loads(sys.argv[1])], Path(sys.argv[2]))"),
        json.dumps(orgs), str(path)], capture_output=True, text=True, env=env, timeout=600)
    assert written.returncode == 0, written.stderr[-3000:]
    page = path.read_text()
    assert HOSTILE not in page and TWIN not in page

    seen = open_page(path, work)
    assert seen.errors == [] and seen.dialogs == []
    # every chart of both organizations drew its SVG at full width
    assert len(seen.charts) == 20, seen.charts
    assert all(chart["svg"] > 0 and chart["traces"] > 0 and chart["width"] > 1000 for chart in seen.charts)
    assert re.search(r"Generated at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", seen.text)
    assert all(band in seen.text for band in ("elite", "high", "medium", "low"))
    assert "The four keys" in seen.text
    # every chart keeps to the window, though the git repository's commits are two years older
    windows = set(re.findall(r"Window: (\d\d \w+ \d{4}) to (\d\d \w+ \d{4})", seen.text))
    assert len(windows) == 1
    first, last = (datetime.strptime(day, "%d %b %Y").date().isoformat() for day in windows.pop())
    dated = [chart for chart in seen.charts if chart["first_day"]]
    # all but the per-team bars, the sunburst and the sankey, for each organization
    assert len(dated) == 14
    assert all(first <= chart["first_day"] and chart["last_day"] <= last for chart in dated), dated
    assert seen.shown_after_selecting_the_second == ["1"]
    # the names show as the text they are
    assert TWIN in seen.text
    shot = screenshot(path, work, ROOT / ".devhealth" / "test-artifacts" / "report.png")
    assert shot.stat().st_size > 100_000
    print(f"report screenshot: {shot}")


def test_the_browser_probe_sees_dialogs_and_script_errors(tmp_path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html><head></head><body><p>x</p>"
                    "<script>alert('planted'); no_such_function();</script></body></html>")
    seen = open_page(page, tmp_path)
    assert seen.dialogs == ["alert: planted"]
    assert len(seen.errors) == 1 and "no_such_function" in seen.errors[0]


def test_run_with_nothing_to_extract_says_so(cli_env, tmp_path) -> None:
    result = devhealth("run", "--no-synthetic", env=cli_env, cwd=tmp_path)
    assert result.returncode == 1
    assert "nothing to extract" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_run_rejects_a_bad_since(cli_env) -> None:
    result = devhealth("run", "--since", "last tuesday", env=cli_env)
    assert result.returncode == 1 and "--since last tuesday" in result.stderr


def test_run_without_synthetic_data_loads_the_repository_into_the_organization_named(cli_env, make_git_repo) -> None:
    repo = make_git_repo("tool", [("2024-05-06T10:00:00+00:00", {"tool.py": "print(1)\n"})],
                         remote="git@github.com:acme/tool.git")
    result = devhealth("run", "--json", "--no-synthetic", "--repo", str(repo), "--org", "Acme", env=cli_env)
    assert result.returncode == 0, result.stderr[-3000:]
    (summary,) = json.loads(result.stdout)["summaries"]
    assert summary["org_name"] == "Acme"
    repos = devhealth("query", "select org_id, repo_name from marts.dim_repos", "--format", "json", env=cli_env)
    assert json.loads(repos.stdout) == [{"org_id": summary["org_id"], "repo_name": "acme/tool"}]
