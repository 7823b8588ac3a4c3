"""The GitLab source against recorded REST payloads: both pagination headers, RateLimit-*, resets, rows; and
what the marts make of a project synced whole."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from dlt_loads import delete_org_rows
from provider_helpers import TOKEN, files_containing, gitlab_commit_pages
from rest_replay import ReplayServer, Reply, fixture

from devhealth import dbt
from devhealth.errors import ProviderError
from devhealth.extract.gitlab import gitlab_source
from devhealth.extract.rows import repo_id_of
from devhealth.pipelines import load
from devhealth.settings import devhealth_home

PROJECT = "/api/v4/projects/acme%2Fbilling"
REPO_ID = repo_id_of("git@gitlab.com:acme/billing.git")


def gitlab_routes(server: ReplayServer) -> None:
    server.add(PROJECT, fixture("gitlab/project.json"))
    # merge requests page with Link headers, as gitlab.com sends them
    server.add(f"{PROJECT}/merge_requests", fixture("gitlab/mrs_page1.json"),
               headers={"Link": f'<{{base}}{PROJECT}/merge_requests?page=2&per_page=100&state=all>; rel="next"',
                        "X-Next-Page": "2", "X-Page": "1", "X-Total-Pages": "2"})
    server.add(f"{PROJECT}/merge_requests", fixture("gitlab/mrs_page2.json"), query={"page": "2"},
               headers={"X-Next-Page": "", "X-Page": "2"})
    for iid in (5, 6, 7):
        server.add(f"{PROJECT}/merge_requests/{iid}/notes",
                   fixture(f"gitlab/notes_{iid}.json") if iid != 7 else fixture("gitlab/empty.json"))
        server.add(f"{PROJECT}/merge_requests/{iid}/approvals", fixture(f"gitlab/approvals_{iid}.json"))
        server.add(f"{PROJECT}/merge_requests/{iid}/commits",
                   fixture(f"gitlab/commits_{iid}.json") if iid != 7 else fixture("gitlab/empty.json"))
    # pipelines page only with X-Next-Page, as behind a proxy that strips Link
    server.add(f"{PROJECT}/pipelines", fixture("gitlab/pipelines_page1.json"), headers={"X-Next-Page": "2"})
    server.add(f"{PROJECT}/pipelines", fixture("gitlab/pipelines_page2.json"), query={"page": "2"},
               headers={"X-Next-Page": ""})
    server.add(f"{PROJECT}/deployments", fixture("gitlab/deployments.json"))
    server.add(f"{PROJECT}/issues", fixture("gitlab/issues_page1.json"), headers={"X-Next-Page": "2"})
    server.add(f"{PROJECT}/issues", fixture("gitlab/issues_page2.json"), query={"page": "2"})
    server.add(f"{PROJECT}/issues", fixture("gitlab/incidents.json"), query={"issue_type": "incident"})


def source(server: ReplayServer, **kwargs):
    return gitlab_source("acme/billing", access_token=TOKEN, base_url=f"{server.base}/api/v4", **kwargs)


def route(server: ReplayServer, path: str):
    return next(r for r in server.routes if r.path == path and not r.query)


def test_full_sync_through_rate_limits_and_connection_resets(replay, fast_retries, dataset_name, raw_rows) -> None:
    gitlab_routes(replay)
    reset = str(int(datetime.now(UTC).timestamp()) + 1)
    replay.fail_first(route(replay, f"{PROJECT}/merge_requests"),
                      Reply(429, {"message": "429 Too Many Requests"},
                            {"RateLimit-Remaining": "0", "RateLimit-Reset": reset, "Retry-After": "1"}))
    replay.fail_first(route(replay, f"{PROJECT}/merge_requests/5/notes"),
                      Reply(200, raw=b'[{"id": 501, "body": "Ple', headers={"X-Truncate": "1"}))
    replay.fail_first(route(replay, f"{PROJECT}/pipelines"), Reply(503, {"message": "503"}), Reply(500, {}))

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    prs = raw_rows(dataset_name, "pull_requests", "pr_number, provider, state, author_login, merged_at, closed_at, "
                   "merge_commit_sha, head_sha, requested_reviewers, repo_id, repo_name", "pr_number")
    assert [(p["pr_number"], p["state"]) for p in prs] == [(5, "merged"), (6, "open"), (7, "closed")]
    assert prs[0]["merge_commit_sha"] == "6" * 40 and prs[0]["closed_at"] == datetime(2024, 5, 21, 9, 30, tzinfo=UTC)
    assert json.loads(prs[1]["requested_reviewers"]) == ["bob.rev", "cat.ops"]
    assert {(p["repo_id"], p["repo_name"], p["provider"]) for p in prs} == {(REPO_ID, "acme/billing", "gitlab")}

    reviews = raw_rows(dataset_name, "pr_reviews", "pr_number, review_id, reviewer_login, state, submitted_at",
                       "pr_number, review_id")
    assert [(r["pr_number"], r["review_id"], r["reviewer_login"], r["state"]) for r in reviews] == [
        (5, "note:501", "bob.rev", "commented"), (5, "note:503", "bob.rev", "approved"),
        (6, "approval:33", "cat.ops", "approved"), (6, "note:601", "cat.ops", "changes_requested")]
    assert reviews[1]["submitted_at"] == datetime(2024, 5, 21, 9, tzinfo=UTC)

    commits = raw_rows(dataset_name, "pr_commits", "pr_number, sha, author_email, authored_at", "authored_at")
    assert [(c["sha"][0], c["authored_at"]) for c in commits if c["pr_number"] == 5] == [
        ("4", datetime(2024, 5, 19, 18, tzinfo=UTC)), ("5", datetime(2024, 5, 20, 7, 45, tzinfo=UTC))]
    assert {c["author_email"] for c in commits} == {"ann.dev@acme.io"}

    runs = raw_rows(dataset_name, "ci_runs", "run_id, pipeline_name, status, conclusion, finished_at", "run_id")
    assert [(r["run_id"], r["pipeline_name"], r["conclusion"]) for r in runs] == [
        ("100501", "push", "failure"), ("100502", "push", "success"), ("100503", "Deploy pipeline", None)]
    assert runs[2]["finished_at"] is None and runs[2]["status"] == "running"

    deployments = raw_rows(dataset_name, "deployments", "deployment_id, environment, status, sha, finished_at, "
                           "deployer_login", "deployment_id")
    assert [(d["deployment_id"], d["environment"], d["status"], d["finished_at"]) for d in deployments] == [
        ("300001", "production", "success", datetime(2024, 5, 21, 9, 41, tzinfo=UTC)),
        ("300002", "production", "pending", None)]
    assert {d["deployer_login"] for d in deployments} == {"cat.ops"}

    items = raw_rows(dataset_name, "work_items", "work_item_key, work_item_type, status, status_category, "
                     "story_points, resolved_at", "work_item_key")
    assert [(i["work_item_key"], i["work_item_type"], i["status_category"], i["story_points"]) for i in items] == [
        ("acme/billing#1", "issue", "in_progress", 3.0), ("acme/billing#2", "issue", "done", 1.0),
        ("acme/billing#3", "incident", "done", None)]
    assert raw_rows(dataset_name, "incidents", "incident_id, severity, opened_at, resolved_at", "incident_id") == [
        {"incident_id": "880003", "severity": "critical", "opened_at": datetime(2024, 5, 21, 10, tzinfo=UTC),
         "resolved_at": datetime(2024, 5, 21, 13, 30, tzinfo=UTC)}]
    assert raw_rows(dataset_name, "repositories", "repo_id, repo_name, default_branch", "repo_id") == [
        {"repo_id": REPO_ID, "repo_name": "acme/billing", "default_branch": "main"}]

    assert len(replay.requests_to(f"{PROJECT}/merge_requests/5/notes")) == 2
    assert len(replay.requests_to(f"{PROJECT}/pipelines")) == 4
    assert files_containing(devhealth_home() / "pipelines" / dataset_name, TOKEN) == []


def test_incremental_rerun_sends_updated_after_the_cursor(replay, fast_retries, dataset_name, raw_rows) -> None:
    gitlab_routes(replay)
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.forget_seen()

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    first = {s.path: s.query for s in replay.seen if "page" not in s.query}
    assert first[f"{PROJECT}/merge_requests"]["updated_after"] == "2024-05-23T08:00:00Z"
    assert first[f"{PROJECT}/pipelines"]["updated_after"] == "2024-05-21T09:33:00Z"
    assert raw_rows(dataset_name, "pull_requests", "count() as n", "n") == [{"n": 3}]


def test_server_errors_that_persist_name_the_resource(replay, fast_retries, dataset_name) -> None:
    gitlab_routes(replay)
    replay.add(f"{PROJECT}/deployments", {"message": "502 Bad Gateway"}, status=502)

    with pytest.raises(ProviderError) as raised:
        load(source(replay).with_resources("deployments"), pipeline_name=dataset_name,
             dataset_name=dataset_name)
    assert str(raised.value) == ("gitlab deployments (/projects/acme%2Fbilling/deployments): HTTP 502 Bad Gateway: "
                                 "server error persisted after retries")
    assert len(replay.requests_to(f"{PROJECT}/deployments")) == fast_retries


def test_unauthorized_is_one_line_without_the_token(replay, fast_retries, dataset_name) -> None:
    gitlab_routes(replay)
    replay.add(PROJECT, {"message": "401 Unauthorized"}, status=401)

    with pytest.raises(ProviderError) as raised:
        load(source(replay).with_resources("repositories"), pipeline_name=dataset_name,
             dataset_name=dataset_name)
    assert "gitlab repositories" in str(raised.value) and "HTTP 401" in str(raised.value)
    assert TOKEN not in str(raised.value)


MARTS_ORG = "91000000-0000-4000-8000-0000000000a1"
# what a GitLab project feeds, and everything upstream: built with their data tests on the project's rows
GITLAB_MARTS = ("repo_metrics_daily", "pr_cycle_breakdown", "pr_cycle_breakdown_daily", "ci_pipeline_metrics_daily",
                "deployment_metrics_daily", "dora_metrics_weekly", "work_item_metrics_daily", "fct_deployments",
                "fct_work_items", "dim_repos", "dim_teams")


def test_a_gitlab_project_reaches_every_mart_it_feeds(replay, fast_retries, warehouse) -> None:
    gitlab_routes(replay)
    gitlab_commit_pages(replay, PROJECT)
    synced = gitlab_source("acme/billing", access_token=TOKEN, org_id=MARTS_ORG, base_url=f"{replay.base}/api/v4")
    # the default branch's commits too, which a sync reads only for a repository with no clone
    everything = synced.with_resources(*synced.resources.keys())

    def marts(query: str) -> list[tuple]:
        return [tuple(row) for row in warehouse.query(query.format(org=f"org_id = '{MARTS_ORG}'")).rows]

    try:
        load(everything, pipeline_name="gitlab_marts", dataset_name="gitlab")
        assert dbt.invoke(["seed"]).success
        result = dbt.invoke(["build", *dbt.WITHOUT_UNIT_TESTS, "--indirect-selection", "cautious",
                             "--select", *(f"+{mart}" for mart in GITLAB_MARTS)])
        assert result.success, dbt.failures(result) or result.exception
        # commits by author day (the merge left out), their line totals, merge requests opened and first reviewed
        assert marts("select day, commits_count, loc_added, loc_deleted, prs_opened, prs_merged, "
                     "pr_first_review_p50_hours from marts.repo_metrics_daily where {org} order by day") == [
            (date(2024, 5, 19), 1, 42, 0, 0, 0, None), (date(2024, 5, 20), 1, 15, 10, 1, 0, 2.0),
            (date(2024, 5, 21), 0, 0, 0, 1, 1, None), (date(2024, 5, 22), 0, 0, 0, 1, 0, 24.5)]
        # !5: first commit 19 May 18:00, opened 20 May 08:00, first note 10:00, merged 21 May 09:30, and its merge
        # commit deployed at 09:41
        assert marts("select pr_number, author_person_id, deployed_at, coding_hours, pickup_hours, review_hours, "
                     "cycle_hours from marts.pr_cycle_breakdown where {org}") == [
            (5, "gitlab:ann.dev", datetime(2024, 5, 21, 9, 41), 14.0, 2.0, 23.5, 25.5)]
        # pipelines named by their source, else their name; the failed one passed on a rerun of its commit
        assert marts("select day, pipeline_name, runs_count, successful_runs, failed_runs, duration_p50_minutes, "
                     "reruns_count, flaky_runs from marts.ci_pipeline_metrics_daily where {org} order by day") == [
            (date(2024, 5, 20), "push", 2, 1, 1, 13.0, 1, 1),
            (date(2024, 5, 21), "Deploy pipeline", 1, 0, 0, None, 0, 0)]
        assert marts("select day, deployments_count, successful_deployments, other_deployments, duration_p50_minutes "
                     "from marts.deployment_metrics_daily where {org} order by day") == [
            (date(2024, 5, 21), 1, 1, 0, 6.0), (date(2024, 5, 23), 1, 0, 1, None)]
        # the incident opened after the deployment and restored in 3.5 hours
        assert marts("select period_start, deployments_count, change_failure_rate, time_to_restore_median_hours "
                     "from marts.dora_metrics_weekly where {org} and scope_type = 'org'") == [
            (date(2024, 5, 20), 1, 1.0, 3.5)]
        # #2 is labelled bug, and weighs 1; the incident #3 is no bug
        assert marts("select day, items_completed, lead_time_p50_hours, bug_completed_ratio, story_points_completed "
                     "from marts.work_item_metrics_daily where {org} order by day") == [
            (date(2024, 5, 12), 1, 240.0, 1.0, 1.0), (date(2024, 5, 21), 1, 3.5, 0.0, 0.0)]
        # the item table says so too, for a BI filter to agree with the ratio (#2's type is issue)
        assert marts("select work_item_key, work_item_type, is_bug from marts.fct_work_items where {org} "
                     "order by work_item_key") == [
            ("acme/billing#1", "issue", False), ("acme/billing#2", "issue", True),
            ("acme/billing#3", "incident", False)]
    finally:
        delete_org_rows(warehouse, MARTS_ORG)
