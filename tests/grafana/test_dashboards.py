"""Every Grafana panel and variable query, expanded as the ClickHouse datasource would, runs on chDB against
marts built from two synthetic organizations (one named in the semantic layer's export, one known only by its
data); plus the static query conventions and the exposures."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dlt
import pytest
import yaml

from devhealth import dashboards as g
from devhealth import dbt
from devhealth.errors import WarehouseError
from devhealth.extract.synthetic import load_synthetic
from devhealth.extract.synthetic.generator import SyntheticSpec
from devhealth.pipelines import load

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_DIR = ROOT / "grafana" / "dashboards"
ORG = "grafana-acme"
OTHER_ORG = "grafana-globex"
# ORG's name in the semantic layer: sorts after OTHER_ORG's id, unlike ORG's id, and must stay data
ORG_NAME = "zeta x</script><script>alert(1)</script>"
# the synthetic organizations start on 2024-01-01 (src/devhealth/extract/synthetic/settings.py DEFAULT_START)
RANGE = g.TimeRange(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 12, tzinfo=UTC))
# Okabe-Ito by rank, best first, as the HTML report: readers with a colour-vision deficiency tell the bands apart
RANK_COLOURS = ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9")
BAND_COLOURS = {"elite": "#0072B2", "high": "#009E73", "medium": "#E69F00", "low": "#D55E00"}
# every band of every DORA report the seed holds (2021, 2023 and 2025's answer buckets), coloured by its rank
with (Path(__file__).resolve().parents[2] / "seeds/dora_band_thresholds.csv").open() as seed:
    SEED_BAND_COLOURS = {row["band"]: RANK_COLOURS[int(row["band_rank"]) - 1] for row in csv.DictReader(seed)}
EXPECTED_DASHBOARDS = {"DORA overview", "Delivery flow", "Team health", "Work items", "Investment", "Hotspots", "CI/CD"}
FORBIDDEN_LAYERS = re.compile(r"\b(raw|staging|intermediate)\.", re.IGNORECASE)
WITH_ASSIGNMENT = re.compile(r"\bwith\s+\w+\s*=", re.IGNORECASE)
DATE_LITERAL = re.compile(r"'\d{4}-\d{2}-\d{2}")
TIME_MACRO = re.compile(r"\$__(timeFilter|timeFilter_ms|dateFilter|timeInterval|fromTime|toTime)\b")
# the unassigned team is the marts' (team_key, team_label, team_keys, dim_team_keys): a query spelling it, or
# standing in for a missing team or name, re-derives it
DERIVED_TEAM = re.compile(r"unassigned|\b(coalesce|nullif|ifnull|if|multiif)\s*\(\s*\w*team", re.IGNORECASE)


def load_all() -> list[dict]:
    return list(g.load_dashboards(DASHBOARD_DIR))


DASHBOARDS = load_all()


def all_queries(dashboard: dict) -> Iterator[tuple[str, str]]:
    for panel in g.panels(dashboard):
        yield f"{dashboard['title']} / {panel.title}", panel.sql
    for name, sql, _ in g.variable_queries(dashboard):
        yield f"{dashboard['title']} / ${name}", sql


@pytest.fixture(scope="module")
def marts(warehouse):
    load_synthetic(SyntheticSpec(org_id=ORG, teams=2, people=8, repos=4, days=42, commits_per_day=20))
    # the same repo names and emails in a second, smaller org: the org variable must keep them apart
    load_synthetic(SyntheticSpec(org_id=OTHER_ORG, seed=8, teams=2, people=4, repos=4, days=14, commits_per_day=5))
    # ORG's row as `devhealth sync teams` exports it (tests/extract/test_semantic_export.py); OTHER_ORG has none,
    # as when a warehouse is loaded with CLICKHOUSE_URI only
    organization = {"org_id": ORG, "org_name": ORG_NAME, "created_at": datetime(2023, 12, 1, tzinfo=UTC)}
    load(dlt.resource([organization], name="organizations", write_disposition="append"),
         pipeline_name="grafana_org_names", dataset_name="semantic")
    # the synthetic teams own every work scope: work in a scope no team owns is what "(unassigned)" selects
    items, transitions = _unowned_work()
    load([dlt.resource(items, name="work_items", write_disposition="append"),
          dlt.resource(transitions, name="work_item_transitions", write_disposition="append")],
         pipeline_name="grafana_unowned_work", dataset_name="jira")
    # models and seeds only: the suite runs the unit tests once (tests/dbt_models/test_marts.py) and the data tests
    # in its builds, and a second unit test run in one process collides with the temporary tables the first left in
    # the chDB session
    result = dbt.invoke(["build", "--exclude-resource-type", "unit_test", "test"])
    assert result.success, dbt.failures(result)
    return warehouse


def _unowned_work() -> tuple[list[dict], list[dict]]:
    """Three Jira items of ORG in scope OPS, shaped as the synthetic source's: two done, one in progress."""
    items, transitions = [], []
    spans = [(datetime(2024, 1, 10, 9, tzinfo=UTC), datetime(2024, 1, 12, 15, tzinfo=UTC)),
             (datetime(2024, 1, 22, 10, tzinfo=UTC), datetime(2024, 2, 1, 11, tzinfo=UTC)),
             (datetime(2024, 2, 5, 9, tzinfo=UTC), None)]
    for number, (started_at, done_at) in enumerate(spans, 1):
        work_item_id = f"ops-{number}"
        transitions.append({"org_id": ORG, "provider": "jira", "work_item_id": work_item_id,
                            "transitioned_at": started_at, "from_status": "To Do", "to_status": "In Progress",
                            "from_category": "todo", "to_category": "in_progress", "author_email": "ops@acme.io"})
        if done_at:
            transitions.append({"org_id": ORG, "provider": "jira", "work_item_id": work_item_id,
                                "transitioned_at": done_at, "from_status": "In Progress", "to_status": "Done",
                                "from_category": "in_progress", "to_category": "done", "author_email": "ops@acme.io"})
        items.append({
            "org_id": ORG, "provider": "jira", "work_item_id": work_item_id, "work_item_key": f"OPS-{number}",
            "project": "OPS", "repo_id": None, "title": f"Ops chore {number}", "work_item_type": "bug",
            "status": "Done" if done_at else "In Progress", "status_category": "done" if done_at else "in_progress",
            "assignee_email": "ops@acme.io", "story_points": number, "labels": '["ops", "bug"]',
            "created_at": started_at, "updated_at": done_at or started_at, "resolved_at": done_at,
        })
    return items, transitions


