"""Commits from the GitHub and GitLab APIs (recorded pages replayed), and where they land: a clone of the same
repository wins, and an organization without one sees its API commits in repo_metrics_daily."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from dlt_loads import delete_org_rows
from provider_helpers import TOKEN, gitlab_commit_pages
from rest_replay import ReplayServer, Reply, fixture

from devhealth import dbt
from devhealth.errors import ProviderError
from devhealth.extract.git import git_repository
from devhealth.extract.github import github_source
from devhealth.extract.gitlab import gitlab_source
from devhealth.extract.rows import repo_id_of
from devhealth.pipelines import load

PYGITHUB = "/repos/PyGithub/PyGithub"
PYGITHUB_ID = repo_id_of("https://github.com/PyGithub/PyGithub")
PROJECT = "/api/v4/projects/acme%2Fbilling"
# the cursors of PyGithub's recorded pages: GitHub pages commits by the last sha seen
NEXT_PAGES = ("c1440bdf20bfeb62684c6d1779448719dce9d2df", "3e8169c0a98ce1e2c6a32ae1256ae0f735065df5")
CLONED_ORG = "a9c00000-0000-4000-8000-0000000000c1"
API_ONLY_ORG = "a9c00000-0000-4000-8000-0000000000c2"


def pygithub_pages(server: ReplayServer) -> None:
    """The three pages PyGithub recorded of `GET /repos/PyGithub/PyGithub/commits`, Link headers pointing back here."""
    server.add(f"{PYGITHUB}/commits", fixture("github/commits_pygithub_page1.json"),
               headers={"Link": f'<{{base}}{PYGITHUB}/commits?last_sha={NEXT_PAGES[0]}&top=master>; rel="next", '
                                f'<{{base}}{PYGITHUB}/commits?sha=master>; rel="first"'})
    server.add(f"{PYGITHUB}/commits", fixture("github/commits_pygithub_page2.json"),
               query={"last_sha": NEXT_PAGES[0]},
               headers={"Link": f'<{{base}}{PYGITHUB}/commits?last_sha={NEXT_PAGES[1]}&top=master>; rel="next"'})
    server.add(f"{PYGITHUB}/commits", fixture("github/commits_pygithub_page3.json"),
               query={"last_sha": NEXT_PAGES[1]})


def github(server: ReplayServer, repo: str = "PyGithub/PyGithub", org_id: str | None = None, **kwargs):
    source = github_source(repo, access_token=TOKEN, base_url=server.base,
                           **({"org_id": org_id} if org_id else {}), **kwargs)
    return source.with_resources("commits", "commit_files")


def route(server: ReplayServer, path: str, **query: str):
    return next(r for r in server.routes if r.path == path and r.query == query)


def test_github_commits_read_every_page_through_a_server_error(replay, fast_retries, dataset_name, raw_rows) -> None:
    pygithub_pages(replay)
    replay.fail_first(route(replay, f"{PYGITHUB}/commits", last_sha=NEXT_PAGES[0]),
                      *[Reply(502, {"message": "Server Error"}) for _ in range(2)])

    load(github(replay), pipeline_name=dataset_name, dataset_name=dataset_name)

    rows = raw_rows(dataset_name, "commits", "sha, repo_id, is_merge, author_email, authored_at, committed_at, "
                    "message_subject, parent_shas, lines_added, author_tz_offset_minutes", "committed_at desc")
    assert len(rows) == 90 == len({row["sha"] for row in rows})
    assert {row["repo_id"] for row in rows} == {PYGITHUB_ID}
    assert sum(row["is_merge"] for row in rows) == 17
    newest = rows[0]
    assert newest["sha"] == "ecda065e01876209d2bdf5fe4e91cee8ffaa9ff7"
    # recorded as 2012-05-25T10:14:34-07:00
    assert newest["authored_at"] == datetime(2012, 5, 25, 17, 14, 34, tzinfo=UTC)
    assert newest["author_email"] == "vincent@vincent-jacques.net"
    assert {row["lines_added"] for row in rows} == {None}
    assert {row["author_tz_offset_minutes"] for row in rows} == {None}
    # no detail asked for: one request per page and one retried page, none per commit
    assert [seen.query.get("last_sha") for seen in replay.seen] == [None, NEXT_PAGES[0], NEXT_PAGES[0],
                                                                   NEXT_PAGES[0], NEXT_PAGES[1]]
    assert replay.seen[0].query["since"] == "2000-01-01T00:00:00Z"


def test_github_commit_details_are_bounded(replay, fast_retries, dataset_name, raw_rows) -> None:
    detail = fixture("github/commit_1292bf0e.json")
    listed = {name: value for name, value in detail.items() if name not in ("stats", "files")}
    repo = "/repos/jacquev6/PyGithub"
    replay.add(f"{repo}/commits", [listed, *fixture("github/commits_pygithub_page1.json")[:2]])
    replay.add(f"{repo}/commits/{detail['sha']}", detail)

    load(github(replay, repo="jacquev6/PyGithub", commit_details=1), pipeline_name=dataset_name,
         dataset_name=dataset_name)

    assert [seen.path for seen in replay.seen] == [f"{repo}/commits", f"{repo}/commits/{detail['sha']}"]
    assert raw_rows(dataset_name, "commit_files", "sha, path, change_type, lines_added, lines_deleted", "path") == [
        {"sha": detail["sha"], "path": "github/GithubObjects/GitAuthor.py", "change_type": "M", "lines_added": 0,
         "lines_deleted": 20}]
    assert len(raw_rows(dataset_name, "commits", "sha", "sha")) == 3


def test_a_malformed_commit_page_loads_nothing(replay, fast_retries, dataset_name, warehouse) -> None:
    replay.add(f"{PYGITHUB}/commits", raw=b'[{"sha": "ecda065e01876209d2bdf5fe4e91cee8ffaa9ff7", "commit": {"au')
    with pytest.raises(ProviderError,
                       match=r"^github commits \(/repos/PyGithub/PyGithub/commits\): malformed JSON body"):
        load(github(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    replay.add(f"{PYGITHUB}/commits", [{"commit": {"message": "no sha"}, "parents": []}])
    with pytest.raises(ProviderError, match=r"^github commits: item without an id: field 'sha' is missing$"):
        load(github(replay), pipeline_name=dataset_name, dataset_name=dataset_name)
    assert not warehouse.scalar(f"select count() from system.tables where database = 'raw' "
                                f"and name = '{dataset_name}___commits'")


def test_gitlab_commits_carry_line_totals_and_the_author_offset(replay, fast_retries, dataset_name,
                                                               raw_rows) -> None:
    gitlab_commit_pages(replay, PROJECT)
    replay.fail_first(route(replay, f"{PROJECT}/repository/commits", page="2"), Reply(500, {"message": "500"}))
    source = gitlab_source("acme/billing", access_token=TOKEN,
                           base_url=f"{replay.base}/api/v4").with_resources("commits")

    load(source, pipeline_name=dataset_name, dataset_name=dataset_name)

    rows = raw_rows(dataset_name, "commits", "sha, is_merge, author_email, authored_at, author_tz_offset_minutes, "
                    "lines_added, lines_deleted, message_subject, message_length, parent_shas, repo_id",
                    "authored_at")
    assert [(r["sha"][:7], r["is_merge"], r["lines_added"], r["lines_deleted"], r["author_tz_offset_minutes"])
            for r in rows] == [("ae1d9fb", False, 42, 0, -420), ("6104942", False, 15, 10, 180),
                               ("ed899a2", True, 0, 0, 180)]
    assert rows[0]["authored_at"] == datetime(2024, 5, 19, 15, 0, tzinfo=UTC)
    assert rows[2]["author_email"] == "user@example.com"
    assert rows[2]["message_subject"] == "Merge branch 'network-graph' into 'main'"
    assert rows[1]["message_length"] == len("Sanitize for network graph\nCc: John Doe <johndoe@gitlab.com>\n"
                                            "Cc: Jane Doe <janedoe@gitlab.com>")
    assert len(json.loads(rows[2]["parent_shas"])) == 2
    assert {r["repo_id"] for r in rows} == {repo_id_of("git@gitlab.com:acme/billing.git")}
    listed = [seen for seen in replay.seen if seen.path.endswith("/repository/commits")]
    assert listed[0].query["with_stats"] == "true" and listed[-1].query["page"] == "2"


def test_a_gitlab_server_error_that_persists_names_the_resource(replay, fast_retries, dataset_name) -> None:
    replay.add(f"{PROJECT}/repository/commits", {"message": "500 Internal Server Error"}, status=500)
    source = gitlab_source("acme/billing", access_token=TOKEN,
                           base_url=f"{replay.base}/api/v4").with_resources("commits")
    with pytest.raises(ProviderError, match=r"^gitlab commits \(/projects/acme%2Fbilling/repository/commits\): "
                                            r"HTTP 500 Internal Server Error: server error persisted after retries$"):
        load(source, pipeline_name=dataset_name, dataset_name=dataset_name)


def test_a_clone_wins_and_an_org_without_one_sees_api_commits_in_the_marts(replay, fast_retries, dataset_name,
                                                                         make_git_repo, warehouse) -> None:
    pygithub_pages(replay)
    # the clone's remote in ssh form: its repo id must still be the API's
    clone = make_git_repo("pygithub", [("2024-05-02T10:00:00+02:00", {"a.py": "a\n"}),
                                       ("2024-05-03T10:00:00+02:00", {"a.py": "a\nb\n", "b.py": "b\n"})],
                          remote="git@github.com:PyGithub/PyGithub.git")
    try:
        for org in (CLONED_ORG, API_ONLY_ORG):
            load(github(replay, org_id=org), pipeline_name=f"{dataset_name}_{org[-2:]}",
                 dataset_name="github")
        load(git_repository(clone, org_id=CLONED_ORG), pipeline_name=f"{dataset_name}_git", dataset_name="git")
        assert dbt.invoke(["seed"]).success
        result = dbt.invoke(["run", "--select", "+repo_metrics_daily", "+int_commit_files_attributed"])
        assert result.success, dbt.failures(result) or result.exception

        unioned = warehouse.query(
            "select org_id, provider, count(), uniqExact(repo_id), any(repo_id) from intermediate.int_commits_unioned "
            f"where org_id in ('{CLONED_ORG}', '{API_ONLY_ORG}') group by org_id, provider order by org_id").rows
        assert [tuple(row) for row in unioned] == [(CLONED_ORG, "git", 2, 1, PYGITHUB_ID),
                                                    (API_ONLY_ORG, "github", 90, 1, PYGITHUB_ID)]
        # every API commit author is a resolved person, as every clone author is
        assert warehouse.scalar(
            "select countIf(author_person_id = '') from intermediate.int_commits_enriched "
            f"where org_id = '{API_ONLY_ORG}'") == 0
        daily = {org: (count, days) for org, count, days in warehouse.query(
            "select org_id, sum(commits_count), countIf(commits_count > 0) from marts.repo_metrics_daily "
            f"where org_id in ('{CLONED_ORG}', '{API_ONLY_ORG}') and repo_id = '{PYGITHUB_ID}' group by org_id").rows}
        # merge commits are left out of the daily counts, as for a clone: 90 listed, 17 merges, on 13 days
        assert daily == {CLONED_ORG: (2, 2), API_ONLY_ORG: (73, 13)}
    finally:
        for org in (CLONED_ORG, API_ONLY_ORG):
            delete_org_rows(warehouse, org)


def test_cli_sync_git_with_a_provider_reads_commits_from_its_api(replay, org_env, tmp_path) -> None:
    detail = fixture("github/commit_1292bf0e.json")
    repo = "/repos/jacquev6/PyGithub"
    replay.add(repo, fixture("github/repo_jacquev6_pygithub.json"))
    replay.add(f"{repo}/commits", [{name: value for name, value in detail.items() if name not in ("stats", "files")}])
    replay.add(f"{repo}/commits/{detail['sha']}", detail)
    env = {**org_env, "GITHUB_TOKEN": TOKEN, "DEVHEALTH_HTTP_BACKOFF_BASE": "0.001"}

    def devhealth(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "devhealth.cli", *args], capture_output=True, text=True,
                              env=env, timeout=300)

    mixed = devhealth("sync", "git", str(tmp_path), "--provider", "github")
    assert (mixed.returncode, mixed.stderr.strip()) == (
        1, "error: sync git --provider: name repositories with --repo owner/name, not paths")
    # a configuration names git only when asked: an org with clones reads commits from them
    configured = devhealth("admin", "configure-sync", "--org", "Acme", "--provider", "github", "--scope",
                           "jacquev6/PyGithub")
    assert configured.stdout.strip() == ("Acme: github repo jacquev6/PyGithub syncs prs, cicd, deployments, "
                                         "incidents, work-items (enabled)"), configured.stderr
    synced = devhealth("sync", "git", "--provider", "github", "--repo", "jacquev6/PyGithub", "--commit-details", "1",
                       "--base-url", replay.base)
    assert synced.returncode == 0, synced.stderr
    assert "git github jacquev6/PyGithub: 3 rows" in synced.stdout, synced.stdout
    files = devhealth("query", "select path, lines_deleted from raw.github___commit_files", "--format", "csv",
                      "--no-header")
    assert files.stdout.split() == ["github/GithubObjects/GitAuthor.py,20"], files.stderr
    assert sorted(seen.path for seen in replay.seen) == [repo, f"{repo}/commits", f"{repo}/commits/{detail['sha']}"]
