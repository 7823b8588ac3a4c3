"""Grouped syncs: each group loads only its resources, keeps the other cursors, and reads scopes from PostgreSQL.

The CLI tests sit here rather than in tests/cli/ because they replay the providers' recorded payloads.
"""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from provider_helpers import TOKEN
from rich.console import Console
from test_github import REPO, github_routes
from test_github import source as github
from test_gitlab import PROJECT, gitlab_routes
from test_gitlab import source as gitlab
from test_jira import SEARCH, jira_routes

from devhealth.cli.progress import ResourceProgress, resource_progress
from devhealth.errors import InputError
from devhealth.extract.resource_groups import GROUPS, RESOURCE_GROUPS, group_resources
from devhealth.pipelines import load, loaded_rows
from devhealth.semantic_db import db
from devhealth.semantic_db.services import organizations, sync_configurations, sync_runs


def test_every_group_names_resources_its_source_has() -> None:
    from devhealth.extract.github import github_source
    from devhealth.extract.gitlab import gitlab_source
    from devhealth.extract.jira import jira_source

    sources = {"github": github_source("acme/api", access_token="t"),
               "gitlab": gitlab_source("acme/api", access_token="t"),
               "jira": jira_source("https://acme.atlassian.net", ["OPS"], access_token="t")}
    for provider, groups in RESOURCE_GROUPS.items():
        assert set(groups) <= set(GROUPS)
        for resources in groups.values():
            assert set(resources) <= set(sources[provider].resources), (provider, resources)
    assert group_resources("github", "prs") == ("repositories", "pull_requests", "pr_reviews", "pr_commits")
    assert group_resources("jira", "work-items") == ("work_items", "work_item_transitions")
    with pytest.raises(InputError, match=r"^sync cicd --provider jira: jira has no cicd data; "
                                         r"it syncs incidents, work-items$"):
        group_resources("jira", "cicd")
    with pytest.raises(InputError, match=r"^--provider 'bitbucket': expected one of github, gitlab, jira$"):
        group_resources("bitbucket", "prs")


