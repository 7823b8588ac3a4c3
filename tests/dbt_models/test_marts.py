"""Builds every model over a small realistic organisation and checks the marts against figures
worked out here from the fixture itself, independently of the SQL."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from dbt_parse import start_from_this_parse
from raw_fixture import COMMITS_A, COMMITS_B, ORG_A, ORG_B, REPO_ID, first_load, load, new_load_id, second_load

from devhealth import dbt
from devhealth.extract.github.helpers import parse_workflow_run

LARGE_COMMIT_LINES = 300
# workflow runs api.github.com sent for ReDASers/PhishBench, recorded by PyGithub (tests/fixtures/github/README.md)
RECORDED_RUNS = Path(__file__).resolve().parents[1] / "fixtures" / "github" / "runs_phishbench.json"
CI_ORG = "org-ci-recorded"
CI_REPO = "repo-phishbench"
# first attempts and re-runs of three repositories, recorded by PyGithub (tests/fixtures/github/README.md)
QUEUE_RUNS = RECORDED_RUNS.with_name("runs_queue.json")
QUEUE_ORG = "org-ci-queue"


def hours(start: str, finish: str) -> float:
    return (datetime.fromisoformat(finish) - datetime.fromisoformat(start)).total_seconds() / 3600


def expected_git_days(commits: list) -> dict[date, dict[str, float]]:
    """git's counting contract: non-merge commits by UTC day, numstat totals, one file entry per commit file."""
    days: dict[date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    authors: dict[date, set[str]] = defaultdict(set)
    for _sha, email, authored, is_merge, files in commits:
        if is_merge:
            continue
        day = datetime.fromisoformat(authored).date()
        added = sum(a or 0 for _, a, _ in files)
        deleted = sum(d or 0 for _, _, d in files)
        figures = days[day]
        figures["commits_count"] += 1
        figures["loc_added"] += added
        figures["loc_deleted"] += deleted
        figures["files_changed"] += len(files)
        figures["large_commits"] += added + deleted > LARGE_COMMIT_LINES
        authors[day].add(email)
    for day, figures in days.items():
        figures["authors_count"] = len(authors[day])
    return days


def recorded_runs(path: Path = RECORDED_RUNS, org_id: str = CI_ORG) -> list[dict]:
    """The recorded runs as the GitHub source parses them, with times as naive UTC for the raw insert. The
    PhishBench runs are all of CI_REPO; other recordings name their repository, whose full name is the repo id."""
    runs = []
    for run in json.loads(path.read_text())["workflow_runs"]:
        repo_id = run["repository"]["full_name"] if "repository" in run else CI_REPO
        row = parse_workflow_run(run, repo_id, org_id)
        runs.append({**row, "run_id": int(row["run_id"]), **{
            key: row[key].replace(tzinfo=None) for key in ("started_at", "finished_at", "updated_at", "created_at")}})
    return runs


@pytest.fixture(scope="module")
def built(warehouse):
    load(warehouse, first_load(), new_load_id())
    load(warehouse, second_load(), new_load_id())
    ci_runs = recorded_runs() + recorded_runs(QUEUE_RUNS, QUEUE_ORG)
    load(warehouse, {"github___ci_runs": ci_runs, "github___repositories": [
        # the recording holds no repository record; its pushes to master are the default branch's
        {"org_id": CI_ORG, "repo_id": CI_REPO, "provider": "github", "repo_name": "ReDASers/PhishBench",
         "default_branch": "master", "created_at": "2019-01-01 00:00:00", "updated_at": "2022-11-22 00:00:00"},
    ] + [
        # nor do the queue recordings: each repository by the full name its runs carry
        {"org_id": QUEUE_ORG, "repo_id": name, "provider": "github", "repo_name": name, "default_branch": branch,
         "created_at": "2019-01-01 00:00:00", "updated_at": "2026-05-29 00:00:00"}
        for name, branch in (("ReDASers/PhishBench", "master"), ("PyGithub/PyGithub", "main"),
                             ("EnricoMi/PyGithub", "main"))
    ]}, new_load_id())
    dbt.build("all")
    return warehouse


def rows(warehouse, sql: str) -> list[tuple]:
    return [tuple(row) for row in warehouse.query(sql).rows]


def test_repo_metrics_daily_follows_the_git_counting_contract(built) -> None:
    for org, commits in ((ORG_A, COMMITS_A), (ORG_B, COMMITS_B)):
        actual = rows(built, f"""
            select day, commits_count, authors_count, loc_added, loc_deleted, files_changed, large_commits
            from marts.repo_metrics_daily
            where org_id = '{org}' and repo_id = '{REPO_ID}' and commits_count > 0 order by day""")
        expected = expected_git_days(commits)
        # ann.old@acme.io is Ann's old address: identity resolution makes her one author
        assert [row[0] for row in actual] == sorted(expected)
        for day, commits_count, authors_count, added, deleted, files, large in actual:
            figures = expected[day]
            assert (commits_count, added, deleted, files, large) == (
                figures["commits_count"], figures["loc_added"], figures["loc_deleted"],
                figures["files_changed"], figures["large_commits"],
            ), day
            assert authors_count == figures["authors_count"], day


def test_repo_metrics_daily_pull_request_figures(built) -> None:
    actual = rows(built, f"""
        select day, prs_opened, prs_merged, pr_cycle_p50_hours, pr_first_review_p50_hours
        from marts.repo_metrics_daily where org_id = '{ORG_A}' and repo_id = '{REPO_ID}'
        and (prs_opened > 0 or prs_merged > 0) order by day""")
    first_reviews = [
        hours("2024-03-04 23:45:00", "2024-03-05 02:00:00"),
        hours("2024-03-05 11:00:00", "2024-03-05 15:00:00"),
    ]
    assert actual == [
        (date(2024, 3, 4), 1, 0, None, None),
        (date(2024, 3, 5), 1, 1, hours("2024-03-04 23:45:00", "2024-03-05 08:00:00"), statistics.median(first_reviews)),
        (date(2024, 3, 6), 1, 1, hours("2024-03-05 11:00:00", "2024-03-06 10:00:00"), None),
    ]


def test_user_metrics_daily_reports_the_primary_email(built) -> None:
    actual = rows(built, f"""
        select author_email, person_id, commits_count from marts.user_metrics_daily
        where org_id = '{ORG_A}' and day = '2024-03-09'""")
    assert actual == [("ann@acme.io", "p-ann", 1)]
    reviews = rows(built, f"""
        select author_email, sum(reviews_given) from marts.user_metrics_daily
        where org_id = '{ORG_A}' group by author_email having sum(reviews_given) > 0 order by author_email""")
    assert reviews == [("ann@acme.io", 2), ("bob@acme.io", 1)]


def test_ci_pipeline_metrics_from_recorded_workflow_runs(built) -> None:
    runs = recorded_runs()
    cells: dict[tuple[str, date], list[dict]] = defaultdict(list)
    for run in runs:
        cells[(run["pipeline_name"], run["started_at"].date())].append(run)
    expected = []
    for (name, day), group in sorted(cells.items()):
        decided = [run["conclusion"] for run in group if run["conclusion"] in ("success", "failure")]
        minutes = [(run["finished_at"] - run["started_at"]).total_seconds() / 60 for run in group]
        expected.append((name, day, len(group), decided.count("success"), decided.count("failure"),
                         pytest.approx(statistics.median(minutes))))
    found = rows(built, f"""
        select pipeline_name, day, runs_count, successful_runs, failed_runs, duration_p50_minutes
        from marts.ci_pipeline_metrics_daily where org_id = '{CI_ORG}' order by pipeline_name, day""")
    assert found == expected and len(found) == 11
    # commit 5e64635 built on master and again on docs: a second branch, not a rerun; the failed Lint run's
    # commit never passed; every master run passed, so the default branch was never red
    # every recorded run is a first attempt that started the second it was created: no wait
    totals = rows(built, f"""
        select sum(runs_count), sum(reruns_count), sum(flaky_runs), sum(red_periods_started), sum(red_time_hours),
            groupUniqArray(queue_p50_minutes)
        from marts.ci_pipeline_metrics_daily where org_id = '{CI_ORG}'""")
    assert totals == [(30, 0, 0, 0, 0.0, [0.0])]
    lint = rows(built, f"""select success_rate from marts.ci_pipeline_metrics_daily
        where org_id = '{CI_ORG}' and pipeline_name = 'Lint'""")
    assert lint == [(0.5,)]


def test_ci_queue_time_from_recorded_first_attempts_only(built) -> None:
    # a re-run keeps its first attempt's created_at (CodeQL Advanced: created 5 days before its second attempt
    # started), so only first attempts have a queue time
    expected = []
    for run in sorted(recorded_runs(QUEUE_RUNS, QUEUE_ORG), key=lambda run: (run["repo_id"], run["pipeline_name"])):
        waited = (run["started_at"] - run["created_at"]).total_seconds() / 60 if run["run_attempt"] == 1 else None
        expected.append((run["repo_id"], run["pipeline_name"], run["started_at"].date(), waited))
    found = rows(built, f"""
        select repo_id, pipeline_name, day, queue_p50_minutes from marts.ci_pipeline_metrics_daily
        where org_id = '{QUEUE_ORG}' order by repo_id, pipeline_name""")
    assert found == expected
    assert [row[3] for row in found] == [None, None, pytest.approx(799 / 60), pytest.approx(0.5)]


def test_deployment_metrics_daily_covers_every_environment(built) -> None:
    # raw_fixture.DEPLOYMENTS_A: each starts and finishes at one time, so every duration is 0 minutes; GitHub's
    # deployments name ann-gh as their creator, the events ones name no one
    found = rows(built, f"""
        select environment, day, deployments_count, successful_deployments, failed_deployments,
            other_deployments, failure_rate, duration_p50_minutes, deployers_count
        from marts.deployment_metrics_daily where org_id = '{ORG_A}' order by day, environment""")
    assert found == [
        ("Production", date(2024, 3, 5), 1, 1, 0, 0, 0.0, 0.0, 1),
        ("prod", date(2024, 3, 6), 1, 1, 0, 0, 0.0, 0.0, 1),
        ("production", date(2024, 3, 7), 1, 0, 1, 0, 1.0, 0.0, 1),
        ("staging", date(2024, 3, 7), 1, 1, 0, 0, 0.0, 0.0, 1),
        ("production", date(2024, 3, 11), 2, 2, 0, 0, 0.0, 0.0, 0),
    ]


def test_dora_metrics_weekly_for_the_org(built) -> None:
    actual = rows(built, f"""
        select period_start, deployments_count, deployment_days, lead_time_median_hours, change_failure_rate,
               time_to_restore_median_hours, deployment_frequency_band, lead_time_band, change_failure_rate_band,
               time_to_restore_band
        from marts.dora_metrics_weekly where org_id = '{ORG_A}' and scope_type = 'org' order by period_start""")
    week_one_lead_times = [
        hours("2024-03-05 00:10:00", "2024-03-05 09:30:00"),  # c2, listed by deployment 1
        hours("2024-03-05 10:00:00", "2024-03-06 21:00:00"),  # c3, between the heads of deployments 1 and 2
        hours("2024-03-06 20:00:00", "2024-03-06 21:00:00"),  # c4, head of deployment 2
    ]
    week_two_lead_times = [
        hours("2024-03-09 11:00:00", "2024-03-11 10:00:00"),  # c5 on ev-5
        hours("2024-03-10 09:00:00", "2024-03-11 15:00:00"),  # x9, known only from a change event, on ev-6
    ]
    assert actual == [
        # deployment 1 failed twice over (a named incident and one naming nothing); deployment 2 did not
        (date(2024, 3, 4), 2, 2, pytest.approx(statistics.median(week_one_lead_times)), 0.5,
         statistics.median([2.0, 3.0]), "medium", "elite", "low", "high"),
        # OPS-1 names change c5, whose first production deployment was ev-5
        (date(2024, 3, 11), 2, 1, pytest.approx(statistics.median(week_two_lead_times)), 0.5,
         4.0, "medium", "high", "low", "high"),
    ]


def test_dora_scopes_cover_repo_and_team(built) -> None:
    actual = rows(built, f"""
        select scope_type, scope_name, sum(deployments_count) from marts.dora_metrics_monthly
        where org_id = '{ORG_A}' group by scope_type, scope_name order by scope_type""")
    assert actual == [("org", ORG_A, 4), ("repo", "acme/api", 4), ("team", "Platform", 4)]


def test_work_item_metrics_daily(built) -> None:
    actual = rows(built, f"""
        select day, items_started, items_completed, wip_count_end_of_day, cycle_time_p50_hours,
               lead_time_p50_hours, bug_completed_ratio, story_points_completed
        from marts.work_item_metrics_daily where org_id = '{ORG_A}' and team_id = 't-platform' order by day""")
    assert actual == [
        (date(2024, 3, 4), 1, 0, 1, None, None, None, 0.0),
        (date(2024, 3, 5), 2, 0, 3, None, None, None, 0.0),
        (date(2024, 3, 6), 0, 1, 2, 48.0, hours("2024-03-01 09:00:00", "2024-03-06 09:00:00"), 1.0, 3.0),
        (date(2024, 3, 7), 0, 1, 1, 48.0, hours("2024-03-03 09:00:00", "2024-03-07 12:00:00"), 0.0, 2.0),
    ]


def test_work_item_metrics_monthly_is_the_months_items_not_a_rollup_of_days(built) -> None:
    actual = rows(built, f"""
        select month, items_started, items_completed, wip_count_end_of_month, cycle_time_p50_hours,
               lead_time_p50_hours, bug_completed_ratio, story_points_completed
        from marts.work_item_metrics_monthly where org_id = '{ORG_A}' and team_id = 't-platform' order by month""")
    leads = [hours("2024-03-01 09:00:00", "2024-03-06 09:00:00"), hours("2024-03-03 09:00:00", "2024-03-07 12:00:00")]
    # the daily rows above: 3 started, 2 completed (one a bug, 3 + 2 points); in progress at the end of the
    # org's last day with data, 7 March, 1 item; the lead-time median is the month's two items', not a day's
    assert actual == [(date(2024, 3, 1), 3, 2, 1, 48.0, statistics.median(leads), 0.5, 5.0)]


def test_user_metrics_monthly_counts_are_the_sums_of_its_days(built) -> None:
    counts = ("commits_count", "loc_added", "loc_deleted", "loc_touched", "files_changed", "large_commits",
              "prs_authored", "prs_merged", "reviews_given")
    grain = "org_id, repo_id, author_email, person_id"
    # this module's orgs only: the session warehouse holds other files' orgs too
    orgs = f"org_id in ('{ORG_A}', '{ORG_B}')"
    monthly = rows(built, f"select {grain}, month, {', '.join(counts)} from marts.user_metrics_monthly "
                          f"where {orgs} order by all")
    summed = rows(built, f"""
        select {grain}, toStartOfMonth(day) as month, {', '.join(f'sum({c})' for c in counts)}
        from marts.user_metrics_daily where {orgs} group by all order by all""")
    assert monthly and {row[0] for row in monthly} == {ORG_A, ORG_B}
    assert monthly == summed


def test_team_metrics_daily_after_hours_and_weekend(built) -> None:
    actual = rows(built, f"""
        select day, commits_count, after_hours_commit_ratio, weekend_commit_ratio from marts.team_metrics_daily
        where org_id = '{ORG_A}' order by day""")
    # Ann's commits: 23:30 on a Monday, 10:00 on a Tuesday, 11:00 on a Saturday (business hours 9-18 UTC)
    assert actual == [
        (date(2024, 3, 4), 1, 1.0, 0.0),
        (date(2024, 3, 5), 1, 0.0, 0.0),
        (date(2024, 3, 9), 1, 1.0, 1.0),
    ]


def test_sources_not_loaded_build_empty_from_the_contract(built) -> None:
    # no GitLab load happened: on-run-start created its tables, empty, with the contract's columns
    assert built.scalar("select count() from raw.gitlab___pull_requests") == 0
    assert built.scalar("select count() from staging.stg_gitlab__pull_requests") == 0
    # the events incidents load never sent a cause: the contract's columns were added, NULL
    columns = {row[0] for row in rows(built, "select name from system.columns "
                                             "where database = 'raw' and table = 'events___incidents'")}
    assert {"caused_by_deployment_id", "caused_by_sha"} <= columns


def test_staging_keeps_the_latest_load(built) -> None:
    # i2 was re-sent resolved: one row, with the later load's resolution
    assert rows(built, f"""
        select count(), any(resolved_at) from staging.stg_events__incidents
        where org_id = '{ORG_A}' and incident_id = 'i2'""") == [(1, datetime(2024, 3, 5, 14, 0))]


def test_file_hotspots_from_non_merge_commits(built) -> None:
    churn: dict[str, int] = defaultdict(int)
    authors: dict[str, set[str]] = defaultdict(set)
    for _sha, email, _authored, is_merge, files in COMMITS_A:
        if is_merge:
            continue
        for path, added, deleted in files:
            churn[path] += (added or 0) + (deleted or 0)
            # Ann's old address is Ann
            authors[path].add("ann@acme.io" if email == "ann.old@acme.io" else email)
    actual = rows(built, f"""
        select path, churn_lines, authors_count, hotspot_score from marts.file_hotspots
        where org_id = '{ORG_A}' order by path""")
    assert actual == [
        (path, churn[path], len(authors[path]), churn[path] * len(authors[path])) for path in sorted(churn)
    ]


def test_pr_cycle_breakdown_stages(built) -> None:
    actual = rows(built, f"""
        select pr_number, coding_hours, pickup_hours, review_hours, deploy_hours from marts.pr_cycle_breakdown
        where org_id = '{ORG_A}' order by pr_number""")
    assert actual == [
        # PR 1's merge commit is a merge (not linked through history): its head c2 shipped in deployment 1
        (1, hours("2024-03-04 23:30:00", "2024-03-04 23:45:00"), hours("2024-03-04 23:45:00", "2024-03-05 02:00:00"),
         hours("2024-03-05 02:00:00", "2024-03-05 08:00:00"), hours("2024-03-05 08:00:00", "2024-03-05 09:30:00")),
        # PR 2 has no commits loaded; its merge commit c4 is deployment 2's head
        (2, None, hours("2024-03-05 11:00:00", "2024-03-05 15:00:00"),
         hours("2024-03-05 15:00:00", "2024-03-06 10:00:00"), hours("2024-03-06 10:00:00", "2024-03-06 21:00:00")),
    ]


def test_investment_and_state_flow(built) -> None:
    investment = rows(built, f"""
        select category, subcategory, items_completed_weight, story_points_completed_weight
        from marts.investment_breakdown_monthly where org_id = '{ORG_A}' order by category""")
    # the completed bug (3 points) and story (2 points); the tech-debt story is still in progress
    assert investment == [("keep_the_lights_on", "defect", 1.0, 3.0), ("new_value", "feature", 1.0, 2.0)]
    flow = rows(built, f"""
        select from_status, to_status, transitions_count from marts.work_item_state_flow
        where org_id = '{ORG_A}' order by from_status""")
    assert flow == [("In Progress", "Done", 2), ("To Do", "In Progress", 3)]


def test_dims_keep_orgs_apart(built) -> None:
    repos = rows(built, f"select org_id, repo_name, provider from marts.dim_repos where repo_id = '{REPO_ID}' "
                        "order by org_id")
    assert repos == [(ORG_A, "acme/api", "github"), (ORG_B, "acme/api", "git")]
    people = rows(built, f"select org_id, person_id, primary_email from marts.dim_people "
                         f"where org_id in ('{ORG_A}', '{ORG_B}') and primary_email = 'ann@acme.io' order by org_id")
    assert people == [(ORG_A, "p-ann", "ann@acme.io"), (ORG_B, "ann@acme.io", "ann@acme.io")]


def test_dbt_docs_generate_catalogs_every_model(built, tmp_path) -> None:
    result = dbt.invoke(["docs", "generate", "--quiet", "--write-json", "--target-path",
                         str(start_from_this_parse(tmp_path))])
    assert result.success, result.exception
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    models = {key for key, node in manifest["nodes"].items() if node["resource_type"] == "model"}
    assert catalog["errors"] is None
    assert models <= set(catalog["nodes"])
    # the catalog reads each relation's columns from the engine, as the docs site shows them
    assert all(catalog["nodes"][key]["columns"] for key in models)


def test_developer_activity_monthly_is_each_person_month_across_repositories(built) -> None:
    # the same commits, pull requests and reviews as user_metrics_monthly, summed over the person's repositories
    per_repo = rows(built, f"""
        select person_id, month, sum(commits_count), sum(loc_added), sum(loc_deleted), sum(files_changed),
               sum(prs_authored), sum(prs_merged), sum(reviews_given), count()
        from marts.user_metrics_monthly where org_id = '{ORG_A}' group by person_id, month order by person_id, month""")
    per_person = rows(built, f"""
        select person_id, month, commits_count, loc_added, loc_deleted, files_changed, prs_authored, prs_merged,
               reviews_given, repos_count
        from marts.developer_activity_monthly where org_id = '{ORG_A}' order by person_id, month""")
    assert per_person == per_repo and per_person
    # active days: within the month, and every UTC day with a non-merge commit is some person's active day
    commit_days = {datetime.fromisoformat(authored).date() for _sha, _email, authored, is_merge, _files in COMMITS_A
                   if not is_merge}
    active = rows(built, f"select active_days from marts.developer_activity_monthly where org_id = '{ORG_A}'")
    assert all(1 <= days <= 31 for (days,) in active) and sum(days for (days,) in active) >= len(commit_days)


def test_every_model_documents_exactly_the_columns_it_builds(built) -> None:
    # the YAML is the reference people read, and the append-only marts' add_new_columns trusts the built
    # columns to follow the SQL: a column the SQL gains without its YAML, or YAML left after a rename, fails here
    models = Path(__file__).resolve().parents[2] / "models"
    mismatched = {}
    for path in models.rglob("*.yml"):
        layer = path.relative_to(models).parts[0]
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            documented = {column["name"] for column in model.get("columns", [])}
            found = {row[0] for row in rows(built, f"select name from system.columns where database = '{layer}' "
                                                   f"and table = '{model['name']}'")}
            assert found, f"{model['name']} is not built in {layer}"
            if documented != found:
                mismatched[model["name"]] = {"undocumented": found - documented, "not built": documented - found}
    assert mismatched == {}


def test_every_unit_test_passes(built) -> None:
    # devhealth's builds leave dbt's unit tests out (dbt.WITHOUT_UNIT_TESTS, as dbt advises for production): the
    # suite runs every one of them here, once, as an analytics engineer's CI would
    models = Path(__file__).resolve().parents[2] / "models"
    defined = {(test["model"], test["name"]) for path in models.rglob("*.yml")
               for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", [])}
    result = dbt.invoke(["test", "--select", "test_type:unit", "--quiet"])
    assert result.success, dbt.failures(result) or result.exception
    # unit_test.devhealth.<model>.<name>
    ran = {tuple(item.node.unique_id.split(".")[2:]) for item in result.result.results
           if item.node.resource_type == "unit_test" and str(item.status) == "pass"}
    assert len(defined) >= 79 and ran == defined