def selections(dashboard: dict, options_for) -> Iterator[tuple[str, dict]]:
    """(label, selection) pairs: All, one value, two values and empty multi selections, "(unassigned)",
    each custom option, and an org that does not exist."""
    variables = dashboard["templating"]["list"]
    multi = [v["name"] for v in variables if v.get("multi")]
    customs = {v["name"]: g.custom_options(v) for v in variables if v["type"] == "custom"}
    for custom_choice in [dict(zip(customs, combo, strict=True)) for combo in _product(list(customs.values()))]:
        base = {"org": ORG, **custom_choice}
        yield f"all {custom_choice}", base | {key: [g.ALL] for key in multi}
        for count in (1, 2):
            selected = dict(base)
            # chained variables: choose in dashboard order, each from the options the earlier choices leave
            for name in multi:
                selected[name] = options_for(selected)[name][:count]
            yield f"{count} each {custom_choice}", selected
    first_custom = {name: values[0] for name, values in customs.items()}
    yield "empty", {"org": ORG, **first_custom} | {key: [] for key in multi}
    if "team" in multi and "unassigned" in options_for({"org": ORG})["team"]:
        yield "unassigned", {"org": ORG, **first_custom} | {key: [g.ALL] for key in multi} | {"team": ["unassigned"]}
    yield "no such org", {"org": "", **first_custom} | {key: [g.ALL] for key in multi}


