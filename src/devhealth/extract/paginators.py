"""GitLab's paging header as dlt reads it, but ending on the empty value GitLab sends on the last page."""

from __future__ import annotations

from typing import Any

from dlt.sources.helpers.rest_client.paginators import HeaderCursorPaginator
from requests import Response


class GitLabPaginator(HeaderCursorPaginator):
    """`X-Next-Page`, which offset pagination always sends (also behind proxies that strip `Link`).

    On the last page GitLab sends it empty rather than leaving it out; dlt would take "" for a next page.
    """

    def __init__(self) -> None:
        super().__init__(cursor_key="X-Next-Page", cursor_param="page")

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        self._next_reference = (response.headers.get(self.cursor_key) or "").strip() or None
