"""Paginators dlt does not ship for our providers: GitLab's two header styles, Jira's `isLast` pages."""

from __future__ import annotations

from typing import Any

from dlt.sources.helpers.rest_client.paginators import (
    HeaderLinkPaginator,
    JSONResponseCursorPaginator,
    OffsetPaginator,
)
from requests import Request, Response


class GitLabPaginator(HeaderLinkPaginator):
    """GitLab's `Link: rel="next"`, or `X-Next-Page` where a proxy or older version drops the Link header.

    GitLab omits both for lists over 10,000 rows with keyset pagination off; they then end there.
    """

    def __init__(self) -> None:
        super().__init__()
        self._next_page: str | None = None

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        self._next_page = None
        if self._next_reference is None:
            next_page = (response.headers.get("X-Next-Page") or "").strip()
            if next_page:
                self._next_page = next_page
                self._has_next_page = True

    def update_request(self, request: Request) -> None:
        if self._next_page is None:
            super().update_request(request)
            return
        request.params = {**(request.params or {}), "page": self._next_page}


class JiraTokenPaginator(JSONResponseCursorPaginator):
    """`/rest/api/3/search/jql`: follow `nextPageToken` until `isLast` is true or the token is gone."""

    def __init__(self) -> None:
        super().__init__(cursor_path="nextPageToken", cursor_param="nextPageToken")

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        if response.json().get("isLast") is True:
            self._has_next_page = False


class JiraOffsetPaginator(OffsetPaginator):
    """Jira's `startAt`/`maxResults` lists (changelogs, statuses), which end on `isLast` or at `total`."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, offset_param="startAt", limit_param="maxResults", total_path=None,
                         stop_after_empty_page=True)

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        # Jira may cap maxResults below what was asked, so the next page starts after what actually came
        body = response.json()
        body = body if isinstance(body, dict) else {}
        start = body.get("startAt", self.current_value)
        self.current_value = (start if isinstance(start, int) else self.current_value) + len(data or [])
        total = body.get("total")
        self._has_next_page = not (
            not data or body.get("isLast") is True or (isinstance(total, int) and self.current_value >= total)
        )
