"""The ASGI app: REST under /v1, GraphQL at /graphql, OpenAPI at /openapi.json, all behind API keys."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from strawberry.fastapi import GraphQLRouter

from devhealth import __version__
from devhealth.api import rest
from devhealth.api.auth import KEY_CACHE_SECONDS, USAGE_FLUSH_SECONDS, Authenticator, Caller, Denied
from devhealth.api.catalog import CATALOG_SQL, Mart, build_catalog, catalog_parameters
from devhealth.api.engine import MartReader
from devhealth.api.graphql import Context, build_schema
from devhealth.errors import DevhealthError, InputError, WarehouseError, one_line

log = logging.getLogger("devhealth.api")
# documents the scheme in OpenAPI; the header itself is read and checked by the Authenticator
bearer_scheme = HTTPBearer(auto_error=False, description="An API key: Authorization: Bearer dh_...")


def load_catalog(reader: MartReader) -> dict[str, Mart]:
    rows = reader.query_blocking(CATALOG_SQL, catalog_parameters())
    return build_catalog([tuple(row) for row in rows.rows])


def _one_line_validation(error: RequestValidationError) -> str:
    first = error.errors()[0]
    where = first.get("loc", ())
    name = where[-1] if where else "request"
    given = first.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
    return f"{where[0] if len(where) > 1 else 'query'} parameter {name!r}: {first.get('msg', 'invalid')}{shown}"


def create_app(reader: MartReader, semantic_engine: Engine, catalog: dict[str, Mart] | None = None,
               authenticator: Authenticator | None = None, key_cache_seconds: float = KEY_CACHE_SECONDS) -> FastAPI:
    catalog = catalog if catalog is not None else load_catalog(reader)
    authenticator = authenticator or Authenticator(semantic_engine, cache_seconds=key_cache_seconds)

    async def require_caller(request: Request, _scheme: Any = Depends(bearer_scheme)) -> Caller:
        header, path = request.headers.get("authorization"), request.url.path
        # a key accepted moments ago is checked in memory, on the loop; else PostgreSQL, off it
        verified = authenticator.remembered(header) or await run_in_threadpool(authenticator.verify, header, path)
        if verified.rate_limit_per_minute is not None:
            await run_in_threadpool(authenticator.admit, verified, path)
        return verified.caller

    async def flush_usage() -> None:
        try:
            await run_in_threadpool(authenticator.flush_usage)
        except DevhealthError as error:  # the uses are kept for the next flush
            log.warning("last_used_at not written: %s", one_line(error))

    async def flush_usage_every(seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            await flush_usage()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        flusher = asyncio.create_task(flush_usage_every(USAGE_FLUSH_SECONDS))
        try:
            yield
        finally:
            flusher.cancel()
            await flush_usage()
            reader.close()

    app = FastAPI(title="devhealth API", version=__version__, lifespan=lifespan,
                  description="Read-only access to the devhealth marts for one organization: the API key's.")
    app.state.reader = reader
    app.state.catalog = catalog
    app.include_router(rest.router(catalog, require_caller))

    async def graphql_context(caller: Caller = Depends(require_caller)) -> Context:
        return Context(caller, reader)

    app.include_router(GraphQLRouter(build_schema(catalog), context_getter=graphql_context, graphql_ide=None,
                                     allow_queries_via_get=False), prefix="/graphql", include_in_schema=False)

    @app.exception_handler(Denied)
    async def denied(_request: Request, error: Denied) -> JSONResponse:
        return JSONResponse({"detail": error.message}, status_code=error.status, headers=error.headers)

    @app.exception_handler(InputError)
    async def bad_input(_request: Request, error: InputError) -> JSONResponse:
        return JSONResponse({"detail": one_line(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(_request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _one_line_validation(error)}, status_code=400)

    @app.exception_handler(WarehouseError)
    async def warehouse_down(_request: Request, error: WarehouseError) -> JSONResponse:
        log.error("warehouse: %s", one_line(error))
        return JSONResponse({"detail": "the warehouse could not answer; try again later"}, status_code=503)

    return app