def _product(lists: list[list[str]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for values in lists:
        combos = [(*combo, value) for combo in combos for value in values]
    return combos


def test_the_dashboards_exist_with_org_team_and_repo_variables() -> None:
    assert {d["title"] for d in DASHBOARDS} == EXPECTED_DASHBOARDS
    for dashboard in DASHBOARDS:
        variables = {v["name"]: v for v in dashboard["templating"]["list"]}
        org = variables["org"]
        assert org["type"] == "query" and not org.get("multi") and not org.get("includeAll"), dashboard["title"]
        # the plugin shows the second column and passes the first: names shown, ids in every query
        assert org["query"] == org["definition"] == (
            "select org_id, org_name from marts.dim_organizations order by org_name, org_id"), dashboard["title"]
        assert "team" in variables, dashboard["title"]
        for name in ("team", "repo"):
            if name in variables:
                # "All" is $__all, so a reference outside $__conditionalAll is a syntax error, never a silent filter
                assert variables[name]["includeAll"] and variables[name]["multi"], (dashboard["title"], name)
                assert variables[name]["allValue"] == g.ALL, (dashboard["title"], name)
    with_repo = {d["title"] for d in DASHBOARDS if any(v["name"] == "repo" for v in d["templating"]["list"])}
    assert with_repo == {"DORA overview", "Delivery flow", "Hotspots", "CI/CD"}


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d["uid"] for d in DASHBOARDS])
def test_queries_follow_the_conventions(dashboard: dict) -> None:
    problems = []
    for where, sql in all_queries(dashboard):
        if FORBIDDEN_LAYERS.search(sql):
            problems.append(f"{where}: reads below the marts")
        if WITH_ASSIGNMENT.search(sql):
            problems.append(f"{where}: WITH <name> = <expr>")
        if DATE_LITERAL.search(sql):
            problems.append(f"{where}: hard-coded date")
        if not all(table.startswith("marts.") for table in g.tables_read(sql)):
            problems.append(f"{where}: reads {sorted(g.tables_read(sql))}")
        if "org_id = ${org:singlequote}" not in sql and not where.endswith("$org"):
            problems.append(f"{where}: not filtered by $org")
    for panel in g.panels(dashboard):
        where = f"{dashboard['title']} / {panel.title}"
        # the plugin's time-series format pivots a long frame (time, label, value) into one series per label
        # itself, so time-series panels need no partition transformation; every other panel reads a table
        if panel.format != ("time_series" if panel.type == "timeseries" else "table"):
            problems.append(f"{where}: format {panel.format} for a {panel.type} panel")
        if not panel.columns:
            problems.append(f"{where}: records no columns")
        if not TIME_MACRO.search(panel.sql):
            problems.append(f"{where}: no time-range macro")
        if "time" in panel.columns and "order by time" not in panel.sql.lower().replace("\n", " "):
            problems.append(f"{where}: time column without order by time")
    assert problems == []


def test_no_file_under_grafana_derives_the_unassigned_team() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
             for path in sorted((ROOT / "grafana").rglob("*")) if path.is_file()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             for match in DERIVED_TEAM.finditer(line)]
    assert found == []


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d["uid"] for d in DASHBOARDS])
def test_every_panel_states_its_units_decimals_and_band_colours(dashboard: dict) -> None:
    problems = []
    for panel in dashboard["panels"]:
        where = f"{dashboard['title']} / {panel['title']}"
        defaults = panel["fieldConfig"]["defaults"]
        if not defaults.get("unit") or not isinstance(defaults.get("decimals"), int):
            problems.append(f"{where}: no unit or decimals")
        hours = [c for c in panel["devhealth"]["columns"] if c.endswith("_hours")]
        units = {o["matcher"]["options"]: p["value"] for o in panel["fieldConfig"]["overrides"]
                 for p in o["properties"] if p["id"] == "unit"}
        if any(units.get(column, defaults["unit"]) != "h" for column in hours):
            problems.append(f"{where}: an hours column without unit h")
        if any(column.endswith("_band") for column in panel["devhealth"]["columns"]):
            mappings = defaults.get("mappings") or next(
                (p["value"] for o in panel["fieldConfig"]["overrides"] for p in o["properties"]
                 if p["id"] == "mappings"), [])
            colours = {band: option.get("color") for mapping in mappings if mapping["type"] == "value"
                       for band, option in mapping["options"].items()}
            if {band: colours.get(band) for band in SEED_BAND_COLOURS} != SEED_BAND_COLOURS:
                problems.append(f"{where}: band colours {colours}")
    assert problems == []


