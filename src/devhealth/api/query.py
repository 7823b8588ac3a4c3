"""SQL for one page of a mart: the caller's org, its filters, keyset paging on the grain.

Every value is a bound parameter (`{name:Type}`); the only names formatted into the SQL are the mart's
and its columns', which come from the warehouse's own catalog, never from the request.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from devhealth.api.catalog import Column, Mart
from devhealth.api.resources import TeamFilter
from devhealth.errors import InputError
from devhealth.settings import MARTS_DATABASE

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 100
Order = Literal["asc", "desc"]


@dataclass(frozen=True)
class PageRequest:
    org_id: str
    team: str | None = None
    repo: str | None = None
    scope: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    fields: tuple[str, ...] | None = None
    order: Order = "asc"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def identifier(name: str) -> str:
    return f"`{name}`"


def table(mart: str) -> str:
    return f"{identifier(MARTS_DATABASE)}.{identifier(mart)}"


class _Params:
    """Collects bound values and hands out their placeholders."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def bind(self, value: Any, ch_type: str) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"{{{name}:{ch_type}}}"


def selected_columns(mart: Mart, fields: tuple[str, ...] | None) -> tuple[str, ...]:
    """The requested fields in the order asked, else every column; an unknown field is an InputError."""
    if not fields:
        return mart.names
    unknown = [field for field in fields if field not in mart.names]
    if unknown:
        raise InputError(f"fields: unknown field {unknown[0]!r} on {mart.resource.mart}; "
                         f"known: {', '.join(mart.names)}")
    return tuple(dict.fromkeys(fields))


def filter_conditions(mart: Mart, request: PageRequest, params: _Params) -> list[str]:
    """The WHERE terms for the caller's org and filters; the org term comes first and is never optional."""
    resource = mart.resource
    org = params.bind(request.org_id, "String")
    where = [f"org_id = {org}"]
    if request.team is not None:
        team = params.bind(request.team, "String")
        if resource.team is TeamFilter.column:
            where.append(f"team_id = {team}")
        elif resource.team is TeamFilter.repos:
            where.append(f"repo_id in (select repo_id from {table('dim_team_repos')} "
                         f"where org_id = {org} and team_id = {team})")
        elif resource.team is TeamFilter.dora_scope:
            where.append(f"scope_type = 'team' and scope_id = {team}")
    if request.repo is not None:
        repo = params.bind(request.repo, "String")
        if resource.team is TeamFilter.dora_scope:
            where.append(f"scope_type = 'repo' and scope_id = {repo}")
        else:
            where.append(f"repo_id = {repo}")
    if request.scope is not None and resource.scope is not None:
        where.append(f"{identifier(resource.scope)} = {params.bind(request.scope, 'String')}")
    if resource.date_column is not None:
        column = mart.column(resource.date_column)
        day = identifier(column.name)
        if column.base_type != "Date":
            day = f"toDate({day}, 'UTC')"
        if request.date_from is not None:
            where.append(f"{day} >= {params.bind(request.date_from.isoformat(), 'Date')}")
        if request.date_to is not None:
            where.append(f"{day} <= {params.bind(request.date_to.isoformat(), 'Date')}")
    return where


def page_query(mart: Mart, request: PageRequest) -> tuple[str, dict[str, Any], tuple[str, ...]]:
    """SQL, parameters and columns for one page; it asks for one row more than the page to know if more follow."""
    columns = selected_columns(mart, request.fields)
    params = _Params()
    where = filter_conditions(mart, request, params)
    grain = [mart.column(name) for name in mart.resource.grain]
    if request.cursor is not None:
        where.append(_after(grain, decode_cursor(mart, request.order, request.cursor), request.order, params))
    direction = "desc" if request.order == "desc" else "asc"
    # the grain columns are selected too, unseen, so the next page's cursor can be made from the last row
    extra = [name for name in mart.resource.grain if name not in columns]
    select = ", ".join(identifier(name) for name in (*columns, *extra))
    order_by = ", ".join(f"{identifier(column.name)} {direction}" for column in grain)
    limit = params.bind(request.limit + 1, "UInt32")
    sql = (f"select {select} from {table(mart.resource.mart)} where {' and '.join(where)} "
           f"order by {order_by} limit {limit}")
    return sql, params.values, columns


def _after(grain: list[Column], values: list[Any], order: Order, params: _Params) -> str:
    """Rows after the cursor's key in grain order, spelt out term by term so the primary key index applies."""
    compare = "<" if order == "desc" else ">"
    placeholders = [params.bind(value, column.base_type) for column, value in zip(grain, values, strict=True)]
    terms = []
    for i, column in enumerate(grain):
        equal = [f"{identifier(c.name)} = {p}" for c, p in zip(grain[:i], placeholders[:i], strict=True)]
        terms.append("(" + " and ".join([*equal, f"{identifier(column.name)} {compare} {placeholders[i]}"]) + ")")
    return "(" + " or ".join(terms) + ")"


def encode_cursor(mart: Mart, order: Order, row: dict[str, Any]) -> str:
    key = [plain(row[name]) for name in mart.resource.grain]
    payload = json.dumps({"m": mart.resource.mart, "o": order, "k": key}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(mart: Mart, order: Order, cursor: str) -> list[Any]:
    """The grain values a cursor holds, checked against the mart's column types; else an InputError."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["m"] != mart.resource.mart or payload["o"] != order:
            raise ValueError
        values = payload["k"]
        if not isinstance(values, list) or len(values) != len(mart.resource.grain):
            raise ValueError
        return [_checked(mart.column(name), value) for name, value in zip(mart.resource.grain, values, strict=True)]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InputError(f"after: not a cursor this resource issued for order={order} "
                         f"({mart.resource.mart}); pass next_cursor from the previous page unchanged") from None


def _checked(column: Column, value: Any) -> Any:
    kind = column.base_type
    if kind == "String":
        if not isinstance(value, str):
            raise ValueError
        return value
    if kind.startswith(("Int", "UInt")):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError
        return value
    if kind == "Date":
        return date.fromisoformat(value).isoformat()
    raise ValueError


def plain(value: Any) -> Any:
    """A value as JSON carries it: ISO dates, NaN and infinities as null."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
