"""dlt source for Jira Cloud: issues as work items, their status transitions from the changelog, incidents."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.auth import BearerTokenAuth, HttpBasicAuth
from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator, JSONResponseCursorPaginator

from devhealth.extract.batching import batched, incremental_cursor
from devhealth.extract.contract_resources import contract_resource, contract_transformer
from devhealth.extract.jira import helpers
from devhealth.extract.jira.settings import (
    BASE_FIELDS,
    CHANGELOG_PATH,
    DEFAULT_INCIDENT_TYPES,
    DEFAULT_START,
    DEFAULT_STORY_POINTS_FIELD,
    PAGE_SIZE,
    PROVIDER,
    SEARCH_PATH,
    STATUSES_PATH,
)
from devhealth.extract.rest_client import Endpoint, make_client
from devhealth.settings import DEFAULT_ORG_ID, batch_size


def jira_auth(access_token: str, email: str | None) -> HttpBasicAuth | BearerTokenAuth:
    """Jira Cloud API tokens go with the account email (Basic); Data Center personal tokens alone (Bearer)."""
    return HttpBasicAuth(email, access_token) if email else BearerTokenAuth(access_token)


@dlt.source(name="jira", max_table_nesting=0)
def jira_source(
    site_url: str,
    projects: list[str],
    access_token: str = dlt.secrets.value,
    email: str | None = None,
    org_id: str = DEFAULT_ORG_ID,
    since: str | None = None,
    story_points_field: str = DEFAULT_STORY_POINTS_FIELD,
    incident_types: tuple[str, ...] = DEFAULT_INCIDENT_TYPES,
    rows_per_batch: int | None = None,
) -> Iterable[Any]:
    """Issues, their status transitions and incidents from Jira projects.

    Args:
        site_url: The site root, such as `https://acme.atlassian.net`.
        projects: Project keys, such as `["OPS", "API"]`.
        access_token: An API token; sent as a header, never logged.
        email: The token owner's account email (Jira Cloud); without it the token is sent as a Bearer token.
        org_id: The semantic layer's organization id stamped on every row.
        since: An ISO date; when given, re-read everything updated since then without moving the cursors.
        story_points_field: The custom field holding story points on this site.
        incident_types: Issue type names that are incidents.
        rows_per_batch: Rows per yielded batch; `BATCH_SIZE` by default.

    Returns:
        The resources work_items, work_item_transitions and incidents.
    """
    keys = helpers.check_project_keys(projects)
    size = rows_per_batch or batch_size()
    client = make_client(site_url, jira_auth(access_token, email), headers={"Accept": "application/json"})
    secrets = (access_token, base64.b64encode(f"{email}:{access_token}".encode()).decode() if email else "")
    fields = ",".join((*BASE_FIELDS, story_points_field))
    categories: dict[str, str | None] = {}
    categories_lock = threading.Lock()

    def endpoint(resource: str) -> Endpoint:
        return Endpoint(PROVIDER, resource, secrets)

    def search(resource: str, cursor: dlt.sources.incremental[Any],
               issue_types: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
        params = {"jql": helpers.search_jql(keys, cursor.start_value, issue_types), "fields": fields,
                  "maxResults": PAGE_SIZE}
        # the last page carries no nextPageToken (and isLast: true)
        pages = endpoint(resource).pages(client, SEARCH_PATH, params=params, data_selector="issues",
                                         paginator=JSONResponseCursorPaginator("nextPageToken", "nextPageToken"))
        for page in pages:
            yield from page

    def status_categories() -> dict[str, str | None]:
        with categories_lock:
            if not categories:
                statuses = endpoint("statuses").get_json(client, STATUSES_PATH)
                categories.update(helpers.category_by_status_id(statuses))
        return categories

    @contract_resource("work_items", PROVIDER)
    def work_items(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        rows = (helpers.parse_issue(issue, org_id, story_points_field) for issue in search("work_items", updated_at))
        yield from batched(rows, size)

    @contract_transformer("work_item_transitions", PROVIDER, work_items, parallelized=True)
    def work_item_transitions(items: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        # the issue's own changelog endpoint, not search's embedded copy, which stops at 100 histories
        changelog = endpoint("work_item_transitions")
        known = status_categories()
        rows = []
        for item in items:
            # Jira may return fewer than maxResults; its `nextPage` URL starts where this page ended
            histories = [history for page in changelog.pages(
                client, CHANGELOG_PATH.format(issue_id=item["work_item_id"]),
                params={"startAt": 0, "maxResults": PAGE_SIZE}, paginator=JSONLinkPaginator("nextPage"),
                data_selector="values") for history in page]
            rows.extend(helpers.parse_transitions(histories, item, known, org_id))
        yield rows

    @contract_resource("incidents", PROVIDER, parallelized=True)
    def incidents(
        updated_at: dlt.sources.incremental[Any] = incremental_cursor(since, DEFAULT_START),
    ) -> Iterator[list[dict[str, Any]]]:
        if not incident_types:
            return
        rows = (helpers.parse_incident(issue, org_id) for issue in search("incidents", updated_at, incident_types))
        yield from batched(rows, size)

    return work_items, work_item_transitions, incidents