def test_a_group_loads_its_resources_and_leaves_other_cursors_alone(replay, fast_retries, dataset_name, raw_rows,
                                                                    warehouse) -> None:
    github_routes(replay)
    console = Console(file=StringIO(), force_terminal=True, width=120)
    with resource_progress(console) as progress:
        counter = ResourceProgress(progress, "github acme/api", group_resources("github", "prs"))
        info = load(github(replay).with_resources(*group_resources("github", "prs")),
                    pipeline_name=dataset_name, dataset_name=dataset_name, progress=counter)
        counter.finish()
        counted = {task.description.removeprefix("github acme/api "): (task.completed, task.finished)
                   for task in progress.tasks}

    assert loaded_rows(info) == {"pr_commits": 4, "pr_reviews": 3, "pull_requests": 4, "repositories": 1}
    # one progress task per resource, each ending at the rows dlt extracted for it
    assert counted == {"repositories": (1, True), "pull_requests": (4, True), "pr_reviews": (3, True),
                       "pr_commits": (4, True)}
    tables = warehouse.query(f"select name from system.tables where database = 'raw' "
                             f"and startsWith(name, '{dataset_name}___') and position(name, '_dlt_') = 0 "
                             "order by name")
    assert [row[0].removeprefix(f"{dataset_name}___") for row in tables.rows] == [
        "pr_commits", "pr_reviews", "pull_requests", "repositories"]
    assert replay.requests_to(f"{REPO}/actions/runs") == [] and replay.requests_to(f"{REPO}/issues") == []

    load(github(replay).with_resources(*group_resources("github", "work-items")),
         pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.forget_seen()
    load(github(replay).with_resources(*group_resources("github", "prs")),
         pipeline_name=dataset_name, dataset_name=dataset_name)
    # the pull requests' cursor survived the work-items load: the rerun stops on the first page
    assert [s.query.get("page") for s in replay.requests_to(f"{REPO}/pulls")] == [None]
    assert replay.requests_to(f"{REPO}/pulls/11") == []
    replay.forget_seen()
    load(github(replay).with_resources(*group_resources("github", "work-items")),
         pipeline_name=dataset_name, dataset_name=dataset_name)
    assert replay.requests_to(f"{REPO}/issues")[0].query["since"] == "2024-05-22T18:10:00Z"
    assert raw_rows(dataset_name, "pull_requests", "count() as n, uniqExact(pr_number) as u", "n") == [
        {"n": 4, "u": 4}]


def test_gitlab_incidents_group_reads_only_incident_issues(replay, fast_retries, dataset_name, raw_rows) -> None:
    gitlab_routes(replay)

    info = load(gitlab(replay).with_resources(*group_resources("gitlab", "incidents")),
                pipeline_name=dataset_name, dataset_name=dataset_name)

    assert set(loaded_rows(info)) == {"incidents", "repositories"}
    assert {seen.path for seen in replay.seen} == {PROJECT, f"{PROJECT}/issues"}
    assert {seen.query.get("issue_type") for seen in replay.requests_to(f"{PROJECT}/issues")} == {"incident"}
    assert raw_rows(dataset_name, "incidents", "count() as n", "n")[0]["n"] == loaded_rows(info)["incidents"] > 0


def devhealth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "devhealth.cli", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def refusal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """How the CLI answers a command it must refuse: its exit code and its one error line."""
    refused = devhealth(*args, env=env)
    return refused.returncode, refused.stderr.strip()


def replayed_env(org_env: dict[str, str], *token_variables: str) -> dict[str, str]:
    """The CLI's environment against the replay: the test token in each of `token_variables`, and next to no
    backoff between retries, as the replay answers at once."""
    return {**org_env, **dict.fromkeys(token_variables, TOKEN), "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.001"}


def raw_tables(prefix: str, env: dict[str, str]) -> list[str]:
    listed = devhealth("query", f"select name from system.tables where database = 'raw' and startsWith(name, "
                       f"'{prefix}') and position(name, '_dlt_') = 0 order by name", "--format", "csv", "--no-header",
                       env=env)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.split()


def test_cli_groups_load_only_their_tables_and_scopes_come_from_sync_configurations(replay, org_env) -> None:
    github_routes(replay)
    env = replayed_env(org_env, "GITHUB_TOKEN")

    assert refusal("sync", "cicd", "--provider", "jira", "--project", "OPS", env=env) == (
        1, "error: sync cicd --provider jira: jira has no cicd data; it syncs incidents, work-items")
    assert refusal("sync", "cicd", "--provider", "github", "--base-url", replay.base, env=env) == (
        1, "error: sync cicd --provider github: organization Acme has no enabled github repo configured for "
           "cicd; pass --repo or add one with `devhealth admin configure-sync --org Acme --provider github "
           "--scope SCOPE --target cicd`")
    assert replay.seen == []

    prs = devhealth("sync", "prs", "--provider", "github", "--repo", "acme/api", "--base-url", replay.base, env=env)
    assert prs.returncode == 0, prs.stderr
    assert "prs github acme/api: 12 rows" in prs.stdout and TOKEN not in prs.stdout + prs.stderr
    assert any("pull_requests" in line and " 4 " in line for line in prs.stdout.splitlines()), prs.stdout
    assert raw_tables("github___", env) == ["github___pr_commits", "github___pr_reviews", "github___pull_requests",
                                            "github___repositories"]

    configured = devhealth("admin", "configure-sync", "--org", "Acme", "--provider", "github", "--scope",
                           "acme/api", "--target", "cicd", env=env)
    assert configured.stdout.strip() == "Acme: github repo acme/api syncs cicd (enabled)", configured.stderr
    cicd = devhealth("sync", "cicd", "--provider", "github", "--base-url", replay.base, env=env)
    assert cicd.returncode == 0, cicd.stderr
    assert "cicd github acme/api: 4 rows" in cicd.stdout
    assert "github___ci_runs" in raw_tables("github___", env)
    runs = devhealth("query", "select run_id from raw.github___ci_runs order by run_id", "--format", "csv",
                     "--no-header", env=env)
    assert runs.stdout.split() == ["8999", "9000", "9001"], runs.stderr
    assert "github___deployments" not in raw_tables("github___", env)

    with db.admin_session(db.get_engine(env["POSTGRES_URI"])) as session:
        acme = organizations.require_organization(session, "Acme").id
        recorded = [(run.provider, run.scope, run.status, run.rows_loaded, run.sync_configuration_id is not None)
                    for run in reversed(sync_runs.recent_sync_runs(session, acme))]
        configuration = sync_configurations.sync_configurations_for_org(session, acme, "github")[0]
        last_status = configuration.last_run_status
        registered = [(row.provider, row.full_name) for row in sync_configurations.repositories_for_org(session, acme)]
    assert recorded == [("github", "acme/api", "succeeded", 12, False), ("github", "acme/api", "succeeded", 4, True)]
    assert last_status == "succeeded"
    # both loads registered the repository once in the semantic layer
    assert registered == [("github", "acme/api")]


def test_cli_work_items_from_jira_load_issues_and_transitions_only(replay, org_env) -> None:
    jira_routes(replay)
    env = replayed_env(org_env, "JIRA_API_TOKEN")

    assert refusal("sync", "work-items", "--provider", "jira", "--project", "OPS", env=env) == (
        1, "error: --site is required with --provider jira: the Jira site root, such as https://acme.atlassian.net")
    assert refusal("admin", "configure-sync", "--org", "Acme", "--provider", "jira", "--scope", "OPS",
                   "--target", "cicd", env=env) == (1, "error: --target 'cicd': jira syncs incidents, work-items")

    synced = devhealth("sync", "work-items", "--provider", "jira", "--project", "ops", "--site", replay.base, env=env)
    assert synced.returncode == 0, synced.stderr
    assert "work-items jira OPS: 8 rows" in synced.stdout
    assert raw_tables("jira___", env) == ["jira___work_item_transitions", "jira___work_items"]
    # the incidents search was never made: only the group's resources read anything
    assert all("Incident" not in seen.query.get("jql", "") for seen in replay.requests_to(SEARCH))
    keys = devhealth("query", "select work_item_key from raw.jira___work_items order by work_item_key",
                     "--format", "csv", "--no-header", env=env)
    assert keys.stdout.split() == ["OPS-1", "OPS-2", "OPS-3"], keys.stderr


def test_cli_incidents_group_takes_the_source_rules(replay, org_env) -> None:
    github_routes(replay)
    jira_routes(replay)
    env = replayed_env(org_env, "GITHUB_TOKEN", "JIRA_API_TOKEN")

    github_incidents = devhealth("sync", "incidents", "--provider", "github", "--repo", "acme/api",
                                 "--incident-label", "sev1", "--base-url", replay.base, env=env)
    assert github_incidents.returncode == 0, github_incidents.stderr
    # later pages follow the Link header GitHub returns, which carries the query on
    assert replay.requests_to(f"{REPO}/issues")[0].query["labels"] == "sev1"

    jira_incidents = devhealth("sync", "incidents", "--provider", "jira", "--project", "ops", "--incident-type",
                               "Outage", "--incident-type", "Sev 1", "--site", replay.base, env=env)
    assert jira_incidents.returncode == 0, jira_incidents.stderr
    searches = [seen.query.get("jql", "") for seen in replay.requests_to(SEARCH)]
    assert searches and all('"Outage"' in jql and '"Sev 1"' in jql for jql in searches), searches