def test_dora_overview_opens_with_the_five_keys_at_a_glance(marts) -> None:
    board = next(d for d in DASHBOARDS if d["title"] == "DORA overview")
    glance = [panel for panel in board["panels"] if panel["gridPos"]["y"] == 0]
    assert [panel["type"] for panel in glance] == ["stat"] * 5
    expected = marts.query(
        "select median_weekly_deployment_days, deployment_frequency_band, lead_time_median_hours, lead_time_band, "
        "change_failure_rate, change_failure_rate_band, time_to_restore_median_hours, time_to_restore_band, "
        "rework_rate "
        f"from marts.dora_metrics_trailing_4_weeks where org_id = '{ORG}' and scope_type = 'org' "
        "and window_end_week = (select max(window_end_week) from marts.dora_metrics_trailing_4_weeks "
        f"where org_id = '{ORG}' and scope_type = 'org' and window_end_week <= toDate('{RANGE.end.date()}'))").rows
    assert len(expected) == 1
    seen = []
    for panel in glance:
        _, rows = _run_panel(marts, "DORA overview", panel["title"])
        assert len(rows) == 1
        seen += list(rows[0])
    # the four keys with their bands, then rework rate, which has none
    assert seen == list(expected[0]) and set(seen[1:8:2]) <= set(BAND_COLOURS)


def test_the_static_checks_catch_what_they_are_for() -> None:
    assert FORBIDDEN_LAYERS.search("select 1 from staging.stg_git__commits")
    assert WITH_ASSIGNMENT.search("WITH cutoff = now() select 1")
    assert not WITH_ASSIGNMENT.search("with now() as cutoff select 1")
    assert g.tables_read("select 1 from marts.a inner join raw.b using x where y in (select 1 from c)") == {
        "marts.a", "raw.b", "c"}
    assert g.tables_read("select 1 -- join after this\nfrom marts.a /* from b */") == {"marts.a"}
    # what the team panels computed before the marts carried team_key and team_label
    for derived in ("with coalesce(nullIf(team_id, ''), 'unassigned') as team_key",
                    "coalesce(nullIf(team_name, ''), '(unassigned)') as team_label",
                    "union all select 'unassigned', '(unassigned)'", "if(team_id = '', 'x', team_id)"):
        assert DERIVED_TEAM.search(derived), derived
    assert not DERIVED_TEAM.search("sum(after_hours_commits) / nullIf(commits_total, 0), team_label, team_key")
    # the plugin's reading of a variable query's rows: one column is value and text; else value, then text
    assert g.option_choices([("a",), ("b",)]) == [("a", "a"), ("b", "b")]
    assert g.option_choices([("7", "Acme", "ignored")]) == [("7", "Acme")]


