"""dlt source for one GitHub repository: pull requests and reviews, Actions runs, deployments, issues, releases,
and, on request, commits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth
from dlt.sources.helpers.rest_client.paginators import HeaderLinkPaginator

from devhealth.errors import ConfigError
from devhealth.extract.batching import batched, incremental_cursor
from devhealth.extract.contract_resources import contract_resource, contract_transformer
from devhealth.extract.github import helpers
from devhealth.extract.github.settings import (
    API_URL,
    API_VERSION,
    COMMIT_PATH,
    COMMITS_PATH,
    DEFAULT_COMMIT_DETAILS,
    DEFAULT_INCIDENT_LABEL,
    DEFAULT_START,
    DEPLOYMENT_STATUSES_PATH,
    DEPLOYMENTS_PATH,
    ISSUES_PATH,
    PAGE_SIZE,
    PR_COMMITS_PATH,
    PROVIDER,
    PULL_PATH,
    PULLS_PATH,
    RELEASES_PATH,
    REPO_PATH,
    REVIEWS_PATH,
    RUNS_PATH,
)
from devhealth.extract.rest_client import Endpoint, make_client
from devhealth.extract.rows import repo_id_of
from devhealth.settings import DEFAULT_ORG_ID, batch_size


@dlt.source(name="github", max_table_nesting=0)
def github_source(
    repo: str,
    access_token: str = dlt.secrets.value,
    org_id: str = DEFAULT_ORG_ID,
    since: str | None = None,
    incident_label: str = DEFAULT_INCIDENT_LABEL,
    base_url: str = API_URL,
    web_host: str = "github.com",
    rows_per_batch: int | None = None,
    commit_details: int = DEFAULT_COMMIT_DETAILS,
) -> Iterable[Any]:
    """Everything devhealth reads from one GitHub repository.

    Args:
        repo: `owner/name`.
        access_token: A token with read access to the repository; sent as a header, never logged.
        org_id: The semantic layer's organization id stamped on every row.
        since: An ISO date; when given, re-read everything updated since then (a backfill that
            leaves the incremental cursors alone). Otherwise resume from the cursors.
        incident_label: Issues carrying this label are also incidents.
        base_url: The REST API root (GitHub Enterprise: `https://host/api/v3`).
        web_host: The host in the repository's clone URL, which the repo id is derived from.
        rows_per_batch: Rows per yielded batch; `BATCH_SIZE` by default.
        commit_details: At most this many commits per run, newest first, also get their detail request
            (`GET /repos/{repo}/commits/{sha}`: line counts and `commit_files`); one request each.

    Returns:
        The resources repositories, pull_requests, pr_reviews, pr_commits, ci_runs, deployments,
        releases, work_items and incidents; and `commits` and `commit_files`, which are not selected
        unless asked for by name: organizations with local clones read commits from git instead.
    """
    if commit_details < 0:
        raise ConfigError(f"commit_details {commit_details}: expected 0 or more")
    repo = helpers.check_repo_name(repo)
    repo_id = repo_id_of(f"https://{web_host}/{repo}")
    size = rows_per_batch or batch_size()
    client = make_client(
        base_url, BearerTokenAuth(access_token), HeaderLinkPaginator(),
        headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION},
    )
    secrets = (access_token,)

    def endpoint(resource: str) -> Endpoint:
        return Endpoint(PROVIDER, resource, secrets)

    def path(template: str, **values: Any) -> str:
        return template.format(repo=repo, **values)

    @contract_resource("repositories", PROVIDER)
    def repositories() -> Iterator[dict[str, Any]]:
        yield helpers.parse_repository(endpoint("repositories").get_json(client, path(REPO_PATH)), org_id)

    @contract_resource("pull_requests", PROVIDER)
    def pull_requests(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        pulls = endpoint("pull_requests")
        params = {"state": "all", "sort": "updated", "direction": "desc", "per_page": PAGE_SIZE}

        def changed_pulls() -> Iterator[dict[str, Any]]:
            for page in pulls.pages(client, path(PULLS_PATH), params=params):
                for listed in page:
                    # newest first: the first pull older than the cursor ends the read, before its detail call
                    if helpers.listed_updated_at(listed) < updated_at.start_value:
                        return
                    detail = pulls.get_json(client, path(PULL_PATH, number=listed["number"]))
                    yield helpers.parse_pull_request(detail, repo_id, repo, org_id)

        yield from batched(changed_pulls(), size)

    def listed_per_pull(resource: str, template: str, pulls_batch: list[dict[str, Any]]) -> Iterator[tuple[int, Any]]:
        """(pull number, item) for every item of each pull's sub-list (`template`: its path), page by page."""
        listing = endpoint(resource)
        for pull in pulls_batch:
            number = pull["pr_number"]
            for page in listing.pages(client, path(template, number=number), params={"per_page": PAGE_SIZE}):
                for item in page:
                    yield number, item

    @contract_transformer("pr_reviews", PROVIDER, pull_requests, parallelized=True)
    def pr_reviews(pulls_batch: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        reviews = (helpers.parse_review(review, repo_id, number, org_id)
                   for number, review in listed_per_pull("pr_reviews", REVIEWS_PATH, pulls_batch))
        yield [row for row in reviews if row is not None]

    @contract_transformer("pr_commits", PROVIDER, pull_requests, parallelized=True)
    def pr_commits(pulls_batch: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        yield [helpers.parse_pr_commit(commit, repo_id, number, org_id)
               for number, commit in listed_per_pull("pr_commits", PR_COMMITS_PATH, pulls_batch)]

    @contract_resource("ci_runs", PROVIDER, parallelized=True)
    def ci_runs(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        # runs can only be filtered by creation; a day's lookback catches long runs created before the cursor
        created_from = (updated_at.start_value - timedelta(days=1)).date().isoformat()
        params = {"per_page": PAGE_SIZE, "created": f">={created_from}"}
        rows = (helpers.parse_workflow_run(run, repo_id, org_id)
                for page in endpoint("ci_runs").pages(client, path(RUNS_PATH), params=params,
                                                      data_selector="workflow_runs")
                for run in page)
        yield from batched(rows, size)

    @contract_resource("deployments", PROVIDER, parallelized=True)
    def deployments(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        listing, statuses = endpoint("deployments"), endpoint("deployment_statuses")

        def rows() -> Iterator[dict[str, Any]]:
            for page in listing.pages(client, path(DEPLOYMENTS_PATH), params={"per_page": PAGE_SIZE}):
                for deployment in page:
                    if helpers.deployment_updated_at(deployment) < updated_at.start_value:
                        continue
                    status_path = path(DEPLOYMENT_STATUSES_PATH, deployment_id=deployment["id"])
                    found = [s for status_page in statuses.pages(client, status_path, params={"per_page": PAGE_SIZE})
                             for s in status_page]
                    yield helpers.parse_deployment(deployment, found, repo_id, repo, org_id)

        yield from batched(rows(), size)

    @contract_resource("releases", PROVIDER, parallelized=True)
    def releases() -> Iterator[list[dict[str, Any]]]:
        rows = (helpers.parse_release(release, repo_id, org_id)
                for page in endpoint("releases").pages(client, path(RELEASES_PATH), params={"per_page": PAGE_SIZE})
                for release in page)
        yield from batched(rows, size)

    def issue_pages(resource: str, cursor: dlt.sources.incremental[Any],
                    labels: str | None = None) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "asc", "per_page": PAGE_SIZE,
                                  "since": cursor.start_value.isoformat().replace("+00:00", "Z")}
        if labels:
            params["labels"] = labels
        for page in endpoint(resource).pages(client, path(ISSUES_PATH), params=params):
            # the issues endpoint lists pull requests too; they are read as pull requests instead
            yield from (issue for issue in page if not helpers.is_pull_request(issue))

    @contract_resource("work_items", PROVIDER, parallelized=True)
    def work_items(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        rows = (helpers.parse_issue(issue, repo_id, repo, org_id, incident_label)
                for issue in issue_pages("work_items", updated_at))
        yield from batched(rows, size)

    @contract_resource("incidents", PROVIDER, parallelized=True)
    def incidents(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        rows = (helpers.parse_incident(issue, repo_id, repo, org_id)
                for issue in issue_pages("incidents", updated_at, labels=incident_label))
        yield from batched(rows, size)

    @contract_resource("commits", PROVIDER, selected=False)
    def commits(
        committed_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START, "committed_at"),
    ) -> Iterator[list[dict[str, Any]]]:
        # `since` filters on the commit date: a merged branch's older commits arrive after the cursor has
        # passed their date, so a backfill (`--since`) is what picks them up
        params = {"per_page": PAGE_SIZE, "since": committed_at.start_value.isoformat().replace("+00:00", "Z")}
        rows = (helpers.parse_commit(commit, repo_id, repo, org_id)
                for page in endpoint("commits").pages(client, path(COMMITS_PATH), params=params)
                for commit in page)
        yield from batched(rows, size)

    detailed = [0]

    @contract_transformer("commit_files", PROVIDER, commits, selected=False)
    def commit_files(commits_batch: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        details = endpoint("commit_files")
        rows = []
        # one request per commit: only the first `commit_details` of the run (newest first) are read
        for commit in commits_batch[:max(commit_details - detailed[0], 0)]:
            detail = details.get_json(client, path(COMMIT_PATH, sha=commit["sha"]))
            rows.extend(helpers.parse_commit_files(detail, repo_id, org_id))
            detailed[0] += 1
        yield rows

    return (repositories, pull_requests, pr_reviews, pr_commits, ci_runs, deployments, releases, work_items,
            incidents, commits, commit_files)
