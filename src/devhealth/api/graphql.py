"""GraphQL: every mart as a typed, paged query, with nested dims (a team's repositories, a repository's
DORA weeks) loaded in batches, so a query costs a fixed number of ClickHouse queries whatever its rows.

Types are made from the marts' columns at start-up. Each response's `extensions.clickhouseQueries`
counts the ClickHouse queries it took.
"""

# no `from __future__ import annotations`: Strawberry reads these resolvers' annotations as live types
import inspect
import math
from datetime import date
from enum import Enum
from typing import Annotated, Any, NewType

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.fastapi import BaseContext

from devhealth.api.auth import Caller
from devhealth.api.catalog import Mart
from devhealth.api.engine import MartReader, Rows
from devhealth.api.query import DEFAULT_LIMIT, MAX_LIMIT, PageRequest, encode_cursor, identifier, page_query, table
from devhealth.api.types import python_type
from devhealth.errors import InputError

Long = strawberry.scalar(NewType("Long", int), name="Long", description="A 64-bit integer.",
                         serialize=int, parse_value=int)


@strawberry.enum
class Order(Enum):
    ASC = "asc"
    DESC = "desc"


class Context(BaseContext):
    """Per request: the caller, the reader, the query count and the request's data loaders."""

    def __init__(self, caller: Caller, reader: MartReader) -> None:
        super().__init__()
        self.caller = caller
        self.reader = reader
        self.queries = 0
        self.loaders: dict[Any, DataLoader] = {}

    async def query(self, sql: str, parameters: dict[str, Any]) -> Rows:
        self.queries += 1
        return await self.reader.query(sql, parameters)

    def loader(self, key: Any, load: Any) -> DataLoader:
        if key not in self.loaders:
            self.loaders[key] = DataLoader(load_fn=load)
        return self.loaders[key]


class QueryCount(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        return {"clickhouseQueries": context.queries} if isinstance(context, Context) else {}


def _value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    return value


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _rows(row_type: Any, rows: Rows, skip: int = 0) -> list[Any]:
    names = rows.columns[skip:]
    return [row_type(**dict(zip(names, map(_value, row[skip:]), strict=True))) for row in rows.rows]


def _signature(parameters: list[tuple[str, Any, Any]], returns: Any) -> inspect.Signature:
    return inspect.Signature(
        [inspect.Parameter("root", inspect.Parameter.KEYWORD_ONLY, default=None),
         inspect.Parameter("info", inspect.Parameter.KEYWORD_ONLY, annotation=strawberry.Info)]
        + [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
           for name, kind, default in parameters],
        return_annotation=returns)


def _repositories_field(catalog: dict[str, Mart], repo_type: Any) -> Any:
    """Team.repositories: every team's repositories in one join of dim_team_repos to dim_repos."""
    repos = catalog["dim_repos"]
    columns = ", ".join(f"r.{identifier(name)} as {identifier(name)}" for name in repos.names)

    async def resolve(**kwargs: Any) -> Any:
        context: Context = kwargs["info"].context

        async def load(team_ids: list[str]) -> list[list[Any]]:
            sql = (f"select tr.team_id as owner_team_id, {columns} from {table('dim_team_repos')} as tr "
                   f"inner join {table('dim_repos')} as r on r.org_id = tr.org_id and r.repo_id = tr.repo_id "
                   "where tr.org_id = {org:String} and r.org_id = {org:String} and has({teams:Array(String)}, "
                   "tr.team_id) order by tr.team_id, r.repo_id")
            rows = await context.query(sql, {"org": context.caller.org_id, "teams": list(team_ids)})
            by_team: dict[str, list[Any]] = {}
            for team_id, item in zip((row[0] for row in rows.rows), _rows(repo_type, rows, skip=1), strict=True):
                by_team.setdefault(team_id, []).append(item)
            return [by_team.get(team_id, []) for team_id in team_ids]

        return await context.loader("team_repositories", load).load(kwargs["root"].team_id)

    resolve.__signature__ = _signature([], list[repo_type])  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description="The repositories the team owns (dim_team_repos).")