def test_expansion_matches_the_datasource() -> None:
    sql = ("select 1 from marts.t where org_id = ${org:singlequote} "
           "and $__conditionalAll(team_id in (${team:singlequote}), $team) and $__dateFilter(day) "
           "and repo_id in ($repo) and $__timeFilter(at)")
    options = {"team": ["a", "b'c"], "repo": ["r1", "r2"]}
    allowed = {"team": g.ALL, "repo": None}

    def expanded(selected: dict) -> str:
        return g.expand(sql, RANGE, g.Interpolator(selected, options, allowed))

    everything = expanded({"org": "acme", "team": [g.ALL], "repo": [g.ALL]})
    assert "org_id = 'acme' and 1=1 and day >= toDate('2024-01-01') AND day <= toDate('2024-02-12')" in everything
    assert "repo_id in ('r1','r2')" in everything
    assert f"at >= toDateTime({int(RANGE.start.timestamp())})" in everything
    assert "team_id in ('b\\'c')" in expanded({"org": "acme", "team": ["b'c"], "repo": ["r2"]})
    assert "1=1" in expanded({"org": "acme", "team": [], "repo": ["r2"]})
    # a quoted comma splits the macro's arguments in the plugin too: it is left unexpanded and fails as SQL
    broken = g.expand("select 1 where $__conditionalAll(x = 'a,b', $team)", RANGE,
                      g.Interpolator({"team": ["a"]}, options, allowed))
    assert "$__conditionalAll" in broken


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d["uid"] for d in DASHBOARDS])
def test_every_query_runs_on_the_marts(marts, dashboard: dict) -> None:
    def run(sql: str):
        return marts.query(sql).rows

    def options_for(selected: dict) -> dict[str, list[str]]:
        return g.variable_options(dashboard, selected, RANGE, run)

    allowed = g.all_values(dashboard)
    empty_key_panels = []
    for label, selected in selections(dashboard, options_for):
        options = options_for(selected)
        if selected["org"] == ORG:
            assert options["team"], (label, "no team options")
        for panel in g.panels(dashboard):
            sql = g.expand(panel.sql, RANGE, g.Interpolator(selected, options, allowed))
            assert "$" not in sql, (panel.title, label, sql)
            assert ORG_NAME not in sql, (panel.title, label, "the org's name reached the query text")
            try:
                result = marts.query(sql)
            except WarehouseError as error:
                pytest.fail(f"{dashboard['title']} / {panel.title} [{label}]: {error}\n{sql}")
            # an empty result carries no column names through the chDB client; DESCRIBE gives the query's columns
            columns = result.columns or [row[0] for row in marts.query(f"describe ({sql})").rows]
            missing = set(panel.columns) - set(columns)
            assert not missing, (panel.title, label, missing)
            if "time" in result.columns:
                times = [row[result.columns.index("time")] for row in result.rows]
                # the time-series format's long-to-wide pivot needs ascending time
                wanted = [sorted(times)] if panel.format == "time_series" else [sorted(times),
                                                                                sorted(times, reverse=True)]
                assert times in wanted, (panel.title, label)
            if label.startswith("all") and panel.key and not result.rows:
                empty_key_panels.append(f"{panel.title} [{label}]")
            if selected["org"] == "":
                assert result.rows == [], (panel.title, "rows for an org that does not exist")
    assert empty_key_panels == []


def test_the_org_variable_keeps_organizations_apart(marts) -> None:
    board = next(d for d in DASHBOARDS if d["title"] == "Hotspots")

    def run(sql: str):
        return marts.query(sql).rows

    orgs = g.variable_options(board, {}, RANGE, run)["org"]
    assert {ORG, OTHER_ORG} <= set(orgs)
    for org in (ORG, OTHER_ORG):
        options = g.variable_options(board, {"org": org, "team": [g.ALL]}, RANGE, run)
        teams = {row[0] for row in run(f"select team_id from marts.dim_teams where org_id = '{org}'")}
        repos = {row[0] for row in run(f"select repo_id from marts.dim_repos where org_id = '{org}'")}
        assert set(options["team"]) == teams and set(options["repo"]) == repos
    # the same repository names in both orgs: each org's panel counts only its own files
    panel = next(p for p in g.panels(board) if p.title == "Hotspot score by repository")
    files = {}
    for org in (ORG, OTHER_ORG):
        selected = {"org": org, "team": [g.ALL], "repo": [g.ALL]}
        sql = g.expand(panel.sql, RANGE, g.Interpolator(selected, g.variable_options(board, selected, RANGE, run),
                                                        g.all_values(board)))
        files[org] = sum(row[1] for row in run(sql))
        expected = marts.scalar(f"select count() from marts.file_hotspots where org_id = '{org}' "
                                f"and last_changed_at >= toDateTime({int(RANGE.start.timestamp())}) "
                                f"and last_changed_at <= toDateTime({int(RANGE.end.timestamp())})")
        assert files[org] == expected > 0


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d["uid"] for d in DASHBOARDS])
def test_the_org_variable_shows_names_by_name_and_passes_ids(marts, dashboard: dict) -> None:
    def run(sql: str):
        return marts.query(sql).rows

    choices = g.variable_choices(dashboard, {}, RANGE, run)["org"]
    # the build's warehouse may hold other test modules' organizations too
    ours = [choice for choice in choices if choice[0] in (ORG, OTHER_ORG)]
    # named by the semantic layer, markup and all, as data; the org without a semantic-layer row by its id
    assert ours == [(OTHER_ORG, OTHER_ORG), (ORG, ORG_NAME)]
    texts = [text for _, text in choices]
    assert texts == sorted(texts)
    registered = marts.query("select org_id, is_in_semantic_layer from marts.dim_organizations "
                             f"where org_id in ('{ORG}', '{OTHER_ORG}') order by org_id").rows
    assert registered == [(ORG, True), (OTHER_ORG, False)]
    # choosing the name selects the id: the team options are ORG's teams
    teams = g.variable_options(dashboard, {"org": ours[1][0]}, RANGE, run)["team"]
    expected = {row[0] for row in run(f"select team_id from marts.dim_teams where org_id = '{ORG}'")}
    assert expected and expected <= set(teams)


