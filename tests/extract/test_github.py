"""The GitHub source against recorded REST payloads: pages, rate limits, faults, rows in raw chDB."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from provider_helpers import TOKEN, files_containing
from rest_replay import ReplayServer, Reply, fixture

from devhealth.errors import ProviderError
from devhealth.extract.github import github_source
from devhealth.extract.rows import repo_id_of
from devhealth.pipelines import load, make_pipeline
from devhealth.settings import devhealth_home

REPO = "/repos/acme/api"
REPO_ID = repo_id_of("https://github.com/acme/api")


def github_routes(server: ReplayServer) -> None:
    server.add(REPO, fixture("github/repo.json"))
    server.add(f"{REPO}/pulls", fixture("github/pulls_page1.json"),
               headers={"Link": f'<{{base}}{REPO}/pulls?page=2&per_page=100&state=all>; rel="next", '
                                f'<{{base}}{REPO}/pulls?page=2>; rel="last"'})
    server.add(f"{REPO}/pulls", fixture("github/pulls_page2.json"), query={"page": "2"},
               headers={"Link": f'<{{base}}{REPO}/pulls?page=1>; rel="prev"'})
    for number in (9, 10, 11, 12):
        server.add(f"{REPO}/pulls/{number}", fixture(f"github/pull_{number}.json"))
        reviews = f"github/reviews_{number}.json" if number in (11, 12) else "github/reviews_empty.json"
        server.add(f"{REPO}/pulls/{number}/reviews", fixture(reviews))
        commits = f"github/commits_{number}.json" if number in (10, 11, 12) else "github/reviews_empty.json"
        server.add(f"{REPO}/pulls/{number}/commits", fixture(commits))
    server.add(f"{REPO}/actions/runs", fixture("github/runs_page1.json"),
               headers={"Link": f'<{{base}}{REPO}/actions/runs?page=2>; rel="next"'})
    server.add(f"{REPO}/actions/runs", fixture("github/runs_page2.json"), query={"page": "2"})
    server.add(f"{REPO}/deployments", fixture("github/deployments.json"))
    for deployment_id in (700001, 700002):
        server.add(f"{REPO}/deployments/{deployment_id}/statuses", fixture(f"github/statuses_{deployment_id}.json"))
    server.add(f"{REPO}/issues", fixture("github/issues_page1.json"),
               headers={"Link": f'<{{base}}{REPO}/issues?page=2&state=all>; rel="next"'})
    server.add(f"{REPO}/issues", fixture("github/issues_page2.json"), query={"page": "2"})
    server.add(f"{REPO}/issues", fixture("github/incidents.json"), query={"labels": "incident"})
    server.add(f"{REPO}/releases", fixture("github/releases.json"))


def source(server: ReplayServer, **kwargs):
    return github_source("acme/api", access_token=TOKEN, base_url=server.base, **kwargs)


def test_full_sync_reads_every_page_through_faults(replay, fast_retries, dataset_name, raw_rows, caplog) -> None:
    # dlt's logger does not propagate to the root logger: listen on it directly, at its most verbose
    dlt_logger = logging.getLogger("dlt")
    dlt_logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG, logger="dlt")
    github_routes(replay)
    pulls = next(r for r in replay.routes if r.path == f"{REPO}/pulls" and not r.query)
    replay.fail_first(pulls, Reply(429, {"message": "secondary rate limit"}, {"Retry-After": "1"}))
    reviews = next(r for r in replay.routes if r.path == f"{REPO}/pulls/12/reviews")
    replay.fail_first(reviews, *[Reply(502, {"message": "Server Error"}) for _ in range(3)])
    runs = next(r for r in replay.routes if r.path == f"{REPO}/actions/runs" and r.query)
    replay.fail_first(runs, Reply(200, raw=b'{"total_count": 3, "workflow_runs": [{"id": 89'))

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    prs = raw_rows(dataset_name, "pull_requests",
                   "pr_number, state, author_login, additions, deletions, changed_files, merged_at, "
                   "merge_commit_sha, requested_reviewers, repo_id, org_id", "pr_number")
    assert [(p["pr_number"], p["state"], p["additions"], p["changed_files"]) for p in prs] == [
        (9, "merged", 10, 3), (10, "closed", 0, 12), (11, "open", 5, 1), (12, "merged", 120, 6)]
    twelve = prs[3]
    assert twelve["merged_at"] == datetime(2024, 5, 22, 15, 30, tzinfo=UTC)
    assert twelve["merge_commit_sha"] == "d" * 40 and prs[1]["merge_commit_sha"] is None
    assert json.loads(twelve["requested_reviewers"]) == ["team:platform"]
    assert json.loads(prs[2]["requested_reviewers"]) == ["bob-rev", "cat-ops"]
    assert {p["repo_id"] for p in prs} == {REPO_ID}
    assert {p["org_id"] for p in prs} == {"00000000-0000-0000-0000-000000000000"}

    reviews_rows = raw_rows(dataset_name, "pr_reviews", "pr_number, review_id, reviewer_login, state, submitted_at",
                            "pr_number, review_id")
    assert [(r["pr_number"], r["review_id"], r["state"]) for r in reviews_rows] == [
        (11, "80010", "commented"), (12, "80001", "changes_requested"), (12, "80002", "approved")]
    commits = raw_rows(dataset_name, "pr_commits", "pr_number, sha, author_email, authored_at",
                       "pr_number, authored_at")
    first_of_12 = next(c for c in commits if c["pr_number"] == 12)
    assert first_of_12["authored_at"] == datetime(2024, 5, 19, 14, 0, tzinfo=UTC)
    assert {c["author_email"] for c in commits} == {"ann@example.com"}

    runs_rows = raw_rows(dataset_name, "ci_runs", "run_id, pipeline_name, status, conclusion, finished_at", "run_id")
    assert [(r["run_id"], r["conclusion"], r["finished_at"] is not None) for r in runs_rows] == [
        ("8999", None, False), ("9000", "failure", True), ("9001", "success", True)]

    deployments = raw_rows(dataset_name, "deployments",
                           "deployment_id, environment, status, sha, shas, finished_at, deployer_login",
                           "deployment_id")
    assert [(d["deployment_id"], d["status"], d["finished_at"]) for d in deployments] == [
        ("700001", "success", datetime(2024, 5, 15, 10, 7, tzinfo=UTC)),
        ("700002", "failure", datetime(2024, 5, 22, 15, 52, tzinfo=UTC))]
    assert json.loads(deployments[1]["shas"]) == ["c" * 40]
    assert {d["deployer_login"] for d in deployments} == {"cat-ops"}

    items = raw_rows(dataset_name, "work_items", "work_item_key, work_item_type, status_category, labels",
                     "work_item_key")
    assert [(i["work_item_key"], i["work_item_type"], i["status_category"]) for i in items] == [
        ("acme/api#20", "issue", "todo"), ("acme/api#21", "issue", "in_progress"), ("acme/api#31", "incident", "done")]
    incidents = raw_rows(dataset_name, "incidents", "incident_id, severity, opened_at, resolved_at, repo_id",
                         "incident_id")
    assert incidents == [{"incident_id": "2000031", "severity": "high", "repo_id": REPO_ID,
                          "opened_at": datetime(2024, 5, 22, 16, tzinfo=UTC),
                          "resolved_at": datetime(2024, 5, 22, 18, tzinfo=UTC)}]
    assert raw_rows(dataset_name, "releases", "tag_name, published_at", "tag_name") == [
        {"tag_name": "v1.4.0", "published_at": datetime(2024, 5, 22, 15, 44, tzinfo=UTC)}]
    assert raw_rows(dataset_name, "repositories", "repo_id, repo_name, default_branch", "repo_id") == [
        {"repo_id": REPO_ID, "repo_name": "acme/api", "default_branch": "main"}]

    # the 429 and the 502 burst were retried, and the token only ever travelled as a header
    assert len(replay.requests_to(f"{REPO}/pulls/12/reviews")) == 4
    assert all(seen.headers.get("Authorization") == f"Bearer {TOKEN}" for seen in replay.seen)
    assert files_containing(devhealth_home() / "pipelines" / dataset_name, TOKEN) == []
    dlt_logger.removeHandler(caplog.handler)
    assert "/repos/acme/api/pulls" in caplog.text and TOKEN not in caplog.text


def test_incremental_rerun_asks_only_for_changes_since_the_cursor(replay, fast_retries, dataset_name,
                                                                 raw_rows) -> None:
    github_routes(replay)
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.forget_seen()

    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    issue_calls = [seen for seen in replay.requests_to(f"{REPO}/issues") if "labels" not in seen.query]
    assert issue_calls[0].query["since"] == "2024-05-22T18:10:00Z"
    # pulls are listed newest first: reading stops at the first one older than the cursor
    assert replay.requests_to(f"{REPO}/pulls/11") == []
    assert [s.query.get("page") for s in replay.requests_to(f"{REPO}/pulls")] == [None]
    counts = raw_rows(dataset_name, "pull_requests", "count() as n, uniqExact(pr_number) as u", "n")
    assert counts == [{"n": 4, "u": 4}]


def test_backfill_since_reads_from_that_date_without_moving_the_cursor(replay, fast_retries, dataset_name) -> None:
    github_routes(replay)
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.forget_seen()

    load(source(replay, since="2024-05-01"), pipeline_name=dataset_name, dataset_name=dataset_name)
    backfill = [s for s in replay.requests_to(f"{REPO}/issues") if "labels" not in s.query]
    assert backfill[0].query["since"] == "2024-05-01T00:00:00Z"
    assert replay.requests_to(f"{REPO}/pulls/10") != [] and replay.requests_to(f"{REPO}/pulls/9") == []

    replay.forget_seen()
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    resumed = [s for s in replay.requests_to(f"{REPO}/issues") if "labels" not in s.query]
    assert resumed[0].query["since"] == "2024-05-22T18:10:00Z"


@pytest.mark.parametrize(("status", "hint"), [(401, "token was rejected"), (403, "lacks permission"),
                                              (404, "not found")])
def test_auth_and_missing_errors_name_provider_resource_and_status(replay, fast_retries, dataset_name, status,
                                                                   hint) -> None:
    github_routes(replay)
    replay.add(f"{REPO}/releases", {"message": "Bad credentials", "token": TOKEN}, status=status)

    with pytest.raises(ProviderError) as raised:
        load(source(replay).with_resources("releases"), pipeline_name=dataset_name,
             dataset_name=dataset_name)

    message = str(raised.value)
    assert message.startswith(f"github releases ({REPO}/releases): HTTP {status}")
    assert hint in message and "\n" not in message and TOKEN not in message
    assert len(replay.requests_to(f"{REPO}/releases")) == 1


def test_a_failed_run_loads_nothing_and_a_rerun_loads_everything_once(replay, fast_retries, dataset_name,
                                                                      raw_rows, warehouse) -> None:
    github_routes(replay)
    releases = next(r for r in replay.routes if r.path == f"{REPO}/releases")
    good = releases.steady
    releases.steady = Reply(200, raw=b'[{"id": 60001, "tag_name": "v1.')

    with pytest.raises(ProviderError, match=r"github releases .*: malformed JSON body"):
        load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    assert len(replay.requests_to(f"{REPO}/releases")) == fast_retries
    # other resources had rows in hand when releases failed: none of them reached raw, none wait to
    assert warehouse.scalar(f"select count() from system.tables where database = 'raw' "
                            f"and name like '{dataset_name}___%'") == 0
    assert not make_pipeline(dataset_name, dataset_name).has_pending_data

    releases.steady = good
    load(source(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    assert raw_rows(dataset_name, "pull_requests", "count() as n, uniqExact(pr_number) as u", "n") == [
        {"n": 4, "u": 4}]
    assert [r["tag_name"] for r in raw_rows(dataset_name, "releases", "tag_name", "tag_name")] == ["v1.4.0"]


def test_exhausted_rate_limit_waits_for_reset_then_reads(replay, fast_retries, dataset_name, raw_rows) -> None:
    github_routes(replay)
    releases = next(r for r in replay.routes if r.path == f"{REPO}/releases")
    reset = str(int(datetime.now(UTC).timestamp()) + 1)
    replay.fail_first(releases, Reply(403, {"message": "API rate limit exceeded"},
                                      {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}))

    load(source(replay).with_resources("releases"), pipeline_name=dataset_name,
         dataset_name=dataset_name)
    assert [r["tag_name"] for r in raw_rows(dataset_name, "releases", "tag_name", "tag_name")] == ["v1.4.0"]
    assert len(replay.requests_to(f"{REPO}/releases")) == 2



def test_cli_reports_a_missing_or_rejected_token_in_one_line(replay, org_env) -> None:
    github_routes(replay)
    replay.add(f"{REPO}/pulls", {"message": "Bad credentials"}, status=401)
    command = [sys.executable, "-m", "devhealth.cli", "sync", "github", "--repo", "acme/api",
               "--base-url", replay.base]
    env = {key: value for key, value in org_env.items() if key not in ("GITHUB_TOKEN", "GH_TOKEN")}

    missing = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert missing.returncode == 1
    assert missing.stderr.strip() == ("error: github: no access token; set GITHUB_TOKEN, GH_TOKEN or "
                                      "sources.github.access_token in .dlt/secrets.toml")

    rejected = subprocess.run(command, capture_output=True, text=True, timeout=300,
                              env={**env, "GITHUB_TOKEN": TOKEN, "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001"})
    assert rejected.returncode == 1
    lines = rejected.stderr.strip().splitlines()
    assert len(lines) == 1 and "github pull_requests" in lines[0] and "HTTP 401" in lines[0], rejected.stderr
    assert TOKEN not in rejected.stderr + rejected.stdout

    from_dlt_secrets = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                      env={**env, "SOURCES__GITHUB__ACCESS_TOKEN": TOKEN,
                                           "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001"})
    assert from_dlt_secrets.returncode == 1 and "HTTP 401" in from_dlt_secrets.stderr
    assert TOKEN not in from_dlt_secrets.stderr + from_dlt_secrets.stdout
    assert files_containing(Path(env["DEVHEALTH_HOME"]), TOKEN) == []


def test_two_organizations_sync_one_repository_with_their_own_tokens(replay, cli_env, semantic_database) -> None:
    from cryptography.fernet import Fernet

    from devhealth.semantic_db import db
    from devhealth.semantic_db.secret_keys import Keyring
    from devhealth.semantic_db.services import credentials, organizations, sync_runs

    github_routes(replay)
    key = Fernet.generate_key().decode()
    tokens = {"Acme": "ghp_acmeOWNtoken0123456789abcdefABCD", "Globex": "ghp_globexOWNtoken0123456789abcdefAB"}
    engine = db.get_engine(semantic_database)
    with db.admin_session(engine) as session:
        orgs = {name: organizations.get_or_create_organization(session, name) for name in tokens}
        for name, token in tokens.items():
            credentials.set_credential(session, orgs[name].id, "github", token, keyring=Keyring((key.encode(),), "t"))
    env = {**{k: v for k, v in cli_env.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")},
           "POSTGRES_URI": semantic_database, "DEVHEALTH_SECRET_KEY": key, "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001"}

    def devhealth(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "devhealth.cli", *args], capture_output=True, text=True,
                              env=env, timeout=300)

    unnamed = devhealth("sync", "github", "--repo", "acme/api", "--base-url", replay.base)
    assert unnamed.stderr.strip() == "error: 2 organizations exist; choose one with --org: Acme, Globex"
    for name in tokens:
        synced = devhealth("sync", "github", "--repo", "acme/api", "--base-url", replay.base, "--org", name)
        assert synced.returncode == 0, synced.stderr
        # each org keeps its own cursors: the second org's first sync loads everything too
        assert "pull_requests 4" in synced.stdout, synced.stdout
    failed = devhealth("sync", "github", "--repo", "acme/gone", "--base-url", replay.base, "--org", "Globex")
    assert failed.returncode == 1 and "HTTP 404" in failed.stderr

    counted = devhealth("query", "select org_id, count() from raw.github___pull_requests group by org_id "
                        "order by org_id", "--format", "csv", "--no-header")
    assert counted.stdout.split() == [f'{orgs["Acme"].id},4', f'{orgs["Globex"].id},4'], counted.stderr
    sent = {seen.headers.get("Authorization") for seen in replay.seen}
    assert sent == {f"Bearer {token}" for token in tokens.values()}
    runs = {}
    for name, org in orgs.items():
        with db.org_session(org.id, engine) as session:
            runs[name] = [(run.provider, run.scope, run.status, run.rows_loaded > 0, run.error or "")
                          for run in reversed(sync_runs.recent_sync_runs(session, org.id))]
    assert runs["Acme"] == [("github", "acme/api", "succeeded", True, "")]
    assert runs["Globex"][0] == ("github", "acme/api", "succeeded", True, "")
    assert runs["Globex"][1][:4] == ("github", "acme/gone", "failed", False) and "HTTP 404" in runs["Globex"][1][4]
    for result in (unnamed, failed, counted):
        assert not any(token in result.stdout + result.stderr for token in tokens.values())


def test_old_form_issues_are_issues_and_incidents_not_pull_requests(replay, fast_retries, dataset_name,
                                                                    raw_rows) -> None:
    # recorded by PyGithub from api.github.com in 2012 (tests/fixtures/github/README.md), headers as sent
    recorded = {"x-ratelimit-remaining": "4950", "x-ratelimit-limit": "5000"}
    replay.add(REPO, fixture("github/repo.json"))
    replay.add(f"{REPO}/issues", fixture("github/issues_old_form.json"), headers=recorded)
    replay.add(f"{REPO}/issues", fixture("github/issues_old_form.json")[:1], query={"labels": "Question"},
               headers=recorded)
    load(source(replay, incident_label="Question").with_resources("work_items", "incidents"),
         pipeline_name=dataset_name, dataset_name=dataset_name)
    items = raw_rows(dataset_name, "work_items", "work_item_key, work_item_type", "work_item_key")
    assert items == [{"work_item_key": "acme/api#20", "work_item_type": "issue"},
                     {"work_item_key": "acme/api#30", "work_item_type": "incident"}]
    assert [row["incident_id"] for row in raw_rows(dataset_name, "incidents", "incident_id", "incident_id")] == [
        "4769659"]


def test_an_issue_type_is_the_work_item_type(replay, fast_retries, dataset_name, raw_rows) -> None:
    # recorded issues (tests/fixtures/github/README.md) given the `type` object GitHub's issue types added in 2025,
    # in the shape of the REST documentation's example: an organization's Bug, and none
    issues = fixture("github/issues_page1.json")
    bug = {"id": 411, "node_id": "IT_kwDNAd3NAZs", "name": "Bug", "description": "An unexpected problem or behavior",
           "color": "red", "created_at": "2024-12-11T14:39:09Z", "updated_at": "2024-12-11T14:39:09Z",
           "is_enabled": True}
    # #20 of type Bug; #21 of none (labelled bug: a label, not a type); #12 is a pull request
    typed = [{**issues[0], "type": bug}, {**issues[2], "type": None}]
    replay.add(REPO, fixture("github/repo.json"))
    replay.add(f"{REPO}/issues", typed)
    replay.add(f"{REPO}/issues", [], query={"labels": "incident"})
    load(source(replay).with_resources("work_items"), pipeline_name=dataset_name, dataset_name=dataset_name)
    items = raw_rows(dataset_name, "work_items", "work_item_key, work_item_type", "work_item_key")
    assert [(i["work_item_key"], i["work_item_type"]) for i in items] == [
        ("acme/api#20", "bug"), ("acme/api#21", "issue")]


def test_workflow_runs_keep_their_creation_time_and_attempt(replay, fast_retries, dataset_name, raw_rows) -> None:
    # recorded by PyGithub from api.github.com (tests/fixtures/github/README.md): two first attempts, one queued
    # 13 minutes, and two re-runs whose created_at is their first attempt's
    replay.add(REPO, fixture("github/repo.json"))
    replay.add(f"{REPO}/actions/runs", fixture("github/runs_queue.json"))
    load(source(replay).with_resources("ci_runs"), pipeline_name=dataset_name, dataset_name=dataset_name)
    runs = raw_rows(dataset_name, "ci_runs", "run_id, run_attempt, created_at, started_at", "run_id")
    assert [(r["run_id"], r["run_attempt"], (r["started_at"] - r["created_at"]).total_seconds()) for r in runs] == [
        ("26365060973", 2, 433321.0), ("3881497935", 2, 2246.0), ("720994708", 1, 799.0), ("720994709", 1, 30.0)]


def test_a_403_saying_rate_limit_without_a_reset_is_waited_out(replay, fast_retries, dataset_name,
                                                               raw_rows) -> None:
    github_routes(replay)
    releases = next(r for r in replay.routes if r.path == f"{REPO}/releases")
    spent = Reply(403, {"message": "API rate limit exceeded for 203.0.113.7. (But here's the good news: "
                                   "Authenticated requests get a higher rate limit.)",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"},
                  {"x-ratelimit-remaining": "0", "x-ratelimit-limit": "60"})
    replay.fail_first(releases, spent, spent)
    load(source(replay).with_resources("releases"), pipeline_name=dataset_name,
         dataset_name=dataset_name)
    assert [r["tag_name"] for r in raw_rows(dataset_name, "releases", "tag_name", "tag_name")] == ["v1.4.0"]
    assert len(replay.requests_to(f"{REPO}/releases")) == 3


def test_a_403_for_a_missing_permission_is_still_reported_as_one(replay, fast_retries, dataset_name) -> None:
    github_routes(replay)
    replay.add(f"{REPO}/releases", {"message": "Resource not accessible by integration"}, status=403,
               headers={"x-ratelimit-remaining": "4999"})
    with pytest.raises(ProviderError, match=r"HTTP 403 Forbidden: the token lacks permission"):
        load(source(replay).with_resources("releases"), pipeline_name=dataset_name,
             dataset_name=dataset_name)
    assert len(replay.requests_to(f"{REPO}/releases")) == 1


def test_an_unreachable_api_is_one_line_naming_the_resource(fast_retries, dataset_name) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # nothing listens on the port once the probe has closed it: every attempt is refused
    unreachable = github_source("acme/api", access_token=TOKEN, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderError) as raised:
        load(unreachable.with_resources("releases"), pipeline_name=dataset_name, dataset_name=dataset_name)
    assert str(raised.value) == ("github releases (/repos/acme/api/releases): connection failed after retries "
                                 "(ConnectionError)")
