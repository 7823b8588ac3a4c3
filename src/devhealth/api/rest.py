"""REST: one GET resource per mart under /v1, JSON or CSV, filtered, sorted and keyset-paged on its grain."""

from __future__ import annotations

import csv
import inspect
import io
import json
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, create_model

from devhealth.api.auth import Caller
from devhealth.api.catalog import Mart
from devhealth.api.query import DEFAULT_LIMIT, MAX_LIMIT, PageRequest, encode_cursor, page_query, plain
from devhealth.api.types import python_type
from devhealth.errors import InputError

FILTER_HELP = {
    "team": "A team_id: rows of that team (on per-repository marts, of the team's repositories; on DORA "
            "marts, the team's scope).",
    "repo": "A repo_id (on DORA marts, the repository's scope).",
    "from": "First day (YYYY-MM-DD), inclusive, on the resource's date column.",
    "to": "Last day (YYYY-MM-DD), inclusive.",
}
COMMON = ("fields", "order", "limit", "after", "format")


def row_model(mart: Mart) -> type[BaseModel]:
    fields: dict[str, Any] = {column.name: (python_type(column), ...) for column in mart.columns}
    return create_model(_camel(mart.resource.mart) + "Row", **fields)


def page_model(mart: Mart) -> type[BaseModel]:
    return create_model(_camel(mart.resource.mart) + "Page", data=(list[row_model(mart)], ...),  # type: ignore[valid-type]
                        next_cursor=(str | None, None))


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def to_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """A header line, then one line per row; arrays as JSON, null as an empty field."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else json.dumps(row[c]) if isinstance(row[c], list) else row[c]
                         for c in columns])
    return out.getvalue()


def wants_csv(request: Request, output: str | None) -> bool:
    if output is not None:
        return output == "csv"
    return "text/csv" in request.headers.get("accept", "")


async def read_page(request: Request, mart: Mart, page: PageRequest) -> tuple[tuple[str, ...], list[tuple], str | None]:
    """One page of rows, as the warehouse gave them, in the order of the columns returned; and the cursor of
    the next page (None on the last)."""
    sql, parameters, columns = page_query(mart, page)
    result = await request.app.state.reader.query(sql, parameters)
    rows = result.rows
    next_cursor = None
    if len(rows) > page.limit:
        rows = rows[: page.limit]
        next_cursor = encode_cursor(mart, page.order, dict(zip(result.columns, rows[-1], strict=True)))
    if tuple(result.columns) != columns:  # the grain was selected only for the cursor
        picked = [result.columns.index(name) for name in columns]
        rows = [tuple(row[i] for i in picked) for row in rows]
    return columns, rows, next_cursor


def _json_value(value: Any) -> Any:
    """What orjson does not write itself (dates, NaN as null and wide ints it does)."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(columns: tuple[str, ...], rows: list[tuple], next_cursor: str | None) -> bytes:
    """The page as JSON: ISO dates, NaN and infinities as null (orjson's own way with them)."""
    return orjson.dumps({"data": [dict(zip(columns, row, strict=True)) for row in rows], "next_cursor": next_cursor},
                        default=_json_value)


def reject_unknown_parameters(request: Request, allowed: tuple[str, ...]) -> None:
    for name in request.query_params:
        if name not in allowed:
            raise InputError(f"unknown query parameter {name!r}; this resource takes {', '.join(allowed)}")


def endpoint_for(mart: Mart, require_caller: Any) -> Any:
    resource = mart.resource
    allowed = (*resource.filters, *COMMON)

    async def endpoint(request: Request, caller: Caller, **given: Any) -> Response:
        reject_unknown_parameters(request, allowed)
        fields = tuple(f.strip() for f in given["fields"].split(",") if f.strip()) if given.get("fields") else None
        if given.get("date_from") and given.get("date_to") and given["date_from"] > given["date_to"]:
            raise InputError(f"from {given['date_from']} is after to {given['date_to']}")
        page = PageRequest(org_id=caller.org_id, team=given.get("team"), repo=given.get("repo"),
                           scope=given.get("scope"), date_from=given.get("date_from"), date_to=given.get("date_to"),
                           fields=fields, order=given["order"], limit=given["limit"], cursor=given.get("after"))
        columns, rows, next_cursor = await read_page(request, mart, page)
        headers = {"X-Next-Cursor": next_cursor} if next_cursor else {}
        if wants_csv(request, given.get("output")):
            return Response(to_csv(columns, [dict(zip(columns, map(plain, row), strict=True)) for row in rows]),
                            media_type="text/csv; charset=utf-8", headers=headers)
        return Response(to_json(columns, rows, next_cursor), media_type="application/json", headers=headers)

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("caller", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=Annotated[Caller, Depends(require_caller)]),
    ]

    def add(name: str, annotation: Any, default: Any) -> None:
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                                            default=default))

    if "team" in resource.filters:
        add("team", Annotated[str | None, Query(description=FILTER_HELP["team"])], None)
    if "repo" in resource.filters:
        add("repo", Annotated[str | None, Query(description=FILTER_HELP["repo"])], None)
    if resource.scope is not None:
        add("scope", Annotated[str | None, Query(description=f"Only rows whose {resource.scope} is this.")], None)
    if resource.date_column is not None:
        add("date_from", Annotated[date | None, Query(alias="from", description=FILTER_HELP["from"]
                                                      + f" Column: {resource.date_column}.")], None)
        add("date_to", Annotated[date | None, Query(alias="to", description=FILTER_HELP["to"])], None)
    add("fields", Annotated[str | None, Query(description="Comma-separated columns to return (default: all).")],
        None)
    add("order", Annotated[Literal["asc", "desc"], Query(
        description=f"Sort direction on the grain ({', '.join(resource.grain)}).")], "asc")
    add("limit", Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")], DEFAULT_LIMIT)
    add("after", Annotated[str | None, Query(description="next_cursor of the previous page.")], None)
    add("output", Annotated[Literal["json", "csv"] | None, Query(
        alias="format", description="json (default) or csv with a header; Accept: text/csv also gives CSV.")], None)
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = f"read_{resource.mart}"
    return endpoint


def router(catalog: dict[str, Mart], require_caller: Any) -> APIRouter:
    routes = APIRouter(prefix="/v1")
    for mart in catalog.values():
        resource = mart.resource
        routes.add_api_route(
            f"/{resource.mart}", endpoint_for(mart, require_caller), methods=["GET"],
            response_model=page_model(mart), summary=f"Rows of {resource.mart}",
            description=f"{resource.description} Grain: org_id, {', '.join(resource.grain)}; the organization "
                        "is the API key's.",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
                       400: {"description": "A bad parameter, named in `detail`."},
                       401: {"description": "Missing, malformed, unknown, expired or revoked key."},
                       403: {"description": "The key lacks metrics:read."},
                       429: {"description": "Over the key's rate limit; see Retry-After."}},
            operation_id=f"read_{resource.mart}", tags=["marts"])
    return routes