def _run_panel(marts, board_title: str, panel_title: str, org: str = ORG,
               teams: list[str] | None = None) -> tuple[list[str], list[tuple]]:
    board = next(d for d in DASHBOARDS if d["title"] == board_title)
    panel = next(p for p in g.panels(board) if p.title == panel_title)

    def run(sql: str):
        return marts.query(sql).rows

    multi = [v["name"] for v in board["templating"]["list"] if v.get("multi")]
    selected = {"org": org, **{name: [g.ALL] for name in multi}} | ({"team": teams} if teams else {})
    options = g.variable_options(board, selected, RANGE, run)
    result = marts.query(g.expand(panel.sql, RANGE, g.Interpolator(selected, options, g.all_values(board))))
    return result.columns, result.rows


def _days_filter(column: str) -> str:
    return f"{column} >= toDate('{RANGE.start.date()}') and {column} <= toDate('{RANGE.end.date()}')"


def test_stage_medians_from_the_daily_values_equal_those_over_each_pull_request(marts) -> None:
    columns, rows = _run_panel(marts, "Delivery flow", "PR cycle stages by repository")
    expected = marts.query(f"""
        select
            repo_name,
            count() as prs_merged_total,
            quantileExactInclusiveOrNull(0.5)(coding_hours),
            quantileExactInclusiveOrNull(0.5)(pickup_hours),
            quantileExactInclusiveOrNull(0.5)(review_hours),
            quantileExactInclusiveOrNull(0.5)(deploy_hours)
        from marts.pr_cycle_breakdown
        inner join marts.dim_repos using (org_id, repo_id)
        where org_id = '{ORG}' and {_days_filter("merged_day")}
        group by repo_name
        order by repo_name""").rows
    assert columns[:2] == ["repo_name", "prs_merged_total"]
    assert rows == expected and len(rows) == 4
    columns, rows = _run_panel(marts, "Delivery flow", "PR cycle breakdown (median hours per stage)")
    expected = marts.query(f"""
        select
            toDateTime(merged_day, 'UTC') as time,
            quantileExactInclusiveOrNull(0.5)(coding_hours),
            quantileExactInclusiveOrNull(0.5)(pickup_hours),
            quantileExactInclusiveOrNull(0.5)(review_hours),
            quantileExactInclusiveOrNull(0.5)(deploy_hours)
        from marts.pr_cycle_breakdown
        where org_id = '{ORG}' and {_days_filter("merged_day")}
        group by time
        order by time""").rows
    assert rows == expected and len(rows) > 30


def test_large_pull_request_panels_read_the_size_of_each_pull_request(marts) -> None:
    columns, rows = _run_panel(marts, "Delivery flow", "Large pull requests merged per day")
    large_per_day = sum(row[columns.index("large_prs_merged_total")] for row in rows)
    expected = marts.scalar(f"select countIf(lines_changed > 400) from marts.pr_cycle_breakdown "
                            f"where org_id = '{ORG}' and {_days_filter('merged_day')}")
    assert large_per_day == expected > 0
    columns, rows = _run_panel(marts, "Delivery flow", "Large merged pull requests and their cycle time")
    sizes = [row[columns.index("lines_changed")] for row in rows]
    assert rows and all(size > 400 for size in sizes)
    assert all(row[columns.index("cycle_hours")] > 0 for row in rows)


