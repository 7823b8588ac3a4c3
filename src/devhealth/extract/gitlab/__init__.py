"""dlt source for one GitLab project: merge requests with approvals and notes, pipelines, deployments, issues,
and, on request, commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth

from devhealth.extract.batching import batched, incremental_cursor
from devhealth.extract.contract_resources import contract_resource, contract_transformer
from devhealth.extract.gitlab import helpers
from devhealth.extract.gitlab.settings import (
    API_URL,
    APPROVALS_PATH,
    COMMITS_PATH,
    DEFAULT_START,
    DEPLOYMENTS_PATH,
    ISSUES_PATH,
    MERGE_REQUESTS_PATH,
    MR_COMMITS_PATH,
    NOTES_PATH,
    PAGE_SIZE,
    PIPELINES_PATH,
    PROJECT_PATH,
    PROVIDER,
    WEB_HOST,
)
from devhealth.extract.paginators import GitLabPaginator
from devhealth.extract.rest_client import Endpoint, make_client
from devhealth.extract.rows import repo_id_of
from devhealth.settings import DEFAULT_ORG_ID, batch_size


def _iso(cursor: dlt.sources.incremental[Any]) -> str:
    return cursor.start_value.isoformat().replace("+00:00", "Z")


@dlt.source(name="gitlab", max_table_nesting=0)
def gitlab_source(
    project: str,
    access_token: str = dlt.secrets.value,
    org_id: str = DEFAULT_ORG_ID,
    since: str | None = None,
    base_url: str = API_URL,
    web_host: str = WEB_HOST,
    rows_per_batch: int | None = None,
) -> Iterable[Any]:
    """Everything devhealth reads from one GitLab project, in the same tables as GitHub.

    Args:
        project: `group/name` (subgroups allowed).
        access_token: A token with `read_api`; sent as a header, never logged.
        org_id: The semantic layer's organization id stamped on every row.
        since: An ISO date; when given, re-read everything updated since then without moving the cursors.
        base_url: The REST API root of a self-managed instance (`https://host/api/v4`).
        web_host: The host in the project's clone URL, which the repo id is derived from.
        rows_per_batch: Rows per yielded batch; `BATCH_SIZE` by default.

    Returns:
        The resources repositories, pull_requests (merge requests), pr_reviews (approvals and notes),
        pr_commits, ci_runs (pipelines), deployments, work_items and incidents, and `commits` of the default
        branch with their line totals, which is not selected unless asked for by name.
    """
    repo_name = helpers.check_project_path(project)
    encoded = helpers.project_id(repo_name)
    repo_id = repo_id_of(f"https://{web_host}/{repo_name}")
    size = rows_per_batch or batch_size()
    client = make_client(base_url, BearerTokenAuth(access_token), GitLabPaginator())
    secrets = (access_token,)

    def endpoint(resource: str) -> Endpoint:
        return Endpoint(PROVIDER, resource, secrets)

    def path(template: str, **values: Any) -> str:
        return template.format(project=encoded, **values)

    def changed(resource: str, template: str, cursor: dlt.sources.incremental[Any],
                **extra: Any) -> Iterator[dict[str, Any]]:
        params = {"order_by": "updated_at", "sort": "asc", "updated_after": _iso(cursor), "per_page": PAGE_SIZE,
                  **extra}
        for page in endpoint(resource).pages(client, path(template), params=params):
            yield from page

    @contract_resource("repositories", PROVIDER)
    def repositories() -> Iterator[dict[str, Any]]:
        yield helpers.parse_project(endpoint("repositories").get_json(client, path(PROJECT_PATH)), org_id)

    @contract_resource("pull_requests", PROVIDER)
    def pull_requests(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        rows = (helpers.parse_merge_request(mr, repo_id, repo_name, org_id)
                for mr in changed("pull_requests", MERGE_REQUESTS_PATH, updated_at, state="all", scope="all"))
        yield from batched(rows, size)

    @contract_transformer("pr_reviews", PROVIDER, pull_requests, parallelized=True)
    def pr_reviews(merge_requests: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        notes_endpoint, approvals_endpoint = endpoint("pr_reviews"), endpoint("pr_approvals")
        rows = []
        for mr in merge_requests:
            iid = mr["pr_number"]
            notes = [note for page in notes_endpoint.pages(
                client, path(NOTES_PATH, iid=iid), params={"sort": "asc", "order_by": "created_at",
                                                           "per_page": PAGE_SIZE}) for note in page]
            approvals = approvals_endpoint.get_json(client, path(APPROVALS_PATH, iid=iid))
            rows.extend(helpers.parse_reviews(notes, approvals, repo_id, iid, org_id))
        yield rows

    @contract_transformer("pr_commits", PROVIDER, pull_requests, parallelized=True)
    def pr_commits(merge_requests: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        commits = endpoint("pr_commits")
        rows = []
        for mr in merge_requests:
            iid = mr["pr_number"]
            for page in commits.pages(client, path(MR_COMMITS_PATH, iid=iid), params={"per_page": PAGE_SIZE}):
                rows.extend(helpers.parse_mr_commit(commit, repo_id, iid, org_id) for commit in page)
        yield rows

    def changed_resource(entity: str, template: str, parse: Callable[[dict[str, Any]], dict[str, Any]],
                         **extra: Any) -> Any:
        """The resource `entity`: the items of `template` updated since its cursor, each parsed by `parse`.
        Pipelines, deployments and issues are all listed this way, so they differ only in these arguments."""
        @contract_resource(entity, PROVIDER, parallelized=True)
        def read_changed(
            updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
        ) -> Iterator[list[dict[str, Any]]]:
            yield from batched((parse(item) for item in changed(entity, template, updated_at, **extra)), size)
        return read_changed

    ci_runs = changed_resource("ci_runs", PIPELINES_PATH,
                               lambda pipeline: helpers.parse_pipeline(pipeline, repo_id, org_id))
    deployments = changed_resource("deployments", DEPLOYMENTS_PATH,
                                   lambda deployment: helpers.parse_deployment(deployment, repo_id, repo_name, org_id))
    work_items = changed_resource("work_items", ISSUES_PATH,
                                  lambda issue: helpers.parse_issue(issue, repo_id, repo_name, org_id), scope="all")
    incidents = changed_resource("incidents", ISSUES_PATH,
                                 lambda issue: helpers.parse_incident(issue, repo_id, repo_name, org_id),
                                 scope="all", issue_type="incident")

    @contract_resource("commits", PROVIDER, parallelized=True, selected=False)
    def commits(
        committed_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START, "committed_at"),
    ) -> Iterator[list[dict[str, Any]]]:
        # with_stats adds each commit's line totals to the list itself: no request per commit
        params = {"with_stats": "true", "since": _iso(committed_at), "per_page": PAGE_SIZE}
        rows = (helpers.parse_commit(commit, repo_id, repo_name, org_id)
                for page in endpoint("commits").pages(client, path(COMMITS_PATH), params=params)
                for commit in page)
        yield from batched(rows, size)

    return (repositories, pull_requests, pr_reviews, pr_commits, ci_runs, deployments, work_items, incidents,
            commits)