def _dora_weeks_field(catalog: dict[str, Mart], week_type: Any) -> Any:
    """Repository.doraWeeks: the weeks of every repository asked for, in one query per date range."""
    weeks = catalog["dora_metrics_weekly"]
    columns = ", ".join(identifier(name) for name in weeks.names)

    async def resolve(**kwargs: Any) -> Any:
        context: Context = kwargs["info"].context
        since, until = kwargs.get("since"), kwargs.get("until")

        async def load(repo_ids: list[str]) -> list[list[Any]]:
            conditions = ["org_id = {org:String}", "scope_type = 'repo'", "has({repos:Array(String)}, scope_id)"]
            parameters: dict[str, Any] = {"org": context.caller.org_id, "repos": list(repo_ids)}
            if since is not None:
                conditions.append("period_start >= {since:Date}")
                parameters["since"] = since.isoformat()
            if until is not None:
                conditions.append("period_start <= {until:Date}")
                parameters["until"] = until.isoformat()
            sql = (f"select {columns} from {table('dora_metrics_weekly')} where {' and '.join(conditions)} "
                   "order by scope_id, period_start")
            rows = await context.query(sql, parameters)
            by_repo: dict[str, list[Any]] = {}
            for item in _rows(week_type, rows):
                by_repo.setdefault(item.scope_id, []).append(item)
            return [by_repo.get(repo_id, []) for repo_id in repo_ids]

        return await context.loader(("repo_dora_weeks", since, until), load).load(kwargs["root"].repo_id)

    resolve.__signature__ = _signature(  # type: ignore[attr-defined]
        [("since", Annotated[date | None, strawberry.argument(name="from")], None),
         ("until", Annotated[date | None, strawberry.argument(name="to")], None)], list[week_type])
    return strawberry.field(resolver=resolve, description="The repository's DORA weeks (dora_metrics_weekly).")


def _row_types(catalog: dict[str, Mart]) -> dict[str, Any]:
    types: dict[str, Any] = {}
    for name, mart in catalog.items():
        namespace: dict[str, Any] = {
            "__annotations__": {column.name: python_type(column, wide_int=Long) for column in mart.columns}}
        if name == "dim_repos":
            namespace["dora_weeks"] = _dora_weeks_field(catalog, types["dora_metrics_weekly"])
        if name == "dim_teams":
            namespace["repositories"] = _repositories_field(catalog, types["dim_repos"])
        types[name] = strawberry.type(type(_camel(name), (), namespace), description=mart.resource.description)
    return types


def _page_field(mart: Mart, row_type: Any) -> Any:
    page_type = strawberry.type(type(_camel(mart.resource.mart) + "Page", (), {
        "__annotations__": {"rows": list[row_type], "next_cursor": str | None}}))
    resource = mart.resource

    async def resolve(**kwargs: Any) -> Any:
        context: Context = kwargs["info"].context
        first = kwargs["first"]
        if not 1 <= first <= MAX_LIMIT:
            raise InputError(f"first: {first} is not between 1 and {MAX_LIMIT}")
        since, until = kwargs.get("since"), kwargs.get("until")
        if since is not None and until is not None and since > until:
            raise InputError(f"from {since} is after to {until}")
        order = kwargs["order"].value
        page = PageRequest(org_id=context.caller.org_id, team=kwargs.get("team"), repo=kwargs.get("repo"),
                           scope=kwargs.get("scope"), date_from=since, date_to=until, order=order, limit=first,
                           cursor=kwargs.get("after"))
        sql, parameters, columns = page_query(mart, page)
        rows = await context.query(sql, parameters)
        records = [dict(zip(rows.columns, row, strict=True)) for row in rows.rows]
        next_cursor = None
        if len(records) > first:
            records = records[:first]
            next_cursor = encode_cursor(mart, order, records[-1])
        return page_type(rows=[row_type(**{c: _value(r[c]) for c in columns}) for r in records],
                         next_cursor=next_cursor)

    arguments: list[tuple[str, Any, Any]] = []
    if "team" in resource.filters:
        arguments.append(("team", str | None, None))
    if "repo" in resource.filters:
        arguments.append(("repo", str | None, None))
    if resource.scope is not None:
        arguments.append(("scope", str | None, None))
    if resource.date_column is not None:
        arguments += [("since", Annotated[date | None, strawberry.argument(name="from")], None),
                      ("until", Annotated[date | None, strawberry.argument(name="to")], None)]
    arguments += [("first", int, DEFAULT_LIMIT), ("after", str | None, None), ("order", Order, Order.ASC)]
    resolve.__signature__ = _signature(arguments, page_type)  # type: ignore[attr-defined]
    return strawberry.field(resolver=resolve, description=f"{resource.description} Grain: org_id, "
                            f"{', '.join(resource.grain)}.")


def build_schema(catalog: dict[str, Mart]) -> strawberry.Schema:
    types = _row_types(catalog)
    fields = {name: _page_field(mart, types[name]) for name, mart in catalog.items()}
    query = strawberry.type(type("Query", (), fields))
    # validating a document against this wide schema costs more than running it: dashboards repeat their
    # queries, so parsed and validated documents are kept
    return strawberry.Schema(query=query, extensions=[QueryCount, ParserCache(maxsize=512),
                                                      ValidationCache(maxsize=512)])