def test_wip_age_panel_ages_each_item_in_progress(marts) -> None:
    columns, rows = _run_panel(marts, "Work items", "WIP age of items in progress by team (hours)")
    by_team = {row[0]: dict(zip(columns, row, strict=True)) for row in rows}
    # the range ends at or after the organization's last day of data: the ages are the mart's wip_age_hours
    expected = marts.query(f"""
        select
            coalesce(nullIf(team_name, ''), '(unassigned)') as team_label,
            count(),
            quantileExactInclusive(0.5)(wip_age_hours),
            max(wip_age_hours)
        from marts.fct_work_items
        left join marts.dim_teams using (org_id, team_id)
        where org_id = '{ORG}' and is_in_progress
            and as_of_at <= toDateTime({RANGE.end_s})
        group by team_label""").rows
    assert expected
    assert {team: (row["wip_items"], pytest.approx(row["wip_age_p50_hours"]), pytest.approx(row["wip_age_max_hours"]))
            for team, row in by_team.items()} == {team: (count, median, oldest) for team, count, median, oldest
                                                  in expected}


def test_exposures_name_every_dashboard_and_the_marts_it_reads() -> None:
    exposures = {e["name"]: e for e in yaml.safe_load((ROOT / "models/marts/exposures.yml").read_text())["exposures"]
                 if e["type"] == "dashboard"}
    read = {}
    for path in sorted(DASHBOARD_DIR.glob("*.json")):
        board = next(d for d in DASHBOARDS if d["uid"] == _uid(path))
        read[path.stem.replace("-", "_")] = {
            table.removeprefix("marts.") for _, sql in all_queries(board) for table in g.tables_read(sql)}
    declared = {name: {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in e["depends_on"]}
                for name, e in exposures.items()}
    assert declared == read


def _uid(path: Path) -> str:
    import json

    return json.loads(path.read_text())["uid"]


def test_the_team_variable_offers_each_team_and_the_unassigned_work(marts) -> None:
    board = next(d for d in DASHBOARDS if d["title"] == "Work items")

    def run(sql: str):
        return marts.query(sql).rows

    choices = g.variable_choices(board, {"org": ORG}, RANGE, run)["team"]
    teams = marts.query(f"select team_id, team_name from marts.dim_teams where org_id = '{ORG}'").rows
    assert sorted(choices) == sorted([*teams, ("unassigned", "(unassigned)")]) and len(teams) == 2
    # the synthetic organization's work items include scopes no team owns
    unowned = marts.query(f"""
        select sum(items_completed), sum(story_points_completed) from marts.work_item_metrics_daily
        where org_id = '{ORG}' and team_id = '' and {_days_filter("day")}""").rows[0]
    assert unowned[0] > 0
    _, rows = _run_panel(marts, "Work items", "Completed items, story points and bug share by team",
                               teams=["unassigned"])
    assert [row[:3] for row in rows] == [("(unassigned)", *unowned)]


@pytest.mark.parametrize("choice", ["team", "unassigned", "both"])
def test_a_work_scope_panel_filters_by_the_teams_owning_each_scope(marts, choice: str) -> None:
    """The work-scope marts' team_keys select what the dashboards selected before from dim_teams.work_scopes:
    a team's own scopes, and for "unassigned" the scopes no team owns."""
    team_id = marts.scalar(f"select min(team_id) from marts.dim_teams where org_id = '{ORG}'")
    selected = {"team": [team_id], "unassigned": ["unassigned"], "both": [team_id, "unassigned"]}[choice]
    owned = f"(select arrayJoin(work_scopes) from marts.dim_teams where org_id = '{ORG}' and team_id = '{team_id}')"
    unowned = f"not in (select arrayJoin(work_scopes) from marts.dim_teams where org_id = '{ORG}')"
    scopes = {"team": f"work_scope_id in {owned}", "unassigned": f"work_scope_id {unowned}",
              "both": f"(work_scope_id in {owned} or work_scope_id {unowned})"}[choice]
    expected = marts.query(f"""
        select category, subcategory, sum(items_completed_weight)
        from marts.investment_breakdown_monthly
        where org_id = '{ORG}' and {scopes} and {_days_filter("month")}
        group by category, subcategory
        order by category, subcategory""").rows
    _, rows = _run_panel(marts, "Investment", "Category breakdown", teams=selected)
    assert expected and [row[:3] for row in rows] == [(c, s, pytest.approx(w)) for c, s, w in expected]
